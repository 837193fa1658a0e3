"""The web course as learners with disabilities, without JavaScript or on paper meet it.

Every test runs with the sample brand and with a second brand whose secondary (a bright yellow)
and accent (a light blue) are too light to read on white, so the course's own contrast
corrections are under test too. The checkers are axe-core and Chromium itself, opened on the
files the build wrote.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lms.harness import Guard
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from web_pages import axe_violations, go_to, open_course, shown_title

from course_builder.contrast import contrast_ratio
from course_builder.load import load_brand_files
from course_builder.markup import to_text
from course_builder.model import Brand, Module, QuizQuestion
from course_builder.targets import BuildOptions
from course_builder.targets.web import WebTarget, plan_documents, write_web_course
from course_builder.views import view_for

pytestmark = pytest.mark.browser

SECOND_BRAND = """\
id: harbour
name: Harbour Learning
colors:
  primary: "#1B365D"
  secondary: "#FFB81C"
  accent: "#00A3E0"
  text: "#1A1A1A"
  background: "#FFFFFF"
footer: "Harbour Learning · practice edition"
"""
PHONE, DESKTOP = 390, 1280
QUIZ_PAGE = "m-five-basic-needs--customers-have-the-same-five-needs"


@pytest.fixture(scope="module", params=["sample brand", "second brand"])
def brand(request: pytest.FixtureRequest, sample: Any, tmp_path_factory: pytest.TempPathFactory) -> Brand:
    if request.param == "sample brand":
        return sample.course.brand
    folder = tmp_path_factory.mktemp("second-brand")
    (folder / "harbour.yaml").write_text(SECOND_BRAND, encoding="utf-8")
    return load_brand_files((folder / "harbour.yaml",), folder)[0]


@pytest.fixture(scope="module")
def web(brand: Brand, sample: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web-a11y")
    WebTarget().build(view_for(sample.course, WebTarget.audience), brand, out, BuildOptions())
    theme = (out / "web/assets/css/theme.css").read_text(encoding="utf-8")
    assert brand.colors.secondary in theme, "the course is built in the brand under test"
    return out / "web"


def page_anchors(sample: Any) -> list[str]:
    return [p.anchor for p in plan_documents(view_for(sample.course, WebTarget.audience), "single")[0].pages]


def questions_of(module: Module) -> list[QuizQuestion]:
    return [q for quiz in module.quizzes for q in quiz.questions]


SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input, textarea, summary')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .filter(e => !(e.tagName === 'A' && getComputedStyle(e).display === 'inline'
                   && e.parentElement.textContent.trim() !== e.textContent.trim()))  // a link in a sentence
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, box]) => box.width < 24 || box.height < 24)
    .map(([e, box]) => `${e.outerHTML.slice(0, 80)} is ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def answer_by_clicking(page: Page, question: QuizQuestion, right: bool) -> None:
    """Choose the right options, or one wrong option, and check the answer."""
    chosen = [i for i, o in enumerate(question.options) if o.correct == right]
    form = page.locator(f'form[data-question="{question.id}"]')
    for index in chosen if right and question.type == "multiple" else chosen[:1]:
        form.locator(".option__label").nth(index).click()
    form.get_by_role("button", name="Check answer").click()


# ---------------------------------------------------------------- axe-core and target sizes on every screen


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_wcag_22_aa_violation_and_no_target_is_under_24px_on_any_screen(
        web: Path, sample: Any, browser: Browser, guard: Guard, width: int) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri(), width=width)
    problems, screens = [], 0

    def check(screen: str) -> None:
        nonlocal screens
        screens += 1
        problems.extend(f"{screen}: {p}" for p in axe_violations(page) + page.evaluate(SMALL_TARGETS))

    for anchor in page_anchors(sample):
        go_to(page, anchor)
        check(anchor)
    go_to(page, QUIZ_PAGE)
    module = next(m for m in sample.course.modules if m.id == "five-basic-needs")
    for number, question in enumerate(questions_of(module)):
        answer_by_clicking(page, question, right=number != 1)
    assert page.locator(f"#{QUIZ_PAGE} [data-quiz-score]").inner_text().startswith("You answered 3 of 4")
    check("after answering the quiz")
    if width == PHONE:
        page.get_by_role("button", name="Contents").click()
        assert page.get_by_role("navigation", name="Course contents").is_visible()
        check("with the contents menu open")
    assert screens >= len(page_anchors(sample)) + 1
    assert problems == []


def test_axe_finds_no_violation_on_the_per_module_start_page_and_a_module_of_a_scorm_package(
        brand: Brand, sample: Any, browser: Browser, guard: Guard, tmp_path: Path) -> None:
    write_web_course(view_for(sample.course, WebTarget.audience), brand, tmp_path, lms="none", sco="per-module")
    problems = []
    for width in (DESKTOP, PHONE):
        page = open_course(browser, guard, (tmp_path / "module-five-basic-needs.html").as_uri(), width=width)
        problems += [f"module document at {width}px: {p}" for p in axe_violations(page)]
        page.goto((tmp_path / "index.html").as_uri())
        problems += [f"start page at {width}px: {p}" for p in axe_violations(page) + page.evaluate(SMALL_TARGETS)]
        page.context.close()
    assert problems == []


# ---------------------------------------------------------------- keyboard alone


def active(page: Page) -> dict[str, Any]:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, type: e.type || '', text: e.textContent.trim(), role: e.getAttribute('role'),
                question: e.closest('[data-question]') ? e.closest('[data-question]').dataset.question : null,
                next: e.hasAttribute('data-next'), result: e.hasAttribute('data-result'),
                first: e.matches('.option:first-child input'), reflection: e.dataset.reflection || null}; }""")


