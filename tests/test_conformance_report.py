"""Every build writes an accessibility conformance report: what it checked, what the author must do, what the tests prove."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pikepdf
import pytest
from lms.harness import AXE, Guard, new_guarded_page
from playwright.sync_api import Browser, Page
from pptx import Presentation
from pptx.util import Inches

from course_builder.build import build_course
from course_builder.conformance import (
    Check,
    ColourChange,
    ConformanceReport,
    OutputChecks,
    Proof,
    deck_checks,
    html_checks,
    pdf_checks,
    write_conformance_report,
)
from course_builder.load import load_course
from course_builder.targets import BuildOptions
from tests.test_labels import english_phrases

REPO = Path(__file__).resolve().parent.parent
OPTIONS = BuildOptions(source_date_epoch=1700000000)


def section(out: Path) -> dict[str, Any]:
    return json.loads((out / "build-report.json").read_text(encoding="utf-8"))["accessibility"]


def checks_of(report: dict[str, Any], path: str) -> dict[str, tuple[bool, str]]:
    (output,) = [o for o in report["outputs"] if o["path"] == path]
    return {c["name"]: (c["passed"], c["result"]) for c in output["checks"]}


def proof_for(report: dict[str, Any], outputs: str) -> dict[str, Any]:
    (proof,) = [p for p in report["proofs"] if p["outputs"] == outputs]
    return proof


# ---------------------------------------------------------------- the sample course


def test_the_web_build_reports_its_own_checks_and_the_proofs_that_cover_it(sample_builds: Any) -> None:
    out = sample_builds.build("web")
    report = section(out)
    assert (out / report["report"]).is_file() and report["report"] == "accessibility.html"
    pages = len(list((out / "web").rglob("*.html")))
    images = sum(page.read_text(encoding="utf-8").count("<img") for page in (out / "web").rglob("*.html"))
    assert checks_of(report, "web") == {
        "Page language set": (True, f"{pages} of {pages} pages"),
        "Page title set": (True, f"{pages} of {pages} pages"),
        "Images have an alt attribute": (True, f"{images} of {images}"),
    }
    assert all(c["passed"] for c in report["brand_contrast"]) and report["colour_changes"] == []
    assert report["author_warnings"] == []
    (proof,) = report["proofs"]
    assert proof["outputs"] == "web course and SCORM packages" and proof["covers_this_course"] is True
    assert "axe-core" in proof["tools"]
    assert any("Captions" in item for item in report["by_hand"])


def test_the_workbook_build_reports_the_pdf_ua_essentials_it_read_from_the_file(sample_builds: Any) -> None:
    out = sample_builds.build("workbook")
    checks = checks_of(section(out), "workbook.pdf")
    with pikepdf.open(out / "workbook.pdf") as pdf:
        language = str(pdf.Root.Lang)
    assert checks["Document language set"] == (True, language)
    assert checks["PDF/UA-1 identification in the metadata"] == (True, "pdfuaid:part 1")
    assert checks["Tagged, with a structure tree"] == (True, "tagged")
    assert checks["Title set and shown in the title bar"][0] is True
    for name in ("Figures have alternative text", "Table headers say whether they head a row or a column (Scope)",
                 "Links describe where they lead (annotation /Contents)"):
        passed, counted = checks[name]
        assert passed and re.fullmatch(r"(\d+) of \1", counted) and counted != "0 of 0", (name, counted)
    proof = proof_for(section(out), "workbook.pdf, guide.pdf")
    assert proof["covers_this_course"] is True and "page-validation" in proof["tools"]


def test_every_test_file_a_proof_names_exists(sample_builds: Any) -> None:
    for fmt in ("web", "workbook"):
        for proof in section(sample_builds.build(fmt))["proofs"]:
            for name in proof["tests"].split(", "):
                assert (REPO / name).is_file(), name


# ---------------------------------------------------------------- checks that find what is wrong


def test_an_untagged_pdf_without_language_or_title_fails_the_checks(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(tmp_path / "plain.pdf")
    checks = {c.name: (c.passed, c.result) for c in pdf_checks(tmp_path / "plain.pdf")}
    assert checks["Tagged, with a structure tree"] == (False, "not tagged")
    assert checks["Document language set"] == (False, "missing")
    assert checks["Title set and shown in the title bar"] == (False, "missing")
    assert checks["PDF/UA-1 identification in the metadata"] == (False, "pdfuaid:part missing")


def test_pages_without_language_title_or_alt_fail_the_checks() -> None:
    pages = {
        "good.html": b'<html lang="en"><head><title>Good</title></head><body><img src="a.png" alt=""></body></html>',
        "bad.html": b"<html><head><title> </title></head><body><img src='b.png'></body></html>",
    }
    checks = {c.name: (c.passed, c.result) for c in html_checks(pages)}
    assert checks == {
        "Page language set": (False, "1 of 2 pages; missing in bad.html"),
        "Page title set": (False, "1 of 2 pages; missing in bad.html"),
        "Images have an alt attribute": (False, "1 of 2; missing: bad.html: b.png"),
    }


def test_a_deck_with_a_repeated_title_an_untitled_slide_and_an_undescribed_picture_fails_the_checks(tmp_path: Path) -> None:
    deck = Presentation()
    for title in ("Agenda", "Agenda"):
        deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = title
    blank = deck.slides.add_slide(deck.slide_layouts[6])
    blank.shapes.add_picture(str(REPO / "content/assets/balance.png"), Inches(1), Inches(1), Inches(2))
    blank.shapes[0]._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", "")
    deck.save(tmp_path / "deck.pptx")
    checks = {c.name: (c.passed, c.result) for c in deck_checks(tmp_path / "deck.pptx")}
    assert checks == {
        "Every slide has a title": (False, "2 of 3; without: slides 3"),
        "Slide titles are unique": (False, "1 titles repeat, e.g. \u201cAgenda\u201d"),
        "Pictures have alternative text": (False, "0 of 1"),
    }


# ---------------------------------------------------------------- a course of its own


@pytest.fixture(scope="module")
def own_course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample with a light brand, a web template of its own and a 'click here' link, built to the web course."""
    import shutil

    folder = tmp_path_factory.mktemp("own") / "course"
    shutil.copytree(REPO / "content", folder)
    brand = folder / "brand.yaml"
    brand.write_text(re.sub(r'primary: "#[0-9A-Fa-f]+"', 'primary: "#F2C94C"', brand.read_text(encoding="utf-8")),
                     encoding="utf-8")
    template = folder / "templates/web/blocks/takeaways.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text('<div class="takeaways"><h2>{{ block.title }}</h2></div>\n', encoding="utf-8")
    module = folder / "modules/05-your-leadership-plan.md"
    module.write_text(module.read_text(encoding="utf-8") + "\nThe template is online: [click here](https://example.org).\n",
                      encoding="utf-8")
    out = folder.parent / "out"
    build_course(load_course(folder), out, ("web",), options=OPTIONS)
    yield out


