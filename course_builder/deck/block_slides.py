"""Each block kind's slides: one method per kind, named in the block registry (`renderers["slides"]`).

The slides show what the room sees (the presenter view); the speaker notes carry the
facilitator's version of the same block, reached through the view.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import zip_longest
from typing import TYPE_CHECKING

from PIL import Image

from course_builder.agenda import AgendaItem
from course_builder.blocks import kind_of
from course_builder.deck.geometry import COMPARISON, CONTENT, INSETS, SECTION, TITLE_ONLY, TWO_CONTENT, Box, Frame
from course_builder.deck.measuring import LINE_HEIGHT
from course_builder.deck.model import Bullet, Panel, Para, Picture, Slide, Table, TextBox
from course_builder.deck.paragraphs import (
    KEY_POINT_WORDS,
    Style,
    condensed,
    first_without_gap,
    key_points,
    ladder,
    lead_sentence,
    plain,
    styled,
    table_rows,
    table_segments,
    words_in,
)
from course_builder.labels import Labels
from course_builder.markup import Paragraph, Run, paragraphs, to_text
from course_builder.model import (
    Activity,
    Block,
    Case,
    Concept,
    Concepts,
    FacilitatorNote,
    Figure,
    Handout,
    Module,
    Prose,
    Questions,
    Quiz,
    Quote,
    Reflection,
    Section,
    SourceRef,
    Steps,
    Takeaways,
)

if TYPE_CHECKING:
    from course_builder.deck.builder import DeckBuilder

DEBRIEF_MINUTES = 5  # the most of an activity's time its debrief takes (a third of a short activity)
READING_SPEED = 180  # words a minute, reading a case in a room
CARD_GAP = 16
CARD_PAD = 14
GRID_LIMIT = 6  # more concepts than this get one slide each instead of a grid of cards


@dataclass
class ModuleSlides:
    """The slides of one module, in the order the module is taught."""

    deck: DeckBuilder
    module: Module
    number: int
    prose: list[Prose] = field(default_factory=list)  # prose waiting for its slides

    @cached_property
    def agenda_item(self) -> AgendaItem | None:
        return next((item for item in self.deck.agenda if item.module is not None and item.module.id == self.module.id), None)

    @cached_property
    def labels(self) -> Labels:
        return self.deck.labels

    @cached_property
    def footer(self) -> str:
        return f"{self.labels.gettext('Module %(number)s', number=self.number)} · {self.module.title}"

    @cached_property
    def timing(self) -> str:
        item = self.agenda_item
        values = {"number": self.number, "count": len(self.deck.view.modules), "minutes": self.module.duration}
        if item:
            return self.labels.gettext("Timing: module %(number)s of %(count)s, %(clock)s, %(minutes)s min.", clock=item.clock,
                                       **values)
        return self.labels.gettext("Timing: module %(number)s of %(count)s, %(minutes)s min.", **values)

    def add(self, kind: str, layout: str, title: str, notes: Sequence[str] = (), **placeholders: Sequence[Para]) -> Slide:
        return self.deck.add(kind, layout, title, notes, self.footer, **placeholders)

    def add_pages(
        self, kind: str, layout: str, title: str, pages: dict[str, list[list[Para]]], notes: Sequence[str] = ()
    ) -> list[Slide]:
        return self.deck.add_pages(kind, layout, title, pages, notes, self.footer)

    def build(self) -> None:
        first = len(self.deck.slides)
        self.header_slide()
        if self.module.objectives:
            self.objectives_slide()
        self.claim(first, None, SourceRef(file=self.module.source, line=1))
        for section in self.module.sections:
            self.section_slides(section)
        self.schedule(self.deck.slides[first:])

    def claim(self, first: int, section: Section | None, source: SourceRef) -> None:
        """Mark the slides made since `first` as this module's (and section's), made from `source`."""
        for slide in self.deck.slides[first:]:
            if slide.module_id is None:
                slide.module_id = self.module.id
                slide.section_id = section.id if section else None
                slide.source = source

    def schedule(self, slides: Sequence[Slide]) -> None:
        """Each slide's notes open with the clock time to be at and the minutes the slide has.

        Timed blocks keep their own minutes; the rest of the module's time is shared evenly by the other slides.
        """
        fixed = sum(slide.minutes or 0 for slide in slides)
        free = [slide for slide in slides if slide.minutes is None]
        share = max(self.module.duration - fixed, 0) / len(free) if free else 0
        start = self.agenda_item.start if self.agenda_item else None
        elapsed = 0.0
        _ = self.labels.gettext
        for slide in slides:
            minutes = share if slide.minutes is None else slide.minutes
            length = _("under a minute") if round(minutes) == 0 else _("%(minutes)s min", minutes=round(minutes))
            if start is not None:
                clock = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=round(elapsed))
                slide.notes.insert(0, _("At %(start)s, %(length)s for this slide.", start=self.labels.time(clock.time()),
                                        length=length))
            else:
                slide.notes.insert(0, _("%(length)s for this slide.", length=length[:1].upper() + length[1:]))
            elapsed += minutes

    # ------------------------------------------------------------ module opening

    def header_slide(self) -> None:
        frame = self.deck.frame(SECTION, "body")
        intro = next((s for s in self.module.sections if s.title is None), None)
        intro_prose = [b.markdown for b in intro.blocks if isinstance(b, Prose)] if intro else []
        summary = (
            plain(self.module.summary)
            if self.module.summary
            else lead_sentence(paragraphs(intro_prose[0])[0].runs)
            if intro_prose and paragraphs(intro_prose[0])
            else ()
        )
        clock = f" · {self.agenda_item.clock}" if self.agenda_item else ""
        _ = self.labels.gettext
        of = _("Module %(number)s of %(count)s", number=self.number, count=len(self.deck.view.modules))
        meta = Para((Run(f"{of} · {_('%(minutes)s min', minutes=self.module.duration)}{clock}", bold=True),), frame.size * 0.8)
        lines = [meta, *([Para(summary, frame.size, space_before=frame.size * 0.6)] if summary else [])]
        notes = [self.timing, *(to_text(text) for text in intro_prose)]
        self.deck.add("module", SECTION, self.module.title, notes, body=self.deck.clipped_all(lines, frame))

    def objectives_slide(self) -> None:
        frame = self.deck.frame(CONTENT, "body")
        parts = [Paragraph("numbered", list(plain(text)), 0, i) for i, text in enumerate(self.module.objectives, start=1)]
        pages = self.deck.budget_pages(parts, frame, ladder(frame.size, 1.2), lambda size: Style(size, item_gap=0.8))
        _ = self.labels.gettext
        notes = [
            _("By the end of this module participants can:"),
            *(f"{i}. {o}" for i, o in enumerate(self.module.objectives, start=1)),
        ]
        self.add_pages("objectives", CONTENT, _("Module %(number)s objectives", number=self.number), {"body": pages}, notes)

    # ------------------------------------------------------------ sections

    def section_slides(self, section: Section) -> None:
        title = section.title or self.module.title
        for block in section.blocks:
            if not isinstance(block, Prose):
                self.flush_prose(section)
            first = len(self.deck.slides)
            self.render(block, title)
            self.claim(first, section, block.source)
            notes = self.deck.view.facilitator_notes_after(block)
            if notes:
                self.flush_prose(section)  # a note about the text goes on the slide that shows that text
                for note in notes:
                    self.render(note, title)
        self.flush_prose(section)

    def render(self, block: Block, title: str) -> None:
        """A block's slides, by the method the block registry names; None there: the deck does not show the kind."""
        method = kind_of(block).renderers.get("slides")
        if method is not None:
            getattr(self, method)(block, title)

    def facilitators(self, block: Block) -> Block:
        """The facilitator's version of a block on a slide: its note, debrief and answers are for the speaker notes."""
        full = self.deck.view.speaker_notes_for(block)
        assert full is not None, f"the presenter view has no facilitator version of the block at {block.source}"
        return full

    def speaker_note(self, note: FacilitatorNote, title: str) -> None:
        _ = self.labels.gettext
        heading = _("Facilitator (%(title)s): ", title=note.title) if note.title else _("Facilitator: ")
        self.deck.slides[-1].notes.append(heading + to_text(note.markdown))

    def prose_slides(self, prose: Prose, title: str) -> None:
        """Prose is gathered until the next block, so consecutive paragraphs share their slides."""
        self.prose.append(prose)

    def flush_prose(self, section: Section) -> None:
        """Slides for the prose gathered so far; the module's opening prose is in the module slide's notes instead.

        The slides show the key points, whole sentences within the word budget per slide; the notes the whole text.
        """
        if self.prose and section.title is not None:
            frame = self.deck.frame(CONTENT, "body")
            markdown = "\n\n".join(prose.markdown for prose in self.prose)
            budget = self.deck.budgets.words
            first = len(self.deck.slides)
            for kind, text in table_segments(markdown):
                if kind == "table":
                    self.table_slides(text, section.title, [to_text(markdown)])
                    continue
                pages = self.deck.budget_pages(key_points(paragraphs(text), budget), frame, ladder(frame.size, 1.4))
                continued = self.labels.gettext("%(title)s, continued", title=section.title)
                title = continued if len(self.deck.slides) > first else section.title
                self.add_pages("prose", CONTENT, title, {"body": pages}, [to_text(markdown)])
            self.claim(first, section, self.prose[0].source)
        self.prose = []

    def table_slides(self, markdown: str, title: str, notes: Sequence[str]) -> None:
        """A native table filling the content area; rows that do not fit (or break the word budget) continue
        on further slides under the same header row."""
        metrics = self.deck.metrics
        cells = table_rows(markdown)
        count = max(map(len, cells))
        floor = self.deck.budgets.column_size if count > 1 else self.deck.budgets.body_size
        area = self.deck.geometry.content
        margin = 6.0

        def laid_out(size: float) -> tuple[list[tuple[Para, ...]], tuple[float, ...], list[float]]:
            """Rows at one size, column widths by how much each column holds, and each row's height."""
            rows = [
                tuple(
                    Para(tuple(replace(r, bold=r.bold or index == 0) for r in row[c]) if c < len(row) else (), size)
                    for c in range(count)
                )
                for index, row in enumerate(cells)
            ]
            natural = [max(metrics.run_width(p.text, p.runs[0], p) if p.runs else 0 for p in c) for c in zip(*rows, strict=True)]
            weights = [max(math.sqrt(width), 1.0) for width in natural]  # long columns wider, short ones still readable
            columns = tuple(area.w * weight / sum(weights) for weight in weights)
            heights = [
                max(max(metrics.lines(p, w - 2 * margin), 1) * metrics.line_height(p) for p, w in zip(row, columns, strict=True))
                + 2 * margin
                for row in rows
            ]
            return rows, columns, heights

        words = lambda row: sum(len(p.text.split()) for p in row)  # noqa: E731

        def paged(rows: list[tuple[Para, ...]], heights: list[float]) -> list[list[tuple[tuple[Para, ...], float]]]:
            """Body rows on pages under the header row, a new page where the room or the word budget runs out."""
            pages: list[list[tuple[tuple[Para, ...], float]]] = [[]]
            for row, height in zip(rows[1:], heights[1:], strict=True):
                page = pages[-1]
                used = heights[0] + sum(h for _, h in page)
                shown = words(rows[0]) + sum(words(r) for r, _ in page) + words(row)
                if page and (used + height > area.h or shown > self.deck.budgets.words):
                    pages.append([])
                pages[-1].append((row, height))
            return pages

        # The largest size that needs no more slides than the smallest does (the word budget may need several).
        rows, columns, heights = laid_out(floor)
        pages = paged(rows, heights)
        for size in (floor + 6, floor + 4, floor + 2):
            larger = laid_out(size)
            if len(paged(larger[0], larger[2])) == len(pages):
                rows, columns, heights = larger
                pages = paged(rows, heights)
                break
        header = (rows[0], heights[0])
        title = self.deck.fresh_title(title, self.labels.gettext("Table: %(title)s", title=title))
        for number, page in enumerate(pages, start=1):
            shown = title if len(pages) == 1 else f"{title} ({number}/{len(pages)})"
            slide = self.add("table", TITLE_ONLY, shown, notes)
            page_rows = (header, *page)
            box = Box(area.x, area.y, area.w, sum(h for _, h in page_rows))
            table = Table(box, columns, tuple(r for r, _ in page_rows), tuple(h for _, h in page_rows), margin=margin)
            slide.shapes.append(table)

    def case_slides(self, case: Case, title: str) -> None:
        frame = self.deck.frame(CONTENT, "body")
        pages, shortened = self.deck.prose_pages(case.markdown, frame, ladder(frame.size, 1.4))
        reading = max(1, round(len(case.markdown.split()) / READING_SPEED))
        _ = self.labels.gettext
        read = (_("Give the room about %(minutes)s min to read the case in their workbook, then take its questions one at "
                  "a time: ask for what people noticed before what they would do.", minutes=reading) if shortened
                else _("Give the room about %(minutes)s min to read the case on the slide, then take its questions one at a "
                       "time: ask for what people noticed before what they would do.", minutes=reading))
        notes = [
            read,
            *([_("The case in full: %(text)s", text=to_text(case.markdown))] if shortened else []),
        ]
        title = _("Case: %(title)s", title=case.title) if case.title else _("Case")
        self.add_pages("case", CONTENT, title, {"body": pages}, notes)

    def figure_slide(self, figure: Figure, title: str) -> None:
        area = self.deck.geometry.content
        caption = to_text(figure.caption).rstrip(".") if figure.caption else None
        picture = self.labels.gettext("Picture: %(title)s", title=title)
        title = self.deck.fresh_title(title, *([caption] if caption else []), picture)
        caption_box: TextBox | None = None
        if figure.caption and title != caption:  # a caption that became the title is not said twice
            size = self.deck.budgets.caption_size
            frame = Frame(Box(area.x, area.bottom - size * 2.3, area.w, size * 2.3), size, "body", INSETS)
            para = self.deck.metrics.clipped(Para(plain(figure.caption), size, align="center", color="tx2"), frame)
            caption_box = TextBox(frame, (replace(para, runs=tuple(replace(r, italic=True) for r in para.runs)),), role="caption")
            area = area.shrunk(bottom=frame.box.h + 8)
        _ = self.labels.gettext
        notes = [_("Image: %(alt)s", alt=figure.alt)]
        notes += [_("Caption: %(caption)s", caption=figure.caption)] if figure.caption else []
        slide = self.add("figure", TITLE_ONLY, title, notes)
        file = figure.raster  # chosen at load: the image itself, or the PNG or JPEG beside an SVG
        if file is None:  # nothing every presentation program can show: say what the picture shows instead
            frame = Frame(area.shrunk(24, 24, 24, 24), 20, "body", INSETS)
            alt = self.deck.clipped_all([Para(plain(figure.alt), 20, color="tx2", align="center")], frame)
            slide.shapes.append(Panel(area, "bg2", TextBox(frame, tuple(alt), "middle"), "rounded"))
        else:
            with Image.open(file) as image:
                width, height = image.size
            scale = min(area.w / width, area.h / height)
            box = Box(
                area.x + (area.w - width * scale) / 2, area.y + (area.h - height * scale) / 2, width * scale, height * scale
            )
            slide.shapes.append(Picture(box, file, figure.alt))
        if caption_box:
            slide.shapes.append(Panel(caption_box.frame.box, "none", caption_box))

    # ------------------------------------------------------------ training blocks

    def steps_slides(self, steps: Steps, title: str) -> None:
        frame = self.deck.frame(CONTENT, "body")
        heading = steps.title or title

        names = sum(len(step.name.split()) for step in steps.items)
        intro_points = key_points(paragraphs(steps.intro)) if steps.intro else []
        if names + sum(map(words_in, intro_points)) > self.deck.budgets.words:
            intro_points = []  # the step names come first; the intro is in the notes

        def overview(size: float) -> list[Para]:
            intro = styled(intro_points, Style(size))
            items = [
                Para(
                    (Run(step.name, bold=True),),
                    size + 2,
                    bullet=Bullet("number", start=step.number),
                    indent=(size + 2) * 1.6,
                    space_before=size * 0.6,
                )
                for step in steps.items
            ]
            return intro + items

        notes = [to_text(steps.intro)] if steps.intro else []
        notes += [f"{s.number}. {s.name}: {to_text(s.explanation)}" for s in steps.items]
        self.add_pages(
            "steps",
            CONTENT,
            heading,
            {"body": self.deck.fitted(overview, frame, ladder(frame.size, 1.1))},
            notes,
        )
        for step in steps.items:
            self.step_slides(step, len(steps.items), steps.prompts_label)

    def step_slides(self, step, count: int, prompts_label: str | None = None) -> None:
        prompts_label = prompts_label or self.labels.gettext("Ask yourself")
        left = self.deck.frame(TWO_CONTENT, "left")
        right = self.deck.frame(TWO_CONTENT, "right")
        prompts = [Paragraph("bullet", list(plain(p))) for p in step.prompts]
        room = max(self.deck.budgets.words - sum(map(words_in, prompts)) - len(prompts_label.split()), KEY_POINT_WORDS)
        explanation, shortened = self.deck.prose_pages(step.explanation, left, ladder(left.size, 1.1), room)
        asked = [Paragraph("heading", [Run(prompts_label)]), *prompts]
        style = lambda size: Style(size, item_gap=0.6)  # noqa: E731
        right_pages = self.deck.budget_pages(asked, right, ladder(right.size), style) if prompts else [[]]
        shown = sum(len(p.text.split()) for page in (explanation[0], right_pages[0]) for p in page)
        if shown > self.deck.budgets.words:  # the prompts follow on a slide of their own
            right_pages = [[] for _ in explanation] + right_pages
        pages = {"left": explanation, "right": right_pages}
        _ = self.labels.gettext
        explained = _("In full: %(text)s", text=to_text(step.explanation)) if shortened else to_text(step.explanation)
        notes = [_("Step %(number)s of %(count)s.", number=step.number, count=count) + " " + explained]
        self.add_pages("step", TWO_CONTENT, f"{step.number}. {step.name}", pages, notes)

    def concepts_slides(self, block: Concepts, title: str) -> None:
        heading = block.title or title
        detailed = [c for c in block.items if c.signs or c.actions]
        if len(block.items) <= GRID_LIMIT:
            self.grid_slide(block, heading)
            for concept in detailed:
                self.concept_slides(concept, block)
        else:
            for concept in block.items:
                self.concept_slides(concept, block)

    def grid_slide(self, block: Concepts, title: str) -> None:
        """A card per concept, its lead sentence under its name when all of them fit the word budget; the credit after."""
        area = self.deck.geometry.content
        intro = [to_text(block.intro)] if block.intro else []
        credit = [self.labels.gettext("Credit: %(credit)s", credit=block.credit)] if block.credit else []
        notes = intro + credit + [f"{c.name}: {to_text(c.description)}" for c in block.items]
        glance = self.labels.gettext("%(title)s at a glance", title=title)
        slide = self.add("grid", TITLE_ONLY, self.deck.fresh_title(title, glance), notes)
        caption = self.deck.budgets.caption_size
        credit_frame = Frame(Box(area.x, area.bottom - caption * 1.6, area.w, caption * 1.6), caption, "body", INSETS)
        if block.credit:
            area = area.shrunk(bottom=credit_frame.box.h + 12)
        boxes = _grid(area, len(block.items), gap=CARD_GAP)
        inner = boxes[0].shrunk(CARD_PAD, CARD_PAD + 6, CARD_PAD, CARD_PAD)
        texts = self.card_texts(block.items, Frame(inner, self.deck.budgets.column_size, "body", INSETS))
        needed = max(self.deck.metrics.height(t, inner.w) for t in texts) + 2 * CARD_PAD + 6 + sum(INSETS[1::2])
        rows = len({box.y for box in boxes})
        area = Box(area.x, area.y, area.w, min(area.h, needed * rows + CARD_GAP * (rows - 1)))
        for box, text in zip(_grid(area, len(block.items), gap=CARD_GAP), texts, strict=True):
            frame = Frame(box.shrunk(CARD_PAD, CARD_PAD + 6, CARD_PAD, CARD_PAD), text[0].size, "body", INSETS)
            slide.shapes.append(Panel(box, "bg2", TextBox(frame, text), "rounded"))
            slide.shapes.append(Panel(Box(box.x + CARD_PAD, box.y, 36, 4), "accent3"))
        if block.credit:  # after the cards it credits: reading order is visual order
            frame = credit_frame.moved(replace(credit_frame.box, y=area.bottom + 12))
            para = Para(tuple(replace(r, italic=True) for r in plain(block.credit)), caption, color="accent6")
            text = TextBox(frame, (self.deck.metrics.clipped(para, frame),), role="caption")
            slide.shapes.append(Panel(frame.box, "none", text))

    def card_texts(self, concepts: Sequence[Concept], frame: Frame) -> list[tuple[Para, ...]]:
        """Each card's name, and its lead sentence if all cards' text is within the word budget, at one size for all."""
        metrics = self.deck.metrics
        leads = [condensed(paragraphs(concept.description))[:1] for concept in concepts]
        words = sum(len(c.name.split()) + sum(map(words_in, lead)) for c, lead in zip(concepts, leads, strict=True))
        if words > self.deck.budgets.words:
            leads = [[] for _ in concepts]  # names only; the descriptions are in the notes and on the slides that follow

        def text(concept: Concept, size: float, lead: list[Paragraph]) -> tuple[Para, ...]:
            name = Para(plain(concept.name), size + 2, "heading", color="tx2", bold=True)
            body = styled(lead, Style(size, gap=0.4))
            return (name, *([replace(body[0], space_before=size * 0.5), *body[1:]] if body else []))

        floor = frame.size
        for size in (floor + 4, floor + 2, floor):
            texts = [text(concept, size, lead) for concept, lead in zip(concepts, leads, strict=True)]
            if all(metrics.fits(t, frame) for t in texts):
                return texts
        return [(metrics.clipped(Para(plain(c.name), floor + 2, "heading", color="tx2", bold=True), frame),) for c in concepts]

    def concept_slides(self, concept: Concept, block: Concepts) -> None:
        """The description, large; then its signs and actions side by side on a slide "… in practice"."""
        frame = self.deck.frame(CONTENT, "body")
        pages, shortened = self.deck.prose_pages(concept.description, frame, ladder(frame.size, 1.4))
        _ = self.labels.gettext
        notes = [_("In full: %(text)s", text=to_text(concept.description)) if shortened else to_text(concept.description)]
        self.add_pages("concept", CONTENT, concept.name, {"body": pages}, notes)
        needs = block.kind == "needs"
        signs_label, actions_label = (_("Signs"), _("Actions")) if needs else (_("What you see"), _("What to do"))
        lists = [(label, items) for label, items in ((signs_label, concept.signs), (actions_label, concept.actions)) if items]
        if not lists:
            return
        layout, roles = (TWO_CONTENT, ("left", "right")) if len(lists) == 2 else (CONTENT, ("body",))
        columns: dict[str, list[list[Para]]] = {role: [] for role in roles}
        for page in self.practice_pages(lists):
            for role, (label, items) in zip(roles, page, strict=True):
                frame = self.deck.frame(layout, role)
                parts = [Paragraph("heading", [Run(label)]), *(Paragraph("bullet", list(plain(i))) for i in items)]
                sizes = ladder(frame.size, 1.2)
                fitted = self.deck.fitted(lambda size, parts=parts: styled(parts, Style(size, item_gap=0.5)), frame, sizes)
                columns[role] += fitted if items else [[]]
        notes = [f"{label}: " + "; ".join(to_text(i) for i in items) for label, items in lists]
        self.add_pages("concept", layout, _("%(name)s in practice", name=concept.name), columns, notes)

    def practice_pages(self, lists: list[tuple[str, Sequence[str]]]) -> list[list[tuple[str, list[str]]]]:
        """Signs and actions shared out over slides side by side, taken in turn, each slide within the word budget."""
        budget = self.deck.budgets.words - sum(len(label.split()) for label, _ in lists)
        queue = [(column, item) for row in zip_longest(*(items for _, items in lists)) for column, item in enumerate(row) if item]
        pages: list[list[tuple[str, list[str]]]] = []
        words = budget + 1
        for column, item in queue:
            count = len(to_text(item).split())
            if words + count > budget:
                pages.append([(label, []) for label, _ in lists])
                words = 0
            pages[-1][column][1].append(item)
            words += count
        return pages

    def questions_slides(self, block: Questions, title: str) -> None:
        heading = block.title or title
        pairs = [q for q in block.items if q.closed]
        singles = [q for q in block.items if not q.closed]
        notes = [to_text(block.intro)] if block.intro else []
        if pairs:
            left = self.deck.frame(COMPARISON, "left")
            right = self.deck.frame(COMPARISON, "right")
            size = left.size
            rows = [
                (
                    Para(plain(q.closed or ""), size, bullet=Bullet("char"), indent=size * 1.1, color="accent6"),
                    Para(plain(q.open), size, bullet=Bullet("char"), indent=size * 1.1),
                )
                for q in pairs
            ]
            _ = self.labels.gettext
            headings = len(f"{_('Instead of asking')} {_('Try asking')}".split())
            pages = self.aligned_rows(rows, left, right, size * 0.7, self.deck.budgets.words - headings)
            pair_notes = notes + [f"{to_text(q.closed or '')} → {to_text(q.open)}" for q in pairs]
            for page_number, (lefts, rights) in enumerate(pages, start=1):
                shown = heading if len(pages) == 1 else f"{heading} ({page_number}/{len(pages)})"
                self.add(
                    "questions",
                    COMPARISON,
                    shown,
                    pair_notes,
                    left_heading=[
                        Para(
                            (Run(_("Instead of asking")),),
                            self.deck.frame(COMPARISON, "left_heading").size,
                            "heading",
                            color="accent6",
                            bold=True,
                        )
                    ],
                    left=lefts,
                    right_heading=[
                        Para(
                            (Run(_("Try asking")),),
                            self.deck.frame(COMPARISON, "right_heading").size,
                            "heading",
                            color="accent2",
                            bold=True,
                        )
                    ],
                    right=rights,
                )
        if singles:
            frame = self.deck.frame(CONTENT, "body")
            parts = [Paragraph("bullet", list(plain(q.open))) for q in singles]
            pages = self.deck.budget_pages(parts, frame, ladder(frame.size), lambda size: Style(size, item_gap=0.7))
            self.add_pages(
                "questions",
                CONTENT,
                self.labels.gettext("More open questions") if pairs else heading,
                {"body": pages},
                [*notes, *(to_text(q.open) for q in singles)],
            )

    def aligned_rows(
        self, rows: list[tuple[Para, Para]], left: Frame, right: Frame, gap: float, budget: int
    ) -> list[tuple[list[Para], list[Para]]]:
        """Two columns whose paragraphs start level, row by row, split into pages where the rows run out of room."""
        metrics = self.deck.metrics
        pages: list[tuple[list[Para], list[Para]]] = [([], [])]
        used = 0.0
        previous = (0.0, 0.0)  # heights of the last row's left and right paragraphs
        limit = min(left.inner.h, right.inner.h)
        words = 0
        for l_para, r_para in rows:
            row_words = len(l_para.text.split()) + len(r_para.text.split())
            heights = (
                metrics.lines(l_para, left.inner.w) * metrics.line_height(l_para),
                metrics.lines(r_para, right.inner.w) * metrics.line_height(r_para),
            )
            first = not pages[-1][0]
            row_gap = 0 if first else gap
            if not first and (used + row_gap + max(heights) > limit or words + row_words > budget):
                pages.append(([], []))
                used, row_gap, first, previous, words = 0.0, 0, True, (0.0, 0.0), 0
            tallest = max(previous)
            pages[-1][0].append(replace(l_para, space_before=0 if first else row_gap + tallest - previous[0]))
            pages[-1][1].append(replace(r_para, space_before=0 if first else row_gap + tallest - previous[1]))
            used += row_gap + max(heights)
            words += row_words
            previous = heights
        return pages

    def reflection_slide(self, reflection: Reflection, title: str) -> None:
        area = self.deck.geometry.content
        badge = min(130.0, area.h * 0.45)
        body = self.deck.frame(CONTENT, "body")
        if reflection.minutes:
            body = body.moved(body.box.shrunk(right=badge + 40))
        parts = paragraphs(reflection.prompt)
        pages = self.deck.budget_pages(parts, body, ladder(body.size, 1.4), lambda size: Style(size, gap=0.6, color="tx2"))
        labels, _ = self.labels, self.labels.gettext
        title = _("Reflect: %(title)s", title=reflection.title) if reflection.title else _("Reflect")
        minutes = (
            labels.ngettext("%(num)d minute to reflect and write.", "%(num)d minutes to reflect and write.", reflection.minutes)
            if reflection.minutes
            else _("Give people time to think and write.")
        )
        slides = self.add_pages("reflection", CONTENT, title, {"body": pages}, [minutes])
        for slide in slides:
            slide.minutes = reflection.minutes / len(slides) if reflection.minutes else None
            slide.placeholders["body"] = replace(slide.placeholders["body"], frame=body)
            if reflection.minutes:
                slide.shapes.append(self.minutes_badge(Box(area.right - badge, area.y, badge, badge), reflection.minutes))

    def minutes_badge(self, box: Box, minutes: int) -> Panel:
        size = box.h * 0.3
        frame = Frame(box.shrunk(6, 6, 6, 6), size, "heading", INSETS)
        number = Para((Run(str(minutes)),), size, "heading", color="bg1", align="center", bold=True)
        unit = Para((Run(self.labels.gettext("min")),), size * 0.4, "heading", color="bg1", align="center")
        return Panel(box, "accent3", TextBox(frame, (number, unit), "middle", "label"), "oval")

    def activity_slides(self, activity: Activity, title: str) -> None:
        area = self.deck.geometry.content
        side = min(250.0, area.w * 0.32)
        body = self.deck.frame(CONTENT, "body")
        body = body.moved(body.box.shrunk(right=side + 30))
        pages, shortened = self.deck.prose_pages(activity.instructions, body, ladder(body.size, 1.0, 0.8))
        panel = self.activity_panel(Box(area.right - side, area.y, side, area.h), activity)
        debrief_minutes = min(DEBRIEF_MINUTES, activity.minutes // 3) if activity.debrief else 0
        labels, _ = self.labels, self.labels.gettext
        how = f" ({activity.grouping_note})" if activity.grouping_note else ""
        grouping = labels.grouping_in_sentence(activity.grouping)
        notes = [_("Activity: %(minutes)s min, %(grouping)s.", minutes=activity.minutes, grouping=grouping + how)]
        if activity.handouts:
            copies = [f"{h.title}, {self.copies_per(h)}" for h in activity.handouts]
            notes.append(_("Handouts (print from handouts.pdf): %(list)s.", list="; ".join(copies)))
        if activity.materials:
            notes.append(_("Materials: %(list)s.", list="; ".join(activity.materials)))
        if shortened:
            notes.append(_("Instructions in full: %(text)s", text=to_text(activity.instructions)))
        facilitator_note = self.facilitators(activity).facilitator
        if facilitator_note:
            notes.append(_("Facilitator: ") + to_text(facilitator_note))
        if activity.debrief:
            notes.append(_("Stop the groups %(minutes)s min before the end for the debrief (next slide).",
                           minutes=debrief_minutes))
        slides = self.add_pages("activity", CONTENT, _("Activity: %(title)s", title=activity.title), {"body": pages}, notes)
        for slide in slides:
            slide.placeholders["body"] = replace(slide.placeholders["body"], frame=body)
            slide.shapes.append(panel)
            slide.minutes = (activity.minutes - debrief_minutes) / len(slides)
        if activity.debrief:
            frame = self.deck.frame(CONTENT, "body")
            parts = [Paragraph("bullet", list(plain(q))) for q in activity.debrief]
            debrief = self.deck.budget_pages(parts, frame, ladder(frame.size, 1.2), lambda size: Style(size, item_gap=0.8))
            debrief_notes = [
                _("Bring everyone back together for the last %(minutes)s min of the activity. Ask each question, let several "
                  "people answer before you add your own view, and link what they say to the module's objectives:",
                  minutes=debrief_minutes),
                *(f"• {to_text(q)}" for q in activity.debrief),
            ]
            debrief_title = _("Debrief: %(title)s", title=activity.title)
            for slide in self.add_pages("debrief", CONTENT, debrief_title, {"body": debrief}, debrief_notes):
                slide.minutes = debrief_minutes / len(debrief)

    def activity_panel(self, box: Box, activity: Activity) -> Panel:
        """The side panel of an activity: how long, in what grouping, with which materials."""
        frame = Frame(box.shrunk(18, 16, 18, 16), 16, "body", INSETS)
        _ = self.labels.gettext
        grouping = {
            "solo": _("On your own"),
            "pairs": _("In pairs"),
            "trios": _("In trios"),
            "small-groups": _("In small groups"),
            "whole-group": _("As a whole group"),
        }[activity.grouping]
        minutes = self.labels.ngettext("minute", "minutes", activity.minutes)
        paras = [
            Para((Run(str(activity.minutes)),), 54, "heading", color="accent3", bold=True),
            Para((Run(minutes),), 16, "heading", color="accent3"),
            Para((Run(grouping),), 18, "heading", color="tx2", space_before=14, bold=True),
        ]
        paras = self.deck.clipped_all(paras, frame)
        needed = [*(handout.title for handout in activity.handouts), *activity.materials]
        if needed:
            paras.append(Para((Run(_("You need")),), 14, "heading", color="tx2", space_before=14, bold=True))
            items = [Para((Run(m),), 14, bullet=Bullet("char"), indent=14, space_before=4) for m in needed]
            shown = len(items)
            while shown and not self.deck.metrics.fits([*paras, *items[:shown], *self.more(items, shown)], frame):
                shown -= 1
            paras += [*items[:shown], *self.more(items, shown)] if shown or len(items) == 0 else []
            if not shown:
                paras.pop()  # not even one item fits: no heading without items
        return Panel(box, "bg2", TextBox(frame, tuple(paras), role="label"), "rounded")

    def more(self, items: list[Para], shown: int) -> list[Para]:
        """A last line saying how many items the panel had no room for (they are in the notes)."""
        hidden = len(items) - shown
        more = self.labels.ngettext("and %(num)d more (see notes)", "and %(num)d more (see notes)", hidden)
        return [Para((Run(more, italic=True),), 14, indent=14, space_before=4)] if hidden else []

    def copies_per(self, handout: Handout) -> str:
        """'one set per pair': what the speaker notes say to print for an activity."""
        _ = self.labels.gettext
        if handout.form == "cards":
            return {"participant": _("one set per participant"), "pair": _("one set per pair"), "trio": _("one set per trio"),
                    "group": _("one set per group"), "room": _("one set for the room")}[handout.copies]
        return {"participant": _("one per participant"), "pair": _("one per pair"), "trio": _("one per trio"),
                "group": _("one per group"), "room": _("one for the room")}[handout.copies]

    def quiz_slides(self, quiz: Quiz, title: str) -> None:
        frame = self.deck.frame(CONTENT, "body")
        count = len(quiz.questions)
        answer_key: Quiz = self.facilitators(quiz)  # type: ignore[assignment]  (the room's quiz has no answers)
        _ = self.labels.gettext
        quiz_title = quiz.title or _("Knowledge check")
        for number, question in enumerate(quiz.questions, start=1):
            hints = {"multiple": _("Choose all that apply."), "truefalse": _("True or false?"), "single": _("Choose one.")}
            hint = hints[question.type]

            def paras(size: float, question=question, hint=hint) -> list[Para]:
                prompt = Para(plain(question.prompt), size + 4, "heading", color="tx2", bold=True)
                # A prompt that already says how to answer ("… Choose all that apply.") is not told twice.
                said = hint.rstrip(".?").lower() in to_text(question.prompt).lower()
                hint_paras = [] if said else [Para((Run(hint, italic=True),), size, color="accent2", space_before=size * 0.3)]
                options = [
                    Para(plain(o.text), size, bullet=Bullet("letter", start=i), indent=size * 1.8, space_before=size * 0.55)
                    for i, o in enumerate(question.options, start=1)
                ]
                if options:
                    options[0] = replace(options[0], space_before=size * 1.0)
                return [prompt, *hint_paras, *options]

            answered = answer_key.questions[number - 1].options
            answer = ", ".join(f"{chr(64 + i)}. {to_text(o.text)}" for i, o in enumerate(answered, start=1) if o.correct)
            notes = [_("Answer: %(answer)s", answer=answer)]
            notes += [
                f"{chr(64 + i)}. {to_text(o.text)}: {to_text(o.feedback)}"
                for i, o in enumerate(answered, start=1)
                if o.feedback
            ]
            pages = self.deck.fitted(paras, frame, ladder(frame.size, 1.0, 0.8))
            self.add_pages("quiz", CONTENT, f"{quiz_title} {number}/{count}: {self.module.title}", {"body": pages}, notes)

    def quote_slide(self, quote: Quote, title: str) -> None:
        title = self.deck.fresh_title(title, self.labels.gettext("Quote: %(title)s", title=title))
        area = self.deck.geometry.content
        mark_size = 96.0
        frame = Frame(area.shrunk(left=mark_size * 0.75, right=area.w * 0.08), 28, "body", INSETS)
        parts = paragraphs(quote.text)
        attribution = (
            [
                Para(
                    (Run("— " + quote.attribution),),
                    self.deck.budgets.body_size,
                    "heading",
                    color="accent3",
                    space_before=18,
                    bold=True,
                )
            ]
            if quote.attribution
            else []
        )

        def paras(size: float) -> list[Para]:
            return [
                *styled(
                    [Paragraph("para", [replace(r, italic=True) for r in p.runs]) for p in parts],
                    Style(size, gap=0.5, color="tx2"),
                ),
                *attribution,
            ]

        pages = self.deck.fitted(paras, frame, (32, 28, 24, 20))
        said = self.labels.gettext("Quote: %(title)s", title=to_text(quote.text))
        notes = [said + (f" ({quote.attribution})" if quote.attribution else "")]
        for page_number, page in enumerate(pages, start=1):
            shown = title if len(pages) == 1 else f"{title} ({page_number}/{len(pages)})"
            slide = self.add("quote", TITLE_ONLY, shown, notes)
            mark = Frame(
                Box(area.x, area.y - 10, mark_size * 0.7, mark_size * LINE_HEIGHT + sum(INSETS[1::2])),
                mark_size,
                "heading",
                INSETS,
            )
            slide.shapes.append(
                Panel(
                    mark.box,
                    "none",
                    TextBox(mark, (Para((Run("“"),), mark_size, "heading", color="accent3", bold=True),), role="label"),
                )
            )
            slide.shapes.append(Panel(frame.box, "none", TextBox(frame, tuple(first_without_gap(page)), "middle")))

    def takeaways_slide(self, takeaways: Takeaways, title: str) -> None:
        frame = self.deck.frame(CONTENT, "body")
        parts = [Paragraph("bullet", list(plain(item))) for item in takeaways.items]
        pages = self.deck.budget_pages(parts, frame, ladder(frame.size, 1.1), lambda size: Style(size, item_gap=0.7))
        self.add_pages(
            "takeaways",
            CONTENT,
            f"{takeaways.title or self.labels.gettext('Key takeaways')}: {self.module.title}",
            {"body": pages},
            [self.labels.gettext("Key takeaways of module %(number)s:", number=self.number),
             *(f"• {to_text(i)}" for i in takeaways.items)],
        )


def _grid(area: Box, count: int, gap: float) -> list[Box]:
    """Cards for `count` items: up to three a row, a shorter last row centred."""
    columns = count if count <= 3 else 2 if count == 4 else 3
    rows = math.ceil(count / columns)
    width = (area.w - gap * (columns - 1)) / columns
    height = (area.h - gap * (rows - 1)) / rows
    boxes = []
    for index in range(count):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        offset = (area.w - in_row * width - (in_row - 1) * gap) / 2
        boxes.append(Box(area.x + offset + column * (width + gap), area.y + row * (height + gap), width, height))
    return boxes


