"""The `qps` pseudo-language: every string accented and about 40 % longer, its codes left where they were.

A coach builds with it before a real translation arrives, to see where a longer language
overflows a slide or a box, and which strings are not translatable at all (they stay plain
English). No file is needed: the translation is made from the source whenever it is asked for.
"""

from __future__ import annotations

from course_builder.translation.inline import Piece

PSEUDO_LANGUAGE = "qps"
GROWTH = 0.4
ACCENTED = str.maketrans(
    "AaBCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåƁÇçĐđÉéĜĝĤĥÎîĴĵĶķĹļÑñÖöŔŕŠšŢţÛûŴŵÝýŽž",
)
PADDING = " ·"


def pseudo_pieces(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """The pieces with their words accented, lengthened by ~40 % and bracketed so a cut-off end shows."""
    words = sum(len(p) for p in pieces if isinstance(p, str))
    extra = round(words * GROWTH) - 2  # the brackets count too
    out: list[Piece] = ["["]
    for piece in pieces:
        out.append(piece.translate(ACCENTED) if isinstance(piece, str) else piece)
    out.append((PADDING * (max(extra, 0) // len(PADDING) + 1))[: max(extra, 0)] + "]")
    return tuple(out)
