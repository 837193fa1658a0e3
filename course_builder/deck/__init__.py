"""Stage one of the slide deck: the course turned into a typed deck, measured to fit.

As in Pandoc's PPTX writer, this stage decides everything that needs no python-pptx: which
slides there are, which layout each uses (by PowerPoint's standard layout names), what text
goes into which placeholder or panel, where text is split onto continuation slides, and what
goes into the speaker notes. `course_builder.targets.slides` only serialises the result.

Read in this order: `geometry` (where things go), `model` (the typed deck), `measuring` (how
much text fits), `paragraphs` (Markdown to slide paragraphs), `builder` (the course-level
slides and fitting) and `block_slides` (each block kind's slides).

Long prose is shown as its lead sentences with the full text in the notes; what still does
not fit continues on a slide titled "… (2/2)".
"""

from course_builder.deck.builder import DeckBuilder, build_deck
from course_builder.deck.geometry import (
    COMPARISON,
    CONTENT,
    DEFAULT_GEOMETRY,
    LAYOUT_ROLES,
    SECTION,
    TITLE_ONLY,
    TITLE_SLIDE,
    TWO_CONTENT,
    Box,
    Frame,
    Geometry,
)
from course_builder.deck.measuring import TextMetrics
from course_builder.deck.model import Bullet, Deck, Panel, Para, Picture, Slide, TextBox

__all__ = [
    "COMPARISON",
    "CONTENT",
    "DEFAULT_GEOMETRY",
    "LAYOUT_ROLES",
    "SECTION",
    "TITLE_ONLY",
    "TITLE_SLIDE",
    "TWO_CONTENT",
    "Box",
    "Bullet",
    "Deck",
    "DeckBuilder",
    "Frame",
    "Geometry",
    "Panel",
    "Para",
    "Picture",
    "Slide",
    "TextBox",
    "TextMetrics",
    "build_deck",
]
