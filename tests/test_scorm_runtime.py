"""The SCORM packages of the sample course, run in a real LMS runtime (scorm-again) in Chromium.

Each test unpacks the package the build wrote, launches a SCO from the small LMS page in
tests/lms/, works through it like a learner and then reads what scorm-again recorded.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lms.harness import Guard, LmsServer, new_guarded_page
from lxml import etree
from playwright.sync_api import Browser, FrameLocator, Page, expect

from course_builder.load import load_course
from course_builder.model import Course, QuizQuestion
from course_builder.targets.web import (
    ANSWER_LETTERS,
    SUSPEND_DATA_LIMITS,
    plan_documents,
    suspend_data_worst_case,
    write_web_course,
)
from course_builder.views import view_for

pytestmark = pytest.mark.browser

VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}
OWN_ELEMENTS = {
    "1.2": re.compile(r"^cmi\.(core\.(lesson_status|lesson_location|exit|session_time|score\.(raw|min|max))|suspend_data|"
                      r"interactions\.\d+\.(id|type|time|weighting|student_response|result|objectives\.\d+\.id|"
                      r"correct_responses\.\d+\.pattern))$"),
    "2004": re.compile(r"^cmi\.(completion_status|success_status|progress_measure|location|exit|session_time|suspend_data|"
                       r"score\.(raw|min|max|scaled)|interactions\.\d+\.(id|type|timestamp|weighting|learner_response|result|"
                       r"description|objectives\.\d+\.id|correct_responses\.\d+\.pattern))$"),
}
SESSION_TIME = {"1.2": re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$"), "2004": re.compile(r"^PT\d+H\d+M\d+(\.\d{1,2})?S$")}
MODULE = "five-basic-needs"


# ---------------------------------------------------------------- fixtures: packages, server, browser


@pytest.fixture(scope="module")
def server() -> Iterator[LmsServer]:
    lms = LmsServer()
    yield lms
    lms.close()


@dataclass(frozen=True)
class Package:
    url: str
    folder: Path


@pytest.fixture(scope="module")
def packages(sample_builds: Any, sample: Any, server: LmsServer, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Unpacks `<course>-<format>.zip` once per version and SCO mode, and serves it."""
    served: dict[tuple[str, str], Package] = {}

    def package(version: str, sco: str) -> Package:
        if (version, sco) not in served:
            fmt = VERSIONS[version]
            zip_path = sample_builds.build(fmt, sco=sco) / f"{sample.course.id}-{fmt}.zip"
            folder = tmp_path_factory.mktemp(f"{fmt}-{sco}")
            with zipfile.ZipFile(zip_path) as archive:
                archive.extractall(folder)
            served[version, sco] = Package(server.serve(f"{fmt}-{sco}", folder), folder)
        return served[version, sco]

    return package


# ---------------------------------------------------------------- a learner in the LMS


@dataclass
class Sco:
    """One launch of a SCO in the test LMS; `view` is the frame (or window) that shows the course."""

    lms: Page
    view: FrameLocator | Page
    version: str

    def title(self) -> str:
        return self.view.locator("[data-page]:not([hidden]) h1").inner_text()

    def next(self) -> None:
        link = self.view.locator("[data-next]")
        anchor = link.get_attribute("href").lstrip("#")
        link.click()
        self.view.locator(f"#{anchor}").wait_for()  # pages change on hashchange, a moment after the click

    def go_to(self, anchor: str) -> None:
        self.view.locator(f'[data-page-link="{anchor}"]').click()
        self.view.locator(f"#{anchor}").wait_for()

    def answer(self, question: QuizQuestion, letters: str) -> None:
        form = self.view.locator(f'form[data-question="{question.id}"]')
        for letter in letters:
            form.locator(f'input[value="{letter}"]').check()
        form.get_by_role("button", name="Check answer").click()

    def write(self, reflection_id: str, text: str) -> None:
        box = self.view.locator(f'[data-reflection="{reflection_id}"]')
        box.fill(text)
        box.blur()

    def leave(self) -> None:
        """The learner moves on: the LMS unloads the SCO, which must end its session."""
        self.lms.evaluate("lms.unload()")
        self.lms.wait_for_function("lms.count('terminate') > 0")

    def calls(self) -> list[dict[str, Any]]:
        return self.lms.evaluate("lms.calls")

    def count(self, method: str) -> int:
        return self.lms.evaluate(f"lms.count({json.dumps(method)})")

    def cmi(self) -> dict[str, Any]:
        return self.lms.evaluate("lms.cmi()")

    def next_launch(self) -> dict[str, Any]:
        return self.lms.evaluate("lms.nextLaunch()")

    def sets(self) -> list[tuple[str, str]]:
        return [(c["args"][0], c["args"][1]) for c in self.calls() if c["method"] in ("LMSSetValue", "SetValue")]


