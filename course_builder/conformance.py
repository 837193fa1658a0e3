"""The accessibility conformance report every build writes: `accessibility.html` and a section of `build-report.json`.

It keeps three things apart, because a buyer's accessibility team weighs them differently:

1. **What this build checked**, offline and without a browser: each output it wrote is opened
   again with a library this project did not write (pikepdf, lxml, python-pptx) and checked for
   what can be told from the file (tags, language, title, alt text, slide titles); the brand's
   colours are measured (`course_builder.contrast`), and the colours the outputs used instead
   are listed; the author checks of `course_builder.load.accessibility` are repeated.
2. **What the author must still do by hand**: what no checker can judge.
3. **What the project's own test suite proves** for the bundled templates, with the tools it
   runs there (a PDF/UA-1 rule engine, axe-core in Chromium, python-pptx). A course with its
   own `templates/` (or a brand with its own PowerPoint template) is told which of those proofs
   no longer cover it.

Nothing here claims more than a check that ran: a result is "passed" or "failed" only where
this build measured it.

The page's own words (headings, explanations, table heads, outcomes) are in the course's language,
right to left for Arabic and Hebrew. What it reports (each check's name and finding, the tasks left
to do by hand, the proofs) is the same data as the build report's `accessibility` section, and stays
in English, as `check`'s messages do; those parts are marked as English for screen readers.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from course_builder import __version__
from course_builder.brand_check import TEXT_PAIRS
from course_builder.contrast import AA_TEXT, contrast_ratio
from course_builder.errors import Problems
from course_builder.labels import SOURCE_LANGUAGE, labels_for
from course_builder.load.accessibility import check_accessibility
from course_builder.resources import templates_dir
from course_builder.targets.base import atomic_file
from course_builder.writing import writing

if TYPE_CHECKING:
    from course_builder.build import OutputRecord
    from course_builder.load import LoadedCourse
    from course_builder.model import Brand

REPORT_HTML = "accessibility.html"
PDF_FORMATS = ("workbook", "guide", "handouts")
WEB_FORMATS = ("web", "scorm12", "scorm2004")


@dataclass
class Check:
    """One thing this build checked in one output, with the tool that read the output and what it found."""

    name: str
    tool: str
    passed: bool
    result: str


@dataclass
class OutputChecks:
    format: str
    brand: str
    path: str
    aim: str
    checks: list[Check] = field(default_factory=list)


@dataclass
class ColourChange:
    """A brand colour an output did not use as given, because text in it would not reach the WCAG AA contrast."""

    brand: str
    outputs: str
    colour: str
    given: str
    used: str
    use: str
    contrast_given: float
    contrast_used: float


@dataclass
class Proof:
    """What the project's test suite proves for the bundled templates, and whether that still covers this course."""

    outputs: str
    proves: str
    tools: str
    tests: str
    covers_this_course: bool
    why_not: str | None = None


@dataclass
class ConformanceReport:
    course: str
    tool_version: str
    outputs: list[OutputChecks]
    brand_contrast: list[Check]
    colour_changes: list[ColourChange]
    author_warnings: list[str]
    by_hand: list[str]
    proofs: list[Proof]


BY_HAND = [
    "Alt text that says what each image shows and why it is there. This build only finds alt text that is missing, "
    "a file name or an empty word.",
    "No pictures of text (screenshots, scanned pages, slides as images). This build guesses from file names and "
    "alt text only; it does not look at the pixels.",
    "Captions and transcripts for any video or audio the course links to. The course files embed no media, so "
    "nothing here checks the media it links to.",
    "Plain language and a reading level that suits the participants.",
    "Meaning that does not rest on colour alone, in images and in the text (\"the items in red\").",
    "Headings and link text that describe their content. This build only finds skipped heading levels and "
    "link text such as \"click here\".",
]


# ---------------------------------------------------------------- what this build checked, per output


