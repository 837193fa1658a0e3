"""From Markdown to slide paragraphs: lead sentences, styles per frame, and the sizes a frame may step through."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from course_builder.deck.geometry import FontRole
from course_builder.deck.measuring import strip_runs, take_runs
from course_builder.deck.model import Bullet, Para
from course_builder.markup import Paragraph, Run, course_parser, inline_runs, merge_runs, paragraphs

ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "e.g", "i.e", "etc", "no", "fig"}
SENTENCE_END = re.compile(r"[.!?][\"”’»)]*\s+(?=[\"“‘„«(¿¡]?(\w))")
"""A full stop, closing quotes and space before the next sentence's first letter, which must be a capital or a digit
(checked in `lead_sentence`: `re` has no class for capitals in every script, `Ärger`, `Émile`, `Ŵéé` included)."""


def lead_sentence(runs: Sequence[Run], at_least: int = 0) -> tuple[Run, ...]:
    """A paragraph's first sentence, closing quotation marks included: what a slide shows of it.

    A bold lead-in ("**Name.**") is never a sentence of its own: the sentence after it comes with it.
    With `at_least`, further sentences follow until that many words, so a short announcing sentence
    ("The same holds in hard times.") is not left without what it announces.
    """
    runs = [r for r in runs if r.text]
    text = "".join(r.text for r in runs)
    lead_in = len(text) - len(text.lstrip()) + len(runs[0].text.strip()) if runs and runs[0].bold else 0
    for match in SENTENCE_END.finditer(text):
        if not (match.group(1).isupper() or match.group(1).isdigit()):
            continue
        words = text[: match.start()].split()
        if words and words[-1].lower().rstrip(".") in ABBREVIATIONS:
            continue
        if match.end() <= lead_in + 1 or text[: match.end()].strip() == text[:lead_in].strip():
            continue
        if len(text[: match.end()].split()) < at_least:
            continue
        return strip_runs(take_runs(runs, match.start() + len(match.group().rstrip())))
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


WORD_BUDGET = 40
"""The most words of body text a content slide shows; the speaker notes carry the rest."""
KEY_POINT_WORDS = 12
"""A key point runs to the end of the sentence that reaches this many words: enough to say something."""


def words_in(part: Paragraph) -> int:
    return len("".join(run.text for run in part.runs).split())


def key_points(parts: Sequence[Paragraph], budget: int = WORD_BUDGET) -> list[Paragraph]:
    """What a slide shows of prose: each paragraph and list item as its lead sentence (a bold lead-in included).

    A list whose items mostly open with a bold lead-in ("**Hand-overs break.** Work passes…") shows
    just the lead-ins when the list then fits the budget: it stays one list of points on one slide.
    """
    result: list[Paragraph] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part.kind in ("bullet", "numbered"):
            end = index
            while end < len(parts) and parts[end].kind == part.kind and parts[end].level == part.level:
                end += 1
            items = parts[index:end]
            lead_ins = [_lead_in(item) for item in items]
            shown = [
                Paragraph(i.kind, [lead] if lead else list(key_point(i.runs, budget)), i.level, i.number)
                for i, lead in zip(items, lead_ins, strict=True)
            ]
            if 2 * sum(map(bool, lead_ins)) < len(items) or sum(map(words_in, shown)) > budget:
                shown = [Paragraph(i.kind, list(key_point(i.runs, budget)), i.level, i.number) for i in items]
            result += shown
            index = end
            continue
        if part.kind in ("para", "quote"):
            part = Paragraph(part.kind, list(key_point(part.runs, budget)), part.level, part.number)
        result.append(part)
        index += 1
    return result


def key_point(runs: Sequence[Run], budget: int) -> tuple[Run, ...]:
    """The lead sentence, with the next ones up to a dozen words, unless that breaks the budget on its own.

    A lone lead sentence that leads into something (it ends with a colon) keeps what follows: the
    slide is then over budget, and `check` says so, rather than showing a sentence that says nothing.
    """
    point = lead_sentence(runs, KEY_POINT_WORDS)
    if len("".join(r.text for r in point).split()) <= budget:
        return point
    first = lead_sentence(runs)
    return point if "".join(r.text for r in first).rstrip().endswith(":") else first


def sentence_groups(part: Paragraph, budget: int) -> list[Paragraph]:
    """A paragraph over the budget as consecutive groups of whole sentences, each within it where a sentence allows.

    The first group keeps the paragraph's marker; the others continue it as plain paragraphs at its level.
    """
    groups: list[Paragraph] = []
    runs = strip_runs(part.runs)
    while runs:
        sentence = lead_sentence(runs)
        taken = len("".join(r.text for r in sentence)) or len("".join(r.text for r in runs))
        rest = strip_runs(_after(runs, taken))
        words = len("".join(r.text for r in sentence).split())
        if groups and words_in(groups[-1]) + words <= budget:
            groups[-1].runs = [*groups[-1].runs, Run(" "), *sentence]
        else:
            kind = part.kind if not groups else ("quote" if part.kind == "quote" else "para")
            groups.append(Paragraph(kind, list(sentence), part.level, part.number))
        runs = rest
    return [Paragraph(g.kind, list(merge_runs(g.runs)), g.level, g.number) for g in groups]


def _after(runs: Sequence[Run], length: int) -> tuple[Run, ...]:
    """What follows the first `length` characters of a run sequence."""
    rest: list[Run] = []
    for run in runs:
        if length >= len(run.text):
            length -= len(run.text)
            continue
        rest.append(replace(run, text=run.text[length:]))
        length = 0
    return tuple(rest)


def _lead_in(part: Paragraph) -> Run | None:
    """A list item's opening bold phrase, as a point of its own ("**Hand-overs break.**", "**Phones away** except…")."""
    runs = [run for run in part.runs if run.text.strip()]
    if len(runs) > 1 and runs[0].bold:
        return replace(runs[0], text=runs[0].text.strip().rstrip(",:"))
    return None


