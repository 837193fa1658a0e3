"""Stage one of the slide deck: the course turned into a typed deck, measured to fit.

As in Pandoc's PPTX writer, this stage decides everything that needs no python-pptx: which
slides there are, which layout each uses (by PowerPoint's standard layout names), what text
goes into which placeholder or panel, where text is split onto continuation slides, and what
goes into the speaker notes. `course_builder.targets.slides` only serialises the result.

Text is measured with the brand's real font files (Pillow), so a box never holds more lines
than fit. Long prose is shown as its lead sentences with the full text in the notes; what still
does not fit continues on a slide titled "… (2/2)".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from itertools import zip_longest
from pathlib import Path
from typing import Literal

from PIL import Image, ImageFont

from course_builder.agenda import AgendaItem, workshop_agenda
from course_builder.fonts import FALLBACK_FAMILY, FontFace, faces_for
from course_builder.markup import Paragraph, Run, merge_runs, paragraphs, to_text
from course_builder.model import (
    Activity,
    Block,
    Brand,
    Case,
    Concept,
    Concepts,
    Course,
    FacilitatorNote,
    Figure,
    Font,
    Module,
    Prose,
    Questions,
    Quiz,
    Quote,
    Reflection,
    Section,
    Steps,
    Takeaways,
)

FontRole = Literal["heading", "body"]

# Layout names are PowerPoint's own, so a user's template built from PowerPoint's default offers them.
TITLE_SLIDE = "Title Slide"
CONTENT = "Title and Content"
SECTION = "Section Header"
TWO_CONTENT = "Two Content"
COMPARISON = "Comparison"
TITLE_ONLY = "Title Only"

# What each layout's placeholders are for, in reading order (left to right, top to bottom).
LAYOUT_ROLES: dict[str, tuple[str, ...]] = {
    TITLE_SLIDE: ("subtitle",),
    CONTENT: ("body",),
    SECTION: ("body",),
    TWO_CONTENT: ("left", "right"),
    COMPARISON: ("left_heading", "left", "right_heading", "right"),
    TITLE_ONLY: (),
}

CARD_GAP = 16
CARD_PAD = 14
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")
GRID_LIMIT = 6  # more concepts than this get one slide each instead of a grid of cards
TITLE_SCALES = (1.0, 0.86, 0.74)  # sizes a long title steps down through, as shares of the layout's size
TITLE_SPACING = 0.9
# PowerPoint sets single-spaced lines 1.2 em apart whatever the font, and Impress does the same for
# PPTX files (measured: 100% -> 1.2 em, 90% -> 1.08 em); widths, in contrast, come from the font files.
LINE_HEIGHT = 1.2
SAFETY = 0.96  # share of a box's width text may use: room for renderers' rounding and kerning


# ---------------------------------------------------------------- geometry (points; 1 pt = 12700 EMU)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def shrunk(self, left: float = 0, top: float = 0, right: float = 0, bottom: float = 0) -> Box:
        return Box(self.x + left, self.y + top, self.w - left - right, self.h - top - bottom)


@dataclass(frozen=True)
class Frame:
    """A text box on a layout: where it is, its inner margins, and the size and font of its text."""

    box: Box
    size: float
    font: FontRole = "body"
    insets: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom

    @property
    def inner(self) -> Box:
        return self.box.shrunk(*self.insets)

    def moved(self, box: Box) -> Frame:
        return replace(self, box=box)


@dataclass(frozen=True)
class Geometry:
    """The slide size and every layout's frames: the default design or a user's template."""

    width: float
    height: float
    frames: dict[str, dict[str, Frame]]
    footer: Frame | None = None

    def frame(self, layout: str, role: str) -> Frame:
        return self.frames[layout][role]

    @property
    def content(self) -> Box:
        """Where free shapes (cards, panels, pictures) go: the body area of "Title and Content"."""
        return self.frames[CONTENT]["body"].box


MARGIN = 60
INSETS = (0, 2, 0, 2)
FOOTER = Frame(Box(MARGIN, 500, 640, 20), 10, "heading", INSETS)
DEFAULT_GEOMETRY = Geometry(
    width=960,
    height=540,
    frames={
        TITLE_SLIDE: {
            "title": Frame(Box(MARGIN, 120, 500, 210), 40, "heading", INSETS),
            "subtitle": Frame(Box(MARGIN, 350, 500, 130), 18, "body", INSETS),
        },
        CONTENT: {
            "title": Frame(Box(MARGIN, 36, 840, 88), 30, "heading", INSETS),
            "body": Frame(Box(MARGIN, 140, 840, 336), 20, "body", INSETS),
        },
        SECTION: {
            "title": Frame(Box(MARGIN, 150, 720, 170), 40, "heading", INSETS),
            "body": Frame(Box(MARGIN, 340, 720, 130), 18, "body", INSETS),
        },
        TWO_CONTENT: {
            "title": Frame(Box(MARGIN, 36, 840, 88), 30, "heading", INSETS),
            "left": Frame(Box(MARGIN, 140, 400, 336), 20, "body", INSETS),
            "right": Frame(Box(500, 140, 400, 336), 20, "body", INSETS),
        },
        COMPARISON: {
            "title": Frame(Box(MARGIN, 36, 840, 88), 30, "heading", INSETS),
            "left_heading": Frame(Box(MARGIN, 140, 400, 36), 18, "heading", INSETS),
            "left": Frame(Box(MARGIN, 184, 400, 292), 18, "body", INSETS),
            "right_heading": Frame(Box(500, 140, 400, 36), 18, "heading", INSETS),
            "right": Frame(Box(500, 184, 400, 292), 18, "body", INSETS),
        },
        TITLE_ONLY: {
            "title": Frame(Box(MARGIN, 36, 840, 88), 30, "heading", INSETS),
        },
    },
    footer=FOOTER,
)


# ---------------------------------------------------------------- the deck


@dataclass(frozen=True)
class Bullet:
    """A paragraph's marker: a character, or automatic numbers/letters starting at `start`."""

    kind: Literal["char", "number", "letter"]
    char: str = "•"
    start: int = 1