def pdf_checks(path: Path) -> list[Check]:
    """The PDF/UA-1 essentials that can be read from the finished file."""
    import pikepdf

    tool = f"pikepdf {version('pikepdf')}"
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        marked = bool(root.get("/MarkInfo", {}).get("/Marked", False))
        tree = root.get("/StructTreeRoot")
        language = str(root.get("/Lang", ""))
        shows_title = bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))
        with pdf.open_metadata() as metadata:
            title = str(metadata.get("dc:title", ""))
            part = str(metadata.get("pdfuaid:part", ""))
        figures = structure_elements(tree, "/Figure") if tree is not None else []
        headers = structure_elements(tree, "/TH") if tree is not None else []
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        scoped = sum(1 for header in headers if has_scope(header))
        described_links = sum(1 for link in links if str(link.get("/Contents", "")).strip())
        described = sum(1 for figure in figures if str(figure.get("/Alt", "")).strip())
    return [
        Check("Tagged, with a structure tree", tool, marked and tree is not None,
              "tagged" if marked and tree is not None else "not tagged"),
        Check("PDF/UA-1 identification in the metadata", tool, part == "1", f"pdfuaid:part {part or 'missing'}"),
        Check("Document language set", tool, bool(language), language or "missing"),
        Check("Title set and shown in the title bar", tool, bool(title) and shows_title,
              f"\u201c{title}\u201d" + ("" if shows_title else ", not shown in the title bar") if title else "missing"),
        Check("Figures have alternative text", tool, described == len(figures), f"{described} of {len(figures)}"),
        # The two results of the structure repair (targets/pdf_structure.py) that can be counted in the file.
        Check("Table headers say whether they head a row or a column (Scope)", tool, scoped == len(headers),
              f"{scoped} of {len(headers)}"),
        Check("Links describe where they lead (annotation /Contents)", tool, described_links == len(links),
              f"{described_links} of {len(links)}"),
    ]


def has_scope(header: Any) -> bool:
    """A table header's attributes (one dictionary, or an array of them) name its /Scope."""
    import pikepdf

    attributes = header.get("/A")
    found = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    return any(isinstance(a, pikepdf.Dictionary) and "/Scope" in a for a in found)


