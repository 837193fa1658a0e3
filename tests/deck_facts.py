"""What a slide deck holds, for tests: text outlines of a .pptx, the second brand, and text read back as deck paragraphs.

The outline of a deck is what a reviewer reads instead of the file: per slide its layout,
title, the text of every shape in reading order and the speaker notes. The sample deck's
outlines are stored in `tests/golden/` (made by `tests/update_deck_outlines.py` and read by a
person before they are committed), so a change to the deck shows up as a readable diff.

The text of every shape is also read back from the file into the deck's own paragraph type, so the
tests measure what PowerPoint and Impress will set with the same code that laid it out.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from course_builder.deck import Box, Bullet, Frame, Para
from course_builder.markup import Run
from course_builder.model import Brand, Course, Font
from course_builder.skeleton import write_minimal_course
from course_builder.targets.base import BuildOptions
from course_builder.targets.slides import SlidesTarget
from course_builder.views import view_for

CONTINUED = re.compile(r" \((\d+)/(\d+)\)$")
DEFAULT_INSETS = {"lIns": 91440, "tIns": 45720, "rIns": 91440, "bIns": 45720}
GOLDEN = Path(__file__).parent / "golden"
BRANDS = ("default", "coach")


def coach_brand(brand: Brand) -> Brand:
    """A coach's brand: a yellow secondary and a light-blue accent, and fonts named without files."""
    colors = brand.colors.model_copy(update={"secondary": "#FFB81C", "accent": "#00A3E0"})
    fonts = brand.fonts.model_copy(update={"heading": Font(family="Montserrat"), "body": Font(family="Lato")})
    return brand.model_copy(
        update={"id": "coach", "name": "Clear Path Coaching", "colors": colors, "fonts": fonts, "logo": None,
                "footer": "Clear Path Coaching"}
    )


def brand_named(name: str, brand: Brand) -> Brand:
    return brand if name == "default" else coach_brand(brand)


def golden_outline(name: str) -> Path:
    return GOLDEN / f"sample-deck-{name}.txt"


def shape_lines(shape) -> list[str]:
    """A shape as the outline shows it: a picture by its alt text, a text shape paragraph by paragraph."""
    if shape.shape_type == 13:  # picture
        return [f"[picture: {shape._element.nvPicPr.cNvPr.get('descr')}]"]
    if not shape.has_text_frame:
        return []
    lines = []
    for p in shape.text_frame.paragraphs:
        text = "".join(r.text for r in p.runs).replace("\t", "  ").strip()
        if not text:
            continue
        pPr = p._p.find(qn("a:pPr"))
        marked = pPr is not None and (pPr.find(qn("a:buChar")) is not None or pPr.find(qn("a:buAutoNum")) is not None)
        lines.append(("- " if marked else "") + text)
    return lines


def outline(path: Path) -> str:
    """The text outline of a .pptx: one block per slide, read with python-pptx."""
    presentation = Presentation(str(path))
    blocks = []
    for number, slide in enumerate(presentation.slides, start=1):
        lines = [f"=== slide {number} · {slide.slide_layout.name}", f"title: {slide.shapes.title.text_frame.text}"]
        for shape in slide.shapes:
            if shape == slide.shapes.title or (shape.is_placeholder and shape.placeholder_format.type in (13, 15)):
                continue  # the title, the slide number and the footer are shown once above or not at all
            lines += [f"  {line}" for line in shape_lines(shape)]
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        lines.append("notes:")
        lines += [f"  | {line}" if line else "  |" for line in notes.split("\n")]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def logical_titles(titles: list[str]) -> list[str]:
    """Slide titles with continuation slides ("Title (2/3)") folded into their first slide."""
    result = []
    for title in titles:
        match = CONTINUED.search(title)
        if match is None or match.group(1) == "1":
            result.append(CONTINUED.sub("", title))
    return result


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


EPOCH = 1700000000


def build_slides(course: Course, brand: Brand, out: Path, epoch: int | None = EPOCH) -> Path:
    """The deck of `course` for `brand`, built by the slides target as a build does."""
    target = SlidesTarget()
    (path,) = target.build(view_for(course, target.audience), brand, out, BuildOptions(source_date_epoch=epoch))
    return path


SENTENCE = "Every sentence here is long enough to take most of a line on a slide at body size"


def long_text(sentences: int, topic: str) -> str:
    return " ".join(f"{SENTENCE}, and this is sentence {n} about {topic}." for n in range(1, sentences + 1))


def overflowing_module() -> str:
    """A module in which every block has more than one slide can hold, so the deck must split or shorten each."""
    steps = "\n".join(
        f"{n}. **Step number {n}.** {long_text(9, f'step {n}')}\n   - {long_text(3, f'prompt {n}')}" for n in range(1, 4)
    )
    takeaways = "\n".join(f"- {long_text(1, f'takeaway {n}')}" for n in range(1, 25))
    options = "\n".join(f"- [{'x' if n == 1 else ' '}] {long_text(2, f'option {n}')}" for n in range(1, 9))
    questions = "\n".join(f"- Closed question {n}? => {long_text(2, f'open question {n}')}" for n in range(1, 12))
    concepts = "\n".join(
        f"### Idea {n}\n{long_text(8, f'idea {n}')}\n\nSigns:\n- A sign of idea {n}.\n\nActions:\n- An action for idea {n}.\n"
        for n in range(1, 9)
    )
    prose = "\n\n".join(long_text(5, f"paragraph {n}") for n in range(1, 9))
    return f"""## Too much to say

{prose}

::: {{.steps title="Many long steps"}}
{steps}
:::

::: {{.concepts title="Many long ideas"}}
{concepts}
:::

::: {{.questions title="Many questions"}}
{questions}
:::

::: {{.reflection minutes=5 title="A long prompt"}}
{long_text(12, "the reflection")}
:::

::: {{.activity title="A long activity" minutes=20 grouping=pairs}}
{long_text(14, "the activity")}
:::

::: {{.quiz title="A long quiz"}}
### {long_text(2, "the question")}
{options}
:::

::: {{.quote by="Someone"}}
{long_text(10, "the quotation")}
:::

::: {{.case title="A long case"}}
{long_text(30, "the case")}
:::

::: {{.takeaways}}
{takeaways}
:::
"""


def write_course(folder: Path, body: str) -> Path:
    """The minimal course with one module whose body is `body` (and a small SVG in its assets)."""
    write_minimal_course(folder)
    (folder / "assets").mkdir(exist_ok=True)
    (folder / "assets" / "circles.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="10"/>')
    front = "id: welcome\ntitle: Welcome\nduration: 120\nobjectives:\n  - Say what the workshop is for."
    (folder / "modules" / "01-welcome.md").write_text(f"---\n{front}\n---\n\n{textwrap.dedent(body)}", encoding="utf-8")
    return folder
