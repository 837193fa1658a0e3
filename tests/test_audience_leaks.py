"""A course's own templates cannot show an audience what is not theirs.

The course below marks every facilitator-only text with a code word. Its templates replace the
built-in block templates of the workbook and the web course with ones generated from the model's
fields: each prints every field of its block, however deep. Whatever such a template prints, the
participant's workbook, the learner's web course and SCORM packages, and the room's slides must
not hold the code words that are not theirs, because their views never had them.
"""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from pptx import Presentation
from pydantic import BaseModel
from pypdf import PdfReader

from course_builder.blocks import BLOCK_KINDS
from course_builder.build import build_course
from course_builder.load import load_course
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions

FACILITATOR_ONLY = ("SECRETACTIVITYNOTE", "SECRETSTANDALONENOTE")
DEBRIEF = "ROOMDEBRIEF"
ANSWERS = ("SECRETFEEDBACKALPHA", "SECRETFEEDBACKBETA")

MODULE = """\
---
id: welcome
title: Welcome
duration: 90
objectives:
  - Say what the workshop is for.
---

Opening prose for everyone.

## Practice

::: {.steps title="Practices"}
1. **Listen first.** Hear them out before you answer.
   - Prompt: What did they say?
:::

::: {.needs title="Needs"}
### Belonging
Feeling part of the team.

Signs:
- They join in.

Actions:
- Invite them.
:::

::: {.questions}
- Did it work? => What worked?
:::

::: {.reflection #hope title="Hope" minutes=3}
What do you hope for?
:::

::: {.activity #pairs title="Pair talk" minutes=10 grouping=pairs materials="Cards"}
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

::: {.quote by="A manager"}
People follow those they trust.
:::

::: {.case title="The quiet expert"}
Priya has stopped speaking in meetings.
:::

::: {.takeaways}
- Listen first.
:::

::: {.quiz #check}
### Which one is right?
- [ ] Alpha option
  > Not alpha: SECRETFEEDBACKALPHA.
- [x] Beta option
  > Beta is right: SECRETFEEDBACKBETA.
:::
"""


def printed(expression: str, annotation: Any, depth: int) -> str:
    """Template text that prints a field, walking into nested models and tuples of them."""
    candidates = get_args(annotation) or (annotation,)
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    if not models:
        return f"[{{{{ {expression} }}}}]"
    if get_origin(annotation) is tuple:
        item = f"item{depth}"
        return f"{{% for {item} in {expression} %}}{every_field(item, models[0], depth + 1)}{{% endfor %}}"
    return f"{{% if {expression} %}}{every_field(expression, models[0], depth + 1)}{{% endif %}}"


def every_field(expression: str, model: type[BaseModel], depth: int = 0) -> str:
    return "".join(printed(f"{expression}.{name}", field.annotation, depth) for name, field in model.model_fields.items())


def write_templates_that_print_everything(course: Path) -> None:
    for kind in BLOCK_KINDS.values():
        for output in ("workbook", "web"):
            template = kind.renderers[output]
            if template is not None:
                file = course / "templates" / template
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(f"<div>{every_field('block', kind.model)}</div>\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("leaks") / "course"
    write_minimal_course(folder)
    (folder / "modules" / "01-welcome.md").write_text(textwrap.dedent(MODULE), encoding="utf-8")  # the skeleton's one module
    write_templates_that_print_everything(folder)
    out = folder.parent / "out"
    formats = ("workbook", "web", "scorm12", "scorm2004", "slides")
    build_course(load_course(folder), out, formats, options=BuildOptions())
    return out


def web_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (out / "web").rglob("*.html"))


def package_text(package: Path) -> str:
    with zipfile.ZipFile(package) as archive:
        return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".html"))


def test_the_generated_templates_really_print_every_field(built: Path) -> None:
    text = web_text(built)
    assert "SHAREDINSTRUCTIONS" in text and "Priya" in text and "Invite them" in text
    assert DEBRIEF in text and all(answer in text for answer in ANSWERS)  # the learner's own parts are printed


def test_the_workbook_holds_no_facilitator_note_no_debrief_and_no_answer(built: Path) -> None:
    text = "\n".join(page.extract_text() for page in PdfReader(built / "workbook.pdf").pages)
    assert "SHAREDINSTRUCTIONS" in text
    for secret in (*FACILITATOR_ONLY, DEBRIEF, *ANSWERS):
        assert secret not in text
    assert "[True]" not in text  # no option is printed as the correct one


def test_the_web_course_and_both_packages_hold_no_facilitator_note(built: Path) -> None:
    for text in (web_text(built), *(package_text(p) for p in sorted(built.glob("*.zip")))):
        assert "SHAREDINSTRUCTIONS" in text
        assert not any(secret in text for secret in FACILITATOR_ONLY)


def test_the_slides_show_the_room_no_facilitator_note_and_no_answer(built: Path) -> None:
    deck = Presentation(str(built / "slides.pptx"))
    faces = " ".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )
    notes = " ".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide)
    assert "SHAREDINSTRUCTIONS" in faces
    assert not any(secret in faces for secret in (*FACILITATOR_ONLY, *ANSWERS))
    assert all(secret in notes for secret in FACILITATOR_ONLY)  # the presenter still gets them, in the notes
