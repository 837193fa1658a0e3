"""What a slide deck holds, for tests: the structure a course should make, and text read back from a .pptx.

The text of every shape is read back from the file into the deck's own paragraph type, so the
tests measure what PowerPoint and Impress will set with the same code that laid it out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pptx.oxml.ns import qn
from pptx.util import Emu

from course_builder.deck import Box, Bullet, Frame, Para
from course_builder.markup import Run
from course_builder.model import Activity, Concepts, Course, FacilitatorNote, Prose, Questions, Quiz, Steps

CONTINUED = re.compile(r" \((\d+)/(\d+)\)$")
DEFAULT_INSETS = {"lIns": 91440, "tIns": 45720, "rIns": 91440, "bIns": 45720}


def logical_titles(titles: list[str]) -> list[str]:
    """Slide titles with continuation slides ("Title (2/3)") folded into their first slide."""
    result = []
    for title in titles:
        match = CONTINUED.search(title)
        if match is None or match.group(1) == "1":
            result.append(CONTINUED.sub("", title))
    return result


def expected_slide_count(course: Course) -> int:
    """The deck's structure as docs/slides.md describes it, counted from the model (continuations folded)."""
    count = 3  # title, agenda, thank-you
    for module in course.modules:
        count += 1 + bool(module.objectives)
        for section in module.sections:
            previous_was_prose = False
            for block in section.blocks:
                is_prose = isinstance(block, Prose)
                if is_prose and section.title is not None and not previous_was_prose:
                    count += 1
                previous_was_prose = is_prose or (previous_was_prose and isinstance(block, FacilitatorNote))
                match block:
                    case Steps():
                        count += 1 + len(block.items)
                    case Concepts():
                        detailed = [c for c in block.items if c.signs or c.actions]
                        count += 1 + len(detailed) if len(block.items) <= 6 else len(block.items)
                    case Questions():
                        count += any(q.closed for q in block.items) + any(not q.closed for q in block.items)
                    case Activity():
                        count += 1 + bool(block.debrief)
                    case Quiz():
                        count += len(block.questions)
                    case Prose() | FacilitatorNote():
                        pass
                    case _:
                        count += 1
    return count


@dataclass
class TextShape:
    """A shape's text as the deck would have set it: paragraphs, and the frame they must fit."""

    name: str
    frame: Frame
    paras: list[Para]


def points(value: int) -> float:
    return Emu(value).pt


def _insets(shape) -> tuple[float, float, float, float]:
    """Text insets: the shape's own, else its layout's and master's placeholder's, else PowerPoint's defaults."""
    chain = [shape]
    if shape.is_placeholder:
        layout_placeholder = shape.part.slide_layout.placeholders.get(idx=shape.placeholder_format.idx)
        if layout_placeholder is not None:
            chain.append(layout_placeholder)
            master = shape.part.slide_layout.slide_master
            chain += [p for p in master.placeholders if p.placeholder_format.type == layout_placeholder.placeholder_format.type]
    values = dict(DEFAULT_INSETS)
    for source in reversed(chain):
        body = source._element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
        if body is not None:
            values.update({k: int(v) for k, v in body.attrib.items() if k in DEFAULT_INSETS})
    return tuple(points(values[k]) for k in ("lIns", "tIns", "rIns", "bIns"))  # type: ignore[return-value]


def _para(p) -> Para | None:
    """One a:p as a deck paragraph; None for an empty one (the slide-number field included)."""
    pPr = p.find(qn("a:pPr"))
    runs, sizes, fonts = [], [], []
    for r in p.findall(qn("a:r")):
        rPr = r.find(qn("a:rPr"))
        text = r.find(qn("a:t")).text or ""
        if text == "\t":  # what came before hangs in the indent (an agenda's clock): not part of the text
            runs, sizes, fonts = [], [], []
            continue
        runs.append(Run(text, rPr.get("b") == "1", rPr.get("i") == "1"))
        sizes.append(int(rPr.get("sz", "1800")) / 100)
        latin = rPr.find(qn("a:latin"))
        fonts.append("heading" if latin is not None and latin.get("typeface") == "+mj-lt" else "body")
    if not runs:
        return None
    bullet = None
    if pPr is not None and (pPr.find(qn("a:buChar")) is not None or pPr.find(qn("a:buAutoNum")) is not None):
        bullet = Bullet("char")
    spacing = pPr.find(f"{qn('a:lnSpc')}/{qn('a:spcPct')}") if pPr is not None else None
    before = pPr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}") if pPr is not None else None
    return Para(
        tuple(runs),
        max(sizes),
        fonts[0],  # type: ignore[arg-type]
        bullet,
        points(int(pPr.get("marL", "0"))) if pPr is not None else 0,
        int(before.get("val")) / 100 if before is not None else 0,
        spacing=int(spacing.get("val")) / 100000 if spacing is not None else 1.0,
    )


def text_shapes(slide) -> Iterator[TextShape]:
    """Every shape of a slide that holds text, with its box (inherited for placeholders) and insets."""
    for shape in slide.shapes:
        if not shape.has_text_frame:
            continue
        paras = [para for p in shape._element.iter(qn("a:p")) if (para := _para(p)) is not None]
        if not paras:
            continue
        box = Box(points(shape.left), points(shape.top), points(shape.width), points(shape.height))
        yield TextShape(shape.name, Frame(box, paras[0].size, "body", _insets(shape)), paras)


def slide_text(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
