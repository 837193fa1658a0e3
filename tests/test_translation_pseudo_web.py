"""The pseudo-localised web course (`--language qps`: every string 40 % longer and accented) still fits.

One qps build of the web course, shared by the module, opened from disk in Chromium at desktop
(1280 px) and phone (375 px) width. The SCORM and cmi5 packages show the same pages from the
same templates. What overflows is what the browser laid out (tests/web_overflow.js): the page
scrolling sideways, a box that clips or cuts its text, text standing outside the box it is set in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lms.harness import Guard
from playwright.sync_api import Browser, Page, expect
from test_translation_pseudo_layout import accented
from web_pages import go_to, open_course

from course_builder.cli import main

pytestmark = pytest.mark.browser

MEASURE = (Path(__file__).parent / "web_overflow.js").read_text(encoding="utf-8")
WIDTHS = (1280, 375)
PHONE = 375
MENU_WIDTH = 992  # below 62rem the contents are a menu the learner opens (templates/web/course.css)


@pytest.fixture(scope="module")
def qps_web(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("qps-web") / "out"
    result = CliRunner().invoke(main, ["build", str(sample_dir), "--out", str(out), "--language", "qps", "--format", "web"])
    assert result.exit_code == 0, result.output
    return out / "qps" / "web"


class Overflows:
    """What the measure found on every page and state looked at, and how much it looked at."""

    def __init__(self, width: int):
        self.width, self.elements, self.texts, self.found = width, 0, 0, []

    def measure(self, page: Page, where: str) -> list[dict]:
        result = page.evaluate(MEASURE)
        self.elements += result["checked"]
        self.texts += result["texts"]
        self.found += [f"{where} at {self.width}px: {p['kind']} by {p['by']}px, {p['selector']}: {p['text']!r}"
                       for p in result["problems"]]
        return result["problems"]


def answer_every_question(page: Page, anchor: str) -> bool:
    """Choose the first option of each question on the page and check it: verdicts, feedback and score show."""
    forms = page.locator(f"#{anchor} form[data-question]").all()
    for form in forms:
        form.locator("input").first.check()
        form.locator("button[type=submit]").click()
        expect(form).to_have_class(re.compile("is-answered"))
    return bool(forms)


def walk_the_course(page: Page, overflows: Overflows) -> int:
    """Measure every page as it opens and again with its questions answered, then the phone's contents menu."""
    anchors = page.locator("[data-page]").evaluate_all("pages => pages.map(p => p.id)")
    for anchor in anchors:
        go_to(page, anchor)
        overflows.measure(page, anchor)
        if answer_every_question(page, anchor):
            overflows.measure(page, f"{anchor}, questions answered")
    if overflows.width < MENU_WIDTH:
        page.locator("[data-menu-toggle]").click()
        overflows.measure(page, "the contents menu, open")
    return len(anchors)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_of_the_qps_web_course_overflows_on_desktop_or_phone(qps_web: Path, browser: Browser, guard: Guard,
                                                                     width: int) -> None:
    overflows = Overflows(width)
    pages = walk_the_course(open_course(browser, guard, (qps_web / "index.html").as_uri(), width=width), overflows)

    # Reading mode: without JavaScript every page shows, each with its links on and its answers to open.
    reading = guard.watch(browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)).new_page()
    reading.goto((qps_web / "index.html").as_uri())
    reading.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    overflows.measure(reading, "reading mode (JavaScript off), answers open")

    shown = reading.inner_text("main")
    assert accented(shown) > 0.15 * len(shown), "the web course is not the pseudo-localised one"
    assert pages >= 20 and overflows.elements > 3000 and overflows.texts > 2000, "too little measured to prove anything"
    assert not overflows.found, "\n".join(overflows.found[:30])


COMPOUND = "[Ļééåđéŕšĥîîpšéñţŵîîçķļûñĝšpŕöĝŕååmméš"
"""A word as long as German compounds run (Führungskräfteentwicklungsprogramme), and as wide."""
LENGTHEN = """word => {
  let lengthened = 0;
  for (const root of document.querySelectorAll("main, #contents")) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), texts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (/\\S{3}/.test(node.data)) texts.push(node);
    for (const node of texts) node.data = node.data.replace(/\\S+/, word);
    lengthened += texts.length;
  }
  return lengthened;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_word_longer_than_its_line_breaks_rather_than_overflowing(qps_web: Path, browser: Browser, guard: Guard,
                                                                    width: int) -> None:
    """qps lengthens sentences, not words: here the first word of every text on every page becomes a compound."""
    page = open_course(browser, guard, (qps_web / "index.html").as_uri(), width=width)
    assert page.evaluate(LENGTHEN, COMPOUND) > 1000, "every page's texts lengthened"
    overflows = Overflows(width)
    walk_the_course(page, overflows)
    assert overflows.texts > 1000, "too little measured to prove anything"
    assert not overflows.found, "\n".join(overflows.found[:30])


INJECTED = """
  .module-list__item:first-child .module-list__title { display: block; width: 4rem; white-space: nowrap; }
  .cover__subtitle { width: 6rem; white-space: nowrap; overflow: hidden; }
  .section-title { width: 5rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .module-list__item:nth-child(2) .module-list__summary { display: block; height: 1em; overflow: hidden; }
  .footer { min-width: 40rem; }
"""


def test_the_measure_finds_each_way_text_can_overflow(qps_web: Path, browser: Browser, guard: Guard) -> None:
    """A stylesheet made for this test squeezes one box each way; the measure names every one."""
    page = open_course(browser, guard, (qps_web / "index.html").as_uri(), width=PHONE)
    assert Overflows(PHONE).measure(page, "cover") == []
    page.add_style_tag(content=INJECTED)
    found = Overflows(PHONE).measure(page, "cover")
    for kind, box in (("text runs out of its box", "span.module-list__title"), ("text clipped", "p.cover__subtitle"),
                      ("text cut with an ellipsis", "h2.section-title"),
                      ("text clipped at the bottom", "span.module-list__summary"),
                      ("the page scrolls sideways", "footer.footer")):
        assert any(p["kind"] == kind and box in p["selector"] for p in found), (kind, box, found)
