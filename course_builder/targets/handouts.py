"""The handouts: every card set, worksheet, checklist and tally sheet the activities need, ready to print.

The cover lists each handout with the copies to print for the workshop's participant count
(`workshop.participants` and `workshop.group_size` in course.yaml); each handout starts a page.
Cards are drawn eight to a page with dashed cut lines, their backs (if any) on the next page in
mirrored order for double-sided printing.
"""

from __future__ import annotations

from course_builder.blocks import Audience
from course_builder.errors import Problem
from course_builder.materials import handout_sheets
from course_builder.model import Brand, Course
from course_builder.targets.base import BuildOptions
from course_builder.targets.pdf_target import PdfTarget

OUTPUT = "handouts.pdf"
TEMPLATE = "print/handouts.html"


class HandoutsTarget(PdfTarget):
    name = "handouts"
    description = "Handouts (PDF): the cards, worksheets, checklists and tally sheets the activities need, with what to print."
    audience = Audience.PARTICIPANT
    options_read = frozenset({"paper"})
    render_cost = 2
    output = OUTPUT

    def check(self, course: Course, brand: Brand, options: BuildOptions) -> list[Problem]:
        if handout_sheets(course):
            return []
        hint = "add a {.handout} block inside an activity, or remove 'handouts' from outputs in course.yaml"
        return [Problem(course.root / "course.yaml", None, "the course has no handouts to print", hint, severity="warning")]

    def render_html(self, course: Course, brand: Brand, options: BuildOptions) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        sheets = handout_sheets(course)
        return print_document.render_html(
            print_document.print_environment(course),
            TEMPLATE,
            course,
            brand,
            options,
            "Handouts",
            sheets=sheets,
            participants=course.settings.workshop.participants,
            modules=[],
            toc_before=[{"anchor": sheet.anchor, "title": sheet.handout.title} for sheet in sheets],
            toc_after=[],
        )
