"""What authors converting an existing course need to say: each example in docs/authoring.md, read and shown.

The catalogue description, a grouping in the author's words, a titled facilitator note, an
example for an idea, a label for a steps block's prompts, and a straight quote inside an attribute.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import lxml.html

from course_builder.load import load_course
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions
from course_builder.targets.guide import GuideTarget
from course_builder.targets.web import WebTarget
from course_builder.targets.workbook import WorkbookTarget
from course_builder.views import view_for

AUTHORING = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"


def example(section: str, nth: int = 0) -> str:
    text = AUTHORING.read_text(encoding="utf-8").split(f"\n### {section}", 1)[1]
    return re.findall(r"```markdown\n(.*?)```", text, re.S)[nth]


def course_with(tmp_path: Path, body: str, settings: str = "") -> Path:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    front = "id: welcome\ntitle: Welcome\nduration: 60\nobjectives:\n  - Say what the workshop is for."
    (folder / "modules" / "01-welcome.md").write_text(f"---\n{front}\n---\n\n{textwrap.dedent(body)}", encoding="utf-8")
    if settings:
        course_yaml = folder / "course.yaml"
        course_yaml.write_text(course_yaml.read_text(encoding="utf-8") + settings, encoding="utf-8")
    return folder


def blocks_of(folder: Path, kind: str) -> list:
    return [b for b in load_course(folder).course.modules[0].blocks if b.kind == kind]


def visible(html: str) -> str:
    document = lxml.html.document_fromstring(html)
    for element in document.xpath("//script | //style"):
        element.drop_tree()
    return " ".join(" ".join(document.itertext()).split())  # each element's text apart, as a reader sees it


def web_text(folder: Path, tmp_path: Path) -> tuple[str, str]:
    """The web course's visible text and its <head>, as a browser gets them."""
    course = load_course(folder).course
    out = tmp_path / "out"
    WebTarget().build(view_for(course, "learner"), course.brand, out, BuildOptions(source_date_epoch=1700000000))
    page = (out / "web" / "index.html").read_text(encoding="utf-8")
    return visible(page), page.split("</head>")[0]


def print_text(folder: Path, target: type) -> str:
    course = load_course(folder).course
    view = view_for(course, target.audience)
    return visible(target().render_html(view, course.brand, BuildOptions(source_date_epoch=1700000000)))


def test_the_activity_example_says_how_people_work_in_the_authors_words(tmp_path: Path) -> None:
    folder = course_with(tmp_path, example("activity"))
    (activity,) = blocks_of(folder, "activity")
    assert activity.grouping == "pairs"
    assert activity.grouping_note == "alone for five minutes, then in pairs"
    web, _ = web_text(folder, tmp_path)
    assert "In pairs (alone for five minutes, then in pairs)" in web
    assert "alone for five minutes, then in pairs" in print_text(folder, WorkbookTarget)
    assert "alone for five minutes, then in pairs" in print_text(folder, GuideTarget)


def test_a_facilitator_note_keeps_its_title_in_the_guide(tmp_path: Path) -> None:
    folder = course_with(tmp_path, example("facilitator"))
    (note,) = blocks_of(folder, "facilitator")
    assert note.title == "After the silence"
    guide = print_text(folder, GuideTarget)
    assert "Facilitator note: After the silence" in guide
    assert "After the silence" not in print_text(folder, WorkbookTarget)


def test_a_titled_facilitator_note_inside_an_activity_keeps_its_title(tmp_path: Path) -> None:
    body = '::: {.activity title="Talk" minutes=5}\nTalk.\n\n::: {.facilitator title="Timing"}\nWatch the clock.\n:::\n:::\n'
    (activity,) = blocks_of(course_with(tmp_path, body), "activity")
    assert activity.facilitator == "**Timing**\n\nWatch the clock."


def test_a_concept_has_an_example_shown_apart_from_its_description(tmp_path: Path) -> None:
    folder = course_with(tmp_path, example("needs / concepts", 1))
    (concepts,) = blocks_of(folder, "concepts")
    leadership = concepts.items[1]
    assert leadership.description == "Moving people: purpose, trust, growth."
    assert leadership.example == "a new lead asks each person what they want to learn this quarter."
    web, _ = web_text(folder, tmp_path)
    assert "Example a new lead asks each person" in web
    assert "Example a new lead asks each person" in print_text(folder, WorkbookTarget)


def test_a_steps_block_labels_its_prompts_as_the_author_says(tmp_path: Path) -> None:
    folder = course_with(tmp_path, example("steps"))
    (steps,) = blocks_of(folder, "steps")
    assert steps.prompts_label == "Questions to ask yourself"
    web, _ = web_text(folder, tmp_path)
    assert web.count("Questions to ask yourself") == 2 and "Ask yourself" not in web.replace("Questions to ask yourself", "")


def test_a_straight_double_quote_is_written_inside_an_attribute_with_a_backslash(tmp_path: Path) -> None:
    folder = course_with(tmp_path, '::: {.activity title="The \\"why\\" question" minutes=5}\nAsk why.\n:::\n')
    (activity,) = blocks_of(folder, "activity")
    assert activity.title == 'The "why" question'
    web, _ = web_text(folder, tmp_path)
    assert 'The "why" question' in web and "\\" not in web


def test_the_catalogue_description_is_the_web_courses_page_description(tmp_path: Path) -> None:
    settings = 'description: "A one-day workshop for new team leaders on what moves people at work."\n'
    folder = course_with(tmp_path, "Some text.\n", settings)
    course = load_course(folder).course
    assert course.settings.description == "A one-day workshop for new team leaders on what moves people at work."
    _, head = web_text(folder, tmp_path)
    assert '<meta name="description" content="A one-day workshop for new team leaders on what moves people at work.">' in head
