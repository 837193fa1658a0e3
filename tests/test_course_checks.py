"""`check` warns an author about a day without breaks and about quizzes a learner can pass by pattern."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from course_builder.cli import main
from course_builder.load import load_course
from course_builder.skeleton import write_minimal_course

FRONT = "---\nid: {id}\ntitle: {title}\nduration: {minutes}\nobjectives:\n  - Answer the questions.\n---\n\n"


def question(prompt: str, options: list[tuple[bool, str]]) -> str:
    lines = [f"{{objective=1}}\n### {prompt}"]
    lines += [f"- [{'x' if correct else ' '}] {text}" for correct, text in options]
    return "\n".join(lines) + "\n"


def course_with(tmp_path: Path, modules: list[tuple[str, int, str]], breaks: str = "") -> Path:
    """A course of the given modules (id, minutes, Markdown body), with optional course.yaml breaks."""
    folder = tmp_path / "course"
    write_minimal_course(folder)
    (folder / "modules" / "01-welcome.md").unlink()
    listed = []
    for number, (module_id, minutes, body) in enumerate(modules, start=1):
        name = f"{number:02}-{module_id}.md"
        listed.append(f"  - modules/{name}")
        front = FRONT.format(id=module_id, title=module_id.capitalize(), minutes=minutes)
        (folder / "modules" / name).write_text(front + textwrap.dedent(body), encoding="utf-8")
    course_yaml = (folder / "course.yaml").read_text(encoding="utf-8")
    course_yaml = course_yaml.replace("  - modules/01-welcome.md\n", "\n".join(listed) + "\n")
    (folder / "course.yaml").write_text(course_yaml + breaks, encoding="utf-8")
    return folder


def quiz_module(*questions: str) -> str:
    return "## Check\n\n::: {.quiz}\n" + "\n".join(questions) + ":::\n"


def warnings_of(folder: Path) -> list[str]:
    return [f"{w.where(folder)}: {w.message} | {w.hint}" for w in load_course(folder).warnings]


SAME_LENGTH_B = [
    question("Which colour is the sky?", [(False, "Green"), (True, "Blue"), (False, "Brown")]),
    question("Which animal barks?", [(False, "Cat"), (True, "Dog"), (False, "Cow")]),
    question("Which season is cold?", [(False, "Summer"), (True, "Winter"), (False, "Spring")]),
]


def test_correct_options_always_in_the_same_position_are_flagged_at_the_quiz(tmp_path: Path) -> None:
    folder = course_with(tmp_path, [("basics", 30, quiz_module(*SAME_LENGTH_B))])
    (warning,) = warnings_of(folder)
    assert warning.startswith("modules/01-basics.md:11: in all 3 choice questions of 'Basics',")
    assert "the first correct option is option B" in warning
    assert "move the correct option to another position" in warning


def test_multiple_response_answers_that_always_start_at_a_count_as_one_position(tmp_path: Path) -> None:
    multiple = question("Which are fruit?", [(True, "Apple"), (True, "Pear"), (False, "Leek")])
    single = [
        question("Which is a tool?", [(True, "Saw"), (False, "Sea"), (False, "Sky")]),
        question("Which is a month?", [(True, "May"), (False, "Mud"), (False, "Map")]),
    ]
    folder = course_with(tmp_path, [("basics", 30, quiz_module(multiple, *single))])
    assert any("the first correct option is option A" in w for w in warnings_of(folder))


def test_correct_options_that_are_always_the_longest_are_flagged(tmp_path: Path) -> None:
    longest = [
        question("Which colour is the sky?", [(True, "Blue, when the sun is out"), (False, "Green"), (False, "Red")]),
        question("Which animal barks?", [(False, "Cat"), (True, "A dog, usually at strangers"), (False, "Cow")]),
        question("Which season is cold?", [(False, "Summer"), (False, "Spring"), (True, "Winter, in the north")]),
    ]
    folder = course_with(tmp_path, [("basics", 30, quiz_module(*longest))])
    (warning,) = warnings_of(folder)
    assert "in all 3 single-choice questions of 'Basics', the correct option is the longest" in warning
    assert "make some wrong options as full and specific as the right one" in warning


def test_varied_quizzes_and_true_false_questions_pass_without_a_warning(tmp_path: Path) -> None:
    varied = [
        SAME_LENGTH_B[0],
        question("Which animal barks?", [(True, "Dog"), (False, "Cat"), (False, "A cow in a field")]),
        question("Which season is cold?", [(False, "Summer"), (False, "Spring"), (True, "Winter")]),
    ]
    true_false = [question(f"Statement {n}.", [(True, "True"), (False, "False")]) for n in range(3)]
    folder = course_with(tmp_path, [("varied", 30, quiz_module(*varied)), ("statements", 30, quiz_module(*true_false))])
    assert warnings_of(folder) == []


def test_a_day_that_runs_over_two_hours_without_a_break_is_flagged_at_the_module_that_overruns(tmp_path: Path) -> None:
    text = "## Part\n\nText.\n"
    folder = course_with(tmp_path, [("opening", 70, text), ("middle", 70, text), ("close", 30, text)])
    (warning,) = warnings_of(folder)
    assert warning.startswith("course.yaml:11: the workshop runs 140 minutes without a break, from 09:00 to 11:20")
    assert "add a break to 'workshop: breaks:' with 'after: opening'" in warning


def test_breaks_reset_the_clock_and_a_single_long_module_is_told_to_split(tmp_path: Path) -> None:
    text = "## Part\n\nText.\n"
    breaks = "  breaks:\n    - after: opening\n      minutes: 15\n"
    folder = course_with(tmp_path, [("opening", 70, text), ("middle", 70, text), ("marathon", 150, text)], breaks)
    (warning,) = warnings_of(folder)
    assert "runs 220 minutes without a break, from 10:25 to 14:05" in warning
    assert "with 'after: middle'" in warning
    folder = course_with(tmp_path / "alone", [("marathon", 150, text)])
    (warning,) = warnings_of(folder)
    assert "split 'marathon' into two modules and add a break between them" in warning


def test_check_prints_the_warning_with_file_and_line_and_still_succeeds(tmp_path: Path) -> None:
    folder = course_with(tmp_path, [("basics", 30, quiz_module(*SAME_LENGTH_B))])
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "modules/01-basics.md:11: warning: in all 3 choice questions" in result.output
    assert CliRunner().invoke(main, ["check", "--strict", str(folder)]).exit_code == 1


def test_the_sample_course_gets_none_of_these_warnings(sample) -> None:
    assert sample.warnings == []
