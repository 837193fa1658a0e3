"""`course-builder serve`: a live preview that follows the author's saves, in a real browser."""

from __future__ import annotations

import copy
import hashlib
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lms.harness import Guard, launch_chromium, new_guarded_page
from playwright.sync_api import Browser, Page, expect, sync_playwright

MODULE = "modules/03-leading-with-alignment.md"
PATIENCE_MS = 60_000  # a rebuild on a busy machine; waiting is not what is tested


class Served:
    def __init__(self, process: subprocess.Popen[str], url: str, temp: Path):
        self.process, self.url, self.temp = process, url, temp


def wait_for_url(process: subprocess.Popen[str]) -> str:
    """The address `serve` prints once it listens (it picks a free port with --port 0)."""
    assert process.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    seen = ""
    while selector.select(timeout=PATIENCE_MS / 1000):
        line = process.stderr.readline()
        if not line:
            break
        seen += line
        if match := re.search(r"Preview at (http://\S+)", line):
            return match[1]
    raise AssertionError(f"serve did not start:\n{seen}")


@pytest.fixture
def served(course_copy: Path, tmp_path: Path) -> Iterator[Served]:
    temp = tmp_path / "temp"
    temp.mkdir()
    env = os.environ | {"TMPDIR": str(temp), "COLUMNS": "200"}
    command = [sys.executable, "-m", "course_builder", "serve", str(course_copy), "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        yield Served(process, wait_for_url(process), temp)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser.new_page()
        browser.close()


def edit(course: Path, old: str, new: str) -> None:
    module = course / MODULE
    text = module.read_text(encoding="utf-8")
    assert old in text
    module.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.browser
def test_the_preview_follows_saves_shows_mistakes_and_recovers(served: Served, course_copy: Path, page: Page) -> None:
    assert served.url.startswith("http://127.0.0.1:")  # loopback only, unless --host says otherwise
    before = sorted(p.relative_to(course_copy) for p in course_copy.rglob("*"))
    page.goto(served.url)
    course = page.frame_locator("#course").locator("body")
    expect(course).to_contain_text("Leading with alignment, not authority", timeout=PATIENCE_MS)
    page.evaluate("window.notReloaded = true")  # gone if the preview page itself were reloaded

    edit(course_copy, "Think of leadership less as", "Think of leadership, said the heron, less as")
    expect(course).to_contain_text("said the heron", timeout=PATIENCE_MS)

    lines = (course_copy / MODULE).read_text(encoding="utf-8").split("\n")
    line, duration = next((n, text) for n, text in enumerate(lines, start=1) if text.startswith("duration:"))
    edit(course_copy, duration, "duration: seventy")
    problems = page.locator("#problems")
    expect(problems).to_be_visible(timeout=PATIENCE_MS)
    expect(problems).to_contain_text(f"{MODULE}:{line}", timeout=PATIENCE_MS)
    expect(problems).to_contain_text("error")
    expect(page.locator("#status")).to_contain_text("mistake")

    edit(course_copy, "duration: seventy", duration)
    edit(course_copy, "said the heron", "said the owl")
    expect(course).to_contain_text("said the owl", timeout=PATIENCE_MS)
    expect(page.locator("#problems-count")).not_to_contain_text("error")  # warnings may stay; the mistake is gone
    expect(page.locator("#status")).to_contain_text("Up to date")
    assert page.evaluate("window.notReloaded") is True

    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=PATIENCE_MS / 1000) in (0, 130)
    assert sorted(p.relative_to(course_copy) for p in course_copy.rglob("*")) == before  # nothing written beside the sources
    assert list(served.temp.iterdir()) == []  # its temporary build folder is gone


ANSWER_LETTERS = "abcdefgh"


def play_first_module(page: Page, course: Path) -> None:
    """A learner reads every page of the first module and answers its quiz correctly."""
    from course_builder.load import load_course

    module = load_course(course).course.modules[0]
    expect(page.locator("#calls")).to_contain_text("Initialize", timeout=PATIENCE_MS)  # the SCO has started its session
    view = page.frame_locator("#course")
    next_link = view.locator("[data-next]")
    # Page by page to the module's last; its "next" leads out of this SCO, to the next module's.
    while next_link.count() and next_link.is_visible() and str(next_link.get_attribute("href")).startswith("#"):
        anchor = str(next_link.get_attribute("href")).lstrip("#")
        next_link.click()
        view.locator(f"#{anchor}").wait_for()
    for question in (q for quiz in module.quizzes for q in quiz.questions):
        form = view.locator(f'form[data-question="{question.id}"]')
        for letter, option in zip(ANSWER_LETTERS, question.options, strict=False):
            if option.correct:
                form.locator(f'input[value="{letter}"]').check()
        form.get_by_role("button", name="Check answer").click()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("button", "recorded"),
    [
        ("In an LMS: SCORM 1.2", {"status": "passed", "score": "100 (of 0 to 100)"}),
        ("In an LMS: SCORM 2004", {"completion": "completed", "success": "passed", "score": "1 scaled (100 of 0 to 100)"}),
    ],
)
def test_the_mock_lms_shows_what_an_lms_records_for_a_module_played_in_the_preview(
    served: Served, course_copy: Path, page: Page, button: str, recorded: dict[str, str]
) -> None:
    page.goto(served.url)
    page.get_by_role("button", name=button).click()
    play_first_module(page, course_copy)
    page.get_by_role("button", name="Exit the SCO").click()
    calls = page.locator("#calls")
    expect(calls).to_contain_text("Terminate" if "2004" in button else "LMSFinish", timeout=PATIENCE_MS)
    for name, value in recorded.items():
        expect(page.locator(f'#record [data-record="{name}"]')).to_have_text(value)
    expect(page.locator("#cmi")).to_contain_text('"suspend_data"')