def test_a_course_with_its_own_web_templates_is_told_the_axe_proof_no_longer_covers_it(own_course: Path) -> None:
    proof = proof_for(section(own_course), "web course and SCORM packages")
    assert proof["covers_this_course"] is False
    assert proof["why_not"] == "the course's own web templates (templates/web/blocks/takeaways.html.j2) replace bundled ones"
    html = (own_course / "accessibility.html").read_text(encoding="utf-8")
    assert ('<strong>Not covered</strong>: <span lang="en" dir="ltr">the course&#39;s own web templates '
            "(templates/web/blocks/takeaways.html.j2)") in html


def test_brand_colours_replaced_for_contrast_and_author_warnings_are_listed(own_course: Path) -> None:
    report = section(own_course)
    (change,) = report["colour_changes"]
    assert (change["colour"], change["given"], change["outputs"]) == ("primary", "#F2C94C", "web course and SCORM packages")
    assert change["contrast_given"] < 4.5 <= change["contrast_used"]
    failed = [c["name"] for c in report["brand_contrast"] if not c["passed"]]
    assert failed and all("primary #F2C94C" in name for name in failed)
    (warning,) = report["author_warnings"]
    assert re.match(r"modules/05-your-leadership-plan\.md:\d+: warning: the link text 'click here'", warning)
    html = (own_course / "accessibility.html").read_text(encoding="utf-8")
    assert "#F2C94C" in html and "the link text &#39;click here&#39;" in html


def test_a_rebuild_with_nothing_to_do_keeps_the_report(own_course: Path) -> None:
    course = own_course.parent / "course"
    before = section(own_course)
    build_course(load_course(course), own_course, ("web",), options=OPTIONS)
    assert section(own_course) == before


def report_from(saved: dict[str, Any]) -> ConformanceReport:
    """The report as the build report's `accessibility` section saved it."""
    outputs = [OutputChecks(**(o | {"checks": [Check(**c) for c in o["checks"]]})) for o in saved["outputs"]]
    return ConformanceReport(saved["course"], saved["tool_version"], outputs, [Check(**c) for c in saved["brand_contrast"]],
                             [ColourChange(**c) for c in saved["colour_changes"]], saved["author_warnings"],
                             saved["by_hand"], [Proof(**p) for p in saved["proofs"]])


@pytest.mark.parametrize(("language", "direction", "heading"),
                         [("de", "ltr", "1. Was diese Erstellung geprüft hat"), ("ar", "rtl", "1. ما فحصه هذا الإنشاء")])
def test_the_report_speaks_the_course_language_and_keeps_its_findings_in_english(
    own_course: Path, tmp_path: Path, language: str, direction: str, heading: str
) -> None:
    saved = section(own_course)
    write_conformance_report(report_from(saved), tmp_path, language)
    page = lxml.html.fromstring((tmp_path / "accessibility.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == (language, direction)
    assert page.get_element_by_id("checked").text_content() == heading
    findings = page.xpath('//*[@lang="en"]')
    assert any(saved["by_hand"][0] in f.text_content() for f in findings)
    assert any(f.text_content() == saved["brand_contrast"][0]["name"] for f in findings)
    # What is left without the findings (English by design), the course's title, file names and the style sheet.
    for own in dict.fromkeys([*findings, *page.xpath("//title | //h1 | //code | //bdi | //style")]):
        own.drop_tree()
    words = " ".join(page.text_content().split())
    assert [p for p in english_phrases() if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", words, re.I)] == []


# ---------------------------------------------------------------- the report page itself is accessible


def axe_wcag22_aa(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    assert len(result["passes"]) > 10, "axe ran its rules"
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_passes_axe_at_wcag_2_2_aa_on_desktop_and_phone(own_course: Path, browser: Browser, width: int) -> None:
    guard = Guard()
    page = new_guarded_page(browser, guard, width=width, height=900)
    page.goto((own_course / "accessibility.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() == 1
    assert page.locator("th[scope=row]").count() > 0
    assert page.locator("table th:not([scope])").count() == 0
    assert axe_wcag22_aa(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    assert guard.outside_requests == [] and guard.errors == []
