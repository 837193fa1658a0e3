"""The web course (`--format web`) as a learner and an auditor meet it: opened from disk in Chromium."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lms.harness import Guard, new_guarded_page
from playwright.sync_api import Browser
from web_pages import axe_violations, go_to, open_course, shown_title

from course_builder.contrast import contrast_ratio
from course_builder.errors import CourseError
from course_builder.load import load_course
from course_builder.markup import to_text
from course_builder.model import Brand, Colors, FacilitatorNote
from course_builder.targets import BuildOptions
from course_builder.targets.web import WebTarget, plan_documents, write_web_course
from course_builder.views import view_for

pytestmark = pytest.mark.browser

MODULE = "five-basic-needs"


@pytest.fixture(scope="module")
def web(sample_builds: Any) -> Path:
    return sample_builds.build("web") / "web"


# ---------------------------------------------------------------- files


def test_the_web_course_holds_every_file_it_uses(web: Path) -> None:
    html = (web / "index.html").read_text(encoding="utf-8")
    css = (web / "assets/css/theme.css").read_text(encoding="utf-8") + (web / "assets/css/course.css").read_text(encoding="utf-8")
    used = re.findall(r'<(?:script|img)[^>]* src="([^"]+)"', html) + re.findall(r'<link[^>]* href="([^"]+)"', html)
    assert used, "the page loads its scripts, styles and images"
    for reference in used:
        assert not re.match(r"^[a-z]+:", reference) or reference == "data:,", f"{reference} is not inside the course"
        assert (web / reference).is_file(), reference
    for reference in re.findall(r'url\("([^"]+)"\)', css):
        assert (web / "assets/css" / reference).resolve().is_file(), reference
    assert "@import" not in css


def test_write_web_course_lists_exactly_the_files_it_wrote(sample: Any, tmp_path: Path) -> None:
    for lms, sco in (("none", "per-module"), ("scorm12", "single"), ("scorm2004", "per-module")):
        folder = tmp_path / f"{lms}-{sco}"
        folder.mkdir()
        written = write_web_course(view_for(sample.course, "learner"), sample.course.brand, folder, lms=lms, sco=sco)
        on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        assert list(written.files) == on_disk
        assert all((folder / s.href).is_file() for s in written.scos)
        assert len(written.scos) == (1 if sco == "single" else len(sample.course.modules))


def test_sco_identifiers_and_launch_pages_are_stable_and_valid_xml_ids(sample: Any) -> None:
    course = sample.course
    per_module = [d.sco for d in plan_documents(course, "per-module")]
    assert [s.identifier for s in per_module] == [f"sco-{m.id}" for m in course.modules]
    assert [s.module_ids for s in per_module] == [(m.id,) for m in course.modules]
    single = plan_documents(course, "single")[0].sco
    assert (single.identifier, single.href) == (f"sco-{course.id}", "index.html")
    for sco in [*per_module, single]:
        assert re.fullmatch(r"[A-Za-z_][\w.-]*", sco.identifier)


def test_no_facilitator_text_appears_anywhere_in_the_web_or_scorm_output(web: Path, sample_builds: Any, sample: Any) -> None:
    course = sample.course
    notes = [b.markdown for m in course.modules for b in m.blocks if isinstance(b, FacilitatorNote)]
    notes += [b.facilitator for m in course.modules for b in m.activities if b.facilitator]
    sentences = [s.strip() for note in notes for s in re.split(r"(?<=[.!?:])\s+", to_text(note)) if len(s.strip()) > 25]
    assert len(sentences) > 10, "the sample course has facilitator notes to look for"
    scorm = sample_builds.build("scorm12", sco="single") / f"{course.id}-scorm12.zip"
    with zipfile.ZipFile(scorm) as archive:
        texts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".html", ".js"))]
    texts += [p.read_text(encoding="utf-8") for p in web.rglob("*") if p.suffix in (".html", ".js")]
    plain = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t)).replace("&#39;", "'").replace("&quot;", '"') for t in texts]
    leaked = [s for s in sentences for text in plain if s in text]
    assert leaked == []


def test_two_builds_of_the_web_course_are_byte_identical(sample: Any, tmp_path: Path) -> None:
    def build(folder: Path) -> dict[str, bytes]:
        WebTarget().build(view_for(sample.course, "learner"), sample.course.brand, folder,
                          BuildOptions(source_date_epoch=1700000000))
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "web").rglob("*") if p.is_file()}

    assert build(tmp_path / "first") == build(tmp_path / "second")


# ---------------------------------------------------------------- in the browser, from disk


def test_the_course_opened_from_disk_works_and_keeps_progress_in_the_browser(web: Path, browser: Browser, guard: Guard) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri())
    assert shown_title(page) == "Leading People, Not Just Work"
    page.get_by_role("link", name="Start the course").click()
    page.locator("#m-leadership-and-management").wait_for()
    assert shown_title(page) == "Leadership and management"
    assert page.locator("[data-position]").inner_text() == "Page 2 of 28"
    page.locator(f'[data-page-link="m-{MODULE}--customers-have-the-same-five-needs"]').click()
    page.locator('[data-reflection="needs-two-people"]').fill("Sam needs to feel competent again.")
    form = page.locator('form[data-question="q-fn-customers"]')
    form.get_by_label("True").check()
    form.get_by_role("button", name="Check answer").click()
    assert form.locator("[data-result]").inner_text() == "Correct."
    assert form.locator(".option.is-chosen [data-feedback]").inner_text().startswith("Correct. A customer stuck")

    page.reload()
    page.locator("[data-pager]").wait_for()
    assert shown_title(page) == "Customers have the same five needs"
    assert page.locator('[data-reflection="needs-two-people"]').input_value() == "Sam needs to feel competent again."
    assert page.locator('form[data-question="q-fn-customers"] input').first.is_disabled()
    assert "saved in this browser" in page.locator("[data-saving]").inner_text()

    page.goto((web / "index.html").as_uri())
    page.locator("[data-pager]").wait_for()
    assert shown_title(page) == "Customers have the same five needs", "opening the course again returns to the bookmark"


def test_a_scorm_package_opened_without_an_lms_falls_back_to_the_browser(sample: Any, browser: Browser, guard: Guard,
                                                                         tmp_path: Path) -> None:
    write_web_course(view_for(sample.course, "learner"), sample.course.brand, tmp_path, lms="scorm2004", sco="per-module")
    page = open_course(browser, guard, (tmp_path / f"module-{MODULE}.html").as_uri())
    page.locator("[data-next]").click()
    page.locator(f"#m-{MODULE}--behaviour-makes-sense-from-the-inside").wait_for()
    page.wait_for_function("document.querySelector('[data-saving]').textContent.includes('browser')", timeout=10000)
    page.reload()
    page.locator("[data-pager]").wait_for()
    page.wait_for_function("document.querySelector('[data-saving]').textContent.includes('browser')", timeout=10000)
    assert shown_title(page) == "Behaviour makes sense from the inside"


def test_the_per_module_web_course_starts_from_a_page_that_links_every_module(sample: Any, browser: Browser, guard: Guard,
                                                                              tmp_path: Path) -> None:
    write_web_course(view_for(sample.course, "learner"), sample.course.brand, tmp_path, lms="none", sco="per-module")
    page = new_guarded_page(browser, guard)
    page.goto((tmp_path / "index.html").as_uri())
    links = page.locator(".module-list__link")
    assert links.count() == len(sample.course.modules)
    links.nth(1).click()
    page.locator(f"#m-{sample.course.modules[1].id}").wait_for()
    assert shown_title(page) == sample.course.modules[1].title
    page.get_by_role("link", name="All modules").click()
    assert page.locator("h1").inner_text() == sample.course.title


def test_keyboard_alone_reaches_the_content_moves_between_pages_and_answers_a_question(web: Path, browser: Browser,
                                                                                       guard: Guard) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "the skip link leads into the content"
    go_to(page, f"m-{MODULE}--customers-have-the-same-five-needs")
    form = page.locator('form[data-question="q-fn-customers"]')
    form.locator("input").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check answer"
    page.keyboard.press("Enter")
    assert form.locator("[data-result]").inner_text() == "Correct."
    page.locator("[data-next]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.tagName === 'H1'")  # focus moves to the new page's heading
    page.keyboard.press("Tab")
    outline = page.evaluate("(s => [s.outlineStyle, parseFloat(s.outlineWidth)])(getComputedStyle(document.activeElement))")
    assert outline[0] == "solid" and outline[1] >= 2, "the focused control shows a visible outline"


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_page_scrolls_sideways_from_phone_to_desktop(web: Path, browser: Browser, guard: Guard, width: int) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri(), width=width)
    anchors = page.locator("[data-page]").evaluate_all("pages => pages.map(p => p.id)")
    for anchor in anchors:
        go_to(page, anchor)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{anchor} is {overflow}px too wide at {width}px"


def test_on_a_phone_the_contents_open_from_a_button_and_close_with_escape(web: Path, browser: Browser, guard: Guard) -> None:
    page = open_course(browser, guard, (web / "index.html").as_uri(), width=390)
    menu = page.get_by_role("button", name="Contents")
    contents = page.get_by_role("navigation", name="Course contents")
    assert not contents.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert contents.is_visible()
    page.keyboard.press("Escape")
    assert not contents.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"


# ---------------------------------------------------------------- brand colours


def test_brand_colours_too_light_to_read_are_darkened_and_the_author_is_warned(course_copy: Path, browser: Browser,
                                                                               guard: Guard, tmp_path: Path) -> None:
    brand_file = course_copy / "brand.yaml"
    text = brand_file.read_text(encoding="utf-8")
    text = re.sub(r'primary: "#[0-9A-Fa-f]+"', 'primary: "#F2C94C"', text)
    brand_file.write_text(re.sub(r'secondary: "#[0-9A-Fa-f]+"', 'secondary: "#7FD1AE"', text), encoding="utf-8")
    course = load_course(course_copy).course
    assert (course.brand.colors.primary, course.brand.colors.secondary) == ("#F2C94C", "#7FD1AE")
    target, view = WebTarget(), view_for(course, "learner")
    warnings = target.check(view, course.brand, BuildOptions())
    target.build(view, course.brand, tmp_path, BuildOptions())

    warned = " ".join(w.message for w in warnings)
    assert "primary #F2C94C" in warned and "secondary #7FD1AE" in warned
    assert all(w.severity == "warning" and w.file == brand_file for w in warnings)
    page = open_course(browser, guard, (tmp_path / "web/index.html").as_uri() + f"#m-{MODULE}")
    colours = page.evaluate("""() => ['h1', '.eyebrow', '.objectives h2'].map(s => {
        const e = [...document.querySelectorAll(s)].find(x => x.offsetParent);
        return getComputedStyle(e).color; })""")
    for colour in colours:
        red, green, blue = (int(c) for c in re.findall(r"\d+", colour)[:3])
        assert contrast_ratio(f"#{red:02X}{green:02X}{blue:02X}", Colors().background) >= 4.5, colour
    assert axe_violations(page) == []


# ---------------------------------------------------------------- a course's own templates, another brand


def test_a_course_template_replaces_one_part_of_the_web_course(course_copy: Path, tmp_path: Path) -> None:
    override = course_copy / "templates/web/blocks/takeaways.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text('<div class="our-takeaways"><h2>{{ block.title }}</h2><p>{{ block.items | length }} points</p></div>\n',
                        encoding="utf-8")
    course = load_course(course_copy).course
    WebTarget().build(view_for(course, "learner"), course.brand, tmp_path, BuildOptions())
    html = (tmp_path / "web/index.html").read_text(encoding="utf-8")
    assert html.count('class="our-takeaways"') == len([b for m in course.modules for b in m.blocks if b.kind == "takeaways"])
    assert 'class="takeaways"' not in html
    assert 'class="quiz"' in html, "the other parts still come from the built-in templates"


def test_a_mistake_in_a_course_template_names_the_file_and_line(course_copy: Path, tmp_path: Path) -> None:
    override = course_copy / "templates/web/blocks/quote.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text("<figure>\n{{ block.wording | markdown(block) }}\n</figure>\n", encoding="utf-8")
    course = load_course(course_copy).course
    with pytest.raises(CourseError) as raised:
        WebTarget().build(view_for(course, "learner"), course.brand, tmp_path, BuildOptions())
    problem = raised.value.problems[0]
    assert (problem.file.name, problem.line) == ("quote.html.j2", 2)
    assert not (tmp_path / "web").exists(), "nothing half-written is left behind"


def test_a_plain_brand_without_logo_or_fonts_gets_the_bundled_font_and_passes_axe(sample: Any, browser: Browser, guard: Guard,
                                                                                  tmp_path: Path) -> None:
    plain = Brand(id="plain", name="Plain Training Co.")
    WebTarget().build(view_for(sample.course, "learner"), plain, tmp_path, BuildOptions())
    web = tmp_path / "web"
    assert sorted(p.name for p in (web / "assets/fonts").iterdir()) == [
        "NotoSans-Bold.ttf", "NotoSans-BoldItalic.ttf", "NotoSans-Italic.ttf", "NotoSans-Regular.ttf"]
    assert "<img" not in (web / "index.html").read_text(encoding="utf-8").split("</header>")[0]
    page = open_course(browser, guard, web.as_uri() + "/index.html#m-five-basic-needs--customers-have-the-same-five-needs")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans\"')")
    assert page.locator(".masthead__title").inner_text() == sample.course.title
    assert axe_violations(page) == []