def test_serve_refuses_a_folder_that_is_not_a_course(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "course_builder", "serve", str(tmp_path), "--port", "0"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "course.yaml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.browser
def test_the_print_preview_shows_the_pages_of_the_module_just_saved(course_copy: Path, tmp_path: Path, page: Page) -> None:
    """The workbook of the saved module is laid out again, and the pane shows the pages of the PDF that holds the edit."""
    from pypdf import PdfReader

    temp, out = tmp_path / "temp", tmp_path / "out"
    temp.mkdir()
    command = [sys.executable, "-m", "course_builder", "serve", str(course_copy), "--port", "0", "--out", str(out),
               "--editor", "vscode"]
    env = os.environ | {"TMPDIR": str(temp), "COLUMNS": "200"}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        page.goto(wait_for_url(process))
        status = page.locator("#print-status")
        expect(status).to_have_attribute("data-status", "done", timeout=4 * PATIENCE_MS)
        expect(page.locator("#print-module")).to_contain_text("modules/01-")  # before any save: the first module
        edit(course_copy, "Think of leadership less as", "Think of leadership, said the heron, less as")
        expect(page.frame_locator("#course").locator("body")).to_contain_text("said the heron", timeout=PATIENCE_MS)
        expect(page.locator("#print-module")).to_contain_text(MODULE, timeout=PATIENCE_MS)
        expect(status).to_have_attribute("data-status", "done", timeout=4 * PATIENCE_MS)
        expect(status).to_contain_text("Workbook")

        workbook = out / "module-preview" / "workbook" / "workbook.pdf"
        text = "".join(p.extract_text() for p in PdfReader(workbook).pages).replace("\n", " ")
        assert "said the heron" in text
        assert "Leadership and management" not in text  # the saved module alone, not the whole book
        drawn_from = hashlib.sha256(workbook.read_bytes()).hexdigest()[:16]
        sources = page.locator("#print-pages img").evaluate_all("images => images.map(i => i.getAttribute('src'))")
        assert len(sources) == len(PdfReader(workbook).pages)
        assert all(src.startswith(f"/pages/{drawn_from}-") for src in sources)
        assert page.evaluate("document.querySelector('#print-pages img').naturalWidth") > 0

        edit(course_copy, "duration: 75", "duration: seventy")
        link = page.locator("#problems a.where").first
        expect(link).to_have_attribute("href", f"vscode://file{(course_copy / MODULE).resolve()}:4", timeout=PATIENCE_MS)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=4 * PATIENCE_MS / 1000)
    assert list(temp.iterdir()) == []  # everything it wrote is in --out


# ---------------------------------------------------------------- picking a module and a language

GERMAN = {  # our own German for a few units; every other unit is "translated" as its source text
    "course.title": "Menschen führen, nicht nur Arbeit",
    "five-basic-needs.title": "Die fünf menschlichen Grundbedürfnisse",
    "leading-with-alignment.title": "Führen durch Ausrichtung, nicht durch Autorität",
}
OVERRUN = "the timed parts of 'The five basic human needs' take 26 minutes; the module lasts 20"


class TwoLanguages:
    def __init__(self, course: Path, out: Path, url: str):
        self.course, self.out, self.url = course, out, url