@dataclass(frozen=True)
class Para:
    """One paragraph as it will be set: runs, size, font, marker and spacing (all in points)."""

    runs: tuple[Run, ...]
    size: float
    font: FontRole = "body"
    bullet: Bullet | None = None
    indent: float = 0  # left margin of every line
    space_before: float = 0
    color: str | None = None  # a theme colour slot (tx1, tx2, bg1, accent1…); None inherits
    align: Literal["left", "center"] = "left"
    bold: bool = False
    spacing: float = 1.0  # line spacing as a share of single spacing
    label: tuple[Run, ...] = ()  # text before a tab that hangs in the indent (an agenda's clock)
    hang: float | None = None  # how far a marker or label hangs left of the text; None: the whole indent

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class TextBox:
    """Text set in a frame: a placeholder's (by role) or a free text shape's."""

    frame: Frame
    paras: tuple[Para, ...]
    anchor: Literal["top", "middle", "bottom"] = "top"


@dataclass(frozen=True)
class Panel:
    """A filled shape behind or around text; its colours are theme slots, so the theme rebrands it."""

    box: Box
    fill: str
    text: TextBox | None = None
    shape: Literal["rectangle", "rounded", "oval"] = "rectangle"


@dataclass(frozen=True)
class Picture:
    box: Box
    file: Path
    alt: str


@dataclass
class Slide:
    kind: str  # what the slide is for: title, agenda, module, objectives, prose, figure, step, …
    layout: str
    title: str
    title_size: float
    placeholders: dict[str, TextBox] = field(default_factory=dict)
    shapes: list[Panel | Picture] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    footer: str | None = None

    @property
    def notes_text(self) -> str:
        return "\n\n".join(note for note in self.notes if note)


@dataclass(frozen=True)
class Deck:
    title: str
    language: str
    width: float
    height: float
    slides: tuple[Slide, ...]
    unshown_images: tuple[Path, ...] = ()


# ---------------------------------------------------------------- measuring text


@dataclass(frozen=True)
class Faces:
    """The font files of one role (heading or body), picked by bold and italic."""

    family: str
    faces: tuple[FontFace, ...]

    def file_for(self, bold: bool, italic: bool) -> tuple[Path, bool]:
        """The closest file, and whether the renderer will have to embolden it (so it sets wider)."""
        want_style = "italic" if italic else "normal"
        ranked = sorted(self.faces, key=lambda f: ((f.weight >= 600) != bold, f.style != want_style, abs(f.weight - 400)))
        best = ranked[0]
        return best.file, bold and best.weight < 600


