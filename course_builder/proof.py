"""The proof sheet: every page and slide of a build on one HTML page, warnings beside their pages.

`build` writes `proof.html` beside `build-report.json`, so a facilitator checks all outputs at
a glance instead of opening four files in four programs. PDF pages are drawn with pdfium; the
deck is first turned into a PDF by LibreOffice, when it is on the machine (the page says so when
it is not). Thumbnails are PNG files in `proof/`, named by the output's sha256, so an output
that did not change is not drawn again and the same build gives the same bytes.

Pages are grouped by the PDF's bookmarks (one per module, plus the contents, agenda and other
parts) and slides by the module title slides. A warning that names a module file and line is
placed beside the page where that line's section starts, in every output that shows the module.

The sheet's own words (headings, captions, notes) are in the course's language, from the same
catalogues as the outputs' labels, and it runs right to left for Arabic or Hebrew: a facilitator
checks the German workbook in German. The warnings are `check`'s, in English, as the build report has them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from course_builder.labels import Labels, labels_of
from course_builder.resources import templates_dir
from course_builder.targets.base import atomic_file
from course_builder.writing import writing

if TYPE_CHECKING:
    from course_builder.build import BuildReport, OutputRecord
    from course_builder.model import Course, Module

PROOF_NAME = "proof.html"
THUMBS_DIR = "proof"
THUMB_WIDTH = 300  # pixels; shown at 200 CSS pixels, so text stays legible on high-density screens
CONVERT_TIMEOUT = 600  # seconds; LibreOffice takes about 10 s for 100 slides
CONTINUED = re.compile(r"\s*\(\d+/\d+\)\s*$")  # how the deck numbers a section spread over several slides
THUMB_NAME = re.compile(r"^[0-9a-f]{16}-[0-9]{4}\.png$")
WARNING_HEAD = re.compile(r"^(?P<where>.+?)(?::(?P<line>\d+)(?::\d+)?)?: (?:warning|error): (?P<message>.*)$")


@dataclass(frozen=True)
class ReportWarning:
    """A warning of the build report, read back into the file and line it names."""

    text: str
    file: Path | None
    line: int | None
    message: str


@dataclass
class Thumb:
    number: int  # 1-based page or slide number
    image: str  # relative to the proof sheet
    link: str
    titles: list[str] = field(default_factory=list)  # bookmarks pointing here, or the slide's title
    warnings: list[ReportWarning] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)  # pixels, so the page keeps its layout while images load


@dataclass
class Group:
    title: str
    source: str | None  # the module file, relative to the course folder
    thumbs: list[Thumb] = field(default_factory=list)


@dataclass
class OutputProof:
    """One paged output (a PDF or the deck) as groups of thumbnails."""

    format: str
    brand: str
    path: str
    unit: str  # "page" or "slide"
    groups: list[Group] = field(default_factory=list)
    warnings: list[ReportWarning] = field(default_factory=list)  # about the output as a whole
    note: str | None = None  # why there are no thumbnails, when there are none

    @property
    def id(self) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", self.path).strip("-")

    @property
    def count(self) -> int:
        return sum(len(g.thumbs) for g in self.groups)


@dataclass(frozen=True)
class Mark:
    """A place in an output that can be found by a title: a bookmark, or a slide's title."""

    index: int  # 0-based page or slide
    title: str
    top: bool  # a top-level bookmark (PDFs): starts a group


