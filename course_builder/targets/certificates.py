"""Certificates of attendance: one page per person in participants.csv, all in one PDF to print and one PDF each.

Each names the person, the course, the day (`workshop.date`, else the build date), its length
without breaks and the facilitator (`workshop.facilitator`), in the brand's design.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from course_builder.blocks import Audience
from course_builder.errors import Problem
from course_builder.labels import labels_of
from course_builder.model import Brand, Participant
from course_builder.targets.base import BuildOptions
from course_builder.targets.pdf_target import PdfTarget
from course_builder.views import CourseView

OUTPUT = "certificates.pdf"
FOLDER = "certificates"
TEMPLATE = "print/certificates.html"


def workshop_date(view: CourseView, options: BuildOptions) -> str:
    day = view.settings.workshop.date
    if day is None:
        epoch = options.source_date_epoch
        day = (datetime.fromtimestamp(epoch, UTC) if epoch is not None else datetime.now(UTC)).date()
    return labels_of(view).date(day)


class CertificatesTarget(PdfTarget):
    name = "certificates"
    description = "Certificates of attendance (PDF) for everyone in participants.csv: one file to print, and one each."
    audience = Audience.PARTICIPANT
    render_cost = 1
    output = OUTPUT

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        if not view.participants:
            return []
        return [self.output, *(f"{FOLDER}/{person.file_stem}.pdf" for person in view.participants)]

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        problems = super().check(view, brand, options)
        if not view.participants and self.name in view.settings.outputs:
            hint = "add participants.csv to the course folder (a 'name' column, one row per person)"
            problems.append(Problem(view.root / "course.yaml", None, "there is nobody to certify", hint, severity="warning"))
        return problems

    def render_html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        return self.render_for(view, brand, options, view.participants)

    def render_for(self, view: CourseView, brand: Brand, options: BuildOptions, people: tuple[Participant, ...]) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        labels = labels_of(view)
        return print_document.render_html(
            print_document.print_environment(view),
            TEMPLATE,
            view,
            brand,
            options,
            labels.gettext("Certificates of attendance"),
            people=people,
            workshop_date=workshop_date(view, options),
            length=labels.duration(sum(module.duration for module in view.modules)),
        )

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        from course_builder.targets import print_document

        if not view.participants:
            return []
        written = super().build(view, brand, out, options)
        for person in view.participants:
            path = out / FOLDER / f"{person.file_stem}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            html = self.render_for(view, brand, options, (person,))
            self.warnings += print_document.write_pdf(html, view, path, options)
            written.append(path)
        return written
