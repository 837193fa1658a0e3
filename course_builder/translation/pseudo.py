"""The `qps` pseudo-language: every string accented and about 40 % longer, its codes left where they were.

A coach builds with it before a real translation arrives, to see where a longer language
overflows a slide or a box, and which strings are not translatable at all (they stay plain
English). No file is needed: the translation is made from the source whenever it is asked for.

Words grow the way translated words do, from the inside: every vowel is doubled (about a third
longer in English), and the rest of the 40 % is made up by short runs of dots before the closing
bracket. The brackets show where a string starts and ends, so a cut-off end is seen at once.
"""

from __future__ import annotations

from course_builder.translation.inline import Piece

PSEUDO_LANGUAGE = "qps"
GROWTH = 1.4
VOWELS = set("aeiouyAEIOUY")
ACCENTED = str.maketrans(
    "AaBCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåƁÇçĐđÉéĜĝĤĥÎîĴĵĶķĹļÑñÖöŔŕŠšŢţÛûŴŵÝýŽž",
)
PADDING_RUN = 6  # dots per run: a run breaks no line wider than a word does


def pseudo_pieces(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """The pieces with their words accented and lengthened by ~40 %, bracketed so a cut-off end shows."""
    source_length = sum(len(p) for p in pieces if isinstance(p, str))
    out: list[Piece] = ["["]
    for piece in pieces:
        out.append(_stretched(piece) if isinstance(piece, str) else piece)
    grown = sum(len(p) for p in out if isinstance(p, str)) + 1
    missing = round(source_length * GROWTH) - grown
    out.append(_padding(missing) + "]")
    return tuple(out)


def _stretched(text: str) -> str:
    return "".join(c + c if c in VOWELS else c for c in text).translate(ACCENTED)


def _padding(length: int) -> str:
    runs = ("·" * PADDING_RUN + " ") * (length // PADDING_RUN + 1)
    return (" " + runs)[: max(length, 0)].rstrip()
