"""The proof sheet: every page and slide of a build as a thumbnail, warnings beside their pages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pypdf
import pytest
from pptx import Presentation

from course_builder.build import BuildReport, OutputRecord, build_course
from course_builder.load import load_course
from course_builder.proof import PROOF_NAME, write_proof_sheet
from course_builder.targets import BuildOptions
from tests.test_labels import english_phrases

MODULE = "modules/03-leading-with-alignment.md"
SECTION = "Leadership is a relationship"
COMMENT = "<!-- check this paragraph with the team -->"
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course with an HTML comment in one section (a warning at that line), built in full."""
    root = tmp_path_factory.mktemp("proof") / "course"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", root)
    module = root / MODULE
    lines = module.read_text(encoding="utf-8").split("\n")
    heading = lines.index(f"## {SECTION}")
    lines[heading + 2 : heading + 2] = [COMMENT, ""]
    module.write_text("\n".join(lines), encoding="utf-8")
    out = root.parent / "out"
    build_course(load_course(root), out, options=BuildOptions(source_date_epoch=1700000000), proof=True)
    return out


def sheet(out: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / PROOF_NAME).read_bytes())


def figures(out: Path, output: str) -> list[lxml.html.HtmlElement]:
    section = sheet(out).get_element_by_id(output.replace(".", "-"))
    return section.xpath(".//figure")


def outline_page(pdf: Path, title: str) -> int:
    """The 1-based page a bookmark of the PDF points at, read with pypdf."""
    reader = pypdf.PdfReader(pdf)
    pending = list(reader.outline)
    while pending:
        item = pending.pop(0)
        if isinstance(item, list):
            pending[:0] = item
        elif item.title == title:
            return reader.get_destination_page_number(item) + 1
    raise AssertionError(f"no bookmark {title!r} in {pdf.name}")


def warning_numbers(figures: list[lxml.html.HtmlElement]) -> list[int]:
    return [int(f.get("data-number")) for f in figures if "printed as text" in f.text_content()]


@pytest.mark.parametrize("pdf", ["workbook.pdf", "guide.pdf"])
def test_shows_every_page_of_each_pdf_once_in_order(built: Path, pdf: str) -> None:
    shown = figures(built, pdf)
    assert [int(f.get("data-number")) for f in shown] == list(range(1, len(pypdf.PdfReader(built / pdf).pages) + 1))
    for figure in shown:
        image = built / figure.xpath(".//img/@src")[0]
        assert image.read_bytes().startswith(b"\x89PNG")


@needs_libreoffice
def test_shows_every_slide_of_the_deck(built: Path) -> None:
    shown = figures(built, "slides.pptx")
    assert len(shown) == len(Presentation(str(built / "slides.pptx")).slides)
    assert all((built / f.xpath(".//img/@src")[0]).is_file() for f in shown)


@pytest.mark.parametrize("pdf", ["workbook.pdf", "guide.pdf"])
def test_places_a_warning_beside_the_page_where_its_section_starts(built: Path, pdf: str) -> None:
    assert warning_numbers(figures(built, pdf)) == [outline_page(built / pdf, SECTION)]


@needs_libreoffice
def test_places_a_warning_beside_the_slide_of_its_section(built: Path) -> None:
    titles = [s.shapes.title.text_frame.text if s.shapes.title else "" for s in Presentation(str(built / "slides.pptx")).slides]
    # The deck may spread a section over several slides, "Title (1/2)", "Title (2/2)": the first is where it starts.
    first = next(n for n, title in enumerate(titles, start=1) if re.sub(r" \(\d+/\d+\)$", "", title) == SECTION)
    assert warning_numbers(figures(built, "slides.pptx")) == [first]


def test_lists_every_warning_at_the_top_with_links_to_where_it_is_shown(built: Path) -> None:
    warnings = sheet(built).get_element_by_id("warnings-heading").getparent()
    item = warnings.xpath(".//li")[0]
    assert f"{MODULE}:" in item.text_content() and "printed as text" in item.text_content()
    targets = [href.lstrip("#") for href in item.xpath(".//a/@href")]
    assert targets and all(sheet(built).get_element_by_id(target).tag == "figure" for target in targets)


