"""The participant workbook: the course as a designed PDF that participants fill in on screen or print.

The workbook receives the participant's view (`course_builder.views`): no facilitator notes,
debrief questions or quiz answers are in it, so neither this module nor a course's own
templates can print them. Python decides which writing spaces become fillable form fields;
the templates in `templates/print/` decide how it looks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from course_builder.blocks import Audience
from course_builder.labels import Labels, labels_of
from course_builder.markup import to_text
from course_builder.model import Activity, Brand, Handout, HandoutField, Participant, QuizQuestion, Reflection
from course_builder.targets.base import BuildOptions, atomic_file
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


def writing_space(block: Reflection | Activity, labels: Labels) -> WritingSpace:
    """The form field for a reflection or an activity, named after the block's id."""
    if isinstance(block, Reflection):
        label = block.title or _shorten(to_text(block.prompt))
        return WritingSpace(f"reflection-{block.id}", labels.gettext("Reflection: %(title)s", title=label), block.lines)
    # Longer activities leave more to note down.
    return WritingSpace(f"activity-{block.id}", labels.gettext("Activity notes: %(title)s", title=block.title),
                        min(12, max(6, block.minutes // 2)))


def quiz_hint(question: QuizQuestion, labels: Labels) -> str | None:
    """How many boxes to tick, unless the question already says so."""
    hint = {"single": labels.gettext("Choose one."), "multiple": labels.gettext("Choose all that apply."),
            "truefalse": labels.gettext("True or false?")}[question.type]
    return None if hint.rstrip(".?").lower() in to_text(question.prompt).lower() else hint


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


NAMED_FOLDER = "workbooks"
"""With a participants.csv, one workbook per person goes here, named after them."""


def name_workbook(workbook: Path, person: Participant, destination: Path, title: str) -> None:
    """A copy of the workbook with the person's name in its cover's name field and in its title.

    Filling the field in the finished PDF (rather than laying the workbook out again for each
    person) keeps a class of twenty as quick as one, and every copy tagged exactly like the original.
    """
    import pikepdf
    from pikepdf.form import DefaultAppearanceStreamGenerator, Form

    with pikepdf.open(workbook) as pdf, atomic_file(destination) as temporary:
        Form(pdf, DefaultAppearanceStreamGenerator)[NAME_FIELD.name].value = person.name
        named = f"{title} · {person.name}"
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = named
        pdf.docinfo["/Title"] = named
        pdf.save(temporary, deterministic_id=True)


class WorkbookTarget(PdfTarget):
    name = "workbook"
    description = "Participant workbook (PDF) with fillable writing space and no facilitator material."
    audience = Audience.PARTICIPANT
    render_cost = 6
    output = OUTPUT

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        return [self.output, *(f"{NAMED_FOLDER}/{person.file_stem}.pdf" for person in view.participants)]

    def content_key(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        names = "\n".join(person.name for person in view.participants)
        return hashlib.sha256(f"{super().content_key(view, brand, options)}\n{names}".encode()).hexdigest()

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        written = super().build(view, brand, out, options)
        for person in view.participants:
            destination = out / NAMED_FOLDER / f"{person.file_stem}.pdf"
            title = labels_of(view).gettext("%(course)s: Participant workbook", course=view.title)
            name_workbook(written[0], person, destination, title)
            written.append(destination)
        return written

    def render_html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        env = print_document.print_environment(view)
        labels = labels_of(view)
        env.globals.update(writing_space=lambda block: writing_space(block, labels),
                           quiz_hint=lambda question: quiz_hint(question, labels), handout_space=handout_space)
        return print_document.render_html(
            env,
            TEMPLATE,
            view,
            brand,
            options,
            labels.gettext("Participant workbook"),
            modules=list(view.modules),
            block_templates=BLOCK_TEMPLATES,
            name_field=replace(NAME_FIELD, label=labels.gettext("Participant name")),
            action_plan=action_plan(view),
        )