def translate_into_german(course: Path, work: Path) -> None:
    """Export the course for a translator, fill every target as a translation tool would, import it back."""
    from click.testing import CliRunner
    from lxml import etree

    from course_builder.cli import main
    from course_builder.translation.xliff import XLIFF_NS

    exported = work / "de.xlf"
    result = CliRunner().invoke(main, ["translate", "export", str(course), "--to", "de", "--out", str(exported)])
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(exported))
    for unit in tree.iter(f"{{{XLIFF_NS}}}unit"):
        segment = unit.find(f"{{{XLIFF_NS}}}segment")
        target = copy.deepcopy(segment.find(f"{{{XLIFF_NS}}}source"))  # the source's text and inline codes
        target.tag = f"{{{XLIFF_NS}}}target"
        if unit.get("id") in GERMAN:
            target[:] = []
            target.text = GERMAN[unit.get("id")]
        segment.append(target)
        segment.set("state", "translated")
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = CliRunner().invoke(main, ["translate", "import", str(course), str(exported)])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoLanguages]:
    """The sample course in English and German, its module 2 overrunning its time, served once for this module's tests.

    The tests below run in order on it: the first in English, the second switches to German and makes a unit stale.
    """
    work = tmp_path_factory.mktemp("two-languages")
    course, out, temp = work / "course", work / "out", work / "temp"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", course)
    temp.mkdir()
    settings = course / "course.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en\n", "language: en\nlanguages: [en, de]\n"),
                        encoding="utf-8")
    needs = course / "modules" / "02-five-basic-needs.md"
    needs.write_text(needs.read_text(encoding="utf-8").replace("duration: 75", "duration: 20", 1), encoding="utf-8")
    translate_into_german(course, work)
    command = [sys.executable, "-m", "course_builder", "serve", str(course), "--port", "0", "--out", str(out),
               "--editor", "vscode"]
    env = os.environ | {"TMPDIR": str(temp), "COLUMNS": "200"}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        yield TwoLanguages(course, out, wait_for_url(process))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=4 * PATIENCE_MS / 1000)
    assert list(temp.iterdir()) == []  # everything it wrote is in --out


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(path).pages).replace("\n", " ")


# Every print preview the server announces from now on, by module: which modules the pane was asked to render.
RECORD_RENDERS = """() => {
  window.renders = [];
  new EventSource("/events").onmessage = (event) => {
    const print = JSON.parse(event.data).print;
    if (print && print.outputs.every((o) => o.status === "rendering")) { window.renders.push(print.module_id); }
  };
}"""


@pytest.mark.browser
def test_a_module_picked_in_the_page_shows_its_pages_and_what_its_build_warns_until_another_is_picked(
    two_languages: TwoLanguages, browser: Browser, guard: Guard
) -> None:
    page = new_guarded_page(browser, guard, 1400, 900)
    page.goto(two_languages.url)
    status = page.locator("#print-status")
    expect(status).to_have_attribute("data-status", "done", timeout=4 * PATIENCE_MS)
    picker = page.get_by_label("Module", exact=True)
    picker.select_option(label="2. The five basic human needs")
    expect(page.locator("#print-module")).to_contain_text("The module you picked: The five basic human needs",
                                                         timeout=PATIENCE_MS)
    expect(status).to_have_attribute("data-status", "done", timeout=4 * PATIENCE_MS)
    expect(status).to_contain_text("Workbook")

    workbook = two_languages.out / "module-preview" / "workbook" / "workbook.pdf"
    text = pdf_text(workbook)
    assert "The five basic human needs" in text and "Leading with alignment" not in text
    drawn_from = hashlib.sha256(workbook.read_bytes()).hexdigest()[:16]
    sources = page.locator("#print-pages img").evaluate_all("images => images.map(i => i.getAttribute('src'))")
    assert sources and all(src.startswith(f"/pages/{drawn_from}-") for src in sources)
    expect(page.locator("#print-warnings-box")).to_be_hidden()  # the workbook build says nothing about this module

    page.get_by_role("tab", name=re.compile("Facilitator guide")).click()
    expect(status).to_have_attribute("data-status", "done", timeout=4 * PATIENCE_MS)
    warnings = page.locator("#print-warnings")
    expect(warnings).to_contain_text(OVERRUN)
    module = (two_languages.course / "modules" / "02-five-basic-needs.md").resolve()
    expect(warnings.locator("a.where").first).to_have_attribute("href", f"vscode://file{module}:1")
    page.screenshot(path=str(two_languages.out.parent / "picked-module.png"))

    page.evaluate(RECORD_RENDERS)
    edit(two_languages.course, "Think of leadership less as", "Think of leadership, said the heron, less as")
    expect(page.frame_locator("#course").locator("body")).to_contain_text("said the heron", timeout=PATIENCE_MS)
    page.wait_for_function("window.renders.length > 0", timeout=PATIENCE_MS)  # the save's render has begun
    expect(status).to_have_attribute("data-status", "done", timeout=4 * PATIENCE_MS)
    assert set(page.evaluate("window.renders")) == {"five-basic-needs"}  # the module picked, not the one saved
    page.reload()
    expect(picker).to_have_value("five-basic-needs", timeout=PATIENCE_MS)  # the pick holds when the page reloads