def write_proof_sheet(course: Course, out: Path, report: BuildReport) -> Path:
    """Write `out/proof.html` (and its thumbnails in `out/proof/`) for the outputs in `report`."""
    warnings = [read_warning(text, course.root) for text in report.warnings]
    labels = labels_of(course)
    thumbs_dir = out / THUMBS_DIR
    proofs: list[OutputProof] = []
    used: set[str] = set()
    for record in report.outputs:
        try:
            proof = proof_of_output(course, out, record, thumbs_dir, labels)
            for thumb in (t for g in proof.groups for t in g.thumbs) if proof else ():
                thumb.size = image_size(out / thumb.image)
        except Exception as err:  # the proof sheet is a convenience: a page it cannot draw must not fail the build
            unit = "slide" if record.path.endswith(".pptx") else "page"
            note = labels.gettext("Its pages could not be drawn (%(error)s).", error=err)
            proof = OutputProof(record.format, record.brand, record.path, unit, note=note)
        if proof is None:
            continue
        proofs.append(proof)
        used.update(Path(t.image).name for g in proof.groups for t in g.thumbs)
    placed = place_warnings(course, proofs, warnings, labels)
    for stale in sorted(thumbs_dir.glob("*.png")) if thumbs_dir.is_dir() else []:
        if THUMB_NAME.match(stale.name) and stale.name not in used:  # only pictures a proof sheet drew
            stale.unlink()
    unpaged = [r for r in report.outputs if not any(p.path == r.path for p in proofs)]
    html = render_sheet(course, proofs, warnings, placed, unpaged)
    final = out / PROOF_NAME
    with atomic_file(final) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return final


def read_warning(text: str, root: Path) -> ReportWarning:
    """`modules/02-x.md:14: warning: …` → the file (absolute) and line; `course: warning: …` → neither."""
    head = text.split("\n", 1)[0]
    match = WARNING_HEAD.match(head)
    if match is None:
        return ReportWarning(text, None, None, head)
    where = match["where"]
    file = None if where == "course" else (root / where).resolve()
    return ReportWarning(text, file, int(match["line"]) if match["line"] else None, match["message"])


# ---------------------------------------------------------------- thumbnails


def proof_of_output(course: Course, out: Path, record: OutputRecord, thumbs_dir: Path, labels: Labels) -> OutputProof | None:
    path = out / record.path
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        proof = OutputProof(record.format, record.brand, record.path, "page")
        marks, pages = pdf_pages(path, record.sha256, thumbs_dir)
        label(pages, marks)
        proof.groups = group_pages(course, marks, pages, labels)
        return proof
    if suffix == ".pptx":
        proof = OutputProof(record.format, record.brand, record.path, "slide")
        titles = slide_titles(path)
        names = [thumb_name(record.sha256, n) for n in range(1, len(titles) + 1)]
        if not all((thumbs_dir / name).is_file() for name in names):
            if shutil.which("soffice") is None:
                proof.note = labels.gettext("LibreOffice (soffice) is not installed on this computer, so the slides are "
                                            "not shown here.")
                return proof
            with tempfile.TemporaryDirectory(prefix="course-builder-proof-") as folder:
                converted = deck_as_pdf(path, Path(folder))
                if converted is None:
                    proof.note = labels.gettext("LibreOffice could not convert the deck to PDF, so the slides are not "
                                                "shown here.")
                    return proof
                _, drawn = pdf_pages(converted, record.sha256, thumbs_dir)
            if len(drawn) != len(titles):
                proof.note = labels.gettext("LibreOffice drew %(drawn)s of %(count)s slides; the slides shown may be out "
                                            "of step.", drawn=len(drawn), count=len(titles))
        marks = [Mark(index, title, top=False) for index, title in enumerate(titles)]
        pages = [Thumb(n, f"{THUMBS_DIR}/{name}", path.name) for n, name in enumerate(names, start=1)]
        label(pages, marks)
        proof.groups = group_slides(course, marks, pages, labels)
        for group in proof.groups:  # every slide, unless LibreOffice drew fewer pages than the deck has slides
            group.thumbs = [t for t in group.thumbs if (thumbs_dir / Path(t.image).name).is_file()]
        return proof
    return None


def thumb_name(sha256: str, number: int) -> str:
    return f"{sha256[:16]}-{number:04d}.png"


