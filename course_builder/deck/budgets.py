"""Which slides break the budgets a room can read: too many words of body text, or text set too small.

Pure and fast (no file is written), so `course-builder check` runs it on the whole deck.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_builder.deck.geometry import COLUMN_SHARE, COMPARISON, SECTION, TITLE_SLIDE, TWO_CONTENT
from course_builder.deck.model import Deck, Panel, Slide, Table, TextBox
from course_builder.model import SlideBudgets

COLUMN_LAYOUTS = (TWO_CONTENT, COMPARISON)
FRAMING_LAYOUTS = (TITLE_SLIDE, SECTION)  # title, module and break slides: no body text budget, only captions


@dataclass(frozen=True)
class OverBudget:
    number: int  # 1-based slide number
    slide: Slide
    reason: str


def text_boxes(slide: Slide) -> list[TextBox]:
    """Every text on a slide but its title and footer, in reading order."""
    boxes = [*slide.placeholders.values()]
    for shape in slide.shapes:
        if isinstance(shape, Panel) and shape.text is not None:
            boxes.append(shape.text)
        elif isinstance(shape, Table):
            boxes += shape.cells()
    return boxes


def body_words(slide: Slide) -> int:
    """Words of body text; a quiz question is shown with all its options, so it is not held to the budget."""
    if slide.layout in FRAMING_LAYOUTS or slide.kind == "quiz":
        return 0
    return sum(len(para.text.split()) for box in text_boxes(slide) if box.role in ("body", "cell") for para in box.paras)


def over_budget(deck: Deck, budgets: SlideBudgets, content_width: float) -> list[OverBudget]:
    """Slides over the word budget, or with body text or captions under their smallest size."""
    found = []
    for number, slide in enumerate(deck.slides, start=1):
        words = body_words(slide)
        if words > budgets.words:
            found.append(OverBudget(number, slide, f"{words} words of body text, more than the {budgets.words} a slide shows"))
        smallest = min(
            ((para.size, box) for box in text_boxes(slide) for para in box.paras if para.text.strip()),
            key=lambda pair: pair[0] - minimum(slide, pair[1], budgets, content_width),
            default=None,
        )
        if smallest is not None and smallest[0] < minimum(slide, smallest[1], budgets, content_width) - 0.01:
            least = minimum(slide, smallest[1], budgets, content_width)
            what = "a caption" if least == budgets.caption_size else "body text"
            found.append(OverBudget(number, slide, f"{what} at {smallest[0]:g} pt, under the {least:g} pt a room reads"))
    return found


def minimum(slide: Slide, box: TextBox, budgets: SlideBudgets, content_width: float) -> float:
    """The smallest size a text may have: body text by layout and column width, table cells as columns, the rest as captions."""
    if box.role == "cell":
        return budgets.column_size
    if box.role != "body" or slide.layout in FRAMING_LAYOUTS:
        return budgets.caption_size
    column = slide.layout in COLUMN_LAYOUTS or box.frame.inner.w < content_width * COLUMN_SHARE
    return budgets.column_size if column else budgets.body_size
