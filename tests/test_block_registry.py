"""The block registry and the audience views, as an author and a template writer meet them.

Every block kind is declared once (course_builder/blocks.py); these tests hold the loader, the
docs, the templates and the views to that one declaration.
"""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path

import pytest

from course_builder.blocks import BLOCK_KINDS, FENCED_NAMES, Audience, attributes_table, who_sees_what_table
from course_builder.errors import CourseError
from course_builder.load import load_course
from course_builder.resources import templates_dir
from course_builder.skeleton import write_minimal_course
from course_builder.views import PresenterView, view_for

AUTHORING = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"

EVERY_BLOCK = """
    Opening prose for everyone.

    ## Practice

    ::: {.steps title="Practices"}
    1. **Listen first.** Hear them out before you answer.
       - Prompt: What did they say?
    :::

    ::: {.reflection #hope title="Hope" minutes=3 lines=4}
    What do you hope for?
    :::

    ::: {.activity #pairs title="Pair talk" minutes=10 grouping=pairs materials="Cards; Pens"}
    Talk in pairs about SHAREDINSTRUCTIONS.

    ::: {.facilitator}
    Walk around and listen: SECRETACTIVITYNOTE.
    :::

    ::: {.debrief}
    - What surprised you about ROOMDEBRIEF?
    :::
    :::

    ::: {.facilitator}
    Keep an eye on the clock: SECRETSTANDALONENOTE.
    :::

    ::: {.quiz #check}
    ### Which one is right?
    - [ ] Alpha option
      > Not alpha: SECRETFEEDBACKALPHA.
    - [x] Beta option
      > Beta is right: SECRETFEEDBACKBETA.
    :::
    """
FACILITATOR_ONLY_TEXT = ("SECRETACTIVITYNOTE", "SECRETSTANDALONENOTE")
ANSWER_TEXT = ("SECRETFEEDBACKALPHA", "SECRETFEEDBACKBETA")


