"""Measuring text as a presentation program sets it: real font metrics, greedy line breaks, pages.

Text is measured with the brand's real font files (Pillow), so a box never holds more lines
than fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

from course_builder.deck.geometry import FontRole, Frame
from course_builder.deck.model import Para
from course_builder.fonts import FALLBACK_FAMILY, FontFace, faces_for
from course_builder.markup import Run, merge_runs
from course_builder.model import Brand, Font
from course_builder.writing import Writing, writing

# PowerPoint sets single-spaced lines 1.2 em apart whatever the font, and Impress does the same for
# PPTX files (measured: 100% -> 1.2 em, 90% -> 1.08 em); widths, in contrast, come from the font files.
LINE_HEIGHT = 1.2
SAFETY = 0.96  # share of a box's width text may use: room for renderers' rounding and kerning
WORD_OR_SPACE = re.compile(r"\s+|\S+")


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
    """Line breaking and heights with real font metrics, as a presentation program sets text.

    A character the role's font has no glyph for is measured in the bundled font of the
    language's script (`script`), which the theme names as the deck's complex-script font.
    """

    def __init__(self, heading: Font, body: Font, script: Writing | None = None):
        self.roles = {"heading": self._faces(heading), "body": self._faces(body)}
        self.script = Faces(script.family, script.faces) if script and script.family else None
        self._line_counts: dict[tuple[Para, float], int] = {}

    @staticmethod
    def _faces(font: Font) -> Faces:
        return Faces(font.family if font.files else FALLBACK_FAMILY, tuple(faces_for(font)))

    @classmethod
    def for_brand(cls, brand: Brand, language: str = "en") -> TextMetrics:
        return cls(brand.fonts.heading, brand.fonts.body, writing(language))

    def family(self, role: FontRole) -> str:
        return self.roles[role].family

    def line_height(self, para: Para) -> float:
        return para.size * LINE_HEIGHT * para.spacing

    def run_width(self, text: str, run: Run, para: Para) -> float:
        return self._widths(para.font, para.bold or run.bold, run.italic)(text) * para.size

    @cache  # noqa: B019  (one TextMetrics per build; the cache is what makes measuring cheap)
    def _widths(self, role: FontRole, bold: bool, italic: bool) -> Widths:
        file, synthetic = self.roles[role].file_for(bold, italic)
        fallback = Widths(*self.script.file_for(bold, italic)) if self.script else None
        return Widths(file, synthetic, fallback)

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
        return replace(para, runs=strip_runs(head)), replace(para, runs=strip_runs(tail), bullet=None, label=(), space_before=0)

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
            runs = strip_runs(drop_last_word(runs))
        return replace(para, runs=(Run("…"),))


class Widths:
    """Advance widths (in ems) of one font file, summed per character and remembered.

    Summing characters ignores kerning and ligatures, which only ever narrow a word, so a
    measured line is never shorter than the one a presentation program sets. Arabic letters are
    measured in their isolated forms, mostly wider than the joined ones (the rendered deck of
    tests/test_rtl.py shows no line longer than measured). A
    character the file has no glyph for is measured in `fallback` (the script's font), as the
    presentation program draws it.
    """

    def __init__(self, file: Path, synthetic_bold: bool = False, fallback: Widths | None = None):
        self.font = ImageFont.truetype(str(file), 1000, layout_engine=ImageFont.Layout.BASIC)
        self.stretch = 1.05 if synthetic_bold else 1.0
        self.fallback = fallback
        self.covered = font_characters(file) if fallback else None
        self.table: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        table = self.table
        total = 0.0
        for char in text:
            width = table.get(char)
            if width is None:
                if self.fallback is not None and self.covered is not None and ord(char) not in self.covered:
                    width = table[char] = self.fallback(char)  # emboldened or not as that font needs
                else:
                    width = table[char] = self.font.getlength(char) / 1000 * self.stretch
            total += width
        return total


@cache
def font_characters(file: Path) -> frozenset[int]:
    with TTFont(file, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


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


def strip_runs(runs: Sequence[Run]) -> tuple[Run, ...]:
    runs = [r for r in runs if r.text]
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return tuple(r for r in runs if r.text)


def drop_last_word(runs: Sequence[Run]) -> tuple[Run, ...]:
    text = "".join(r.text for r in runs).rstrip()
    cut = text.rfind(" ")
    return take_runs(runs, max(cut, 0))


def take_runs(runs: Sequence[Run], length: int) -> tuple[Run, ...]:
    """The first `length` characters of a run sequence, keeping each run's style."""
    taken: list[Run] = []
    for run in runs:
        if length <= 0:
            break
        taken.append(replace(run, text=run.text[:length]))
        length -= len(run.text)
    return tuple(taken)

