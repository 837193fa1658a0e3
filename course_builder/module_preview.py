"""The print and deck previews of `serve`: the workbook, guide, handouts and slides of the module being edited.

Laying out a whole workbook takes WeasyPrint about a tenth of a second a page, so at 64 modules
a sentence edit would take minutes to show. The preview lays out only the module being edited:
it builds, with the ordinary targets and their views, a course that holds that module alone
(its clock times kept as in the full agenda), and draws each PDF page with pdfium. The slides
are the deck of that module, turned into a PDF by LibreOffice when it is installed.

Page numbers (and the contents) are those of the one-module document, not of the full book:
the preview page says so. What the build says about each output (a slide over its word budget,
a guide module whose activities overrun it, a font that lacks a glyph) comes back with its pages,
so the pane lists it beside them.

Rendering runs in a separate process, one render at a time, so a slow layout never delays the
web preview; a render asked for while another runs replaces any render still waiting, and the
steps of a render not yet begun (the guide, the slides) are left for the newer one.
"""

from __future__ import annotations

import os
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from course_builder.agenda import workshop_agenda
from course_builder.labels import SOURCE_LANGUAGE, Labels, labels_for
from course_builder.model import Course

if TYPE_CHECKING:
    from course_builder.targets import BuildOptions

# Rendered in this order, each step shown when done: the workbook is what authors look at most,
# and the slides wait for LibreOffice.
RENDER_STEPS = (("workbook",), ("guide", "handouts"), ("slides",))
RENDERER_NICENESS = 10  # the web preview, on the author's next save, goes first on a busy processor
PAGE_WIDTH = 600  # pixels; the pane shows pages at about 460 CSS pixels, so text stays readable on dense screens


@dataclass
class RenderedOutput:
    """One output of the module as the preview shows it: its page images (file names in the pages folder) or why none."""

    format: str
    pages: list[str] = field(default_factory=list)
    note: str | None = None
    start: int = 0  # the index of the module's first page: the pane opens there, past the cover and contents
    size: tuple[int, int] = (0, 0)  # of the first page's picture, so the pane keeps its layout while pictures load
    warnings: list[str] = field(default_factory=list)  # as the build report words them: `file:line: warning: …`

    def as_dict(self, status: str) -> dict[str, object]:
        """The output as the page shows it; its warnings are left to the caller, who knows how to link them."""
        shown = {"format": self.format, "status": status, "pages": self.pages}
        return shown | {"note": self.note, "start": self.start, "size": self.size}


def module_alone(course: Course, module_id: str) -> Course:
    """The course with only the module `module_id`, starting at the time it starts in the full agenda.

    Named participants are left out: one workbook is enough to look at.
    """
    module = course.module(module_id)
    start = next(item.start for item in workshop_agenda(course) if item.module is not None and item.module.id == module_id)
    workshop = course.settings.workshop.model_copy(update={"start": start})
    settings = course.settings.model_copy(update={"workshop": workshop, "languages": ()})
    return course.model_copy(update={"modules": (module,), "settings": settings, "participants": ()})


def output_title(labels: Labels, fmt: str) -> str:
    """An output as the preview page's tabs name it."""
    titles = {"workbook": labels.gettext("Workbook"), "guide": labels.gettext("Facilitator guide"),
              "handouts": labels.gettext("Handouts"), "slides": labels.gettext("Slides")}
    return titles[fmt]