def make_course(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    front = "id: welcome\ntitle: Welcome\nduration: 60\nobjectives:\n  - Say what the workshop is for."
    (folder / "modules" / "01-welcome.md").write_text(f"---\n{front}\n---\n\n{textwrap.dedent(body)}", encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    return [f"{p.line}: {p.message} | {p.hint}" for p in caught.value.problems]


def all_text(value: object) -> str:
    """Every string reachable from a view, however deep, so a test can search it."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple | list):
        return " ".join(all_text(v) for v in value)
    if hasattr(type(value), "model_fields"):
        return " ".join(all_text(getattr(value, name)) for name in type(value).model_fields)
    return str(value)


# ---------------------------------------------------------------- attributes are declared


def test_a_misspelt_attribute_is_an_error_with_the_closest_name(tmp_path: Path) -> None:
    folder = make_course(tmp_path, '::: {.reflection minuts=3 titel="Hope"}\nWhat do you hope for?\n:::\n')
    problems = problems_of(folder)
    assert "9: a 'reflection' block has no attribute 'minuts' | did you mean 'minutes'?" in problems
    assert "9: a 'reflection' block has no attribute 'titel' | did you mean 'title'?" in problems


def test_a_misspelt_activity_attribute_is_an_error(tmp_path: Path) -> None:
    folder = make_course(tmp_path, '::: {.activity title="Talk" minutes=5 matrials="Cards"}\nTalk.\n:::\n')
    assert problems_of(folder) == ["9: an 'activity' block has no attribute 'matrials' | did you mean 'materials'?"]


@pytest.mark.parametrize(
    "body",
    [
        '::: {.facilitator minutes=5}\nWatch the clock.\n:::\n',
        '::: {.activity title="Talk" minutes=5}\nTalk.\n\n::: {.facilitator minutes=5}\nWatch the clock.\n:::\n:::\n',
    ],
    ids=["standing alone", "inside an activity"],
)
def test_an_attribute_a_block_does_not_take_is_an_error(tmp_path: Path, body: str) -> None:
    problems = problems_of(make_course(tmp_path, body))
    assert len(problems) == 1
    assert "a 'facilitator' block has no attribute 'minutes'" in problems[0]


def test_a_number_attribute_in_words_says_so(tmp_path: Path) -> None:
    folder = make_course(tmp_path, "::: {.reflection minutes=five}\nWhat do you hope for?\n:::\n")
    assert problems_of(folder) == ["9: 'minutes' must be a whole number, not 'five' | write a whole number, e.g. minutes=10"]


def test_every_declared_attribute_is_read_into_the_block(tmp_path: Path) -> None:
    course = load_course(make_course(tmp_path, EVERY_BLOCK)).course
    reflection = course.modules[0].reflections[0]
    activity = course.modules[0].activities[0]
    assert (reflection.id, reflection.title, reflection.minutes, reflection.lines) == ("hope", "Hope", 3, 4)
    assert (activity.id, activity.title, activity.minutes, activity.grouping, activity.materials) == (
        "pairs", "Pair talk", 10, "pairs", ("Cards", "Pens"))


# ---------------------------------------------------------------- one declaration per kind, everything derives from it


def test_every_fenced_kind_has_a_reader_and_every_html_renderer_exists() -> None:
    for kind in BLOCK_KINDS.values():
        if kind.fenced:
            module, _, function = kind.reader.partition(":")
            assert callable(getattr(importlib.import_module(module), function)), kind.name
        for output in ("workbook", "guide", "web", "slides"):
            assert output in kind.renderers, f"{kind.name} says nothing about {output}"
        for output in ("workbook", "guide", "web"):
            template = kind.renderers[output]
            assert template is None or (templates_dir() / template).is_file(), template


def test_the_authoring_guide_has_the_who_sees_what_table_of_the_registry() -> None:
    assert who_sees_what_table() in AUTHORING.read_text(encoding="utf-8")


def test_the_authoring_guide_documents_every_block_and_attribute() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    for name in FENCED_NAMES:
        assert f"{{.{name}" in text, name
    assert attributes_table() in text


# ---------------------------------------------------------------- the views hold only what their audience may see


@pytest.fixture(scope="module")
def every_block_course(tmp_path_factory: pytest.TempPathFactory):
    return load_course(make_course(tmp_path_factory.mktemp("views"), EVERY_BLOCK)).course


def test_the_participant_sees_no_facilitator_material_no_debrief_and_no_answers(every_block_course) -> None:
    text = all_text(view_for(every_block_course, Audience.PARTICIPANT).modules)
    assert "SHAREDINSTRUCTIONS" in text
    for secret in (*FACILITATOR_ONLY_TEXT, *ANSWER_TEXT, "ROOMDEBRIEF"):
        assert secret not in text
    quiz = view_for(every_block_course, Audience.PARTICIPANT).modules[0].quizzes[0]
    assert not any(option.correct for question in quiz.questions for option in question.options)


def test_the_learner_gets_answers_and_debrief_but_no_facilitator_notes(every_block_course) -> None:
    text = all_text(view_for(every_block_course, Audience.LEARNER).modules)
    assert all(word in text for word in (*ANSWER_TEXT, "ROOMDEBRIEF"))
    assert not any(secret in text for secret in FACILITATOR_ONLY_TEXT)


def test_the_room_sees_the_debrief_but_answers_and_notes_only_reach_the_speaker_notes(every_block_course) -> None:
    view = view_for(every_block_course, Audience.PRESENTER)
    assert isinstance(view, PresenterView)
    text = all_text(view.modules)
    assert "ROOMDEBRIEF" in text
    assert not any(secret in text for secret in (*FACILITATOR_ONLY_TEXT, *ANSWER_TEXT))
    activity = view.modules[0].activities[0]
    assert "SECRETACTIVITYNOTE" in view.speaker_notes_for(activity).facilitator
    quiz = view.modules[0].quizzes[0]
    assert "SECRETFEEDBACKBETA" in all_text(view.speaker_notes_for(quiz))
    assert [b.kind for b in view.facilitator_notes_after(activity)] == ["facilitator"]


def test_the_facilitator_sees_everything(every_block_course) -> None:
    text = all_text(view_for(every_block_course, Audience.FACILITATOR).modules)
    assert all(word in text for word in (*FACILITATOR_ONLY_TEXT, *ANSWER_TEXT, "ROOMDEBRIEF"))