def pdf_pages(
    path: Path, sha256: str, thumbs_dir: Path, width: int = THUMB_WIDTH, small: bool = True
) -> tuple[list[Mark], list[Thumb]]:
    """The PDF's bookmarks and a thumbnail per page; a page drawn for the same file before is kept.

    `small=False` saves each picture quickly rather than compactly (a tenth of the time, twice the bytes).
    """
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        marks = []
        for bookmark in document.get_toc():
            dest = bookmark.get_dest()
            index = dest.get_index() if dest is not None else None
            if index is not None:
                marks.append(Mark(index, bookmark.get_title(), top=bookmark.level == 0))
        thumbs = []
        for number in range(1, len(document) + 1):
            name = thumb_name(sha256, number)
            if not (thumbs_dir / name).is_file():
                draw_page(document[number - 1], thumbs_dir / name, width, small)
            thumbs.append(Thumb(number, f"{THUMBS_DIR}/{name}", f"{path.name}#page={number}"))
        return marks, thumbs
    finally:
        document.close()


def draw_page(page: object, target: Path, width: int = THUMB_WIDTH, small: bool = True) -> None:
    bitmap = page.render(scale=width / page.get_width())  # type: ignore[attr-defined]
    with atomic_file(target) as temporary:
        bitmap.to_pil().convert("RGB").save(temporary, format="PNG", optimize=small, compress_level=6 if small else 1)


def slide_titles(path: Path) -> list[str]:
    from pptx import Presentation

    titles = []
    for slide in Presentation(str(path)).slides:
        title = slide.shapes.title
        titles.append(title.text_frame.text if title is not None and title.has_text_frame else "")
    return titles


def deck_as_pdf(deck: Path, folder: Path) -> Path | None:
    """The deck converted by LibreOffice into `folder`, with a profile of its own there.

    A profile of its own lets this run beside an open LibreOffice (or another build) and leaves
    the user's settings alone.
    """
    profile = (folder / "profile").as_uri()
    command = ["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir", str(folder)]
    environment = os.environ | {"HOME": str(folder)}
    try:
        subprocess.run([*command, str(deck)], capture_output=True, timeout=CONVERT_TIMEOUT, check=False, env=environment)
    except (OSError, subprocess.TimeoutExpired):
        return None
    converted = folder / f"{deck.stem}.pdf"
    return converted if converted.is_file() else None


# ---------------------------------------------------------------- modules and warnings


def label(pages: list[Thumb], marks: list[Mark]) -> None:
    for mark in marks:
        if 0 <= mark.index < len(pages):
            pages[mark.index].titles.append(mark.title)


def same_title(a: str, b: str) -> bool:
    """Titles as the author typed them (Markdown, straight quotes) against titles as an output shows them."""
    return comparable(a) == comparable(b)


def comparable(title: str) -> str:
    """Letters and digits only, without a continuation mark: "Leadership (1/2)" is the slide "Leadership" begins on."""
    return "".join(ch for ch in CONTINUED.sub("", title).casefold() if ch.isalnum())


def module_starts(course: Course, marks: list[Mark]) -> dict[str, int]:
    """Module id → the index where the module starts, found by its title, in course order."""
    starts: dict[str, int] = {}
    after = 0
    for module in course.modules:
        found = next((m.index for m in marks if m.index >= after and same_title(m.title, module.title)), None)
        if found is not None:
            starts[module.id] = after = found
    return starts


def group_pages(course: Course, marks: list[Mark], pages: list[Thumb], labels: Labels) -> list[Group]:
    """One group per top-level bookmark (a module, the contents, the agenda…); pages before the first are the cover."""
    tops = sorted({m.index: m for m in reversed(marks) if m.top}.values(), key=lambda m: m.index)
    if not tops:
        return [Group(labels.gettext("Pages"), None, pages)]
    starts = module_starts(course, tops)
    sources = {index: course.module(module_id).source for module_id, index in starts.items()}
    heads = [(0, labels.gettext("Cover"), None)] if tops[0].index > 0 else []
    heads += [(m.index, m.title, sources.get(m.index)) for m in tops]
    return split(heads, pages, course)


