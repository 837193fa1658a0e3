"""The course format, as an author writes it, arrives in the model intact and located."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from course_builder.errors import CourseError, Problems
from course_builder.load import load_course
from course_builder.load.yaml_source import read_yaml, validate_into
from course_builder.model import Brand, CourseSettings
from course_builder.skeleton import write_minimal_course

AUTHORING = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"


def make_course(tmp_path: Path, body: str, front: str | None = None, name: str = "01-welcome.md") -> Path:
    """A minimal course whose one module has the given Markdown body."""
    folder = tmp_path / "course"
    write_minimal_course(folder)
    front = (
        front or "id: welcome\ntitle: Welcome\nduration: 30\nobjectives:\n  - Say what the workshop is for.\n  - Name one need."
    )
    (folder / "modules" / name).write_text(f"---\n{front}\n---\n\n{textwrap.dedent(body)}", encoding="utf-8")
    return folder


def only_block(folder: Path, kind: str):
    course = load_course(folder).course
    blocks = [b for b in course.modules[0].blocks if b.kind == kind]
    assert len(blocks) == 1, [b.kind for b in course.modules[0].blocks]
    return blocks[0]


def authoring_example(name: str) -> str:
    """The Markdown example for one block from docs/authoring.md (the `### name` section)."""
    text = AUTHORING.read_text(encoding="utf-8")
    section = text.split(f"\n### {name}", 1)[1]
    return re.search(r"```markdown\n(.*?)```", section, re.S).group(1)


def test_the_minimal_skeleton_checks_clean(tmp_path: Path) -> None:
    write_minimal_course(tmp_path / "c")
    loaded = load_course(tmp_path / "c")
    assert loaded.course.modules[0].title == "Welcome"
    assert loaded.warnings == []


def test_sections_split_at_level_two_headings_and_text_before_is_the_intro(tmp_path: Path) -> None:
    folder = make_course(tmp_path, "Welcome text.\n\n## First\n\nOne.\n\n## Second\n\nTwo.\n")
    sections = load_course(folder).course.modules[0].sections
    assert [s.title for s in sections] == [None, "First", "Second"]
    assert [s.id for s in sections] == ["introduction", "first", "second"]
    assert sections[1].blocks[0].markdown == "One."
    assert sections[2].source.line == 16


def test_steps_example_round_trips(tmp_path: Path) -> None:
    steps = only_block(make_course(tmp_path, authoring_example("steps")), "steps")
    assert steps.title == "Five ways to lead with alignment"
    assert steps.intro == "Use these in your next one-to-one."
    assert [s.name for s in steps.items] == ["Shift the question", "Observe before you assume"]
    assert steps.items[0].explanation == "Stop asking why they won't; ask what matters to them."
    assert steps.items[0].prompts == ("What matters to them right now?", "How could this task serve their goals?")


def test_needs_example_round_trips_with_signs_and_actions(tmp_path: Path) -> None:
    needs = only_block(make_course(tmp_path, authoring_example("needs / concepts")), "needs")
    assert needs.credit == "After William Glasser's choice theory"
    (need,) = needs.items
    assert need.name == "Competence and mastery"
    assert need.description == "The need to feel capable and to grow."
    assert need.signs == ("Asks for feedback and harder work.",)
    assert need.actions == ("Give stretch assignments with support.",)


def test_concepts_block_is_the_same_shape_with_its_own_kind(tmp_path: Path) -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    body = re.findall(r"```markdown\n(::: \{\.concepts.*?)```", text, re.S)[0]
    concepts = only_block(make_course(tmp_path, body), "concepts")
    assert [c.name for c in concepts.items] == ["Management", "Leadership"]
    assert concepts.items[1].signs == ("People bring ideas without being asked.",)


def test_questions_pair_a_closed_question_with_its_open_rewrite(tmp_path: Path) -> None:
    questions = only_block(make_course(tmp_path, authoring_example("questions")), "questions")
    assert questions.items[0].closed == "Did you finish the report?"
    assert questions.items[0].open == "What got in the way of the report?"
    assert questions.items[1].closed is None


def test_reflection_keeps_its_id_minutes_and_prompt(tmp_path: Path) -> None:
    reflection = only_block(make_course(tmp_path, authoring_example("reflection")), "reflection")
    assert (reflection.id, reflection.minutes, reflection.lines) == ("disengaged", 5, 6)
    assert reflection.prompt.startswith("Think of someone who seems disengaged.")


def test_activity_separates_participant_facilitator_and_debrief_text(tmp_path: Path) -> None:
    activity = only_block(make_course(tmp_path, authoring_example("activity")), "activity")
    assert (activity.id, activity.title, activity.minutes, activity.grouping) == ("needs-map", "Needs mapping", 20, "pairs")
    assert activity.materials == ("Flip chart", "Markers")
    assert activity.instructions == "Pick one team member each and map what you have seen of the five needs."
    assert "Walk the room" in activity.facilitator
    assert "Walk the room" not in activity.instructions
    assert activity.debrief == ("Which need was hardest to see?", "What will you ask this person next week?")


def test_quiz_options_carry_correctness_feedback_and_objective(tmp_path: Path) -> None:
    quiz = only_block(make_course(tmp_path, authoring_example("quiz")), "quiz")
    (question,) = quiz.questions
    assert (question.id, question.type, question.objective) == ("q-autonomy", "single", 1)
    assert question.prompt == "Which need is about having choices?"
    assert [o.correct for o in question.options] == [False, True, False]
    assert question.options[1].feedback == "Right: autonomy is choosing how we work."
    assert question.options[0].id == "q-autonomy-a"


def test_quiz_question_types_follow_the_options(tmp_path: Path) -> None:
    body = """\
    ::: {.quiz #check}
    ### Pick two
    - [x] One
    - [x] Two
    - [ ] Three

    ### Leadership is about people.
    - [x] True
    - [ ] False
    :::
    """
    quiz = only_block(make_course(tmp_path, body), "quiz")
    assert [q.type for q in quiz.questions] == ["multiple", "truefalse"]
    assert [q.id for q in quiz.questions] == ["check-q1", "check-q2"]


def test_facilitator_quote_takeaways_and_case_round_trip(tmp_path: Path) -> None:
    body = "\n".join(authoring_example(name) for name in ("facilitator", "quote", "takeaways", "case"))
    course = load_course(make_course(tmp_path, body)).course
    facilitator, quote, takeaways, case = course.modules[0].blocks
    assert facilitator.markdown.startswith("Allow a long silence")
    assert (quote.text, quote.attribution) == ("People act because something in it matters to them.", "Workshop principle")
    assert takeaways.items[0] == "Management organises things; leadership moves people."
    assert (case.title, case.markdown[:5]) == ("The quiet expert", "Priya")


def test_an_image_alone_in_a_paragraph_becomes_a_figure(tmp_path: Path) -> None:
    folder = make_course(tmp_path, '## Pictures\n\n![Two people talking](../assets/talk.png "A coaching talk")\n')
    from PIL import Image

    Image.new("RGB", (40, 20), "white").save(folder / "assets" / "talk.png")
    figure = only_block(folder, "figure")
    assert (figure.alt, figure.caption, figure.image) == (
        "Two people talking",
        "A coaching talk",
        (folder / "assets" / "talk.png").resolve(),
    )


def test_outer_fences_may_be_longer_than_inner_ones(tmp_path: Path) -> None:
    body = authoring_example("activity").replace("::: {.activity", ":::: {.activity")
    body = body[: body.rstrip().rfind(":::")] + "::::\n"
    assert only_block(make_course(tmp_path, body), "activity").facilitator


def test_course_and_brand_examples_in_the_docs_are_valid() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    course_yaml, brand_yaml = re.findall(r"```yaml\n(.*?)```", text, re.S)[:2]
    problems = Problems()
    settings = validate_into(CourseSettings, read_yaml(course_yaml, Path("course.yaml"), problems), problems, "course.yaml")
    brand = validate_into(Brand, read_yaml(brand_yaml, Path("brand.yaml"), problems), problems, "brand.yaml")
    assert problems.items == []
    assert settings.workshop.start.hour == 9 and settings.lms.mastery_score == 80
    assert brand.colors.primary == "#1F4E79"


def test_every_block_in_the_docs_has_an_example() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    from course_builder.blocks import FENCED_NAMES as BLOCK_NAMES

    for name in BLOCK_NAMES:
        assert re.search(rf"\{{\.{name}\b", text), f"docs/authoring.md has no example of .{name}"


@pytest.mark.parametrize(
    ("body", "line", "message", "hint"),
    [
        ("## A\n\n::: {.reflektion}\nText\n:::\n", 12, "unknown block 'reflektion'", "did you mean '.reflection'?"),
        ("## A\n\n::: {.reflection}\nText\n", 12, "'reflection' block is never closed", "add a line ':::'"),
        ("## A\n\n::: {.steps}\n- not numbered\n:::\n", 12, "needs one numbered list", "1. **Name.**"),
        ("## A\n\n::: {.activity minutes=10}\nDo it.\n:::\n", 12, "the activity has no title", 'title="'),
        ("## A\n\n::: {.quiz}\n### Q?\n- [ ] a\n- [ ] b\n:::\n", 13, "has no correct answer", "[x]"),
        (
            "## A\n\n::: {.reflection}\n::: {.case}\nx\n:::\n:::\n",
            13,
            "'case' block cannot stand inside a 'reflection'",
            "close the 'reflection'",
        ),
        ("## A\n\n::: {.reflection minutes=soon}\nx\n:::\n", 12, "minutes", None),
    ],
)
def test_content_errors_name_the_module_file_and_line(
    tmp_path: Path, body: str, line: int, message: str, hint: str | None
) -> None:
    folder = make_course(tmp_path, body)
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    problem = caught.value.problems[0]
    assert problem.file == folder / "modules" / "01-welcome.md"
    assert problem.line == line
    assert message in problem.message
    if hint:
        assert hint in problem.hint


def test_front_matter_errors_point_at_the_line_in_the_module(tmp_path: Path) -> None:
    folder = make_course(tmp_path, "## A\n\nText.\n", front="id: welcome\ntitle: Welcome\nduration: half an hour")
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (4, 11)
    assert "duration" in problem.message


def test_course_yaml_errors_point_at_the_offending_key(tmp_path: Path) -> None:
    folder = make_course(tmp_path, "## A\n\nText.\n")
    course_yaml = folder / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text().replace("mastery_score: 80", "mastery_score: 180").replace("paper: a4", "paper: a5")
    )
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    found = {(p.line, p.message.split("'")[1]) for p in caught.value.problems}
    assert found == {(12, "paper"), (14, "lms.mastery_score")}


def test_all_errors_of_a_course_are_reported_in_one_run(tmp_path: Path) -> None:
    folder = make_course(tmp_path, "::: {.reflektion}\nx\n:::\n\n::: {.takeaway}\n- a\n:::\n")
    with pytest.raises(CourseError) as caught:
        load_course(folder)
    assert [p.line for p in caught.value.problems] == [10, 14]


def test_warnings_flag_missing_alt_text_and_uncovered_objectives(tmp_path: Path) -> None:
    from PIL import Image

    folder = make_course(
        tmp_path, "## A\n\nSee ![](../assets/x.png) here.\n\n::: {.quiz}\n{objective=1}\n### Q?\n- [x] a\n- [ ] b\n:::\n"
    )
    Image.new("RGB", (4, 4)).save(folder / "assets" / "x.png")
    warnings = [w.message for w in load_course(folder).warnings]
    assert any("has no alt text" in w for w in warnings)
    assert any("objective 2" in w and "not checked" in w for w in warnings)


def test_the_sample_course_loads_without_errors(sample) -> None:
    course = sample.course
    assert len(course.modules) >= 4
    for module in course.modules:
        kinds = {b.kind for b in module.blocks}
        assert {"reflection", "activity", "quiz", "takeaways"} <= kinds, module.id
        assert module.objectives and module.duration
        assert all(len(q.questions) >= 3 for q in module.quizzes)
        assert all(a.facilitator for a in module.activities)


def test_an_image_whose_file_name_has_spaces_is_found(tmp_path: Path) -> None:
    from PIL import Image

    from course_builder.markup import to_html

    folder = make_course(tmp_path, "## Pictures\n\nSee ![A chart](<../assets/my chart.png>) here.\n")
    Image.new("RGB", (40, 20), "white").save(folder / "assets" / "my chart.png")
    prose = only_block(folder, "prose")
    assert [(ref.src, ref.path) for ref in prose.images] == [("../assets/my chart.png", folder / "assets" / "my chart.png")]
    html = to_html(prose.markdown, {ref.src: ref.path for ref in prose.images}, lambda path: path.name)
    assert 'src="my chart.png"' in html