@pytest.fixture
def launch(browser: Browser, server: LmsServer, packages: Any, guard: Guard) -> Any:
    def open_sco(version: str, sco_mode: str, href: str, stored: dict[str, Any] | None = None, folder: Path | None = None,
                 **params: str | int) -> Sco:
        """Launch `href` of the sample's package, or of `folder` when given (a course written for the test)."""
        page = new_guarded_page(browser, guard)
        if stored is not None:
            page.add_init_script(f"window.lmsStored = {json.dumps(stored)};")
        prefix = server.serve(folder.name, folder) if folder else packages(version, sco_mode).url
        page.goto(server.lms_url(version, prefix + href, **params))
        view = page.frame_locator("#sco")
        view.locator("[data-pager]").wait_for()  # course.js shows the pager once it runs
        return Sco(page, view, version)

    return open_sco


def correct_letters(question: QuizQuestion) -> str:
    return "".join(ANSWER_LETTERS[i] for i, option in enumerate(question.options) if option.correct)


def wrong_letters(question: QuizQuestion) -> str:
    return next(ANSWER_LETTERS[i] for i, option in enumerate(question.options) if not option.correct)


def response(question: QuizQuestion, letters: str, version: str) -> str:
    """A response as each version writes it: 1.2 "a,c" or "t"; 2004 "<option id>[,]<option id>" or "true"."""
    options = [question.options[ANSWER_LETTERS.index(letter)] for letter in letters]
    if question.type == "truefalse":
        value = options[0].text.strip().lower()
        return value[0] if version == "1.2" else value
    return ",".join(letters) if version == "1.2" else "[,]".join(o.id for o in options)


def full_text(length: int) -> str:
    """A reflection typed up to the box's limit, with the characters that need care in saved data."""
    return ("Ünïcode “quotes” = 12:34 and\nnew lines; " * 100)[:length]


def questions_of(course: Course, module_id: str) -> list[QuizQuestion]:
    return [q for quiz in course.module(module_id).quizzes for q in quiz.questions]


def assert_a_clean_session(sco: Sco) -> None:
    """Initialised once, ended once, every write accepted, and only the version's own data-model elements written."""
    assert sco.count("initialize") == 1
    assert sco.count("terminate") == 1
    failures = sco.lms.evaluate("lms.failures()")
    assert failures == []
    foreign = [element for element, _ in sco.sets() if not OWN_ELEMENTS[sco.version].match(element)]
    assert foreign == []
    calls = [c["method"] for c in sco.calls()]
    assert calls[-1] in ("LMSFinish", "Terminate"), "nothing may follow the end of the session"


def last_written(sco: Sco, element: str) -> str | None:
    values = [value for name, value in sco.sets() if name == element]
    return values[-1] if values else None


