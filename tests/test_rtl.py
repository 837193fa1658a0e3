"""Right-to-left courses: the sample in Arabic and in Hebrew, every format, read right to left.

Each language is a copy of the sample whose every translation unit is replaced, through the
translation round trip (an XLIFF file in translations/), by words of that language with the
source's codes kept, then built in every format once per module. What is checked is what a
reader meets: Chromium's direction and layout of the web course (and axe-core), where the PDF
renderer put lines and page numbers, which fonts the PDFs embed, and the deck's paragraphs as
python-pptx reads them and as LibreOffice draws them.
"""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from libreoffice import rendered_as_pdf
from lms.harness import Guard
from lxml import etree, html
from playwright.sync_api import Browser
from pptx import Presentation
from web_pages import axe_violations, go_to, open_course

from course_builder.load import load_course
from course_builder.targets import BuildOptions
from course_builder.translation.apply import translation_path
from course_builder.translation.build import build_languages
from course_builder.translation.units import course_units
from course_builder.translation.xliff import Translated, write_xliff
from course_builder.writing import writing

SAMPLE = Path(__file__).resolve().parent.parent / "content"
FORMATS = ("workbook", "guide", "handouts", "slides", "web", "scorm12", "scorm2004", "cmi5", "cc13", "gift", "moodle-xml")
PDFS = ("workbook.pdf", "guide.pdf", "handouts.pdf", "certificates.pdf")

# Words of our own in each language, and the language's own punctuation for the source's.
WORDS = {
    "ar": "القائد يسمع الفريق ويسأل عن الحاجة قبل العمل ثم يختار الخطوة التالية معهم".split(),
    "he": "המנהל שומע את הצוות ושואל על הצורך לפני העבודה ובוחר איתם את הצעד הבא".split(),
}
PUNCTUATION = {"ar": str.maketrans({",": "،", "?": "؟", ";": "؛"}), "he": {}}
SCRIPT_FONTS = {"ar": "Noto-Sans-Arabic", "he": "Noto-Sans-Hebrew"}
MM = 72 / 25.4
PAGE_SIDE = 19 * MM  # page.css: --page-side
PAGE_BOTTOM = 22 * MM


def machine_translation(course_folder: Path, language: str) -> None:
    """Every unit of the course translated: each word becomes one of the language's, codes and numbers kept."""
    course = load_course(course_folder).course
    words = itertools.cycle(WORDS[language])

    def translated(text: str) -> str:
        return re.sub(r"[^\W\d_]+", lambda _: next(words), text).translate(PUNCTUATION[language])

    units = course_units(course)
    done = {u.id: Translated(tuple(translated(p) if isinstance(p, str) else p for p in u.pieces), u.fingerprint)
            for u in units}
    path = translation_path(course, language)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(write_xliff(units, course.settings.language, language, done, course.id, course.root))


@dataclass(frozen=True)
class Built:
    language: str
    out: Path
    warnings: tuple[str, ...]