class TextMetrics:
    """Line breaking and heights with real font metrics, as a presentation program sets text."""

    def __init__(self, heading: Font, body: Font):
        self.roles = {"heading": self._faces(heading), "body": self._faces(body)}
        self._line_counts: dict[tuple[Para, float], int] = {}

    @staticmethod
    def _faces(font: Font) -> Faces:
        return Faces(font.family if font.files else FALLBACK_FAMILY, tuple(faces_for(font)))

    @classmethod
    def for_brand(cls, brand: Brand) -> TextMetrics:
        return cls(brand.fonts.heading, brand.fonts.body)

    def family(self, role: FontRole) -> str:
        return self.roles[role].family

    def line_height(self, para: Para) -> float:
        return para.size * LINE_HEIGHT * para.spacing

    def run_width(self, text: str, run: Run, para: Para) -> float:
        return self._widths(para.font, para.bold or run.bold, run.italic)(text) * para.size

    @cache  # noqa: B019  (one TextMetrics per build; the cache is what makes measuring cheap)
    def _widths(self, role: FontRole, bold: bool, italic: bool) -> Widths:
        file, synthetic = self.roles[role].file_for(bold, italic)
        return Widths(file, 1.05 if synthetic else 1.0)

    def wrap(self, para: Para, width: float) -> list[list[tuple[Run, str]]]:
        """Break a paragraph into lines the way PowerPoint and Impress do: greedily, at spaces.

        A line is a list of (run, text) pieces; a word longer than a whole line breaks between characters.
        """
        usable = (width - para.indent) * SAFETY
        lines: list[list[tuple[Run, str]]] = [[]]
        used = 0.0
        for word, space in _words(para.runs):
            word_width = sum(self.run_width(text, run, para) for run, text in word)
            if lines[-1] and used + word_width > usable:
                lines.append([])
                used = 0.0
            if word_width > usable:
                for run, text in word:
                    for char in text:
                        char_width = self.run_width(char, run, para)
                        if lines[-1] and used + char_width > usable:
                            lines.append([])
                            used = 0.0
                        lines[-1].append((run, char))
                        used += char_width
            else:
                lines[-1].extend(word)
                used += word_width
            if space is not None:
                lines[-1].append(space)
                used += self.run_width(" ", space[0], para)
        return lines

    def lines(self, para: Para, width: float) -> int:
        key = (para, width)
        if key not in self._line_counts:
            self._line_counts[key] = len(self.wrap(para, width))
        return self._line_counts[key]

    def para_height(self, para: Para, width: float, first: bool = False) -> float:
        return (0 if first else para.space_before) + self.lines(para, width) * self.line_height(para)

    def height(self, paras: Sequence[Para], width: float) -> float:
        return sum(self.para_height(p, width, i == 0) for i, p in enumerate(paras))

    def fits(self, paras: Sequence[Para], frame: Frame) -> bool:
        inner = frame.inner
        return self.height(paras, inner.w) <= inner.h

    def max_lines(self, para: Para, frame: Frame) -> int:
        """How many lines of this paragraph a frame can hold on its own."""
        return max(int(frame.inner.h // self.line_height(para)), 0)

    def paginate(self, paras: Sequence[Para], frame: Frame) -> list[list[Para]]:
        """Spread paragraphs over as many frames as needed, cutting a paragraph between lines where it must."""
        inner = frame.inner
        pages: list[list[Para]] = [[]]
        used = 0.0
        queue = list(paras)
        while queue:
            para = queue.pop(0)
            page = pages[-1]
            height = self.para_height(para, inner.w, first=not page)
            if used + height <= inner.h and not (page and self._strands(para, queue, inner.h - used - height, inner.w)):
                page.append(para)
                used += height
                continue
            line = self.line_height(para)
            fit = int((inner.h - used - (para.space_before if page else 0)) // line)
            if not page:  # taller than an empty frame: cut it at what fits
                head, tail = self.cut(para, inner.w, max(fit, 1))
                page.append(head)
                queue.insert(0, tail)
            elif para.font != "heading" and fit >= 2 and self.lines(para, inner.w) - fit >= 2:
                head, tail = self.cut(para, inner.w, fit)
                page.append(head)
                queue.insert(0, tail)
            else:
                queue.insert(0, para)
            pages.append([])
            used = 0.0
        return [page for page in pages if page]

    def _strands(self, para: Para, queue: Sequence[Para], room: float, width: float) -> bool:
        """Whether a heading would end a frame without room for what follows it (all of it, unless it may be cut)."""
        if para.font != "heading" or not queue:
            return False
        following = queue[0]
        lines = self.lines(following, width)
        needed = following.space_before + (2 if lines >= 4 else lines) * self.line_height(following)
        return room < needed

    def cut(self, para: Para, width: float, lines: int) -> tuple[Para, Para]:
        """The first `lines` lines of a paragraph, and the rest as an unmarked paragraph of its own."""
        wrapped = self.wrap(para, width)
        head = merge_runs([replace(run, text=text) for line in wrapped[:lines] for run, text in line])
        tail = merge_runs([replace(run, text=text) for line in wrapped[lines:] for run, text in line])
        return replace(para, runs=_strip(head)), replace(para, runs=_strip(tail), bullet=None, label=(), space_before=0)

    def clipped(self, para: Para, frame: Frame) -> Para:
        """A paragraph shortened with an ellipsis to the lines its frame holds; for labels and cards."""
        width = frame.inner.w
        lines = max(self.max_lines(para, frame), 1)
        if self.lines(para, width) <= lines:
            return para
        runs = self.cut(para, width, lines)[0].runs
        while runs:
            candidate = replace(para, runs=(*runs, Run("…")))
            if self.lines(candidate, width) <= lines:
                return candidate
            runs = _strip(_drop_last_word(runs))
        return replace(para, runs=(Run("…"),))


class Widths:
    """Advance widths (in ems) of one font file, summed per character and remembered.

    Summing characters ignores kerning and ligatures, which only ever narrow a word, so a
    measured line is never shorter than the one a presentation program sets.
    """

    def __init__(self, file: Path, stretch: float = 1.0):
        self.font = ImageFont.truetype(str(file), 1000, layout_engine=ImageFont.Layout.BASIC)
        self.stretch = stretch
        self.table: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        table = self.table
        total = 0.0
        for char in text:
            width = table.get(char)
            if width is None:
                width = table[char] = self.font.getlength(char) / 1000 * self.stretch
            total += width
        return total


def _words(runs: Iterable[Run]) -> Iterable[tuple[list[tuple[Run, str]], tuple[Run, str] | None]]:
    """Words across runs ("**bold**," is one word), each with the space that follows it."""
    word: list[tuple[Run, str]] = []
    for run in runs:
        for piece in WORD_OR_SPACE.findall(run.text):
            if piece.isspace():
                yield word, (run, " ")
                word = []
            else:
                word.append((run, piece))
    if word:
        yield word, None


def _strip(runs: Sequence[Run]) -> tuple[Run, ...]:
    runs = [r for r in runs if r.text]
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return tuple(r for r in runs if r.text)


def _drop_last_word(runs: Sequence[Run]) -> tuple[Run, ...]:
    text = "".join(r.text for r in runs).rstrip()
    cut = text.rfind(" ")
    return _take(runs, max(cut, 0))


def _take(runs: Sequence[Run], length: int) -> tuple[Run, ...]:
    """The first `length` characters of a run sequence, keeping each run's style."""
    taken: list[Run] = []
    for run in runs:
        if length <= 0:
            break
        taken.append(replace(run, text=run.text[:length]))
        length -= len(run.text)
    return tuple(taken)


# ---------------------------------------------------------------- from Markdown to paragraphs

ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "e.g", "i.e", "etc", "no", "fig"}
WORD_OR_SPACE = re.compile(r"\s+|\S+")
SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def lead_sentence(runs: Sequence[Run]) -> tuple[Run, ...]:
    """A paragraph's first sentence: what a slide shows of it. A bold lead-in ("**Name.**") counts as part of it."""
    text = "".join(r.text for r in runs)
    lead_in = len(runs[0].text.strip()) if runs and runs[0].bold else 0
    for match in SENTENCE_END.finditer(text):
        words = text[: match.start()].split()
        if words and words[-1].lower().rstrip(".") in ABBREVIATIONS:
            continue
        if match.end() <= lead_in + 1:
            continue
        return _strip(_take(runs, match.start() + 1))
    return tuple(runs)


@dataclass(frozen=True)
class Style:
    """How Markdown paragraphs of one text frame are set."""

    size: float
    font: FontRole = "body"
    gap: float = 0.5  # space before a paragraph, in ems
    item_gap: float = 0.3  # space before a list item, in ems
    color: str | None = None


SCALES = (1.4, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6)


def ladder(size: float, top: float = 1.0, bottom: float = 0.9) -> tuple[float, ...]:
    """Sizes to try, largest first, as shares of a layout's size.

    A large size (a template's 32 pt body) may step further down, to about 18 pt.
    """
    bottom = min(bottom, max(18 / size, SCALES[-1]))
    return tuple(dict.fromkeys(round(size * scale) for scale in SCALES if bottom - 1e-9 <= scale <= top + 1e-9))


def styled(parts: Sequence[Paragraph], style: Style) -> list[Para]:
    """Markup paragraphs as slide paragraphs: markers hang in the indent, headings bold, code one line per line."""
    size = style.size
    result = []
    for part in parts:
        runs = tuple(part.runs)
        nested = size * 1.1 * part.level
        base = Para(runs, size, style.font, None, nested, size * style.gap, style.color)
        match part.kind:
            case "bullet":
                marker = Bullet("char", "•" if part.level == 0 else "–")
                result.append(replace(base, bullet=marker, indent=nested + size, hang=size, space_before=size * style.item_gap))
            case "numbered":
                marker = Bullet("number", start=part.number)
                result.append(
                    replace(base, bullet=marker, indent=nested + size * 1.5, hang=size * 1.5, space_before=size * style.item_gap)
                )
            case "heading":
                result.append(replace(base, font="heading", color="tx2", bold=True, indent=0))
            case "quote":
                result.append(replace(base, runs=tuple(replace(r, italic=True) for r in runs), indent=nested + size))
            case _ if len(runs) == 1 and runs[0].code and "\n" in runs[0].text:
                lines = runs[0].text.split("\n")
                result += [
                    replace(base, runs=(replace(runs[0], text=line or " "),), space_before=base.space_before if i == 0 else 0)
                    for i, line in enumerate(lines)
                ]
            case _:
                result.append(base)
    return result


def condensed(parts: Sequence[Paragraph]) -> list[Paragraph]:
    """Each prose paragraph cut to its lead sentence; lists and headings stay whole."""
    return [
        Paragraph(p.kind, list(lead_sentence(p.runs)), p.level, p.number) if p.kind in ("para", "quote") else p for p in parts
    ]


def plain(markdown: str) -> tuple[Run, ...]:
    """Inline Markdown as runs, for one-line texts such as names, prompts and options."""
    parts = paragraphs(markdown)
    runs = [run for i, part in enumerate(parts) for run in ([Run(" ")] if i else []) + part.runs]
    return merge_runs(runs)


# ---------------------------------------------------------------- building the deck


@dataclass
class DeckBuilder:
    """Turns a course into slides for one brand and one geometry (default design or template)."""

    course: Course
    brand: Brand
    geometry: Geometry = DEFAULT_GEOMETRY
    slides: list[Slide] = field(default_factory=list)
    unshown_images: list[Path] = field(default_factory=list)  # SVGs without a PNG beside them

    @cached_property
    def metrics(self) -> TextMetrics:
        return TextMetrics.for_brand(self.brand)

    @cached_property
    def agenda(self) -> list[AgendaItem]:
        return workshop_agenda(self.course)

    def build(self) -> Deck:
        self.title_slide()
        self.agenda_slides()
        for number, module in enumerate(self.course.modules, start=1):
            ModuleSlides(self, module, number).build()
        self.closing_slide()
        g = self.geometry
        settings = self.course.settings
        return Deck(settings.title, settings.language, g.width, g.height, tuple(self.slides), tuple(self.unshown_images))

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
            slide.placeholders[role] = TextBox(self.frame(layout, role), tuple(_first_without_gap(paras)))
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
        settings = self.course.settings
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
        notes = [f"{self.course.title}: the workshop ends at {self.agenda[-1].end:%H:%M}." if self.agenda else self.course.title]
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


def _first_without_gap(paras: Sequence[Para]) -> list[Para]:
    return [replace(p, space_before=0) if i == 0 else p for i, p in enumerate(paras)]


@dataclass
class ModuleSlides:
    """The slides of one module, in the order the module is taught."""

    deck: DeckBuilder
    module: Module
    number: int

    @cached_property
    def agenda_item(self) -> AgendaItem | None:
        return next((item for item in self.deck.agenda if item.module is not None and item.module.id == self.module.id), None)

    @cached_property
    def footer(self) -> str:
        return f"Module {self.number} · {self.module.title}"

    @cached_property
    def timing(self) -> str:
        item = self.agenda_item
        clock = f"{item.clock}, " if item else ""
        return f"Timing: module {self.number} of {len(self.deck.course.modules)}, {clock}{self.module.duration} min."

    def add(self, kind: str, layout: str, title: str, notes: Sequence[str] = (), **placeholders: Sequence[Para]) -> Slide:
        return self.deck.add(kind, layout, title, [self.timing, *notes], self.footer, **placeholders)

    def add_pages(
        self, kind: str, layout: str, title: str, pages: dict[str, list[list[Para]]], notes: Sequence[str] = ()
    ) -> list[Slide]:
        return self.deck.add_pages(kind, layout, title, pages, [self.timing, *notes], self.footer)

    def build(self) -> None:
        self.header_slide()
        if self.module.objectives:
            self.objectives_slide()
        for section in self.module.sections:
            self.section_slides(section)

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
        meta = Para(
            (Run(f"Module {self.number} of {len(self.deck.course.modules)} · {self.module.duration} min{clock}", bold=True),),
            frame.size * 0.8,
        )
        lines = [meta, *([Para(summary, frame.size, space_before=frame.size * 0.6)] if summary else [])]
        notes = [self.timing, *(to_text(text) for text in intro_prose)]
        self.deck.add("module", SECTION, self.module.title, notes, body=self.deck.clipped_all(lines, frame))

    def objectives_slide(self) -> None:
        frame = self.deck.frame(CONTENT, "body")
        parts = [Paragraph("numbered", list(plain(text)), 0, i) for i, text in enumerate(self.module.objectives, start=1)]
        pages = self.deck.fitted(lambda size: styled(parts, Style(size, item_gap=0.8)), frame, ladder(frame.size, 1.2))
        notes = [
            "By the end of this module participants can:",
            *(f"{i}. {o}" for i, o in enumerate(self.module.objectives, start=1)),
        ]
        self.add_pages("objectives", CONTENT, f"Module {self.number} objectives", {"body": pages}, notes)

    # ------------------------------------------------------------ sections

    def section_slides(self, section: Section) -> None:
        title = section.title or self.module.title
        prose: list[str] = []
        for block in section.blocks:
            if isinstance(block, Prose):
                prose.append(block.markdown)
                continue
            if prose and section.title is not None:
                self.prose_slides(title, "\n\n".join(prose))
            prose = []
            self.block_slides(block, title)
        if prose and section.title is not None:
            self.prose_slides(title, "\n\n".join(prose))

    def block_slides(self, block: Block, title: str) -> None:
        match block:
            case FacilitatorNote():
                self.deck.slides[-1].notes.append("Facilitator: " + to_text(block.markdown))
            case Figure():
                self.figure_slide(block, title)
            case Steps():
                self.steps_slides(block, title)
            case Concepts():
                self.concepts_slides(block, title)
            case Questions():
                self.questions_slides(block, title)
            case Reflection():
                self.reflection_slide(block)
            case Activity():
                self.activity_slides(block)
            case Quiz():
                self.quiz_slides(block)
            case Quote():
                self.quote_slide(block, title)
            case Takeaways():
                self.takeaways_slide(block)
            case Case():
                self.case_slides(block)

    def prose_slides(self, title: str, markdown: str) -> None:
        frame = self.deck.frame(CONTENT, "body")
        pages, _ = self.deck.prose_pages(markdown, frame, ladder(frame.size, 1.1), brief=True)
        notes = [to_text(markdown)]
        self.add_pages("prose", CONTENT, title, {"body": pages}, notes)

    def case_slides(self, case: Case) -> None:
        frame = self.deck.frame(CONTENT, "body")
        parts = paragraphs(case.markdown)
        pages = self.deck.fitted(lambda size: styled(parts, Style(size)), frame, ladder(frame.size))
        self.add_pages(
            "case",
            CONTENT,
            f"Case: {case.title}" if case.title else "Case",
            {"body": pages},
            [f"Case for discussion ({len(case.markdown.split())} words): " + to_text(case.markdown)],
        )

    def figure_slide(self, figure: Figure, title: str) -> None:
        area = self.deck.geometry.content
        caption_box: TextBox | None = None
        if figure.caption:
            frame = Frame(Box(area.x, area.bottom - 30, area.w, 30), 13, "body", INSETS)
            para = self.deck.metrics.clipped(Para(plain(figure.caption), 13, align="center", color="tx2"), frame)
            caption_box = TextBox(frame, (replace(para, runs=tuple(replace(r, italic=True) for r in para.runs)),))
            area = area.shrunk(bottom=frame.box.h + 8)
        notes = [f"Image: {figure.alt}", *([f"Caption: {figure.caption}"] if figure.caption else [])]
        slide = self.add("figure", TITLE_ONLY, title, notes)
        file = raster_image(figure.image)
        if file is None:  # nothing every presentation program can show: say what the picture shows instead
            self.deck.unshown_images.append(figure.image)
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

        def overview(size: float) -> list[Para]:
            intro = styled(self.deck.briefed(paragraphs(steps.intro), size, frame), Style(size)) if steps.intro else []
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
            self.step_slides(step, len(steps.items))

    def step_slides(self, step, count: int) -> None:
        left = self.deck.frame(TWO_CONTENT, "left")
        right = self.deck.frame(TWO_CONTENT, "right")
        explanation, shortened = self.deck.prose_pages(step.explanation, left, ladder(left.size, 1.1))
        prompts = [Paragraph("bullet", list(plain(p))) for p in step.prompts]

        def prompt_paras(size: float) -> list[Para]:
            label = Para((Run("Ask yourself"),), size, "heading", color="accent2", bold=True)
            return [label, *styled(prompts, Style(size, item_gap=0.6))]

        pages = {
            "left": explanation,
            "right": self.deck.fitted(prompt_paras, right, ladder(right.size)) if prompts else [[]],
        }
        notes = [f"Step {step.number} of {count}." + (" In full: " if shortened else " ") + to_text(step.explanation)]
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
        area = self.deck.geometry.content
        intro = [to_text(block.intro)] if block.intro else []
        credit = [f"Credit: {block.credit}"] if block.credit else []
        notes = intro + credit + [f"{c.name}: {to_text(c.description)}" for c in block.items]
        slide = self.add("grid", TITLE_ONLY, title, notes)
        if block.credit:
            frame = Frame(Box(area.x, area.bottom - 22, area.w, 22), 12, "body", INSETS)
            para = Para(tuple(replace(r, italic=True) for r in plain(block.credit)), 12, color="accent6")
            slide.shapes.append(Panel(frame.box, "none", TextBox(frame, (self.deck.metrics.clipped(para, frame),))))
            area = area.shrunk(bottom=34)
        boxes = _grid(area, len(block.items), gap=CARD_GAP)
        inner = boxes[0].shrunk(CARD_PAD, CARD_PAD + 6, CARD_PAD, CARD_PAD)
        texts = self.card_texts(block.items, Frame(inner, 16, "body", INSETS))
        needed = max(self.deck.metrics.height(t, inner.w) for t in texts) + 2 * CARD_PAD + 6 + sum(INSETS[1::2])
        rows = len({box.y for box in boxes})
        area = Box(area.x, area.y, area.w, min(area.h, needed * rows + CARD_GAP * (rows - 1)))
        for box, text in zip(_grid(area, len(block.items), gap=CARD_GAP), texts, strict=True):
            frame = Frame(box.shrunk(CARD_PAD, CARD_PAD + 6, CARD_PAD, CARD_PAD), 16, "body", INSETS)
            slide.shapes.append(Panel(box, "bg2", TextBox(frame, text), "rounded"))
            slide.shapes.append(Panel(Box(box.x + CARD_PAD, box.y, 36, 4), "accent3"))

    def card_texts(self, concepts: Sequence[Concept], frame: Frame) -> list[tuple[Para, ...]]:
        """Each card's name and description at one size for all: the largest at which every card fits."""
        metrics = self.deck.metrics

        def text(concept: Concept, size: float, parts: list[Paragraph]) -> tuple[Para, ...]:
            name = Para(plain(concept.name), size + 2, "heading", color="tx2", bold=True)
            body = styled(parts, Style(size, gap=0.4))
            return (name, *([replace(body[0], space_before=size * 0.5), *body[1:]] if body else []))

        for size in (18, 16, 14):
            texts = []
            for concept in concepts:
                parts = paragraphs(concept.description)
                fitting = (text(concept, size, p) for p in (parts, condensed(parts)))
                texts.append(next((t for t in fitting if metrics.fits(t, frame)), None))
            if all(texts):
                return texts  # type: ignore[return-value]
        return [self.clipped_card(concept, frame) for concept in concepts]

    def clipped_card(self, concept: Concept, frame: Frame) -> tuple[Para, ...]:
        metrics = self.deck.metrics
        name = metrics.clipped(
            Para(plain(concept.name), 15, "heading", color="tx2", bold=True), replace(frame, box=replace(frame.box, h=15 * 2.6))
        )
        rest = frame.inner.h - metrics.para_height(name, frame.inner.w, True) - 6
        parts = paragraphs(concept.description)
        lead = Para(lead_sentence(parts[0].runs) if parts else (), 13, space_before=6)
        if rest < metrics.line_height(lead) or not lead.runs:
            return (name,)
        return (name, metrics.clipped(lead, Frame(Box(frame.box.x, 0, frame.box.w, rest), 13, "body", (0, 0, 0, 0))))

    def concept_slides(self, concept: Concept, block: Concepts) -> None:
        if not (concept.signs or concept.actions):  # a statement: the description, large
            frame = self.deck.frame(CONTENT, "body")
            pages, _ = self.deck.prose_pages(concept.description, frame, ladder(frame.size, 1.4))
            self.add_pages("concept", CONTENT, concept.name, {"body": pages}, [to_text(concept.description)])
            return
        left = self.deck.frame(TWO_CONTENT, "left")
        right = self.deck.frame(TWO_CONTENT, "right")
        description, shortened = self.deck.prose_pages(concept.description, left, ladder(left.size, 1.1))
        signs_label, actions_label = ("Signs", "Actions") if block.kind == "needs" else ("What you see", "What to do")

        def lists(size: float) -> list[Para]:
            paras: list[Para] = []
            for label, items in ((signs_label, concept.signs), (actions_label, concept.actions)):
                if items:
                    paras.append(Para((Run(label),), size, "heading", color="accent2", space_before=size * 0.9, bold=True))
                    paras += styled([Paragraph("bullet", list(plain(i))) for i in items], Style(size, item_gap=0.45))
            return paras

        right_pages = self.deck.fitted(lists, right, ladder(right.size, 0.9, 0.75))
        notes = [("In full: " if shortened else "") + to_text(concept.description)]
        notes += [
            f"{label}: " + "; ".join(to_text(i) for i in items)
            for label, items in ((signs_label, concept.signs), (actions_label, concept.actions))
            if items
        ]
        self.add_pages("concept", TWO_CONTENT, concept.name, {"left": description, "right": right_pages}, notes)

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
            pages = self.aligned_rows(rows, left, right, gap=size * 0.7)
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
                            (Run("Instead of asking"),),
                            self.deck.frame(COMPARISON, "left_heading").size,
                            "heading",
                            color="accent6",
                            bold=True,
                        )
                    ],
                    left=lefts,
                    right_heading=[
                        Para(
                            (Run("Try asking"),),
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
            pages = self.deck.fitted(lambda size: styled(parts, Style(size, item_gap=0.7)), frame, ladder(frame.size))
            self.add_pages(
                "questions",
                CONTENT,
                "More open questions" if pairs else heading,
                {"body": pages},
                [*notes, *(to_text(q.open) for q in singles)],
            )

    def aligned_rows(
        self, rows: list[tuple[Para, Para]], left: Frame, right: Frame, gap: float
    ) -> list[tuple[list[Para], list[Para]]]:
        """Two columns whose paragraphs start level, row by row, split into pages where the rows run out of room."""
        metrics = self.deck.metrics
        pages: list[tuple[list[Para], list[Para]]] = [([], [])]
        used = 0.0
        previous = (0.0, 0.0)  # heights of the last row's left and right paragraphs
        limit = min(left.inner.h, right.inner.h)
        for l_para, r_para in rows:
            heights = (
                metrics.lines(l_para, left.inner.w) * metrics.line_height(l_para),
                metrics.lines(r_para, right.inner.w) * metrics.line_height(r_para),
            )
            first = not pages[-1][0]
            row_gap = 0 if first else gap
            if not first and used + row_gap + max(heights) > limit:
                pages.append(([], []))
                used, row_gap, first, previous = 0.0, 0, True, (0.0, 0.0)
            tallest = max(previous)
            pages[-1][0].append(replace(l_para, space_before=0 if first else row_gap + tallest - previous[0]))
            pages[-1][1].append(replace(r_para, space_before=0 if first else row_gap + tallest - previous[1]))
            used += row_gap + max(heights)
            previous = heights
        return pages

    def reflection_slide(self, reflection: Reflection) -> None:
        area = self.deck.geometry.content
        badge = min(130.0, area.h * 0.45)
        body = self.deck.frame(CONTENT, "body")
        if reflection.minutes:
            body = body.moved(body.box.shrunk(right=badge + 40))
        parts = paragraphs(reflection.prompt)
        pages = self.deck.fitted(lambda size: styled(parts, Style(size, gap=0.6, color="tx2")), body, ladder(body.size, 1.4))
        title = f"Reflect: {reflection.title}" if reflection.title else "Reflect"
        minutes = (
            f"{reflection.minutes} minutes to reflect and write."
            if reflection.minutes
            else "Give people time to think and write."
        )
        slides = self.add_pages("reflection", CONTENT, title, {"body": pages}, [minutes, "Prompt: " + to_text(reflection.prompt)])
        for slide in slides:
            slide.placeholders["body"] = replace(slide.placeholders["body"], frame=body)
            if reflection.minutes:
                slide.shapes.append(self.minutes_badge(Box(area.right - badge, area.y, badge, badge), reflection.minutes))

    def minutes_badge(self, box: Box, minutes: int) -> Panel:
        size = box.h * 0.3
        frame = Frame(box.shrunk(6, 6, 6, 6), size, "heading", INSETS)
        number = Para((Run(str(minutes)),), size, "heading", color="bg1", align="center", bold=True)
        unit = Para((Run("min"),), size * 0.4, "heading", color="bg1", align="center")
        return Panel(box, "accent3", TextBox(frame, (number, unit), "middle"), "oval")

    def activity_slides(self, activity: Activity) -> None:
        area = self.deck.geometry.content
        side = min(250.0, area.w * 0.32)
        body = self.deck.frame(CONTENT, "body")
        body = body.moved(body.box.shrunk(right=side + 30))
        pages, shortened = self.deck.prose_pages(activity.instructions, body, ladder(body.size, 1.0, 0.8))
        panel = self.activity_panel(Box(area.right - side, area.y, side, area.h), activity)
        notes = [f"Activity: {activity.minutes} min, {activity.grouping.replace('-', ' ')}."]
        if activity.materials:
            notes.append("Materials: " + "; ".join(activity.materials) + ".")
        if shortened:
            notes.append("Instructions in full: " + to_text(activity.instructions))
        if activity.facilitator:
            notes.append("Facilitator: " + to_text(activity.facilitator))
        if activity.debrief:
            notes.append("Debrief: " + " ".join(to_text(q) for q in activity.debrief))
        slides = self.add_pages("activity", CONTENT, f"Activity: {activity.title}", {"body": pages}, notes)
        for slide in slides:
            slide.placeholders["body"] = replace(slide.placeholders["body"], frame=body)
            slide.shapes.append(panel)
        if activity.debrief:
            frame = self.deck.frame(CONTENT, "body")
            parts = [Paragraph("bullet", list(plain(q))) for q in activity.debrief]
            debrief = self.deck.fitted(lambda size: styled(parts, Style(size, item_gap=0.8)), frame, ladder(frame.size, 1.2))
            self.add_pages(
                "debrief",
                CONTENT,
                f"Debrief: {activity.title}",
                {"body": debrief},
                [f'Debrief of the activity "{activity.title}".'],
            )

    def activity_panel(self, box: Box, activity: Activity) -> Panel:
        """The side panel of an activity: how long, in what grouping, with which materials."""
        frame = Frame(box.shrunk(18, 16, 18, 16), 16, "body", INSETS)
        grouping = {
            "solo": "On your own",
            "pairs": "In pairs",
            "trios": "In trios",
            "small-groups": "In small groups",
            "whole-group": "As a whole group",
        }[activity.grouping]
        paras = [
            Para((Run(str(activity.minutes)),), 54, "heading", color="accent3", bold=True),
            Para((Run("minutes"),), 16, "heading", color="accent3"),
            Para((Run(grouping),), 18, "heading", color="tx2", space_before=14, bold=True),
        ]
        paras = self.deck.clipped_all(paras, frame)
        if activity.materials:
            paras.append(Para((Run("You need"),), 14, "heading", color="tx2", space_before=14, bold=True))
            items = [Para((Run(m),), 14, bullet=Bullet("char"), indent=14, space_before=4) for m in activity.materials]
            shown = len(items)
            while shown and not self.deck.metrics.fits([*paras, *items[:shown], *self.more(items, shown)], frame):
                shown -= 1
            paras += [*items[:shown], *self.more(items, shown)] if shown or len(items) == 0 else []
            if not shown:
                paras.pop()  # not even one item fits: no heading without items
        return Panel(box, "bg2", TextBox(frame, tuple(paras)), "rounded")

    @staticmethod
    def more(items: list[Para], shown: int) -> list[Para]:
        """A last line saying how many items the panel had no room for (they are in the notes)."""
        hidden = len(items) - shown
        return [Para((Run(f"and {hidden} more (see notes)", italic=True),), 13, indent=14, space_before=4)] if hidden else []

    def quiz_slides(self, quiz: Quiz) -> None:
        frame = self.deck.frame(CONTENT, "body")
        count = len(quiz.questions)
        for number, question in enumerate(quiz.questions, start=1):
            hint = {"multiple": "Choose all that apply.", "truefalse": "True or false?", "single": "Choose one."}[question.type]

            def paras(size: float, question=question, hint=hint) -> list[Para]:
                prompt = Para(plain(question.prompt), size + 4, "heading", color="tx2", bold=True)
                hint_para = Para((Run(hint, italic=True),), size - 4, color="accent2", space_before=size * 0.3)
                options = [
                    Para(plain(o.text), size, bullet=Bullet("letter", start=i), indent=size * 1.8, space_before=size * 0.55)
                    for i, o in enumerate(question.options, start=1)
                ]
                if options:
                    options[0] = replace(options[0], space_before=size * 1.0)
                return [prompt, hint_para, *options]

            answer = ", ".join(f"{chr(64 + i)}. {to_text(o.text)}" for i, o in enumerate(question.options, start=1) if o.correct)
            notes = [f"Answer: {answer}"]
            notes += [
                f"{chr(64 + i)}. {to_text(o.text)}: {to_text(o.feedback)}"
                for i, o in enumerate(question.options, start=1)
                if o.feedback
            ]
            pages = self.deck.fitted(paras, frame, ladder(frame.size, 1.0, 0.8))
            self.add_pages("quiz", CONTENT, f"{quiz.title}: question {number} of {count}", {"body": pages}, notes)

    def quote_slide(self, quote: Quote, title: str) -> None:
        area = self.deck.geometry.content
        mark_size = 96.0
        frame = Frame(area.shrunk(left=mark_size * 0.75, right=area.w * 0.08), 28, "body", INSETS)
        parts = paragraphs(quote.text)
        attribution = (
            [Para((Run("— " + quote.attribution),), 16, "heading", color="accent3", space_before=18, bold=True)]
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
        notes = [f"Quote: {to_text(quote.text)}" + (f" ({quote.attribution})" if quote.attribution else "")]
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
                Panel(mark.box, "none", TextBox(mark, (Para((Run("“"),), mark_size, "heading", color="accent3", bold=True),)))
            )
            slide.shapes.append(Panel(frame.box, "none", TextBox(frame, tuple(_first_without_gap(page)), "middle")))

    def takeaways_slide(self, takeaways: Takeaways) -> None:
        frame = self.deck.frame(CONTENT, "body")
        parts = [Paragraph("bullet", list(plain(item))) for item in takeaways.items]

        def paras(size: float) -> list[Para]:
            return [Para(tuple(p.runs), size, bullet=Bullet("char"), indent=size * 1.2, space_before=size * 0.7) for p in parts]

        pages = self.deck.fitted(paras, frame, ladder(frame.size, 1.1))
        self.add_pages(
            "takeaways",
            CONTENT,
            takeaways.title,
            {"body": pages},
            [f"Key takeaways of module {self.number}:", *(f"• {to_text(i)}" for i in takeaways.items)],
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


def raster_image(file: Path) -> Path | None:
    """A file every presentation program shows: the image itself, or for an SVG the PNG or JPEG beside it."""
    if file.suffix.lower() in RASTER_SUFFIXES:
        return file
    return next((file.with_suffix(s) for s in (".png", ".jpg", ".jpeg") if file.with_suffix(s).exists()), None)


def build_deck(course: Course, brand: Brand, geometry: Geometry = DEFAULT_GEOMETRY) -> Deck:
    """The typed deck of a course for one brand, laid out for the default design or a template's geometry."""
    return DeckBuilder(course, brand, geometry).build()