def work_through_module(sco: Sco, course: Course, module_id: str, letters_for: Any) -> None:
    pages = next(d for d in plan_documents(course, "per-module") if d.sco.module_ids == (module_id,)).pages
    for _ in pages[1:]:
        sco.next()
    for question in questions_of(course, module_id):
        sco.answer(question, letters_for(question))


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_learner_who_works_through_a_module_is_recorded_as_complete_and_passed(version: str, launch: Any, sample: Any) -> None:
    course = sample.course
    sco = launch(version, "per-module", f"module-{MODULE}.html")
    work_through_module(sco, course, MODULE, correct_letters)
    sco.write("needs-two-people", "Sam: competence, since the new system. Ana: belonging; she has stopped joining lunch.")
    sco.leave()

    assert_a_clean_session(sco)
    cmi = sco.cmi()
    last_page = f"{MODULE}/customers-have-the-same-five-needs"
    if version == "1.2":
        assert cmi["core"]["lesson_status"] == "passed"
        assert (cmi["core"]["score"]["raw"], cmi["core"]["score"]["min"], cmi["core"]["score"]["max"]) == ("100", "0", "100")
        assert cmi["core"]["lesson_location"] == last_page
        assert last_written(sco, "cmi.core.exit") == ""
        assert SESSION_TIME[version].match(last_written(sco, "cmi.core.session_time"))
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert (cmi["score"]["raw"], cmi["score"]["min"], cmi["score"]["max"], cmi["score"]["scaled"]) == ("100", "0", "100", "1")
        assert cmi["location"] == last_page
        assert last_written(sco, "cmi.exit") == "normal"
        assert SESSION_TIME[version].match(last_written(sco, "cmi.session_time"))
    assert "Sam: competence" in cmi["suspend_data"]
    assert len(cmi["suspend_data"]) <= SUSPEND_DATA_LIMITS[VERSIONS[version]]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_each_quiz_answer_is_recorded_as_an_interaction(version: str, launch: Any, sample: Any) -> None:
    course = sample.course
    questions = questions_of(course, MODULE)
    sco = launch(version, "per-module", f"module-{MODULE}.html")
    work_through_module(sco, course, MODULE, lambda q: wrong_letters(q) if q is questions[0] else correct_letters(q))
    sco.leave()

    assert_a_clean_session(sco)
    interactions = list(sco.cmi()["interactions"].values())
    assert [i["id"] for i in interactions] == [q.id for q in questions]
    for question, recorded in zip(questions, interactions, strict=True):
        chosen = wrong_letters(question) if question is questions[0] else correct_letters(question)
        assert recorded["type"] == ("true-false" if question.type == "truefalse" else "choice")
        assert recorded["correct_responses"]["0"]["pattern"] == response(question, correct_letters(question), version)
        if version == "1.2":
            assert recorded["student_response"] == response(question, chosen, version)
            assert recorded["result"] == ("wrong" if question is questions[0] else "correct")
        else:
            assert recorded["learner_response"] == response(question, chosen, version)
            assert recorded["result"] == ("incorrect" if question is questions[0] else "correct")
            assert recorded["description"]
    status_writes = [i for i, (name, _) in enumerate(sco.sets()) if name in ("cmi.core.lesson_status", "cmi.success_status")
                     and sco.sets()[i][1] in ("passed", "failed")]
    score_writes = [i for i, (name, _) in enumerate(sco.sets()) if name.endswith("score.raw")]
    assert score_writes and status_writes and score_writes[0] < status_writes[0], "the score must be set before the status"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_learner_below_the_mastery_score_fails_and_can_try_again(version: str, launch: Any, sample: Any) -> None:
    course = sample.course
    questions = questions_of(course, MODULE)
    sco = launch(version, "per-module", f"module-{MODULE}.html")
    work_through_module(sco, course, MODULE, wrong_letters)
    cmi = sco.cmi()
    assert (cmi["core"]["lesson_status"] if version == "1.2" else cmi["success_status"]) == "failed"
    assert sco.view.locator("[data-quiz-score]").inner_text().startswith("You answered 0 of 4 correctly")

    sco.view.get_by_role("button", name="Try these questions again").click()
    for question in questions:
        sco.answer(question, correct_letters(question))
    sco.leave()

    assert_a_clean_session(sco)
    cmi = sco.cmi()
    assert (cmi["core"]["lesson_status"] if version == "1.2" else cmi["success_status"]) == "passed"
    assert len(cmi["interactions"]) == 2 * len(questions), "a retry is recorded as new interactions, the first ones kept"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_learner_who_leaves_halfway_resumes_at_the_bookmark_with_answers_and_reflection(
    version: str, launch: Any, sample: Any,
) -> None:
    course = sample.course
    questions = questions_of(course, MODULE)
    first = launch(version, "per-module", f"module-{MODULE}.html")
    first.next()
    first.next()
    first.go_to(f"m-{MODULE}--customers-have-the-same-five-needs")
    first.write("needs-two-people", "Priya wants a say in her projects.\nTom: survival, the restructure worries him.")
    first.answer(questions[0], correct_letters(questions[0]))
    first.answer(questions[1], wrong_letters(questions[1]))
    first.go_to(f"m-{MODULE}--same-needs-different-people")
    first.leave()

    assert_a_clean_session(first)
    assert last_written(first, "cmi.core.exit" if version == "1.2" else "cmi.exit") == "suspend"
    stored = first.next_launch()
    assert (stored["core"] if version == "1.2" else stored)["entry"] == "resume"

    second = launch(version, "per-module", f"module-{MODULE}.html", stored=stored)
    assert second.title() == "Same needs, different people"
    second.go_to(f"m-{MODULE}--customers-have-the-same-five-needs")
    box = second.view.locator('[data-reflection="needs-two-people"]')
    assert box.input_value() == "Priya wants a say in her projects.\nTom: survival, the restructure worries him."
    answered = second.view.locator(f'form[data-question="{questions[1].id}"]')
    assert answered.locator(f'input[value="{wrong_letters(questions[1])}"]').is_checked()
    assert answered.locator("input").first.is_disabled()
    assert "Not quite" in answered.locator("[data-result]").inner_text()
    seen = second.view.locator(".contents a.is-seen")
    assert seen.count() == 4, "the pages seen before are marked seen again"

    second.go_to(f"m-{MODULE}--competence-under-pressure")
    second.go_to(f"m-{MODULE}--customers-have-the-same-five-needs")
    for question in questions[2:]:
        second.answer(question, correct_letters(question))
    second.leave()

    assert_a_clean_session(second)
    cmi = second.cmi()
    # Three of four right is 75%, under the mastery score of 80: complete reading, but not passed.
    if version == "1.2":
        assert (cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"]) == ("failed", "75")
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["score"]["raw"]) == ("incomplete", "failed", "75")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_mastery_score_the_lms_provides_wins_over_the_course_setting(version: str, launch: Any, sample: Any) -> None:
    course = sample.course
    questions = questions_of(course, MODULE)
    stored = {"student_data": {"mastery_score": "50"}} if version == "1.2" else {"scaled_passing_score": "0.5"}
    sco = launch(version, "per-module", f"module-{MODULE}.html", stored=stored)
    work_through_module(sco, course, MODULE, lambda q: correct_letters(q) if q in questions[:2] else wrong_letters(q))
    sco.leave()

    assert_a_clean_session(sco)
    cmi = sco.cmi()
    assert (cmi["core"]["lesson_status"] if version == "1.2" else cmi["success_status"]) == "passed"