def choose_with_keys(page: Page, question: QuizQuestion, right: bool) -> None:
    """Focus is on the question's first option: choose the right options (or a wrong one) with Space and Tab.

    Radio buttons are one stop in the tab order; inside the group the arrow keys move the choice, as in every browser.
    """
    if question.type == "multiple":
        for index, option in enumerate(question.options):
            if option.correct:
                page.keyboard.press("Space")
            if index < len(question.options) - 1:
                page.keyboard.press("Tab")
        return
    target = next(i for i, o in enumerate(question.options) if o.correct == right)
    page.keyboard.press("Space")
    for _ in range(target):
        page.keyboard.press("ArrowDown")


def test_keyboard_alone_completes_a_module_answers_its_quiz_and_hears_every_result(
        web: Path, sample: Any, browser: Browser, guard: Guard) -> None:
    module = sample.course.modules[0]
    questions = {q.id: q for q in questions_of(module)}
    wrong = list(questions)[-1]
    page = open_course(browser, guard, (web / "index.html").as_uri())
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches('.module-list__link[href=\"#m-{module.id}\"]')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.tagName === 'H1'")
    assert shown_title(page) == module.title

    heard, score = [], ""
    for _ in range(len(module.sections) + 1):
        for _ in range(120):
            page.keyboard.press("Tab")
            now = active(page)
            if now["first"] and now["question"] in questions:
                question = questions[now["question"]]
                choose_with_keys(page, question, right=question.id != wrong)
                page.keyboard.press("Tab")
                assert active(page)["text"] == "Check answer"
                page.keyboard.press("Enter")
                result = active(page)
                assert result["result"] and result["role"] == "status", f"focus stays on the result of {question.id}"
                heard.append(result["text"])
                score = page.locator("[data-page]:not([hidden]) [data-quiz-score]").inner_text()
            elif now["reflection"]:
                page.keyboard.type("What I noticed: I plan, but I rarely ask what matters to them.")
            elif now["next"]:
                page.keyboard.press("Enter")
                page.wait_for_function("document.activeElement.tagName === 'H1'")
                break
        else:
            pytest.fail(f"Tab never reached Next on {shown_title(page)}")
        if page.locator("[data-page]:not([hidden])").get_attribute("data-module") != module.id:
            break

    assert heard == ["Correct."] * (len(questions) - 1) + ["Not quite. See the feedback under each option."]
    assert score == f"You answered {len(questions) - 1} of {len(questions)} correctly (75%)."
    assert page.locator("[data-quiz-score]").first.get_attribute("role") == "status"
    seen = page.locator(f"[data-page-link^='m-{module.id}'] [data-seen-label]").all_inner_texts()
    assert seen == ["(seen)"] * len(module.sections), "every page of the module counts as seen"
    assert "rarely ask" in page.locator('[data-reflection="my-gap"]').input_value()


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_focused_control_shows_a_ring_of_3px_that_contrasts_and_is_never_under_the_masthead(
        web: Path, browser: Browser, guard: Guard, width: int) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri() + f"#{QUIZ_PAGE}", width=width)
    page.locator('[data-reflection="needs-two-people"]').fill("A first thought.")
    rings = []
    for key in ["Tab"] * 90 + ["Shift+Tab"] * 90:
        page.keyboard.press(key)
        rings.append(page.evaluate("""() => {
            const e = document.activeElement;
            if (!e.matches('a[href], button, input, textarea, summary') || e.matches('.skip-link')) return null;
            const ring = e.matches('.option input') ? e.closest('.option') : e;
            const style = getComputedStyle(ring), box = ring.getBoundingClientRect();
            const masthead = document.querySelector('.masthead');
            return {what: `${e.tagName} ${e.id} ${e.getAttribute('href')} ${e.textContent.trim().slice(0, 30)}`,
                    style: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    colour: style.outlineColor, ground: getComputedStyle(document.body).backgroundColor,
                    covered: !masthead.contains(e) && box.top < masthead.getBoundingClientRect().bottom};
        }"""))
    rings = [r for r in rings if r]
    assert {r["what"].split()[0] for r in rings} == {"A", "BUTTON", "INPUT", "TEXTAREA"}, "Tab reached every kind of control"

    def hex_of(css: str) -> str:
        return "#" + "".join(f"{int(c):02X}" for c in re.findall(r"[\d.]+", css)[:3])

    bad = [r for r in rings
           if r["style"] != "solid" or r["width"] < 3 or contrast_ratio(hex_of(r["colour"]), hex_of(r["ground"])) < 3]
    assert bad == []
    assert [r["what"] for r in rings if r["covered"]] == [], "no focused control hides under the sticky masthead"


