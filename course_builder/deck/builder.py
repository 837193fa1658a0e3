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
from course_builder.deck.geometry import COLUMN_SHARE, CONTENT, DEFAULT_GEOMETRY, SECTION, TITLE_SLIDE, Frame, Geometry
from course_builder.deck.measuring import SAFETY, TextMetrics
from course_builder.deck.model import Deck, Para, Slide, TextBox, mirrored
from course_builder.deck.paragraphs import (
    Style,
    budgeted,
    first_without_gap,
    key_points,
    ladder,
    lead_sentence,
    plain,
    styled,
    words_in,
)
from course_builder.labels import Labels, labels_of
from course_builder.markup import Paragraph, Run, paragraphs, to_text
from course_builder.model import Brand, SlideBudgets
from course_builder.views import PresenterView
from course_builder.writing import writing

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
        return TextMetrics.for_brand(self.brand, self.view.settings.language)

    @cached_property
    def labels(self) -> Labels:
        """The deck's fixed words and clock times, in the course's language."""
        return labels_of(self.view)

    @cached_property
    def agenda(self) -> list[AgendaItem]:
        return workshop_agenda(self.view)

    @cached_property
    def budgets(self) -> SlideBudgets:
        """The course's budgets if course.yaml sets them, else the brand's (which default to 40 words, 20/18/14 pt)."""
        return self.view.settings.slides or self.brand.slides

    def build(self) -> Deck:
        self.title_slide()
        self.welcome_slide()
        self.day_objectives_slides()
        self.agenda_slides()
        self.housekeeping_slides()
        for number, module in enumerate(self.view.modules, start=1):
            ModuleSlides(self, module, number).build()
            self.break_slides(module.id)
        self.next_steps_slides()
        self.closing_slide()
        self.number_repeated_titles()
        for slide, following in zip(self.slides, self.slides[1:], strict=False):
            slide.notes.append(self.labels.gettext("Next: %(title)s", title=following.title))
        g = self.geometry
        settings = self.view.settings
        deck = Deck(settings.title, settings.language, g.width, g.height, tuple(self.slides))
        return mirrored(deck) if writing(settings.language).rtl else deck

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
        full_title = [self.labels.gettext("Full title: %(title)s", title=title)] if shown != title else []
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

    def floor(self, frame: Frame) -> float:
        """The smallest body text a frame may hold: the budget's, a little smaller in a column."""
        column = frame.inner.w < self.geometry.content.w * COLUMN_SHARE
        return self.budgets.column_size if column else self.budgets.body_size

    def fitted(self, builder: Callable[[float], list[Para]], frame: Frame, sizes: Sequence[float]) -> list[list[Para]]:
        """Body paragraphs set at the largest size that fits one frame, else paginated at the smallest.

        Sizes under the budget's smallest body text are never used: the text continues on another slide instead.
        """
        floor = self.floor(frame)
        sizes = [size for size in sizes if size >= floor] or [floor]
        for size in sizes:
            paras = builder(size)
            if self.metrics.fits(paras, frame):
                return [paras]
        return self.metrics.paginate(builder(sizes[-1]), frame)

    def budget_pages(
        self,
        parts: Sequence[Paragraph],
        frame: Frame,
        sizes: Sequence[float],
        style: Callable[[float], Style] = Style,
        budget: int | None = None,
    ) -> list[list[Para]]:
        """Paragraphs on as many slides as the word budget needs, each paragraph whole, each slide set to fit."""
        pages: list[list[Para]] = []
        for chunk in budgeted(parts, self.budgets.words if budget is None else budget):
            pages += self.fitted(lambda size, chunk=chunk: styled(chunk, style(size)), frame, sizes)
        return pages or [[]]

    def prose_pages(
        self, markdown: str, frame: Frame, sizes: Sequence[float], budget: int | None = None
    ) -> tuple[list[list[Para]], bool]:
        """Prose for one frame, and whether the slides show less than the text (the notes then carry it in full).

        The whole text is set if it is within the word budget and fits one slide; otherwise its key points
        (whole lead sentences, never a cut one), on as many slides as the budget needs.
        """
        parts = paragraphs(markdown)
        budget = self.budgets.words if budget is None else budget
        if sum(map(words_in, parts)) <= budget:
            whole = self.fitted(lambda size: styled(parts, Style(size)), frame, sizes)
            if len(whole) == 1:
                return whole, False
        pages: list[list[Para]] = []
        for chunk in budgeted(key_points(parts, budget), budget):
            pages += self.fitted(lambda size, chunk=chunk: styled(chunk, Style(size)), frame, sizes)
        return pages, True

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
        _ = self.labels.gettext
        size = self.frame(TITLE_SLIDE, "subtitle").size
        lines = [Para(plain(settings.subtitle), size)] if settings.subtitle else []
        version = _("Version %(version)s", version=settings.version)
        byline = " · ".join(x for x in (", ".join(settings.authors), version) if x)
        lines.append(Para((Run(byline),), max(size * 0.75, self.budgets.caption_size), space_before=size * 0.8))
        notes = [_("Workshop: %(clock)s.", clock=self.day_span()) if self.agenda else ""]
        if settings.audience:
            notes.append(_("Audience: %(audience)s", audience=settings.audience))
        self.add(
            "title", TITLE_SLIDE, settings.title, notes, subtitle=self.clipped_all(lines, self.frame(TITLE_SLIDE, "subtitle"))
        )

    def day_span(self) -> str:
        return self.labels.time_range(self.agenda[0].start, self.agenda[-1].end)

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
            notes.append(self.labels.gettext("The day runs %(clock)s: %(length)s including breaks.", clock=self.day_span(),
                                             length=self.labels.short_duration(total)))
        pages = self.fitted(rows, frame, ladder(frame.size)) if self.agenda else [[]]
        self.add_pages("agenda", CONTENT, self.labels.gettext("Agenda"), {"body": pages}, notes, self.brand.footer or None)

    def welcome_slide(self) -> None:
        """Who the day is for and when it runs: the slide on screen while people arrive."""
        settings = self.view.settings
        labels = self.labels
        frame = self.frame(CONTENT, "body")
        parts = [Paragraph("para", list(plain(settings.subtitle)))] if settings.subtitle else []
        if self.agenda:
            today = labels.ngettext(
                "Today: %(start)s to %(end)s, %(num)d module.", "Today: %(start)s to %(end)s, %(num)d modules.",
                len(self.view.modules), start=labels.time(self.agenda[0].start), end=labels.time(self.agenda[-1].end))
            parts.append(Paragraph("bullet", [Run(today)]))
        if settings.audience:
            parts.append(Paragraph("bullet", [Run(labels.gettext("For: ")), *plain(settings.audience)]))
        notes = [labels.gettext("Welcome people as they arrive; this slide stays up until you start.")]
        pages = self.budget_pages(parts, frame, ladder(frame.size, 1.2))
        title = labels.gettext("Welcome to %(course)s", course=settings.title)
        self.add_pages("welcome", CONTENT, title, {"body": pages}, notes, self.brand.footer or None)

    def day_objectives_slides(self) -> None:
        """The day's objectives on one slide: each module's first objective if they fit the word budget together,
        else what each module is about (its title); the notes hold the objectives in full.
        """
        firsts = [(module, module.objectives[0]) for module in self.view.modules if module.objectives]
        if not firsts:
            return
        frame = self.frame(CONTENT, "body")
        parts = [Paragraph("bullet", list(plain(objective))) for _, objective in firsts]
        if sum(map(words_in, parts)) > self.budgets.words:
            parts = [Paragraph("bullet", list(plain(module.title))) for module in self.view.modules]
        pages = self.budget_pages(parts, frame, ladder(frame.size, 1.1), lambda size: Style(size, item_gap=0.7))
        _ = self.labels.gettext
        notes = [
            _("By the end of the day participants can (each module's first objective; the module slides give them all):"),
            *(f"• {to_text(objective)} ({module.title})" for module, objective in firsts),
        ]
        self.add_pages("day-objectives", CONTENT, _("Today's objectives"), {"body": pages}, notes, self.brand.footer or None)

    def housekeeping_slides(self) -> None:
        lines = self.view.settings.workshop.housekeeping
        if not lines:
            return
        frame = self.frame(CONTENT, "body")
        parts = [Paragraph("bullet", list(plain(line))) for line in lines]
        pages = self.budget_pages(parts, frame, ladder(frame.size, 1.1), lambda size: Style(size, item_gap=0.7))
        _ = self.labels.gettext
        notes = [_("Housekeeping:"), *(f"• {line}" for line in lines)]
        self.add_pages("housekeeping", CONTENT, _("Housekeeping"), {"body": pages}, notes, self.brand.footer or None)

    def break_slides(self, module_id: str) -> None:
        """A slide for each break after a module, with when it starts and when everyone is back."""
        index = next((i for i, item in enumerate(self.agenda) if item.module is not None and item.module.id == module_id), None)
        if index is None:
            return
        frame = self.frame(SECTION, "body")
        labels, _ = self.labels, self.labels.gettext
        for item in self.agenda[index + 1 :]:
            if item.kind != "break":
                break
            length = _("%(minutes)s min", minutes=item.minutes)
            line = Para((Run(f"{item.clock} · {length}", bold=True),), frame.size)
            notes = [
                _("At %(start)s, %(length)s for this slide.", start=labels.time(item.start), length=length),
                _("Say when to be back (%(end)s), and start again on time.", end=labels.time(item.end)),
            ]
            title = _("%(title)s: back at %(end)s", title=item.title, end=labels.time(item.end))
            slide = self.add("break", SECTION, title, notes, body=[line])
            slide.minutes = item.minutes

    def next_steps_slides(self) -> None:
        """What participants do after the day: the course's next steps, or a default that asks for one commitment."""
        workshop = self.view.settings.workshop
        _ = self.labels.gettext
        steps = workshop.next_steps or (
            _("Choose one thing from today to try with your team in the coming week."),
            _("Put a date in your diary to look back at how it went."),
        )
        frame = self.frame(CONTENT, "body")
        parts = [Paragraph("numbered", list(plain(step)), 0, i) for i, step in enumerate(steps, start=1)]
        pages = self.budget_pages(parts, frame, ladder(frame.size, 1.1), lambda size: Style(size, item_gap=0.8))
        notes = [_("Ask each participant to say, or write down, the one step they will take first.")]
        self.add_pages("next-steps", CONTENT, _("Your next steps"), {"body": pages}, notes, self.brand.footer or None)

    def closing_slide(self) -> None:
        """The last slide: the evaluation prompt, on screen while people fill it in, then the brand's contact."""
        frame = self.frame(TITLE_SLIDE, "subtitle")
        size = frame.size
        evaluation = self.view.settings.workshop.evaluation
        _ = self.labels.gettext
        prompt = (_("Before you go, please tell us how the day went: %(where)s", where=evaluation) if evaluation
                  else _("Before you go, please tell us how the day went."))
        lines = [Para(plain(prompt), size)]
        if self.brand.contact:
            lines.append(Para((Run(self.brand.contact),), max(size * 0.8, self.budgets.caption_size), space_before=size * 0.6))
        lines.append(Para((Run(self.brand.name),), max(size * 0.75, self.budgets.caption_size), space_before=size * 0.6))
        notes = [_("Leave this slide up while people give their feedback.")]
        if self.agenda:
            notes[0] += " " + _("The workshop ends at %(end)s.", end=self.labels.time(self.agenda[-1].end))
        self.add("closing", TITLE_SLIDE, _("Thank you"), notes, subtitle=self.clipped_all(lines, frame))

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