def test_typing_a_reflection_does_not_commit_on_every_keystroke(launch: Any) -> None:
    sco = launch("2004", "per-module", f"module-{MODULE}.html")
    sco.go_to(f"m-{MODULE}--customers-have-the-same-five-needs")
    commits = sco.count("commit")
    box = sco.view.locator('[data-reflection="needs-two-people"]')
    box.press_sequentially("Ana needs more say.")
    box.blur()
    assert sco.count("commit") == commits
    assert "Ana needs more say." in last_written(sco, "cmi.suspend_data")
    sco.go_to(f"m-{MODULE}--competence-under-pressure")
    assert sco.count("commit") == commits + 1
    sco.leave()
    assert_a_clean_session(sco)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_every_module_of_the_per_module_package_is_its_own_sco(version: str, launch: Any, sample: Any, packages: Any) -> None:
    course = sample.course
    manifest = etree.parse(str(packages(version, "per-module").folder / "imsmanifest.xml"))
    hrefs = [r.get("href") for r in manifest.iter("{*}resource") if r.get("href")]
    assert len(hrefs) == len(course.modules)
    for href, module in zip(hrefs, course.modules, strict=True):
        sco = launch(version, "per-module", href)
        assert sco.title() == module.title
        sco.next()
        sco.leave()
        assert_a_clean_session(sco)
        cmi = sco.cmi()
        location = cmi["core"]["lesson_location"] if version == "1.2" else cmi["location"]
        assert location.startswith(f"{module.id}/")
        other_questions = [q.id for m in course.modules if m is not module for q in questions_of(course, m.id)]
        assert not any(f"q.{q}=" in cmi["suspend_data"] for q in other_questions)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_whole_course_as_one_sco_completes_and_keeps_full_reflections_within_the_limit(
    version: str, launch: Any, sample: Any, packages: Any,
) -> None:
    course = sample.course
    document = plan_documents(course, "single")[0]
    sco = launch(version, "single", document.sco.href)
    assert sco.title() == course.title
    questions = {q.id: q for q in document.questions}
    for number, page in enumerate(document.pages):
        if number:
            sco.next()
        shown = sco.view.locator(f"#{page.anchor}")
        for question_id in shown.locator("form[data-question]").evaluate_all("forms => forms.map(f => f.dataset.question)"):
            sco.answer(questions[question_id], correct_letters(questions[question_id]))
        for box in shown.locator("[data-reflection]").all():
            sco.write(box.get_attribute("data-reflection"), full_text(int(box.get_attribute("maxlength"))))
    sco.leave()

    assert_a_clean_session(sco)
    cmi = sco.cmi()
    suspend = cmi["suspend_data"]
    worst_case = suspend_data_worst_case(course, document.sco, VERSIONS[version])
    assert len(suspend) <= worst_case <= SUSPEND_DATA_LIMITS[VERSIONS[version]]
    if version == "1.2":
        assert cmi["core"]["lesson_status"] == "passed"
    else:
        assert (cmi["completion_status"], cmi["success_status"], cmi["score"]["scaled"]) == ("completed", "passed", "1")
    assert len(cmi["interactions"]) == len(document.questions)

    again = launch(version, "single", document.sco.href, stored=sco.next_launch())
    last = document.reflections[-1]
    box = again.view.locator(f'[data-reflection="{last.id}"]')
    assert box.input_value() == full_text(int(box.get_attribute("maxlength")))