def test_on_a_phone_previous_comes_before_next_on_screen_and_in_the_tab_order(web: Path, browser: Browser,
                                                                             guard: Guard) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri() + f"#{QUIZ_PAGE}", width=PHONE)
    previous, following = page.locator("[data-previous]"), page.locator("[data-next]")
    assert previous.bounding_box()["y"] + previous.bounding_box()["height"] <= following.bounding_box()["y"]
    previous.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-next')")


# ---------------------------------------------------------------- without JavaScript


def test_without_javascript_the_course_says_so_every_page_is_reachable_and_answers_show_on_request(
        web: Path, sample: Any, browser: Browser, guard: Guard) -> None:
    context = guard.watch(browser.new_context(java_script_enabled=False, viewport={"width": PHONE, "height": 900}))
    page = context.new_page()
    page.goto((web / "index.html").as_uri())
    assert "JavaScript is off" in page.locator("#reading-mode").inner_text()
    anchors = page_anchors(sample)
    assert page.locator("[data-page]").evaluate_all("pages => pages.map(p => p.id)") == anchors
    for anchor in anchors:
        assert page.locator(f"#{anchor} h1").is_visible()
        if anchor != "cover":
            assert page.locator(f'#contents a[href="#{anchor}"]').is_visible(), f"the contents lead to {anchor}"
    following = page.locator(".page-links__next").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert following == [f"#{a}" for a in anchors[1:]], "each page ends with a link to the next one"

    page.locator(f'#contents a[href="#{QUIZ_PAGE}"]').click()
    assert page.locator(f"#{QUIZ_PAGE} h1").bounding_box()["y"] >= 0
    module = next(m for m in sample.course.modules if m.id == "five-basic-needs")
    reflection = page.locator('[data-reflection="needs-two-people"]')
    reflection.fill("Typed before anything else happens.")
    for question in questions_of(module):
        form = page.locator(f'form[data-question="{question.id}"]')
        assert not form.get_by_role("button", name="Check answer").is_visible()
        form.locator("input").first.focus()
        page.keyboard.press("Space")
        page.keyboard.press("Enter")  # must not reload the page with nothing said
        answers = form.locator(".question__answer-list")
        assert not answers.is_visible()
        form.get_by_text("Show the answer").click()
        shown = [to_text(t).strip() for t in form.locator(".answer--correct .answer__option").all_inner_texts()]
        assert shown == [to_text(o.text).strip() for o in question.options if o.correct]
        assert answers.is_visible()
    assert reflection.input_value() == "Typed before anything else happens.", "nothing reloaded the page"
    assert page.url.endswith(f"#{QUIZ_PAGE}")
    assert axe_violations(page, javascript_off=True) == []
    context.close()


# ---------------------------------------------------------------- on paper


def test_printing_prints_the_module_on_screen_without_controls_and_every_reflection_in_full(
        web: Path, sample: Any, browser: Browser, guard: Guard) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri() + f"#{QUIZ_PAGE}")
    long_answer = " ".join(f"Thought {n} about what matters to them." for n in range(1, 50))
    reflection = page.locator('[data-reflection="needs-two-people"]')
    reflection.fill(long_answer)
    page.emulate_media(media="print")

    module = next(m for m in sample.course.modules if m.id == "five-basic-needs")
    printed = page.locator("[data-page]").evaluate_all("pages => pages.filter(p => p.getClientRects().length).map(p => p.id)")
    assert printed == [a for a in page_anchors(sample) if a.startswith(f"m-{module.id}")]
    controls = page.evaluate("""() => [...document.querySelectorAll(
        'button, summary, nav, .masthead, .skip-link, [data-pager], .page-links, .question__reveal')]
        .filter(e => e.getClientRects().length).map(e => e.outerHTML.slice(0, 60))""")
    assert controls == []
    copy = page.locator(".reflection:has([data-reflection='needs-two-people']) [data-reflection-print]")
    assert not reflection.is_visible() and copy.inner_text() == long_answer
    assert copy.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), "the whole answer shows, nothing scrolls"

    text = " ".join(sheet.extract_text() for sheet in PdfReader(BytesIO(page.pdf())).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Thought 49 about what matters to them." in text
    for left_out in ("Check answer", "Show the answer", "Skip to the content", "Previous", sample.course.modules[0].title):
        assert left_out not in text


def test_printing_without_javascript_shows_a_long_reflection_in_full(web: Path, browser: Browser, guard: Guard) -> None:
    context = guard.watch(browser.new_context(java_script_enabled=False, viewport={"width": DESKTOP, "height": 900}))
    page = context.new_page()
    page.goto((web / "index.html").as_uri() + f"#{QUIZ_PAGE}")
    reflection = page.locator('[data-reflection="needs-two-people"]')
    reflection.fill(" ".join(f"Line {n} of a long answer." for n in range(1, 60)))
    page.emulate_media(media="print")
    assert reflection.is_visible()
    assert reflection.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), "the box grows to its whole text on paper"
    assert not page.locator("#reading-mode").is_visible()
    context.close()
