"""What the workbook and the facilitator guide are as targets: one PDF laid out from one HTML document.

Making the HTML (Jinja templates over the view) takes a second or two; laying it out takes
WeasyPrint about a tenth of a second per page. The HTML is therefore the target's content key:
after an edit the PDF does not show (a facilitator note, for the workbook), the build keeps the
PDF it has. The HTML carries no build date (WeasyPrint gets that when it writes), so the key of
an unchanged document stays the same from one day to the next.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

from course_builder.brand_check import brand_warnings, fonts_without_files
from course_builder.errors import Problem
from course_builder.model import Brand
from course_builder.targets.base import BuildOptions, Target
from course_builder.views import CourseView


class PdfTarget(Target):
    output: ClassVar[str]
    options_read = frozenset({"paper"})

    def __init__(self) -> None:
        super().__init__()
        self._rendered: tuple[CourseView, Brand, BuildOptions, str] | None = None

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        return [self.output]

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        """The brand's colour pairs and fonts as this PDF embeds and prints them."""
        return brand_warnings(view, brand) + fonts_without_files(brand, f"{self.output}")

    def render_html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        """The document as the HTML WeasyPrint lays out (the benchmark times WeasyPrint alone on it too)."""
        raise NotImplementedError

    def content_key(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        return hashlib.sha256(self._html(view, brand, options).encode()).hexdigest()

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        path = out / self.output
        self.warnings += print_document.write_pdf(self._html(view, brand, options), view, path, options)
        return [path]

    def _html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        """The HTML, made once even when the build asks for the content key before building."""
        known = self._rendered
        if known is None or known[0] is not view or known[1] is not brand or known[2] != options:
            self._rendered = (view, brand, options, self.render_html(view, brand, options))
        return self._rendered[3]