def render_module(course: Course, module_id: str, formats: tuple[str, ...], folder: Path, epoch: int,
                  use_cache: bool = True, language: str = SOURCE_LANGUAGE) -> list[RenderedOutput]:
    """Build `formats` of the module alone into `folder/<first format>/` and draw their pages into `folder/pages/`.

    Runs in the preview's render process. The build keeps what did not change since the last
    render (its own cache; `use_cache` only if that render was of the same module in the same
    language), and a page drawn for the same output before is not drawn again. Notes are in
    `language`, the preview page's.
    """
    from course_builder.build import build_course
    from course_builder.load import LoadedCourse
    from course_builder.proof import image_size
    from course_builder.targets import BuildOptions

    alone = module_alone(course, module_id)
    out = folder / formats[0]
    options = BuildOptions(source_date_epoch=epoch)
    report = build_course(LoadedCourse(alone), out, formats, (course.brand,), options, use_cache=use_cache)
    warnings = warnings_by_format(alone, formats, report.warnings, options)
    labels = labels_for(language)
    rendered = []
    for fmt in formats:
        made = [record for record in report.outputs if record.format == fmt]
        if not made:
            note = labels.gettext("%(output)s: nothing from this module.", output=output_title(labels, fmt))
            rendered.append(RenderedOutput(fmt, note=note, warnings=warnings[fmt]))
            continue
        output = draw_output(alone, fmt, out / made[0].path, made[0].sha256, folder, labels)
        if output.pages:
            output.size = image_size(folder / "pages" / output.pages[0])
        output.warnings = warnings[fmt]
        rendered.append(output)
    return rendered


def warnings_by_format(alone: Course, formats: tuple[str, ...], said: list[str],
                       options: BuildOptions) -> dict[str, list[str]]:
    """The build's warnings (`said`) sorted by the output they are about, so each tab lists only its own.

    One build makes the guide and the handouts, and its report mixes their warnings: each target's
    checks are asked again on their own to tell them apart. A warning no check gave was said while
    rendering (a font without a glyph, an image that would not draw) and stays with every output of the build.
    """
    from course_builder.build import target_problems

    if len(formats) == 1:
        return {formats[0]: said}
    checked = {fmt: {p.describe(alone.root) for p in target_problems(alone, [fmt], (alone.brand,), options)}
               for fmt in formats}
    any_check = set().union(*checked.values())
    return {fmt: [w for w in said if w in checked[fmt] or w not in any_check] for fmt in formats}


def draw_output(alone: Course, fmt: str, path: Path, sha256: str, folder: Path, labels: Labels) -> RenderedOutput:
    from course_builder.proof import Mark, deck_as_pdf, module_starts, pdf_pages, slide_titles, thumb_name

    pages = folder / "pages"
    if path.suffix != ".pptx":
        marks, thumbs = pdf_pages(path, sha256, pages, PAGE_WIDTH, small=False)
        start = module_starts(alone, [m for m in marks if m.top]).get(alone.modules[0].id, 0)
        return RenderedOutput(fmt, [Path(t.image).name for t in thumbs], start=start)
    titles = slide_titles(path)
    marks = [Mark(index, title, top=False) for index, title in enumerate(titles)]
    start = module_starts(alone, marks).get(alone.modules[0].id, 0)
    names = [thumb_name(sha256, n) for n in range(1, len(titles) + 1)]
    if all((pages / name).is_file() for name in names):  # the same deck as before: no need for LibreOffice
        return RenderedOutput(fmt, names, start=start)
    if shutil.which("soffice") is None:
        return RenderedOutput(fmt, note=labels.gettext("LibreOffice (soffice) is not installed on this computer, so the "
                                                       "slides are not shown here."))
    converting = folder / "converting"
    shutil.rmtree(converting, ignore_errors=True)
    converting.mkdir(parents=True)
    try:
        converted = deck_as_pdf(path, converting)
        if converted is None:
            return RenderedOutput(fmt, note=labels.gettext("LibreOffice could not convert the deck to PDF, so the slides "
                                                           "are not shown here."))
        _, thumbs = pdf_pages(converted, sha256, pages, PAGE_WIDTH, small=False)
    finally:
        shutil.rmtree(converting, ignore_errors=True)
    return RenderedOutput(fmt, [Path(t.image).name for t in thumbs], start=start)


def remove_unshown_pages(folder: Path, shown: set[str]) -> None:
    """Page images no longer shown (of earlier renders) go, so the folder does not grow with every save."""
    for image in (folder / "pages").glob("*.png"):
        if image.name not in shown:
            image.unlink(missing_ok=True)


def start_renderer() -> None:
    """The render process leaves Ctrl-C to `serve`, which stops it in order, and yields the processor to the web preview."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(RENDERER_NICENESS)