def notice(view: FrameLocator | Page) -> Any:
    """The tracker's message to the learner, at the top of the course page."""
    return view.locator('main > p.tracking-notice[role="status"]')


def test_the_course_finds_an_api_the_lms_defines_five_seconds_after_it_loads(launch: Any, sample: Any) -> None:
    first_question = questions_of(sample.course, MODULE)[0]
    sco = launch("1.2", "per-module", f"module-{MODULE}.html", delay=5000)
    sco.go_to(f"m-{MODULE}--customers-have-the-same-five-needs")
    sco.answer(first_question, correct_letters(first_question))
    assert sco.count("initialize") == 0, "answered while the LMS's API was still missing"
    expect(notice(sco.view)).to_contain_text("Connecting to your learning system")
    sco.lms.wait_for_function("lms.count('initialize') > 0", timeout=15000)
    expect(notice(sco.view)).to_have_text("")
    sco.go_to(f"m-{MODULE}--behaviour-makes-sense-from-the-inside")
    sco.leave()
    assert_a_clean_session(sco)
    cmi = sco.cmi()
    assert cmi["core"]["lesson_location"] == f"{MODULE}/behaviour-makes-sense-from-the-inside"
    assert [i["id"] for i in cmi["interactions"].values()] == [first_question.id], "the early answer reaches the LMS"


def test_a_course_without_an_lms_says_its_progress_stays_in_this_browser(
    browser: Browser, server: LmsServer, packages: Any, guard: Guard,
) -> None:
    page = new_guarded_page(browser, guard)
    page.goto(server.base + packages("1.2", "per-module").url + f"module-{MODULE}.html")
    expect(notice(page)).to_contain_text("kept only in this browser on this device", timeout=20000)
    expect(page.locator("[data-saving]")).to_have_text("Your progress and answers are saved in this browser on this device.")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_commit_the_lms_refuses_is_retried_and_the_learner_is_told_when_it_still_fails(version: str, launch: Any) -> None:
    sco = launch(version, "per-module", f"module-{MODULE}.html", failcommits=1000)
    expect(notice(sco.view)).to_contain_text("did not save your latest progress", timeout=15000)
    commits = [c for c in sco.calls() if c["method"] in ("LMSCommit", "Commit")]
    assert len(commits) >= 4, "the course's own commits, then three more tries before telling the learner"
    assert {c["result"] for c in commits} == {"false"}
    saving_line = sco.view.locator(".footer__saving")
    expect(saving_line).to_have_text("Your latest progress is not saved yet.")

    sco.lms.evaluate("lms.failCommits = 0")  # the LMS's server is back
    sco.next()
    expect(notice(sco.view)).to_have_text("Your progress is saved to your learning system again.")
    expect(saving_line).to_have_text("Your progress and answers are saved to your learning record.")
    sco.leave()
    location = sco.cmi()["core"]["lesson_location"] if version == "1.2" else sco.cmi()["location"]
    assert location == f"{MODULE}/behaviour-makes-sense-from-the-inside"


