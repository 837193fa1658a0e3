"""Author Markdown turned into what targets need: safe HTML, plain text, or styled runs.

Content is data: HTML in it is escaped unless the course allows raw HTML, and scripts never
pass (the loader already refuses them). Image paths are resolved against the file the text
came from and handed to the target's `image_url` so each target decides how images travel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ImageUrl = Callable[[Path], str]


@lru_cache(maxsize=2)
def _parser(allow_html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"]
    )
    md.validateLink = lambda url: not url.strip().lower().startswith(("javascript:", "vbscript:", "data:"))  # type: ignore[method-assign]
    return md


def to_html(
    text: str, base: Path | None = None, image_url: ImageUrl | None = None, *, inline: bool = False, allow_html: bool = False
) -> Markup:
    """HTML for Markdown; `inline=True` drops the wrapping <p> of a one-paragraph text."""
    md = _parser(allow_html)
    tokens = md.parseInline(text) if inline else md.parse(text)
    for token in _walk(tokens):
        if token.type == "image" and image_url is not None and base is not None:
            # markdown-it percent-encodes URLs ("my photo.png" -> "my%20photo.png"); files have the plain name.
            token.attrSet("src", image_url((base / unquote(str(token.attrGet("src")))).resolve()))
        if token.type == "link_open" and str(token.attrGet("href") or "").startswith(("http://", "https://")):
            token.attrSet("rel", "noopener")
    renderer = md.renderer
    html = renderer.render(tokens, md.options, {})
    return Markup(html.strip())


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def to_text(text: str) -> str:
    """Plain text: what a screen reader, a slide note or a PDF outline would say."""
    lines = []
    for para in paragraphs(text):
        words = "".join(run.text for run in para.runs)
        lines.append(("• " if para.kind == "bullet" else f"{para.number}. " if para.kind == "numbered" else "") + words)
    return "\n".join(lines)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass
class Paragraph:
    """One line of text in a text frame: a paragraph, heading or list item with its runs."""

    kind: str  # "para", "heading", "bullet", "numbered", "quote", "row" (a table row)
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    number: int = 0


def inline_runs(tokens: list[Token]) -> list[Run]:
    runs: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for token in tokens:
        match token.type:
            case "strong_open":
                bold += 1
            case "strong_close":
                bold -= 1
            case "em_open":
                italic += 1
            case "em_close":
                italic -= 1
            case "link_open":
                href = str(token.attrGet("href"))
            case "link_close":
                href = None
            case "text" | "html_inline":
                runs.append(Run(token.content, bold > 0, italic > 0, False, href))
            case "code_inline":
                runs.append(Run(token.content, bold > 0, italic > 0, True, href))
            case "softbreak" | "hardbreak":
                runs.append(Run(" ", bold > 0, italic > 0))
            case "image":
                runs.append(Run(token.content or "", italic=True))
    return list(merge_runs(runs))


def merge_runs(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Neighbouring runs of the same style joined into one, as a text frame stores them."""
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].code, merged[-1].href) == (
            run.bold,
            run.italic,
            run.code,
            run.href,
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.code, run.href)
        else:
            merged.append(run)
    return tuple(merged)


def paragraphs(text: str) -> list[Paragraph]:
    """Markdown flattened into paragraphs with runs: the shape a slide text frame takes."""
    tokens = _parser(False).parse(text)
    result: list[Paragraph] = []
    lists: list[list[int]] = []  # stack of [kind(0 bullet/1 ordered), counter]
    quote = 0
    pending: Paragraph | None = None
    row: Paragraph | None = None  # a table row becomes one paragraph, its cells separated by " · "
    for index, token in enumerate(tokens):
        match token.type:
            case "tr_open":
                row = Paragraph("row")
            case "tr_close":
                result.append(row)
                row = None
            case "inline" if row is not None:
                header = tokens[index - 1].type == "th_open"
                cells = [Run(r.text, r.bold or header, r.italic, r.code, r.href) for r in inline_runs(token.children or [])]
                row.runs += ([Run(" · ")] if row.runs else []) + cells
            case "bullet_list_open":
                lists.append([0, 0])
            case "ordered_list_open":
                lists.append([1, int(token.attrGet("start") or 1) - 1])
            case "bullet_list_close" | "ordered_list_close":
                lists.pop()
            case "list_item_open":
                lists[-1][1] += 1
                kind = "numbered" if lists[-1][0] else "bullet"
                pending = Paragraph(kind, level=len(lists) - 1, number=lists[-1][1])
            case "blockquote_open":
                quote += 1
            case "blockquote_close":
                quote -= 1
            case "heading_open":
                pending = Paragraph("heading", level=int(token.tag[1]))
            case "inline":
                para = pending or Paragraph("quote" if quote else "para", level=max(len(lists) - 1, 0))
                para.runs = inline_runs(token.children or [])
                result.append(para)
                pending = None
            case "fence" | "code_block":
                result.append(Paragraph("para", [Run(token.content.rstrip("\n"), code=True)]))
    return result
