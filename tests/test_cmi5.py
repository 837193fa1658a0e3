"""The cmi5 package of the sample course: its course structure, and its AUs played against a real LRS.

The browser tests launch an AU the way a cmi5 LMS does (tests/lms/cmi5_lms.py): LaunchData in the
State API, a "launched" statement, a one-time token URL, then the AU's URL with the launch
parameters. A learner works through the module in Chromium, and the tests read back what Ralph,
a Learning Record Store from PyPI, stored.
"""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from lms.cmi5_lms import CMI5_CATEGORY, RETURN_PATH, SESSION_ID, Cmi5Lms, Ralph
from lms.harness import Guard, new_guarded_page
from lxml import etree
from playwright.sync_api import Browser, Page
from ralph.models.xapi.base.statements import BaseXapiStatement

from course_builder.load import LoadedCourse
from course_builder.model import QuizQuestion
from course_builder.scorm.validate import CMI5_NS, CMI5_SCHEMA, cmi5_structure_problems, validate_package
from course_builder.targets.web import ANSWER_LETTERS, plan_documents

MODULE = "five-basic-needs"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
PROGRESS_STATE = "https://course-builder.invalid/state/progress"
LEARNER = {"objectType": "Agent", "name": "Test Learner",
           "account": {"homePage": "https://lms.example.invalid", "name": "learner-1"}}
NS = {"c": CMI5_NS}


def package(sample_builds: Any, sample: LoadedCourse) -> Path:
    return sample_builds.build("cmi5") / f"{sample.course.id}-cmi5.zip"


def course_structure(zip_path: Path) -> etree._Element:
    with zipfile.ZipFile(zip_path) as archive:
        return etree.fromstring(archive.read("cmi5.xml"))


def aus(zip_path: Path) -> dict[str, dict[str, Any]]:
    """The AUs of cmi5.xml by URL, as an LMS reads them."""
    found = {}
    for au in course_structure(zip_path).iterfind("c:au", NS):
        entry = {"id": au.get("id"), "moveOn": au.get("moveOn"), "url": au.findtext("c:url", namespaces=NS)}
        if au.get("masteryScore") is not None:
            entry["masteryScore"] = float(au.get("masteryScore"))
        found[entry["url"]] = entry
    return found


# ---------------------------------------------------------------- the course structure


def test_cmi5_xml_is_valid_against_the_official_schema(sample_builds: Any, sample: LoadedCourse) -> None:
    zip_path = package(sample_builds, sample)
    with zipfile.ZipFile(zip_path) as archive:
        data = archive.read("cmi5.xml")
        names = set(archive.namelist())
    schema = etree.XMLSchema(etree.parse(str(CMI5_SCHEMA)))
    assert schema.validate(etree.fromstring(data)), schema.error_log
    assert cmi5_structure_problems(data) == []
    assert {au["url"] for au in aus(zip_path).values()} <= names
    assert validate_package(zip_path) == []


def test_the_schema_check_catches_a_broken_structure() -> None:
    broken = f'<courseStructure xmlns="{CMI5_NS}"><course id="urn:x"><title/></course></courseStructure>'.encode()
    problems = cmi5_structure_problems(broken)
    assert [line for line, _ in problems] == [1, 1, 1]
    assert "Element 'cmi5:title': Missing child element(s). Expected is ( cmi5:langstring )" in problems[0][1]
    assert all("official cmi5 schema" in message for _, message in problems)


def rezip_cmi5(good: Path, broken: Path, edit: Any = None, drop: tuple[str, ...] = ()) -> None:
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            data = source.read(info)
            if info.filename == "cmi5.xml" and edit:
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, data)


@pytest.mark.parametrize(("change", "says"), [
    (dict(drop=("au/module-five-basic-needs.html",)), "the AU's launch page 'au/module-five-basic-needs.html' is not in the zip"),
    (dict(edit=lambda x: x.replace("<url>au/module-five", "<url>../au/module-five")), "leads outside the package"),
    (dict(edit=lambda x: x.replace('moveOn="CompletedAndPassed"', 'moveOn="Finished"', 1)), "official cmi5 schema"),
    (dict(edit=lambda x: x.replace("sco-five-basic-needs", "sco-leadership-and-management")), "is used twice"),
])
def test_validate_rejects_a_broken_cmi5_package_for_its_reason(sample_builds: Any, sample: LoadedCourse, tmp_path: Path,
                                                               change: dict, says: str) -> None:
    broken = tmp_path / "broken.zip"
    rezip_cmi5(package(sample_builds, sample), broken, **change)
    problems = [p for p in validate_package(broken, strict=False) if p.severity == "error"]
    assert any(says in p.message for p in problems), [p.message for p in problems]


