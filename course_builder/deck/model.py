"""The typed deck: slides, their layouts by name, placeholders filled with set paragraphs, shapes and notes.

Everything here is decided and measured; `targets/slides/` only writes it with python-pptx.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from course_builder.deck.geometry import Box, FontRole, Frame
from course_builder.markup import Run
from course_builder.model import SourceRef

TextRole = Literal["body", "cell", "caption", "label"]


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
    role: TextRole = "body"  # body text and table cells count against the word budget; captions and labels do not


@dataclass(frozen=True)
class Panel:
    """A filled shape behind or around text; its colours are theme slots, so the theme rebrands it."""

    box: Box
    fill: str
    text: TextBox | None = None
    shape: Literal["rectangle", "rounded", "oval"] = "rectangle"


@dataclass(frozen=True)
class Table:
    """A native table: the header row first (repeated on every continuation slide), cells set as measured."""

    box: Box
    columns: tuple[float, ...]  # column widths in points
    rows: tuple[tuple[Para, ...], ...]
    heights: tuple[float, ...]  # row heights in points
    header: bool = True
    margin: float = 6  # inner margin of every cell, all four sides

    def cells(self) -> list[TextBox]:
        """Each cell as a text box where it sits, row by row: for measuring and for the budgets."""
        boxes = []
        y = self.box.y
        for row, height in zip(self.rows, self.heights, strict=True):
            x = self.box.x
            for para, width in zip(row, self.columns, strict=True):
                insets = (self.margin,) * 4
                boxes.append(TextBox(Frame(Box(x, y, width, height), para.size, "body", insets), (para,), role="cell"))
                x += width
            y += height
        return boxes


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
    shapes: list[Panel | Picture | Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    footer: str | None = None
    minutes: float | None = None  # the time a timed block (activity, reflection) takes here; None: a share of the rest
    module_id: str | None = None  # the module the slide belongs to; None: the workshop's own slides (title, agenda, close)
    section_id: str | None = None  # the module's section; None: the module's opening and objectives
    source: SourceRef | None = None  # where what the slide shows was written, for warnings

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



def slide_numbers(deck: Deck) -> dict[tuple[str, str | None], list[int]]:
    """The 1-based numbers of each module section's slides, for the facilitator guide of the same build.

    Keys are (module id, section id); (module id, None) holds the module's opening and objectives
    slides. The workshop's own slides (title, welcome, agenda, breaks, close) belong to no module.
    """
    numbers: dict[tuple[str, str | None], list[int]] = {}
    for number, slide in enumerate(deck.slides, start=1):
        if slide.module_id is not None:
            numbers.setdefault((slide.module_id, slide.section_id), []).append(number)
    return numbers


def mirrored(deck: Deck) -> Deck:
    """The deck laid out for a right-to-left language: every placeholder's frame and every free shape
    (picture, card, panel, table) mirrored across the slide's middle, so what is read first sits on the right.

    Widths stay as measured, so what fitted still fits; the text itself is set right to left
    when the deck is written (`rtl` paragraphs, right-aligned). The branded master mirrors its
    placeholders the same way (`BrandedMaster`), so a two-column slide's first column is on the right.
    """
    slides = []
    for slide in deck.slides:
        placeholders = {role: replace(text, frame=_mirrored_frame(text.frame, deck.width))
                        for role, text in slide.placeholders.items()}
        shapes = [_mirrored_shape(shape, deck.width) for shape in slide.shapes]
        slides.append(replace(slide, placeholders=placeholders, shapes=shapes))
    return replace(deck, slides=tuple(slides))


def _mirrored_box(box: Box, width: float) -> Box:
    return replace(box, x=width - box.x - box.w)


def _mirrored_frame(frame: Frame, width: float) -> Frame:
    left, top, right, bottom = frame.insets
    return replace(frame, box=_mirrored_box(frame.box, width), insets=(right, top, left, bottom))


def _mirrored_shape(shape: Panel | Picture | Table, width: float) -> Panel | Picture | Table:
    if isinstance(shape, Panel) and shape.text is not None:
        text = replace(shape.text, frame=_mirrored_frame(shape.text.frame, width))
        return replace(shape, box=_mirrored_box(shape.box, width), text=text)
    return replace(shape, box=_mirrored_box(shape.box, width))
