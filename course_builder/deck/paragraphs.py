"""From Markdown to slide paragraphs: lead sentences, styles per frame, and the sizes a frame may step through."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from course_builder.deck.geometry import FontRole
from course_builder.deck.measuring import strip_runs, take_runs
from course_builder.deck.model import Bullet, Para
from course_builder.markup import Paragraph, Run, merge_runs, paragraphs

ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "e.g", "i.e", "etc", "no", "fig"}
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
        return strip_runs(take_runs(runs, match.start() + 1))
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



def first_without_gap(paras: Sequence[Para]) -> list[Para]:
    """A frame's paragraphs with no space above the first: programs differ on it, so the deck measures none."""
    return [replace(p, space_before=0) if i == 0 else p for i, p in enumerate(paras)]