def test_one_au_per_module_with_move_on_and_mastery_score_from_course_yaml(sample_builds: Any, sample: LoadedCourse) -> None:
    course = sample.course
    found = aus(package(sample_builds, sample))
    assert list(found) == [f"au/module-{m.id}.html" for m in course.modules]
    lms = course.settings.lms
    expected_move_on = {"pages": "Completed", "quiz": "Passed", "pages-and-quiz": "CompletedAndPassed"}[lms.completion]
    for module in course.modules:
        au = found[f"au/module-{module.id}.html"]
        if module.quizzes:
            assert (au["moveOn"], au["masteryScore"]) == (expected_move_on, lms.mastery_score / 100)
        else:
            assert au["moveOn"] == "Completed" and "masteryScore" not in au
    assert len({au["id"] for au in found.values()}) == len(found)


def test_a_whole_course_build_has_one_au(sample_builds: Any, sample: LoadedCourse) -> None:
    zip_path = sample_builds.build("cmi5", sco="single") / f"{sample.course.id}-cmi5.zip"
    [au] = aus(zip_path).values()
    assert au["moveOn"] == {"pages": "Completed", "quiz": "Passed", "pages-and-quiz": "CompletedAndPassed"}[
        sample.course.settings.lms.completion]


# ---------------------------------------------------------------- played against a real LRS

@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    lrs = Ralph(tmp_path_factory.mktemp("ralph"))
    yield lrs
    lrs.close()


@pytest.fixture(scope="module")
def lms(sample_builds: Any, sample: LoadedCourse, ralph: Ralph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cmi5Lms]:
    folder = tmp_path_factory.mktemp("cmi5-package")
    with zipfile.ZipFile(package(sample_builds, sample)) as archive:
        archive.extractall(folder)
    server = Cmi5Lms(folder, ralph)
    yield server
    server.close()


@pytest.fixture
def guard() -> Iterator[Guard]:
    watcher = Guard()
    yield watcher
    assert watcher.outside_requests == [], "the AU asked a host other than this machine"
    # The State API answers 404 for a document not saved yet (the first launch's progress), as xAPI
    # prescribes; Chromium logs every 404 as a console error.
    assert [e for e in watcher.errors if "status of 404" not in e] == []


def questions(sample: LoadedCourse) -> list[QuizQuestion]:
    return [q for quiz in sample.course.module(MODULE).quizzes for q in quiz.questions]


def letters(question: QuizQuestion, right: bool) -> str:
    if right:
        return "".join(ANSWER_LETTERS[i] for i, o in enumerate(question.options) if o.correct)
    return next(ANSWER_LETTERS[i] for i, o in enumerate(question.options) if not o.correct)


def open_au(browser: Browser, guard: Guard, url: str) -> tuple[Page, Any]:
    page = new_guarded_page(browser, guard)
    page.goto(url)
    view = page.frame_locator("#cmi5-course")
    view.locator("[data-pager]").wait_for()
    return page, view


def next_page(view: Any) -> None:
    link = view.locator("[data-next]")
    anchor = link.get_attribute("href").lstrip("#")
    link.click()
    view.locator(f"#{anchor}").wait_for()


def answer(view: Any, question: QuizQuestion, chosen: str) -> None:
    form = view.locator(f'form[data-question="{question.id}"]')
    for letter in chosen:
        form.locator(f'input[value="{letter}"]').check()
    form.get_by_role("button", name="Check answer").click()


def leave(page: Page) -> None:
    """The learner leaves the AU: the page goes, and with it the session.

    The browser itself stays open (the module's fixture closes it), as a learner's does: closing it
    at once could cut off the last statements, which leave while the page unloads.
    """
    page.goto("about:blank")


def stored_until(lms: Cmi5Lms, registration: str, verb: str, count: int = 1) -> list[dict[str, Any]]:
    """What the LRS holds for the registration, in the order it arrived, once `count` of `verb` are there.

    The last statements leave as the page closes, so the test waits for them (checking, never timing).
    """
    for _ in range(600):
        statements = lms.ralph.statements(registration)
        if sum(s["verb"]["id"].endswith("/" + verb) for s in statements) >= count:
            break
        time.sleep(0.05)
    return lms.in_order_sent(statements)


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def categories(statement: dict[str, Any]) -> set[str]:
    return {c["id"] for c in statement["context"].get("contextActivities", {}).get("category", [])}


def expected_response(question: QuizQuestion, chosen: str) -> str:
    options = [question.options[ANSWER_LETTERS.index(letter)] for letter in chosen]
    if question.type == "truefalse":
        return options[0].text.strip().lower()
    return "[,]".join(o.id for o in options)


