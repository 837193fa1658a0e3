"""The participant workbook: the course as a designed PDF that participants fill in on screen or print.

The workbook receives the participant's view (`course_builder.views`): no facilitator notes,
debrief questions or quiz answers are in it, so neither this module nor a course's own
templates can print them. Python decides which writing spaces become fillable form fields;
the templates in `templates/print/` decide how it looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course_builder.blocks import Audience
from course_builder.markup import to_text
from course_builder.model import Activity, Brand, Handout, HandoutField, QuizQuestion, Reflection
from course_builder.targets.base import BuildOptions
from course_builder.targets.pdf_target import PdfTarget
from course_builder.views import CourseView

OUTPUT = "workbook.pdf"
TEMPLATE = "print/workbook.html"
BLOCK_TEMPLATES = {
    "prose": "print/blocks/prose.html",
    "figure": "print/blocks/figure.html",
    "steps": "print/blocks/steps.html",
    "needs": "print/blocks/concepts.html",
    "concepts": "print/blocks/concepts.html",
    "questions": "print/blocks/questions.html",
    "reflection": "print/blocks/reflection.html",
    "activity": "print/blocks/activity.html",
    "quiz": "print/blocks/quiz.html",
    "quote": "print/blocks/quote.html",
    "takeaways": "print/blocks/takeaways.html",
    "case": "print/blocks/case.html",
}


@dataclass(frozen=True)
class WritingSpace:
    """Ruled space to write in that is also a fillable PDF text field."""

    name: str  # the PDF field name, e.g. "reflection-disengaged"
    label: str  # what a screen reader or form-filling app announces
    lines: int


NAME_FIELD = WritingSpace("participant-name", "Participant name", 1)


def action_plan(course: CourseView) -> Handout | None:
    """The plan participants leave with: the kept worksheet of the last activity that has one.

    It is the plan the day's closing activity asks for, so the workbook prints it on its last
    pages, where participants look for it after the workshop, rather than after the activity.
    """
    kept = [
        handout
        for module in course.modules
        for activity in module.activities
        for handout in activity.handouts
        if handout.keep and handout.form == "worksheet"
    ]
    return kept[-1] if kept else None


def handout_space(handout: Handout, field: HandoutField) -> WritingSpace:
    """The fillable field for one space on a kept worksheet, named after the handout and the field."""
    slug = re.sub(r"[^a-z0-9]+", "-", field.label.lower()).strip("-")
    return WritingSpace(f"{handout.id}-{slug}", f"{handout.title}: {field.label}", field.lines)


def writing_space(block: Reflection | Activity) -> WritingSpace:
    """The form field for a reflection or an activity, named after the block's id."""
    if isinstance(block, Reflection):
        label = block.title or _shorten(to_text(block.prompt))
        return WritingSpace(f"reflection-{block.id}", f"Reflection: {label}", block.lines)
    # Longer activities leave more to note down.
    return WritingSpace(f"activity-{block.id}", f"Activity notes: {block.title}", min(12, max(6, block.minutes // 2)))


QUIZ_HINTS = {"single": "Choose one.", "multiple": "Choose all that apply.", "truefalse": "True or false?"}


def quiz_hint(question: QuizQuestion) -> str | None:
    """How many boxes to tick, unless the question already says so."""
    hint = QUIZ_HINTS[question.type]
    return None if hint.rstrip(".?").lower() in to_text(question.prompt).lower() else hint


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class WorkbookTarget(PdfTarget):
    name = "workbook"
    description = "Participant workbook (PDF) with fillable writing space and no facilitator material."
    audience = Audience.PARTICIPANT
    render_cost = 6
    output = OUTPUT

    def render_html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        env = print_document.print_environment(view)
        env.globals.update(writing_space=writing_space, quiz_hint=quiz_hint, handout_space=handout_space)
        return print_document.render_html(
            env,
            TEMPLATE,
            view,
            brand,
            options,
            "Participant workbook",
            modules=list(view.modules),
            block_templates=BLOCK_TEMPLATES,
            name_field=NAME_FIELD,
            action_plan=action_plan(view),
        )
