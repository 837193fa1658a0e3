"""Author Markdown as translatable text with its markup locked away, and back.

A Markdown field (a prose block, an explanation, a quiz option) is cut into its leaves: each
paragraph, list item, heading or table cell. A leaf becomes one translation unit whose text
keeps the words and replaces every piece of markup by an inline code the translator moves but
cannot break: `**`…`**`, `*`…`*`, `~~`…`~~` and links are *paired* codes around the words they
mark; code spans, images, hard line breaks, autolinks and raw HTML are *placeholders*.

Codes are numbered in order of appearance. The markup a code stands for is taken from the
current source when a translation is applied, never from the returned file, so a translator's
tool cannot change a link target or smuggle markup in: translated words are escaped as
Markdown text, and only the codes turn back into markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from course_builder.markup import course_parser


@dataclass(frozen=True)
class Code:
    """A placeholder (`kind` "ph") or one end of a paired code (the two ends share an id), standing for Markdown markup."""

    id: str
    markup: str
    kind: str  # "ph", "start" or "end"
    label: str  # what a translator's tool shows: "strong", "link", "image: wheel.png"…


Piece = str | Code
"""Text (plain characters, no Markdown escapes) or a code."""


@dataclass(frozen=True)
class Leaf:
    """One paragraph, item, heading or cell of a Markdown field, and where it sits in the field's text."""

    pieces: tuple[Piece, ...]
    first_line: int  # 0-based line of the field text where it starts
    start: int  # column where its text starts on that line
    end: int  # column where its text ends on that line
    more_lines: int  # lines after the first that hold the rest of it


PAIRED = {"strong": "strong", "em": "emphasis", "s": "strikethrough"}


@lru_cache(maxsize=2)
def _parser(allow_html: bool) -> MarkdownIt:
    return course_parser(html=allow_html)


def plain_pieces(text: str) -> tuple[Piece, ...]:
    """A plain-text field (a title, a label): all words, no codes."""
    return (text,) if text else ()


def markdown_leaves(markdown: str, allow_html: bool = False) -> list[Leaf]:
    """The leaves of a Markdown field, in reading order."""
    lines = markdown.split("\n")
    cursor: dict[int, int] = {}
    leaves = []
    for token in _parser(allow_html).parse(markdown):
        if token.type != "inline" or token.map is None or not token.content.strip():
            continue
        first, *rest = token.content.split("\n")
        row = token.map[0]
        start = lines[row].find(first, cursor.get(row, 0))
        if start < 0:  # markup the parser rewrote (never seen in CommonMark leaves): keep this leaf untranslatable
            continue
        cursor[row] = start + len(first)
        leaves.append(Leaf(_pieces(token.children or []), row, start, start + len(first), len(rest)))
    return leaves


def _pieces(children: list[Token]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    open_codes: list[tuple[Code, str]] = []  # a paired code waiting for its end, and the end's markup
    numbers = iter(range(1, 1_000_000))
    in_autolink = False
    for token in children:
        kind = token.type
        if in_autolink:  # the text of an autolink is inside its placeholder
            in_autolink = kind != "link_close"
            continue
        if kind in ("text", "text_special"):
            _add_text(pieces, token.content)
        elif kind == "softbreak":
            _add_text(pieces, " ")
        elif kind == "link_open" and token.markup == "autolink":
            pieces.append(Code(str(next(numbers)), f"<{token.attrs.get('href', '')}>", "ph", "link"))
            in_autolink = True
        elif kind in PLACEHOLDERS:
            markup, label = PLACEHOLDERS[kind](token)
            pieces.append(Code(str(next(numbers)), markup, "ph", label))
        elif kind == "link_open":
            code = Code(str(next(numbers)), "[", "start", f"link: {token.attrs.get('href', '')}")
            open_codes.append((code, _link_end(token)))
            pieces.append(code)
        elif kind.endswith("_open") and kind[:-5] in PAIRED:
            code = Code(str(next(numbers)), token.markup, "start", PAIRED[kind[:-5]])
            open_codes.append((code, token.markup))
            pieces.append(code)
        elif kind.endswith("_close") and open_codes:
            code, end = open_codes.pop()
            pieces.append(Code(code.id, end, "end", code.label))
    return tuple(pieces)


def _add_text(pieces: list[Piece], text: str) -> None:
    if not text:
        return
    if pieces and isinstance(pieces[-1], str):
        pieces[-1] += text
    else:
        pieces.append(text)


def _code_span(token: Token) -> str:
    fence = token.markup
    content = token.content
    pad = " " if content.startswith("`") or content.endswith("`") or (content.startswith(" ") and content.strip()) else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _destination(token: Token, key: str) -> str:
    url = str(token.attrs.get(key, ""))
    title = token.attrs.get("title")
    url = f"<{url}>" if " " in url or not url else url
    return f"{url} \"{_escape_title(str(title))}\"" if title else url


def _escape_title(title: str) -> str:
    return title.replace("\\", "\\\\").replace('"', '\\"')


def _image(token: Token) -> str:
    return f"![{escape_text(token.content)}]({_destination(token, 'src')})"


def _link_end(token: Token) -> str:
    return f"]({_destination(token, 'href')})"


PLACEHOLDERS = {
    "hardbreak": lambda token: ("\\\n", "line break"),
    "code_inline": lambda token: (_code_span(token), f"code: {token.content}"),
    "image": lambda token: (_image(token), f"image: {token.attrs.get('src', '')}"),
    "html_inline": lambda token: (token.content, "html"),
}
"""Inline tokens that become one placeholder: their markup and the label a translator's tool shows."""


# ---------------------------------------------------------------- back to Markdown

MARKDOWN_PUNCTUATION = set("\\`*_[]<>&~|!#")
LINE_START_MARKERS = set("#>-+=")


def escape_text(text: str) -> str:
    """Words as Markdown that shows exactly them: every character that could start markup is escaped."""
    return "".join("\\" + c if c in MARKDOWN_PUNCTUATION else c for c in text)


def to_markdown(pieces: tuple[Piece, ...] | list[Piece]) -> str:
    """Pieces whose codes carry the source's markup, as one line of Markdown."""
    out = "".join(escape_text(p.replace("\n", " ")) if isinstance(p, str) else p.markup for p in pieces)
    stripped = out.lstrip()
    if stripped[:1] in LINE_START_MARKERS:
        return "\\" + stripped
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    if 0 < digits < 10 and stripped[digits : digits + 1] in (".", ")"):
        return stripped[:digits] + "\\" + stripped[digits:]
    return stripped


def replace_leaves(markdown: str, replacements: dict[int, str], leaves: list[Leaf]) -> str:
    """The field's Markdown with the leaves numbered in `replacements` replaced by one line each.

    The rest of a leaf's lines are removed; the container markup before it (list markers, quote
    marks, indentation) and everything between leaves stays as the author wrote it.
    """
    lines = markdown.split("\n")
    dropped: set[int] = set()
    # Right to left and bottom up, so earlier columns and lines keep their positions.
    for index in sorted(replacements, key=lambda i: (leaves[i].first_line, leaves[i].start), reverse=True):
        leaf = leaves[index]
        row = lines[leaf.first_line]
        lines[leaf.first_line] = row[: leaf.start] + replacements[index] + row[leaf.end :]
        dropped.update(range(leaf.first_line + 1, leaf.first_line + 1 + leaf.more_lines))
    return "\n".join(line for number, line in enumerate(lines) if number not in dropped)