@pytest.fixture(scope="module", params=["ar", "he"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    language = request.param
    work = tmp_path_factory.mktemp(f"rtl-{language}")
    folder = work / "course"
    shutil.copytree(SAMPLE, folder)
    machine_translation(folder, language)
    options = BuildOptions(source_date_epoch=1700000000)
    reports = build_languages(load_course(folder), work / "out", [language], formats=FORMATS, options=options)
    fallbacks = [w for w in reports[language].warnings if f"no {language} translation" in w or "is stale" in w]
    assert fallbacks == [], "every unit is translated"
    # Certificates need participants, who also get a workbook each: one person, built apart from the rest.
    (folder / "participants.csv").write_text(f"name\n{' '.join(WORDS[language][:2])}\n", encoding="utf-8")
    build_languages(load_course(folder), work / "certificates", [language], formats=("certificates",), options=options)
    shutil.copy(work / "certificates" / language / "certificates.pdf", work / "out" / language)
    return Built(language, work / "out" / language, tuple(reports[language].warnings))


def test_direction_and_script_come_from_the_locale_data() -> None:
    assert [writing(tag).direction for tag in ("ar", "he", "fa", "ar-EG", "en", "de", "qps")] == \
        ["rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr"]
    assert (writing("ar").family, writing("he").family) == ("Noto Sans Arabic", "Noto Sans Hebrew")
    assert writing("de").faces == () and writing("qps").faces == ()
    assert {face.weight for face in writing("ar").faces} == {400, 700}


def test_the_build_warns_that_the_brand_fonts_lack_the_script(built: Built) -> None:
    family = writing(built.language).family
    assert any("has no glyphs" in w and f"drawn in the bundled {family}" in w for w in built.warnings)


# ---------------------------------------------------------------- web course


@pytest.mark.browser
def test_every_web_page_reads_right_to_left_with_the_navigation_on_the_right(built: Built, browser: Browser,
                                                                             guard: Guard) -> None:
    page = open_course(browser, guard, (built.out / "web" / "index.html").as_uri())
    facts = page.evaluate("""() => ({dir: document.dir, lang: document.documentElement.lang,
                                      direction: getComputedStyle(document.body).direction})""")
    assert facts == {"dir": "rtl", "lang": built.language, "direction": "rtl"}
    loaded = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replaceAll('"', '')); }""")
    assert writing(built.language).family in loaded, "the script's font is served with the course and drawn"
    contents, main = page.locator(".contents").bounding_box(), page.locator("#main").bounding_box()
    assert contents["x"] > main["x"] + main["width"] - 1, "the contents list is on the right of the page"
    go_to(page, "m-five-basic-needs--customers-have-the-same-five-needs")
    previous, following = (page.locator(f".pager__link--{side}").bounding_box() for side in ("previous", "next"))
    assert previous["x"] > following["x"], "Previous is on the right, Next on the left"
    arrows = page.evaluate("""() => [getComputedStyle(document.querySelector('.pager__link--previous .pager__direction'),
                                                       '::before').content,
                                     getComputedStyle(document.querySelector('.pager__link--next .pager__direction'),
                                                       '::after').content]""")
    assert arrows == ['"→ "', '" ←"'], "each arrow points to the side its page is on"
    assert axe_violations(page) == []
    option = page.locator("[data-page]:not([hidden]) .option").first
    box, radio = option.bounding_box(), option.locator("input").bounding_box()
    assert radio["x"] > box["x"] + box["width"] / 2, "an answer's radio button is at the start of its line, the right"


def test_every_page_of_every_package_is_right_to_left(built: Built) -> None:
    pages = {"web": [p.read_bytes() for p in (built.out / "web").rglob("*.html")]}
    for package in ("scorm12", "scorm2004", "cmi5", "cc13"):
        with zipfile.ZipFile(next(built.out.glob(f"*-{package}.*"))) as archive:
            pages[package] = [archive.read(name) for name in archive.namelist() if name.endswith(".html")]
    for name, documents in pages.items():
        assert documents, name
        for document in documents:
            root = html.fromstring(document)
            assert (root.get("dir"), root.get("lang")) == ("rtl", built.language), name


# ---------------------------------------------------------------- PDFs


def text_lines(page) -> list[dict]:
    """Lines of the page's body (between the running header and footer) holding the language's letters."""
    body = page.crop((0, 24 * MM, page.width, page.height - PAGE_BOTTOM))
    return [line for line in body.extract_text_lines(strip=True) if re.search(r"[\u0590-\u06FF]", line["text"])]


@pytest.mark.parametrize("document", PDFS[:3])
def test_pdf_lines_end_at_the_right_margin_and_page_numbers_sit_on_the_left(built: Built, document: str) -> None:
    import pdfplumber

    ends_right = starts_left = numbered = 0
    with pdfplumber.open(built.out / document) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            right_edge = page.width - PAGE_SIDE
            for line in text_lines(page):
                ends_right += abs(line["x1"] - right_edge) < 3
                starts_left += abs(line["x0"] - PAGE_SIDE) < 3
            footer = page.crop((0, page.height - PAGE_BOTTOM, page.width, page.height))
            words = footer.extract_words()
            numbers = [w for w in words if w["text"] == str(number)]
            if numbers:
                numbered += 1
                assert numbers[-1]["x1"] < page.width / 2, f"page {number}: the page number is on the left"
                assert max(w["x1"] for w in words) > right_edge - 3, f"page {number}: the footer text ends at the right"
    assert numbered >= 2
    assert ends_right >= 20 and ends_right > 3 * starts_left, (ends_right, starts_left)


@pytest.mark.parametrize("document", PDFS)
def test_pdfs_embed_the_scripts_font_and_name_the_language(built: Built, document: str) -> None:
    embedded = set()
    with pikepdf.open(built.out / document) as pdf:
        assert str(pdf.Root.Lang) == built.language
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                for part in [font, *font.get("/DescendantFonts", [])]:
                    descriptor = part.get("/FontDescriptor")
                    if descriptor is not None and "/FontFile2" in descriptor:
                        embedded.add(str(part.BaseFont).split("+")[-1])
    assert any(name.startswith(SCRIPT_FONTS[built.language]) for name in embedded), embedded


def test_the_scripts_letters_are_never_slanted_in_the_pdfs(built: Built) -> None:
    """Arabic and Hebrew have no italics (the bundled faces have none): a slant would be the renderer's, which
    readers of these scripts do not take for emphasis. Captions, quotes and emphasis stand upright."""
    import pdfplumber

    letters = slanted = 0
    for document in PDFS[:3]:
        with pdfplumber.open(built.out / document) as pdf:
            for page in pdf.pages:
                for char in page.chars:
                    if re.match(r"[\u0590-\u06FF]", char["text"]):
                        letters += 1
                        # WeasyPrint names a face it slants itself "…-Oblique"; a skewed text matrix would be a slant too.
                        slanted += bool(re.search("Oblique|Italic", char["fontname"])) or abs(char["matrix"][2]) > 0.01
    assert letters > 5000
    assert slanted == 0, f"{slanted} of {letters} letters slanted"


# ---------------------------------------------------------------- deck

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def deck_paragraphs(presentation) -> Iterator[tuple[int, object]]:
    for number, slide in enumerate(presentation.slides, start=1):
        for shape in slide.shapes:
            for p in shape._element.iter(f"{A}p"):
                if "".join(t.text or "" for t in p.iter(f"{A}t")).strip():
                    yield number, p
        for p in slide.notes_slide.notes_text_frame._txBody.iter(f"{A}p"):
            if "".join(t.text or "" for t in p.iter(f"{A}t")).strip():
                yield number, p


def test_every_deck_paragraph_is_right_to_left_in_the_language(built: Built) -> None:
    presentation = Presentation(str(built.out / "slides.pptx"))
    count = 0
    for number, p in deck_paragraphs(presentation):
        properties = p.find(f"{A}pPr")
        assert properties is not None and properties.get("rtl") == "1", f"slide {number}: {etree.tostring(p)[:200]}"
        # The slide number is the one paragraph set to the left: it sits at the slide's left edge, mirrored.
        slide_number = p.find(f"{A}fld") is not None
        assert properties.get("algn") in (("l",) if slide_number else ("r", "ctr")), f"slide {number}"
        assert {r.get("lang") for r in p.iter(f"{A}rPr")} <= {built.language}
        assert all(r.get("i") != "1" for r in p.iter(f"{A}rPr")), f"slide {number}: the script has no italics"
        count += 1
    assert count > 500
    theme = presentation.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    fonts = etree.fromstring(theme.blob).find(f"{A}themeElements/{A}fontScheme")
    assert {fonts.find(f"{A}{kind}/{A}cs").get("typeface") for kind in ("majorFont", "minorFont")} == \
        {writing(built.language).family}


@pytest.fixture(scope="module")
def rendered_deck(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deck as LibreOffice draws it, with the fonts it was measured with installed (fontconfig), as test_slides does."""
    return rendered_as_pdf(built.out / "slides.pptx", tmp_path_factory.mktemp("rtl-render"))