def budgeted(parts: Sequence[Paragraph], budget: int = WORD_BUDGET) -> list[list[Paragraph]]:
    """Paragraphs grouped into slides of at most `budget` words, each paragraph whole.

    A heading, or a sentence that ends with a colon, stays on the slide of what it leads into, and a
    list stays together as far as the budget allows; a paragraph over the budget is split between
    sentences. A lead-in sentence that cannot share a slide with what it leads into is left to the
    notes (which hold the whole text): alone it would end the slide on a colon.
    """
    units: list[list[Paragraph]] = []
    leads_on = False
    parts = [piece for part in parts for piece in (sentence_groups(part, budget) if words_in(part) > budget else [part])]
    for part in parts:
        in_list = bool(units) and part.kind in ("bullet", "numbered") and units[-1][-1].kind == part.kind
        if leads_on and units[-1][-1].kind == "para" and words_in(units[-1][-1]) + words_in(part) > budget:
            units[-1].pop()
            units[-1:] = [[part]] if not units[-1] else [units[-1], [part]]
        elif leads_on or (in_list and sum(map(words_in, units[-1])) + words_in(part) <= budget):
            units[-1].append(part)
        else:
            units.append([part])
        leads_on = part.kind == "heading" or "".join(run.text for run in part.runs).rstrip().endswith(":")
    pages: list[list[Paragraph]] = [[]]
    words = 0
    for unit in units:
        count = sum(words_in(p) for p in unit)
        if pages[-1] and words + count > budget:
            pages.append([])
            words = 0
        pages[-1].extend(unit)
        words += count
    return [page for page in pages if page]


def table_segments(markdown: str) -> list[tuple[str, str]]:
    """Markdown cut into ("prose", text) and ("table", text) pieces in order: a table becomes a native table."""
    lines = markdown.split("\n")
    segments: list[tuple[str, str]] = []
    at = 0
    for token in course_parser(html=False).parse(markdown):
        if token.type == "table_open" and token.level == 0 and token.map:
            start, end = token.map
            segments += [("prose", "\n".join(lines[at:start])), ("table", "\n".join(lines[start:end]))]
            at = end
    segments.append(("prose", "\n".join(lines[at:])))
    return [(kind, text) for kind, text in segments if text.strip()]


def table_rows(markdown: str) -> list[list[tuple[Run, ...]]]:
    """A Markdown table's cells as runs, the header row first."""
    rows: list[list[tuple[Run, ...]]] = []
    for token in course_parser(html=False).parse(markdown):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(merge_runs(inline_runs(token.children or [])))
    return rows
