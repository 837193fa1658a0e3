"""Where text and shapes go on a slide: boxes in points, text frames, and each layout's frames.

Layout names are PowerPoint's own, so a user's template built from PowerPoint's default offers
them; `DEFAULT_GEOMETRY` is the built-in 16:9 design, and `targets/slides/template.py` reads
the same frames from a user's template.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

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