def module_pages(sample: LoadedCourse) -> list[str]:
    return [p.id for p in next(d for d in plan_documents(sample.course, "per-module") if d.sco.module_ids == (MODULE,)).pages]


def work_through(view: Any, sample: LoadedCourse, right: bool) -> None:
    for _ in module_pages(sample)[1:]:
        next_page(view)
    for question in questions(sample):
        answer(view, question, letters(question, right))


@pytest.mark.browser
def test_a_learner_who_passes_is_recorded_in_cmi5_order_with_score_and_pass(
        browser: Browser, guard: Guard, lms: Cmi5Lms, sample_builds: Any, sample: LoadedCourse) -> None:
    au = aus(package(sample_builds, sample))[f"au/module-{MODULE}.html"]
    launch = lms.launch(au, LEARNER)
    page, view = open_au(browser, guard, launch.url)
    work_through(view, sample, right=True)
    leave(page)

    statements = stored_until(lms, launch.registration, "terminated")
    quiz = questions(sample)
    pages = module_pages(sample)
    assert verbs(statements) == ["launched", "initialized", *["experienced"] * len(pages), *["answered"] * len(quiz),
                                 "completed", "passed", "terminated"]
    assert lms.state.fetches.count(launch.url.split("fetch%2F")[1].split("&")[0]) == 1, "the token is fetched once"
    log = lms.state.log
    assert log.index("GET state LMS.LaunchData") < next(i for i, entry in enumerate(log) if entry.startswith("POST statements"))

    for statement in statements:
        BaseXapiStatement(**statement)  # xAPI 1.0.3, as Ralph's own statement model reads it
        assert statement["context"]["registration"] == launch.registration
        assert statement["context"]["extensions"][SESSION_ID] == launch.session_id
        assert statement["actor"]["account"] == LEARNER["account"]
    by_verb = {verbs([s])[0]: s for s in statements}
    for verb in ("initialized", "completed", "passed", "terminated"):
        assert by_verb[verb]["object"]["id"] == au["id"]
        assert CMI5_CATEGORY in categories(by_verb[verb])
    assert MOVEON in categories(by_verb["completed"]) and MOVEON in categories(by_verb["passed"])
    assert MOVEON not in categories(by_verb["initialized"]) | categories(by_verb["terminated"])

    passed = by_verb["passed"]
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert passed["context"]["extensions"][MASTERY] == au["masteryScore"]
    assert by_verb["completed"]["result"]["completion"] is True
    assert by_verb["terminated"]["result"]["duration"].startswith("PT")

    experienced = [s for s in statements if verbs([s])[0] == "experienced"]
    assert [s["object"]["id"] for s in experienced] == [f"{au['id']}/page/{quote(page, safe='')}" for page in pages]
    assert not any(CMI5_CATEGORY in categories(s) for s in experienced)

    answered = [s for s in statements if verbs([s])[0] == "answered"]
    assert [s["object"]["id"] for s in answered] == [f"{au['id']}/question/{q.id}" for q in quiz]
    for statement, question in zip(answered, quiz, strict=True):
        assert CMI5_CATEGORY not in categories(statement), "answered is not a cmi5-defined statement"
        definition = statement["object"]["definition"]
        assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert definition["interactionType"] == ("true-false" if question.type == "truefalse" else "choice")
        assert statement["result"] == {"response": expected_response(question, letters(question, True)), "success": True}


@pytest.mark.browser
def test_a_learner_below_the_mastery_score_fails_with_the_score(
        browser: Browser, guard: Guard, lms: Cmi5Lms, sample_builds: Any, sample: LoadedCourse) -> None:
    au = aus(package(sample_builds, sample))[f"au/module-{MODULE}.html"]
    launch = lms.launch(au, LEARNER)
    page, view = open_au(browser, guard, launch.url)
    work_through(view, sample, right=False)
    leave(page)

    statements = stored_until(lms, launch.registration, "terminated")
    assert verbs(statements) == ["launched", "initialized", *["experienced"] * len(module_pages(sample)),
                                 *["answered"] * len(questions(sample)), "failed", "terminated"]
    failed = statements[-2]
    assert failed["result"]["success"] is False and failed["result"]["score"]["scaled"] == 0
    assert {CMI5_CATEGORY, MOVEON} <= categories(failed)