@pytest.mark.browser
def test_the_course_picked_in_german_shows_german_and_its_stale_units(
    two_languages: TwoLanguages, browser: Browser, guard: Guard
) -> None:
    page = new_guarded_page(browser, guard, 1400, 900)
    page.goto(two_languages.url)
    page.get_by_label("Module", exact=True).select_option("five-basic-needs")
    language = page.get_by_label("Language")
    expect(language).to_be_visible(timeout=PATIENCE_MS)
    assert language.locator("option").all_inner_texts() == ["English (en)", "Deutsch (de)"]
    language.select_option("de")
    frame = page.frame_locator("#course")
    expect(frame.locator("html")).to_have_attribute("lang", "de", timeout=PATIENCE_MS)
    expect(frame.locator("body")).to_contain_text(GERMAN["five-basic-needs.title"])
    expect(page.locator("#print-module")).to_contain_text(GERMAN["five-basic-needs.title"], timeout=PATIENCE_MS)
    status = page.locator("#print-status")
    expect(status).to_have_attribute("data-status", "done", timeout=4 * PATIENCE_MS)
    assert GERMAN["five-basic-needs.title"] in pdf_text(two_languages.out / "module-preview" / "workbook" / "workbook.pdf")

    source = two_languages.course / "modules" / "03-leading-with-alignment.md"
    source.write_text(source.read_text(encoding="utf-8").replace("title: Leading with alignment, not authority",
                                                                 "title: Leading by alignment, not authority", 1),
                      encoding="utf-8")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("the de translation of unit leading-with-alignment.title is stale", timeout=PATIENCE_MS)
    expect(problems).to_contain_text("modules/03-leading-with-alignment.md:3")
    expect(frame.locator("body")).to_contain_text("Leading by alignment, not authority")  # the source text, for now
    page.locator("#problems-box summary").click()
    page.screenshot(path=str(two_languages.out.parent / "german.png"))


def test_a_pick_is_taken_only_as_json_and_only_of_what_the_course_has(two_languages: TwoLanguages) -> None:
    """A page of another site can post a form to the preview, but not JSON without asking first: a form is refused."""
    import urllib.error
    import urllib.request

    def post(body: bytes, content_type: str) -> int:
        request = urllib.request.Request(f"{two_languages.url}choose", body, {"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=PATIENCE_MS / 1000) as response:
                return response.status
        except urllib.error.HTTPError as refused:
            return refused.code

    assert post(b"module=five-basic-needs", "application/x-www-form-urlencoded") == 404
    assert post(b'{"module": "five-basic-needs"}', "text/plain") == 404
    assert post(b'{"module": "no-such-module"}', "application/json") == 400
    assert post(b'{"language": "fr"}', "application/json") == 400
    assert post(b"{not json", "application/json") == 400
    assert post(b'{"module": "five-basic-needs"}', "application/json") == 204


# The page's own words, without the course (the frame), the module's title and file, and check's messages (English by design).
PAGE_WORDS = """() => {
  const page = document.body.cloneNode(true);
  const left = "script, code, iframe, h1, " +
    "#problems, #print-module, #print-warnings, #print-pages, #print-choice option:not(:first-child)";
  page.querySelectorAll(left).forEach((e) => e.remove());
  return page.textContent.replace(/\\s+/g, " ");
}"""


@pytest.mark.browser
def test_the_page_of_a_german_course_speaks_german(course_copy: Path, tmp_path: Path, browser: Browser, guard: Guard) -> None:
    from tests.test_labels import english_phrases

    page = new_guarded_page(browser, guard, 1400, 900)

    settings = course_copy / "course.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en\n", "language: de\n"), encoding="utf-8")
    command = [sys.executable, "-m", "course_builder", "serve", str(course_copy), "--port", "0", "--out", str(tmp_path / "out")]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               env=os.environ | {"COLUMNS": "200"})
    try:
        page.goto(wait_for_url(process))
        expect(page.get_by_role("tab", name=re.compile("Trainerleitfaden"))).to_be_visible(timeout=PATIENCE_MS)
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.locator("#print-tabs [role=tab]").all_inner_texts()[0].startswith("Arbeitsbuch")
        expect(page.get_by_role("button", name="In einer Lernplattform: SCORM 1.2")).to_be_visible()
        expect(page.locator("#status")).to_contain_text("Aktuell", timeout=PATIENCE_MS)
        words = page.evaluate(PAGE_WORDS)
        assert "Das Modul, das ich speichere" in words and "Simulierte Lernplattform" in words
        assert [p for p in english_phrases() if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", words, re.I)] == []
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=4 * PATIENCE_MS / 1000)


def test_the_page_runs_right_to_left_in_arabic() -> None:
    import lxml.html

    from course_builder.serve import preview_page

    root = lxml.html.fromstring(preview_page("دورة", "ar"))
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert root.get_element_by_id("lms-heading").text_content() == "نظام تعلّم تجريبي"
