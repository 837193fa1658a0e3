"""The handouts: every card set, worksheet, checklist and tally sheet the activities need, ready to print.

The cover lists each handout with the copies to print for the workshop's participant count
(`workshop.participants` and `workshop.group_size` in course.yaml); each handout starts a page.
Cards are drawn eight to a page with dashed cut lines, their backs (if any) on the next page in
mirrored order for double-sided printing.
"""

from __future__ import annotations

from pathlib import Path

from course_builder.blocks import Audience
from course_builder.errors import Problem
from course_builder.labels import labels_of
from course_builder.materials import handout_sheets
from course_builder.model import Brand
from course_builder.targets.base import BuildOptions
from course_builder.targets.pdf_target import PdfTarget
from course_builder.views import CourseView

OUTPUT = "handouts.pdf"
TEMPLATE = "print/handouts.html"


class HandoutsTarget(PdfTarget):
    name = "handouts"
    description = "Handouts (PDF): the cards, worksheets, checklists and tally sheets the activities need, with what to print."
    audience = Audience.PARTICIPANT
    render_cost = 2
    output = OUTPUT

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        problems = super().check(view, brand, options)
        if not handout_sheets(view) and self.name in view.settings.outputs:
            hint = "add a {.handout} block inside an activity, or remove 'handouts' from outputs in course.yaml"
            message = "the course has no handouts to print"
            problems.append(Problem(view.root / "course.yaml", None, message, hint, severity="warning"))
        return problems

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        """Nothing to print, no PDF: a course without handouts builds without them."""
        return [self.output] if handout_sheets(view) else []

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        return super().build(view, brand, out, options) if handout_sheets(view) else []

    def render_html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        sheets = handout_sheets(view)
        return print_document.render_html(
            print_document.print_environment(view),
            TEMPLATE,
            view,
            brand,
            options,
            labels_of(view).gettext("Handouts"),
            sheets=sheets,
            participants=view.settings.workshop.participants,
            modules=[],
            toc_before=[{"anchor": sheet.anchor, "title": sheet.handout.title} for sheet in sheets],
            toc_after=[],
        )