EMU = 12700


@pytest.mark.office
def test_rendered_slide_text_is_right_aligned_and_stays_in_its_box(built: Built, rendered_deck: Path) -> None:
    """Right-aligned lines end at their box's right edge (less its inset); no glyph leaves its box or the slide."""
    import pdfplumber

    presentation = Presentation(str(built.out / "slides.pptx"))
    flush, lines, past, outside = 0, 0, [], []
    with pdfplumber.open(rendered_deck) as pdf:
        assert len(pdf.pages) == len(presentation.slides)
        for number, (page, slide) in enumerate(zip(pdf.pages, presentation.slides, strict=True), start=1):
            boxes = []
            for shape in slide.shapes:
                box = (shape.left / EMU, shape.top / EMU, (shape.left + shape.width) / EMU, (shape.top + shape.height) / EMU)
                if getattr(shape, "has_table", False):
                    boxes.append(box)
                if not shape.has_text_frame or not shape.text_frame.text.strip():
                    continue
                boxes.append(box)
                if not all(p._p.pPr is not None and p._p.pPr.get("algn") == "r"
                           for p in shape.text_frame.paragraphs if p.text.strip()):
                    continue
                inside = page.crop((max(box[0] - 2, 0), max(box[1] - 2, 0), min(box[2] + 2, page.width),
                                    min(box[3] + 2, page.height)), strict=False)
                for line in inside.extract_text_lines(strip=True):
                    lines += 1
                    flush += -4 < box[2] - line["x1"] < 25  # the box's inset is under 25 pt; a list item's indent is more
                    if line["x1"] > box[2] + 4:
                        past.append((number, line["text"]))
            for char in page.chars:
                if not char["text"].strip():
                    continue
                slack = max(3, char["size"] * 0.12)  # a glyph's box is the font's whole ascent, above the line it sits on
                if char["matrix"][2]:  # slanted (an italic drawn from an upright font): its box leans out by the slant
                    slack += char["size"] * 0.3
                if not any(b[0] - slack <= char["x0"] and char["x1"] <= b[2] + slack
                           and b[1] - slack <= char["top"] and char["bottom"] <= b[3] + slack for b in boxes):
                    outside.append((number, char["text"], round(char["x0"]), round(char["top"])))
    assert not outside, outside[:20]
    assert not past, past[:20]
    assert lines > 300 and flush > 0.6 * lines, (flush, lines)


def test_the_decks_thumbnail_shows_the_mirrored_title_slide(built: Built) -> None:
    from io import BytesIO

    from PIL import Image

    with zipfile.ZipFile(built.out / "slides.pptx") as deck:
        thumbnail = Image.open(BytesIO(deck.read("docProps/thumbnail.jpeg"))).convert("RGB")
    primary = load_course(SAMPLE).course.brand.colors.primary
    expected = tuple(int(primary[i:i + 2], 16) for i in (1, 3, 5))
    right, left = thumbnail.getpixel((thumbnail.width - 3, 3)), thumbnail.getpixel((3, 3))
    assert all(abs(a - b) < 12 for a, b in zip(right, expected, strict=True)), "the title panel is on the right"
    assert not all(abs(a - b) < 12 for a, b in zip(left, expected, strict=True))