def test_groups_pages_by_module_with_the_module_file_named(built: Path) -> None:
    headings = [h.text_content() for h in sheet(built).get_element_by_id("workbook-pdf").xpath(".//h3")]
    assert headings[:2] == ["Cover", "Contents"]
    assert f"Leading with alignment, not authority{MODULE}" in headings


def test_writes_the_same_bytes_when_drawn_again(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(built, again, ignore=shutil.ignore_patterns("proof", PROOF_NAME))
    report = report_of(again)
    write_proof_sheet(load_course(course_of(built)).course, again, report)
    assert (again / PROOF_NAME).read_bytes() == (built / PROOF_NAME).read_bytes()
    for pdf_page in (p for p in (built / "proof").iterdir() if not is_slide(p, report)):
        assert (again / "proof" / pdf_page.name).read_bytes() == pdf_page.read_bytes()


def test_says_so_when_libreoffice_is_missing(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    again = tmp_path / "again"
    shutil.copytree(built, again, ignore=shutil.ignore_patterns("proof", PROOF_NAME))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    write_proof_sheet(load_course(course_of(built)).course, again, report_of(again))
    section = sheet(again).get_element_by_id("slides-pptx")
    assert "LibreOffice (soffice) is not installed" in section.text_content()
    assert len(figures(again, "workbook.pdf")) == len(pypdf.PdfReader(again / "workbook.pdf").pages)


@pytest.mark.parametrize(("language", "direction", "cover"), [("de", "ltr", "Titelseite"), ("ar", "rtl", "الغلاف")])
def test_speaks_the_course_language_and_runs_its_way(built: Path, tmp_path: Path, language: str, direction: str,
                                                     cover: str) -> None:
    """The sheet's own words are in the course's language; the warnings stay as `check` wrote them, in English."""
    again = tmp_path / language
    shutil.copytree(built, again)  # with its thumbnails, so nothing is drawn again
    course = load_course(course_of(built)).course
    write_proof_sheet(course.model_copy(update={"settings": course.settings.model_copy(update={"language": language})}),
                      again, report_of(again))
    page = sheet(again)
    assert (page.get("lang"), page.get("dir")) == (language, direction)
    assert page.get_element_by_id("workbook-pdf").xpath(".//h3")[0].text_content() == cover
    # What is left once the course's own words (its title, the PDFs' bookmarks, file names) and check's are taken out.
    for own in page.xpath("//title | //style | //h1 | //h3 | //*[contains(concat(' ', @class, ' '), ' path ')]"):
        own.drop_tree()
    for warning in page.xpath("//li[contains(concat(' ', @class, ' '), ' warning ')]"):
        warning.text = ""
    words = " ".join(page.text_content().split())
    assert "Seiten" in words if language == "de" else "صفحة" in words
    assert [p for p in english_phrases() if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", words, re.I)] == []


@pytest.mark.browser
def test_shows_every_thumbnail_in_a_browser(built: Path) -> None:
    from lms.harness import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto((built / PROOF_NAME).as_uri())
        broken = page.eval_on_selector_all("img", "images => images.filter(i => !(i.complete && i.naturalWidth > 0)).length")
        total = page.eval_on_selector_all("img", "images => images.length")
        page.screenshot(path=str(built.parent / "proof-screenshot.png"), full_page=False)
        browser.close()
    assert total > 0 and broken == 0


def report_of(out: Path) -> BuildReport:
    saved = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return BuildReport(saved["course"], saved["version"], [OutputRecord(**o) for o in saved["outputs"]], saved["warnings"])


def course_of(out: Path) -> Path:
    return out.parent / "course"


def is_slide(thumb: Path, report: BuildReport) -> bool:
    deck = next(o for o in report.outputs if o.format == "slides")
    return thumb.name.startswith(deck.sha256[:16])
