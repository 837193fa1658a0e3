"""The deck of a course: the course-level slides, and the shared machinery every block's slides use.

`DeckBuilder` owns the slide list, the measuring and the fitting (largest size that fits, else
continuation slides titled "… (2/3)"); `block_slides.ModuleSlides` adds each module's slides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import zip_longest

from course_builder.agenda import AgendaItem, workshop_agenda
from course_builder.deck.block_slides import ModuleSlides
from course_builder.deck.geometry import CONTENT, DEFAULT_GEOMETRY, TITLE_SLIDE, Frame, Geometry
from course_builder.deck.measuring import SAFETY, TextMetrics
from course_builder.deck.model import Deck, Para, Slide, TextBox
from course_builder.deck.paragraphs import Style, first_without_gap, ladder, lead_sentence, plain, styled
from course_builder.markup import Paragraph, Run, paragraphs
from course_builder.model import Brand
from course_builder.views import PresenterView

CONTINUED = re.compile(r" \((\d+)/(\d+)\)$")  # "Title (2/3)": the second of three slides of one text
TITLE_SCALES = (1.0, 0.86, 0.74)  # sizes a long title steps down through, as shares of the layout's size
TITLE_SPACING = 0.9


@dataclass
class DeckBuilder:
    """Turns a course into slides for one brand and one geometry (default design or template)."""

    view: PresenterView
    brand: Brand
    geometry: Geometry = DEFAULT_GEOMETRY
    slides: list[Slide] = field(default_factory=list)

    @cached_property
    def metrics(self) -> TextMetrics:
        return TextMetrics.for_brand(self.brand)

    @cached_property
    def agenda(self) -> list[AgendaItem]:
        return workshop_agenda(self.view)

    def build(self) -> Deck:
        self.title_slide()
        self.agenda_slides()
        for number, module in enumerate(self.view.modules, start=1):
            ModuleSlides(self, module, number).build()
        self.closing_slide()
        self.number_repeated_titles()
        for slide, following in zip(self.slides, self.slides[1:], strict=False):
            slide.notes.append(f"Next: {following.title}")
        g = self.geometry
        settings = self.view.settings
        return Deck(settings.title, settings.language, g.width, g.height, tuple(self.slides))

    # ------------------------------------------------------------ shared pieces

    def frame(self, layout: str, role: str) -> Frame:
        return self.geometry.frame(layout, role)

    def fit_title(self, text: str, layout: str) -> tuple[str, float]:
        """The title and the largest size at which it fits its box, shortened only as a last resort."""
        frame = self.frame(layout, "title")
        for scale in TITLE_SCALES:
            para = self.title_para(text, frame.size * scale)
            if self.metrics.fits([para], frame):
                return text, para.size
        para = self.metrics.clipped(self.title_para(text, frame.size * TITLE_SCALES[-1]), frame)
        return para.text, para.size

    @staticmethod
    def title_para(text: str, size: float) -> Para:
        return Para((Run(text),), round(size), "heading", bold=True, spacing=TITLE_SPACING)

    def add(
        self,
        kind: str,
        layout: str,
        title: str,
        notes: Sequence[str] = (),
        footer: str | None = None,
        **placeholders: Sequence[Para],
    ) -> Slide:
        shown, size = self.fit_title(title, layout)
        if footer and self.geometry.footer:
            footer = self.metrics.clipped(Para((Run(footer),), self.geometry.footer.size, "heading"), self.geometry.footer).text
        full_title = [f"Full title: {title}"] if shown != title else []
        slide = Slide(kind, layout, shown, size, notes=[*full_title, *notes], footer=footer)
        for role, paras in placeholders.items():
            slide.placeholders[role] = TextBox(self.frame(layout, role), tuple(first_without_gap(paras)))
        self.slides.append(slide)
        return slide

    def add_pages(
        self, kind: str, layout: str, title: str, pages: dict[str, list[list[Para]]], notes: Sequence[str], footer: str | None
    ) -> list[Slide]:
        """One slide per page; several pages become "Title (1/3)", "Title (2/3)"… with the same notes."""
        columns = list(pages)
        rows = list(zip_longest(*(pages[c] for c in columns), fillvalue=[]))
        slides = []
        for number, row in enumerate(rows, start=1):
            shown = title if len(rows) == 1 else f"{title} ({number}/{len(rows)})"
            slides.append(self.add(kind, layout, shown, notes, footer, **dict(zip(columns, row, strict=True))))
        return slides

    def fresh_title(self, *candidates: str) -> str:
        """The first candidate that no earlier slide has as its title (continuations aside), else the first.

        Screen readers and PowerPoint's outline tell slides apart by their titles.
        """
        used = {CONTINUED.sub("", slide.title) for slide in self.slides}
        return next((title for title in candidates if title not in used), candidates[0])

    def number_repeated_titles(self) -> None:
        """Titles no block could make unique get a number: "Title", then "Title (2)", each run of continuations alike."""
        seen: dict[str, int] = {}
        for slide in self.slides:
            match = CONTINUED.search(slide.title)
            base = CONTINUED.sub("", slide.title)
            if match is None or match.group(1) == "1":
                seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                slide.title, slide.title_size = self.fit_title(
                    f"{base} ({seen[base]})" + (match.group(0) if match else ""), slide.layout
                )

    def fitted(self, builder: Callable[[float], list[Para]], frame: Frame, sizes: Sequence[float]) -> list[list[Para]]:
        """Paragraphs set at the largest size that fits one frame, else paginated at the smallest."""
        for size in sizes:
            paras = builder(size)
            if self.metrics.fits(paras, frame):
                return [paras]
        return self.metrics.paginate(builder(sizes[-1]), frame)

    def prose_pages(
        self, markdown: str, frame: Frame, sizes: Sequence[float], brief: bool = False
    ) -> tuple[list[list[Para]], bool]:
        """Prose for one frame, and whether the slide shows less than the text (the notes then carry it in full).

        The whole text is set if it fits; otherwise, or always when `brief`, each paragraph that runs
        past two lines shows only its lead sentence. What still does not fit continues on further slides.
        """
        parts = paragraphs(markdown)
        if not brief:
            whole = self.fitted(lambda size: styled(parts, Style(size)), frame, sizes)
            if len(whole) == 1:
                return whole, False
        return self.fitted(lambda size: styled(self.briefed(parts, size, frame), Style(size)), frame, sizes), True

    def briefed(self, parts: Sequence[Paragraph], size: float, frame: Frame) -> list[Paragraph]:
        """Paragraphs longer than two lines at this size cut to their lead sentence; lists and headings stay."""
        result = []
        for part in parts:
            long = part.kind in ("para", "quote") and self.metrics.lines(Para(tuple(part.runs), size), frame.inner.w) > 2
            result.append(Paragraph(part.kind, list(lead_sentence(part.runs)), part.level, part.number) if long else part)
        return result

    # ------------------------------------------------------------ course-level slides

    def title_slide(self) -> None:
        settings = self.view.settings
        size = self.frame(TITLE_SLIDE, "subtitle").size
        lines = [Para(plain(settings.subtitle), size)] if settings.subtitle else []
        byline = " · ".join(x for x in (", ".join(settings.authors), f"Version {settings.version}") if x)
        lines.append(Para((Run(byline),), size * 0.75, space_before=size * 0.8))
        notes = [f"Workshop: {self.agenda[0].start:%H:%M}–{self.agenda[-1].end:%H:%M}." if self.agenda else ""]
        if settings.audience:
            notes.append(f"Audience: {settings.audience}")
        self.add(
            "title", TITLE_SLIDE, settings.title, notes, subtitle=self.clipped_all(lines, self.frame(TITLE_SLIDE, "subtitle"))
        )

    def agenda_slides(self) -> None:
        frame = self.frame(CONTENT, "body")

        def rows(size: float) -> list[Para]:
            """One row per module or break: the clock hangs in the indent, the title wraps beside it."""
            clocks = [Para((Run(item.clock, bold=True),), size, bold=True) for item in self.agenda]
            indent = max((self.metrics.run_width(c.text, c.runs[0], c) for c in clocks), default=0) / SAFETY + size * 1.2
            return [
                Para(
                    (Run(item.title, italic=item.kind == "break"),),
                    size,
                    indent=indent,
                    space_before=size * 0.5,
                    color="accent2" if item.kind == "break" else None,
                    label=clock.runs,
                )
                for clock, item in zip(clocks, self.agenda, strict=True)
            ]

        notes = []
        if self.agenda:
            total = sum(item.minutes for item in self.agenda)
            day = f"{self.agenda[0].start:%H:%M}–{self.agenda[-1].end:%H:%M}"
            notes.append(f"The day runs {day}: {total // 60} h {total % 60:02d} min including breaks.")
        pages = self.fitted(rows, frame, ladder(frame.size)) if self.agenda else [[]]
        self.add_pages("agenda", CONTENT, "Agenda", {"body": pages}, notes, self.brand.footer or None)

    def closing_slide(self) -> None:
        size = self.frame(TITLE_SLIDE, "subtitle").size
        lines = [Para((Run("Questions, and your next steps"),), size)]
        if self.brand.contact:
            lines.append(Para((Run(self.brand.contact),), size * 0.8, space_before=size * 0.6))
        lines.append(Para((Run(self.brand.name),), size * 0.75, space_before=size * 0.6))
        notes = [f"{self.view.title}: the workshop ends at {self.agenda[-1].end:%H:%M}." if self.agenda else self.view.title]
        self.add(
            "closing", TITLE_SLIDE, "Thank you", notes, subtitle=self.clipped_all(lines, self.frame(TITLE_SLIDE, "subtitle"))
        )

    def clipped_all(self, paras: list[Para], frame: Frame) -> list[Para]:
        """Short texts that must stay on one slide: drop trailing lines that do not fit, then clip."""
        while len(paras) > 1 and not self.metrics.fits(paras, frame):
            paras = paras[:-1]
        if paras and not self.metrics.fits(paras, frame):
            paras = [self.metrics.clipped(paras[0], frame)]
        return paras


def build_deck(view: PresenterView, brand: Brand, geometry: Geometry = DEFAULT_GEOMETRY) -> Deck:
    """The typed deck of a course as the room sees it, for one brand, laid out for the default design or a template."""
    return DeckBuilder(view, brand, geometry).build()