def test_a_course_opened_in_its_own_window_finds_the_api_through_the_opener_and_ends_when_closed(
    browser: Browser, server: LmsServer, packages: Any, guard: Guard,
) -> None:
    lms = new_guarded_page(browser, guard)
    lms.goto(server.lms_url("2004", packages("2004", "per-module").url + f"module-{MODULE}.html", window="popup"))
    with lms.expect_popup() as opened:
        lms.click("#launch")
    window = opened.value
    window.locator("[data-pager]").wait_for()
    sco = Sco(lms, window, "2004")
    sco.next()
    window.close(run_before_unload=True)
    lms.wait_for_function("lms.count('terminate') > 0")

    assert_a_clean_session(sco)
    assert last_written(sco, "cmi.exit") == "suspend"
    assert sco.cmi()["location"] == f"{MODULE}/behaviour-makes-sense-from-the-inside"


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("rule", ["pages", "quiz"])
def test_completion_follows_the_course_setting(rule: str, version: str, launch: Any, course_copy: Path, tmp_path: Path) -> None:
    settings = course_copy / "course.yaml"
    text = re.sub(r"completion: [a-z-]+", f"completion: {rule}", settings.read_text(encoding="utf-8"))
    settings.write_text(text, encoding="utf-8")
    course = load_course(course_copy).course
    folder = tmp_path / f"{rule}-{VERSIONS[version]}"
    folder.mkdir()
    write_web_course(view_for(course, "learner"), course.brand, folder, lms=VERSIONS[version], sco="per-module")
    sco = launch(version, "per-module", f"module-{MODULE}.html", folder=folder)
    if rule == "pages":
        for _ in range(4):
            sco.next()
    else:
        sco.go_to(f"m-{MODULE}--customers-have-the-same-five-needs")
        for question in questions_of(course, MODULE):
            sco.answer(question, correct_letters(question))
    sco.leave()

    assert_a_clean_session(sco)
    cmi = sco.cmi()
    if version == "1.2":
        assert cmi["core"]["lesson_status"] == ("completed" if rule == "pages" else "passed")
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "unknown" if rule == "pages" else "passed")


def test_in_review_mode_the_course_shows_answers_but_records_no_new_result(launch: Any, sample: Any) -> None:
    questions = questions_of(sample.course, MODULE)
    sco = launch("2004", "per-module", f"module-{MODULE}.html", stored={"mode": "review"})
    sco.go_to(f"m-{MODULE}--customers-have-the-same-five-needs")
    sco.answer(questions[0], wrong_letters(questions[0]))
    sco.leave()

    assert_a_clean_session(sco)
    written = {element for element, _ in sco.sets()}
    assert not written & {"cmi.completion_status", "cmi.success_status", "cmi.score.raw"}
    assert not any(element.startswith("cmi.interactions.") for element in written)


def test_in_scorm_12_browse_mode_the_course_records_nothing_the_lms_sets(launch: Any, sample: Any) -> None:
    course = sample.course
    sco = launch("1.2", "per-module", f"module-{MODULE}.html", stored={"core": {"lesson_mode": "browse"}})
    work_through_module(sco, course, MODULE, correct_letters)
    sco.leave()

    assert_a_clean_session(sco)
    modes = [c["result"] for c in sco.calls() if c["method"] == "LMSGetValue" and c["args"][0] == "cmi.core.lesson_mode"]
    assert modes == ["browse"]
    written = {element for element, _ in sco.sets()}
    assert not {e for e in written if e.startswith(("cmi.core.lesson_status", "cmi.core.score.", "cmi.interactions."))}
    assert "cmi.suspend_data" in written, "the learner's place and answers are still kept"
