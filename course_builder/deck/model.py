"""The typed deck: slides, their layouts by name, placeholders filled with set paragraphs, shapes and notes.

Everything here is decided and measured; `targets/slides/` only writes it with python-pptx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from course_builder.deck.geometry import Box, FontRole, Frame
from course_builder.markup import Run


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
    minutes: float | None = None  # the time a timed block (activity, reflection) takes here; None: a share of the rest

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