@pytest.mark.browser
def test_the_next_launch_resumes_from_the_state_api_and_judges_nothing_twice(
        browser: Browser, guard: Guard, lms: Cmi5Lms, sample_builds: Any, sample: LoadedCourse) -> None:
    au = aus(package(sample_builds, sample))[f"au/module-{MODULE}.html"]
    first = lms.launch(au, LEARNER)
    page, view = open_au(browser, guard, first.url)
    work_through(view, sample, right=True)
    next_page_title = view.locator("[data-page]:not([hidden]) h1").inner_text()
    leave(page)
    stored_until(lms, first.registration, "terminated")
    saved = lms.saved(au, LEARNER, first.registration, PROGRESS_STATE)
    assert saved is not None and saved["location"] and saved["completed"] and saved["passed"]

    second = lms.launch(au, LEARNER, registration=first.registration)
    page, view = open_au(browser, guard, second.url)
    assert view.locator("[data-page]:not([hidden]) h1").inner_text() == next_page_title
    question = questions(sample)[0]
    assert view.locator(f'form[data-question="{question.id}"] input:checked').count() == len(letters(question, True))
    leave(page)

    statements = stored_until(lms, first.registration, "terminated", count=2)
    second_session = [s for s in statements if s["context"]["extensions"][SESSION_ID] == second.session_id]
    # The page it opens at is seen again; nothing is judged a second time.
    assert verbs(second_session) == ["launched", "initialized", "experienced", "terminated"]


@pytest.mark.browser
def test_reloading_the_au_ends_the_session_cleanly_and_says_to_open_it_again(
        browser: Browser, guard: Guard, lms: Cmi5Lms, sample_builds: Any, sample: LoadedCourse) -> None:
    au = aus(package(sample_builds, sample))[f"au/module-{MODULE}.html"]
    launch = lms.launch(au, LEARNER)
    page, view = open_au(browser, guard, launch.url)
    next_page(view)
    # Unloading the course page ends the session (as closing it does), and cmi5 allows one token
    # request a launch, so the reloaded page asks for a new launch instead of failing quietly.
    page.reload()
    page.locator("#cmi5-status", has_text="open the course again from the platform").wait_for()

    statements = stored_until(lms, launch.registration, "terminated")
    assert verbs(statements) == ["launched", "initialized", "experienced", "experienced", "terminated"]
    assert lms.state.fetches.count(launch.url.split("fetch%2F")[1].split("&")[0]) == 1, "one token request a launch"
    assert lms.saved(au, LEARNER, launch.registration, PROGRESS_STATE)["location"] == module_pages(sample)[1]


@pytest.mark.browser
def test_in_its_own_window_the_au_exits_to_the_return_url_after_terminated(
        browser: Browser, guard: Guard, lms: Cmi5Lms, sample_builds: Any, sample: LoadedCourse) -> None:
    au = aus(package(sample_builds, sample))[f"au/module-{MODULE}.html"]
    return_url = f"{lms.base}{RETURN_PATH}"
    launch = lms.launch(au, LEARNER, return_url=return_url)
    page, view = open_au(browser, guard, launch.url)
    next_page(view)
    page.get_by_role("button", name="Exit and return to the learning platform").click()
    page.wait_for_url(return_url)
    assert page.get_by_text("Back in the LMS.").is_visible()

    statements = stored_until(lms, launch.registration, "terminated")
    assert verbs(statements) == ["launched", "initialized", "experienced", "experienced", "terminated"]
    log = lms.state.log
    terminated_at = next(i for i, entry in enumerate(log) if entry.startswith("POST statements") and "terminated" in entry)
    assert terminated_at < log.index(f"GET {RETURN_PATH}"), "the AU leaves only once the LRS has its terminated statement"


@pytest.mark.browser
def test_without_a_return_url_the_au_offers_no_exit(
        browser: Browser, guard: Guard, lms: Cmi5Lms, sample_builds: Any, sample: LoadedCourse) -> None:
    au = aus(package(sample_builds, sample))[f"au/module-{MODULE}.html"]
    page, _ = open_au(browser, guard, lms.launch(au, LEARNER).url)
    assert page.get_by_role("button", name="Exit and return to the learning platform").is_hidden()
    leave(page)


@pytest.mark.browser
def test_in_review_mode_the_au_sends_nothing_that_judges_the_learner(
        browser: Browser, guard: Guard, lms: Cmi5Lms, sample_builds: Any, sample: LoadedCourse) -> None:
    au = aus(package(sample_builds, sample))[f"au/module-{MODULE}.html"]
    launch = lms.launch(au, LEARNER, mode="Review")
    page, view = open_au(browser, guard, launch.url)
    work_through(view, sample, right=True)
    leave(page)
    statements = stored_until(lms, launch.registration, "terminated")
    assert verbs(statements) == ["launched", "initialized", "terminated"]
    assert json.dumps(statements).count('"passed"') == 0