def structure_elements(node: Any, role: str) -> list[Any]:
    """Every structure element of `role` below `node`, in reading order."""
    import pikepdf

    found = []
    stack = [node]
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary):
            if element.get("/S") == role:
                found.append(element)
            kids = element.get("/K")
            stack.extend(reversed(list(kids)) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return found


def html_checks(pages: dict[str, bytes]) -> list[Check]:
    """Language, title and image alt text of every HTML page of the web course (`pages`: name → bytes)."""
    import lxml.html

    tool = f"lxml {version('lxml')}"
    no_lang, no_title, images, without_alt = [], [], 0, []
    for name, data in sorted(pages.items()):
        document = lxml.html.document_fromstring(data)
        if not document.get("lang"):
            no_lang.append(name)
        if not "".join(document.xpath("//head/title//text()")).strip():
            no_title.append(name)
        for image in document.iter("img"):
            images += 1
            if image.get("alt") is None:
                without_alt.append(f"{name}: {image.get('src', '')}")
    count = len(pages)
    return [
        Check("Page language set", tool, not no_lang, f"{count - len(no_lang)} of {count} pages"
              + (f"; missing in {', '.join(no_lang[:5])}" if no_lang else "")),
        Check("Page title set", tool, not no_title, f"{count - len(no_title)} of {count} pages"
              + (f"; missing in {', '.join(no_title[:5])}" if no_title else "")),
        Check("Images have an alt attribute", tool, not without_alt,
              f"{images - len(without_alt)} of {images}" + (f"; missing: {', '.join(without_alt[:5])}" if without_alt else "")),
    ]


def web_checks(path: Path) -> list[Check]:
    return html_checks({p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*.html")})


def package_checks(path: Path) -> list[Check]:
    with zipfile.ZipFile(path) as package:
        return html_checks({name: package.read(name) for name in package.namelist() if name.endswith(".html")})


def deck_checks(path: Path) -> list[Check]:
    """Slide titles and picture descriptions, as PowerPoint's accessibility checker looks for them."""
    from pptx import Presentation

    tool = f"python-pptx {version('python-pptx')}"
    deck = Presentation(str(path))
    titles, untitled, pictures, undescribed = [], [], 0, 0
    for number, slide in enumerate(deck.slides, start=1):
        title = slide.shapes.title
        text = title.text_frame.text.strip() if title is not None and title.has_text_frame else ""
        (titles.append(text) if text else untitled.append(number))
        for properties in slide.element.xpath(".//p:pic/p:nvPicPr/p:cNvPr"):
            pictures += 1
            undescribed += not (properties.get("descr") or "").strip()
    repeated = sorted({t for t in titles if titles.count(t) > 1})
    count = len(deck.slides)
    without = f"; without: slides {', '.join(map(str, untitled[:10]))}" if untitled else ""
    return [
        Check("Every slide has a title", tool, not untitled, f"{count - len(untitled)} of {count}{without}"),
        Check("Slide titles are unique", tool, not repeated,
              "all unique" if not repeated else f"{len(repeated)} titles repeat, e.g. \u201c{repeated[0]}\u201d"),
        Check("Pictures have alternative text", tool, not undescribed, f"{pictures - undescribed} of {pictures}"),
    ]


OUTPUT_CHECKS: dict[str, tuple[str, Callable[[Path], list[Check]]]] = {
    "workbook": ("PDF/UA-1 (ISO 14289-1)", pdf_checks),
    "guide": ("PDF/UA-1 (ISO 14289-1)", pdf_checks),
    "handouts": ("PDF/UA-1 (ISO 14289-1)", pdf_checks),
    "web": ("WCAG 2.2 AA", web_checks),
    "scorm12": ("WCAG 2.2 AA (the web course, packaged)", package_checks),
    "scorm2004": ("WCAG 2.2 AA (the web course, packaged)", package_checks),
    "slides": ("PowerPoint accessibility checker rules", deck_checks),
}


# ---------------------------------------------------------------- colours


def brand_contrast(brand: Brand) -> list[Check]:
    """The pairs of brand colours the designs put text on, measured as WCAG 2.x does."""
    colours = brand.colors.model_dump()
    checks = []
    for fg, bg, where in TEXT_PAIRS:
        ratio = contrast_ratio(colours[fg], colours[bg])
        checks.append(Check(
            f"{brand.name}: {fg} {colours[fg]} on {bg} {colours[bg]} ({where})",
            f"course-builder {__version__} (course_builder.contrast)",
            ratio >= AA_TEXT,
            f"{ratio:.2f}:1 (AA needs {AA_TEXT:g}:1)",
        ))
    return checks


def colour_changes(brand: Brand, formats: set[str]) -> list[ColourChange]:
    """Brand colours the web course and the PDFs replaced with a readable shade, as their palettes do."""
    changes = []
    colours = brand.colors
    if formats & set(WEB_FORMATS):
        from course_builder.targets.web import web_palette

        palette, _ = web_palette(brand)
        # The colours web_palette moves, and what it uses each for (targets/web.py).
        for name, key, use in (
            ("text", "text", "body text"),
            ("primary", "primary-ink", "headings and links"),
            ("secondary", "secondary-ink", "labels"),
            ("accent", "accent", "progress bars and markers"),
        ):
            if palette[key] != getattr(colours, name):
                changes.append(change(brand, "web course and SCORM packages", name, palette[key], use))
    if formats & set(PDF_FORMATS):
        from course_builder.targets.print_document import brand_palette

        palette = brand_palette(brand)
        for name in ("primary", "secondary", "accent"):
            if palette[f"{name}-ink"] != getattr(colours, name):
                changes.append(change(brand, "PDFs", name, palette[f"{name}-ink"], "small text"))
    return changes


def change(brand: Brand, outputs: str, name: str, used: str, use: str) -> ColourChange:
    given = getattr(brand.colors, name)
    background = brand.colors.background
    return ColourChange(brand.name, outputs, name, given, used, use,
                        round(contrast_ratio(given, background), 2), round(contrast_ratio(used, background), 2))


# ---------------------------------------------------------------- what the test suite proves


def proofs(loaded: LoadedCourse, brands: tuple[Brand, ...], formats: set[str]) -> list[Proof]:
    """The test suite's proofs for the outputs of this build, each said to cover this course or not, and why."""
    root = loaded.course.root
    own_print = own_templates(root, "print")
    own_web = own_templates(root, "web")
    templates = [b.name for b in brands if b.pptx_template is not None]
    found = []
    if formats & {"workbook", "guide"}:
        found.append(Proof(
            "workbook.pdf, guide.pdf",
            "zero failed rules of the 104 machine-checkable PDF/UA-1 rules, and a structure-tree walk for the "
            "Matterhorn points (links, lists, table headers, headings, artifacts, form fields); run on the sample "
            "course, a second course and a second brand",
            "page-validation (PDF/UA-1 rule engine), pikepdf, pypdf",
            "tests/test_pdf_accessibility.py",
            not own_print,
            f"the course's own print templates ({', '.join(own_print)}) replace bundled ones" if own_print else None,
        ))
    if "handouts" in formats:
        found.append(Proof(
            "handouts.pdf", "nothing beyond this build's own checks: the rule engine runs on the workbook and guide only",
            "none", "none", False, "the test suite does not run the PDF/UA rule engine on the handouts",
        ))
    if formats & set(WEB_FORMATS):
        found.append(Proof(
            "web course and SCORM packages",
            "no axe-core violation (rules tagged WCAG 2.0, 2.1 and 2.2 A and AA) on any page, on desktop and phone "
            "screens, after a quiz is answered, with the contents menu open and without JavaScript; targets of at "
            "least 24 px; a keyboard-only run through a module that reads each result; a visible focus ring; "
            "print without controls; run on the sample course in two brands",
            "axe-core in Chromium (Playwright)",
            "tests/test_web_accessibility.py",
            not own_web,
            f"the course's own web templates ({', '.join(own_web)}) replace bundled ones" if own_web else None,
        ))
    if "slides" in formats:
        found.append(Proof(
            "slides.pptx",
            "every slide has a title and every picture its alt text, in the deck of the sample course",
            "python-pptx",
            "tests/test_slides.py",
            not templates,
            f"the brand {', '.join(templates)} brings its own PowerPoint template" if templates else None,
        ))
    return found


def own_templates(root: Path, part: str) -> list[str]:
    folder = root / "templates" / part
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- the report


def conformance_report(
    loaded: LoadedCourse, brands: tuple[Brand, ...], records: list[OutputRecord], folders: tuple[Path, ...]
) -> ConformanceReport:
    """The report on the outputs `records` lists, each read from the first of `folders` that holds it.

    The build passes its staging folder first (new outputs wait there until all are done), then the output folder.
    """
    course = loaded.course
    outputs = []
    for record in records:
        aim, checks = OUTPUT_CHECKS.get(record.format, ("", None))
        path = next((folder / record.path for folder in folders if (folder / record.path).exists()), None)
        outputs.append(OutputChecks(record.format, record.brand, record.path, aim,
                                    checks(path) if checks and path else []))
    formats = {record.format for record in records}
    problems = Problems()
    check_accessibility(list(course.modules), problems, course.settings.allow_html)
    return ConformanceReport(
        course=course.title,
        tool_version=__version__,
        outputs=outputs,
        brand_contrast=[check for brand in brands for check in brand_contrast(brand)],
        colour_changes=[c for brand in brands for c in colour_changes(brand, formats)],
        author_warnings=[w.describe(course.root) for w in problems.warnings],
        by_hand=BY_HAND,
        proofs=proofs(loaded, brands, formats),
    )


def write_conformance_report(report: ConformanceReport, out: Path, language: str = SOURCE_LANGUAGE) -> dict[str, Any]:
    """Write `accessibility.html` into `out`, its own words in `language`, and return the report as the build
    report's `accessibility` section."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "report"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(labels_for(language).translations, newstyle=True)  # type: ignore[attr-defined]
    html = environment.get_template("accessibility.html.j2").render(
        report=report, language=language, direction=writing(language).direction)
    with atomic_file(out / REPORT_HTML) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return {"report": REPORT_HTML, **asdict(report)}