def group_slides(course: Course, marks: list[Mark], pages: list[Thumb], labels: Labels) -> list[Group]:
    """One group per module, starting at its title slide; the slides before the first module open the deck."""
    starts = module_starts(course, marks)
    heads = [(0, labels.gettext("Opening"), None)] if not starts or min(starts.values()) > 0 else []
    modules = [(index, course.module(module_id)) for module_id, index in starts.items()]
    heads += sorted((index, module.title, module.source) for index, module in modules)
    return split(heads, pages, course)


def split(heads: list[tuple[int, str, Path | None]], pages: list[Thumb], course: Course) -> list[Group]:
    groups = []
    for number, (start, title, source) in enumerate(heads):
        end = heads[number + 1][0] if number + 1 < len(heads) else len(pages)
        shown = source.relative_to(course.root).as_posix() if source is not None else None
        groups.append(Group(title, shown, pages[start:end]))
    return [g for g in groups if g.thumbs]


def section_of(module: Module, line: int | None) -> str | None:
    """The title of the `##` section holding `line` (None: the module's intro or front matter)."""
    titled = [s for s in module.sections if s.title is not None and line is not None and s.source.line <= line]
    return titled[-1].title if titled else None


Placed = dict[ReportWarning, list[tuple[str, str, str]]]
"""Where each warning went: (anchor in the sheet, output, page or slide), e.g. ("workbook-pdf-19", "workbook.pdf", "p. 19");
the page is empty for a warning about the output as a whole."""


def place_warnings(course: Course, proofs: list[OutputProof], warnings: list[ReportWarning], labels: Labels) -> Placed:
    """Attach each warning to the page or slide it concerns, in every output that shows it."""
    modules = {m.source.resolve(): m for m in course.modules}
    placed: Placed = {}
    for warning in warnings:
        module = modules.get(warning.file) if warning.file is not None else None
        for proof in proofs:
            if module is None:
                if warning.message.startswith(f"{Path(proof.path).name}: "):
                    proof.warnings.append(warning)
                    placed.setdefault(warning, []).append((proof.id, proof.path, ""))
                continue
            thumb = thumb_for(proof, module, section_of(module, warning.line), course.root)
            if thumb is not None:
                thumb.warnings.append(warning)
                where = unit_number(labels, proof.unit, thumb.number)
                placed.setdefault(warning, []).append((f"{proof.id}-{thumb.number}", proof.path, where))
    return placed


def unit_number(labels: Labels, unit: str, number: int) -> str:
    """"p. 19" or "slide 4", as a caption or a reference says it."""
    if unit == "page":
        return labels.gettext("p. %(number)s", number=number)
    return labels.gettext("slide %(number)s", number=number)


def thumb_for(proof: OutputProof, module: Module, section: str | None, root: Path) -> Thumb | None:
    """The page where `section` of `module` starts in this output, else the module's first page."""
    source = module.source.relative_to(root).as_posix()
    thumbs = [t for g in proof.groups if g.source == source for t in g.thumbs]
    if not thumbs:
        return None
    if section is not None:
        for thumb in thumbs:
            if any(same_title(title, section) for title in thumb.titles):
                return thumb
    return thumbs[0]


# ---------------------------------------------------------------- the page


def image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def render_sheet(
    course: Course, proofs: list[OutputProof], warnings: list[ReportWarning], placed: Placed, unpaged: list[OutputRecord]
) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "proof"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    labels = labels_of(course)
    environment.install_gettext_translations(labels.translations, newstyle=True)  # type: ignore[attr-defined]
    brands = {p.brand for p in proofs} | {r.brand for r in unpaged}
    return environment.get_template("proof.html.j2").render(
        course=course,
        direction=writing(course.settings.language).direction,
        unit_number=lambda unit, number: unit_number(labels, unit, number),
        proofs=proofs,
        warnings=warnings,
        placed=placed,
        unpaged=unpaged,
        several_brands=len(brands) > 1,
        thumb_width=THUMB_WIDTH * 2 // 3,
    )
