"""The participant workbook: the course as a designed PDF that participants fill in on screen or print.

Python decides what participants see (no facilitator notes, no debrief questions, no quiz
answers) and which writing spaces become fillable form fields; the templates in
`templates/print/` decide how it looks.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_builder.markup import to_text
from course_builder.model import Activity, Block, Brand, Course, FacilitatorNote, Module, Quiz, QuizQuestion, Reflection
from course_builder.targets.base import BuildOptions
from course_builder.targets.pdf_target import PdfTarget

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
ACTION_PLAN = (
    WritingSpace("action-plan-start", "What I will start doing", 7),
    WritingSpace("action-plan-stop", "What I will stop doing", 7),
    WritingSpace("action-plan-continue", "What I will continue doing", 7),
)


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


def participant_block(block: Block) -> Block | None:
    """The block as participants may see it, or None when it is for facilitators only.

    Facilitator material is removed here rather than merely not printed, so a course's own
    templates cannot leak it into the workbook either.
    """
    if isinstance(block, FacilitatorNote):
        return None
    if isinstance(block, Activity):
        return block.model_copy(update={"facilitator": None, "debrief": ()})
    if isinstance(block, Quiz):
        questions = tuple(
            q.model_copy(update={"options": tuple(o.model_copy(update={"correct": False, "feedback": None}) for o in q.options)})
            for q in block.questions
        )
        return block.model_copy(update={"questions": questions})
    return block


def participant_module(module: Module) -> Module:
    """The module without facilitator material; sections left empty by that disappear."""
    sections = []
    for section in module.sections:
        blocks = tuple(shown for block in section.blocks if (shown := participant_block(block)) is not None)
        if blocks:
            sections.append(section.model_copy(update={"blocks": blocks}))
    return module.model_copy(update={"sections": tuple(sections)})


class WorkbookTarget(PdfTarget):
    name = "workbook"
    description = "Participant workbook (PDF) with fillable writing space and no facilitator material."
    output = OUTPUT

    def render_html(self, course: Course, brand: Brand, options: BuildOptions) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        env = print_document.print_environment(course)
        env.globals.update(writing_space=writing_space, quiz_hint=quiz_hint)
        return print_document.render_html(
            env,
            TEMPLATE,
            course,
            brand,
            options,
            "Participant workbook",
            modules=[participant_module(module) for module in course.modules],
            block_templates=BLOCK_TEMPLATES,
            name_field=NAME_FIELD,
            action_plan=ACTION_PLAN,
        )
