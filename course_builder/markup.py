"""Author Markdown turned into what targets need: safe HTML, plain text, or styled runs.

Content is data. One parser configuration (`course_parser`) serves the loader and every
renderer, so what was checked is what is shown. HTML is escaped unless the course allows raw
HTML, and whatever reaches a page goes through `sanitise`, an allow-list sanitiser that parses
like a browser (nh3, the binding of Rust's ammonia on html5ever): markup that one parser reads
as text and a browser as a tag cannot slip a script past it. Images are never looked up on
disk here: a block carries the images the loader resolved and checked (`Block.images`), and an
image the loader did not resolve is not shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ImageUrl = Callable[[Path], str]

SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# What Markdown makes, and the plain formatting an author who allows HTML may add; nothing that
# runs, embeds, submits or restyles the page.
ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"area", "map", "center", "acronym", "strike", "tt"}) | {"figure", "figcaption"}
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "code": {"class"},
    "abbr": {"title"},
}
TAG_NAME = re.compile(r"<\s*([a-zA-Z][\w:-]*)")
ATTRIBUTE_NAME = re.compile(r"""[\s"'/]([a-zA-Z_:][-\w:.]*)\s*=""")


def course_parser(*, html: bool, typographer: bool = False) -> MarkdownIt:
    """The one Markdown configuration: CommonMark, tables, strikethrough; links that run code are not links.

    The loader adds front matter, fenced divs and block attributes to it; renderers add
    typographic quotes and dashes (which change no structure, so the loader can leave them out).
    """
    md = MarkdownIt("commonmark", {"html": html, "typographer": typographer}).enable(["table", "strikethrough"])
    if typographer:
        md.enable(["replacements", "smartquotes"])
    md.validateLink = lambda url: not url.strip().lower().startswith(SCRIPT_SCHEMES)  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=2)
def _parser(allow_html: bool) -> MarkdownIt:
    return course_parser(html=allow_html, typographer=True)


def image_key(src: str) -> str:
    """An image's `src` as the file name it stands for: markdown-it percent-encodes ("my%20photo.png")."""
    return unquote(src).strip()


def sanitise(html: str, image_src: Callable[[str], str | None] = lambda src: None) -> str:
    """`html` with only the allow-listed tags, attributes and link schemes, parsed as a browser parses it.

    `image_src` maps an image's `src` to the URL the output uses, or None to drop it.
    """

    def attribute(tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src":
            return image_src(image_key(value))
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=attribute,
        url_schemes=LINK_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel="noopener",
    )


def removed_by_sanitiser(source: str, clean: str) -> list[str]:
    """Tags (`<noscript>`), attributes (`onerror`) and link schemes (`javascript:`) in `source` that `clean` no longer has."""
    tags = {t.lower() for t in TAG_NAME.findall(source)} - {t.lower() for t in TAG_NAME.findall(clean)}
    attributes = {a.lower() for a in ATTRIBUTE_NAME.findall(source)} - {a.lower() for a in ATTRIBUTE_NAME.findall(clean)}
    compact = "".join(c for c in source if c > " ").lower()
    schemes = [s for s in SCRIPT_SCHEMES if s in compact and s not in clean.lower()]
    return [*(f"<{t}>" for t in sorted(tags)), *sorted(attributes), *schemes]


def to_html(
    text: str,
    images: Mapping[str, Path] | None = None,
    image_url: ImageUrl | None = None,
    *,
    inline: bool = False,
    allow_html: bool = False,
) -> Markup:
    """Sanitised HTML for Markdown; `inline=True` drops the wrapping <p> of a one-paragraph text.

    `images` maps each image `src` the loader resolved to its checked file; any other image loses its `src`.
    """
    html = _markdown_html(text, inline, allow_html)
    known = images or {}

    def image_src(src: str) -> str | None:
        path = known.get(src)
        return image_url(path) if path is not None and image_url is not None else None

    return Markup(sanitise(html, image_src).strip())


@lru_cache(maxsize=16384)
def _markdown_html(text: str, inline: bool, allow_html: bool) -> str:
    """markdown-it's HTML before images are resolved and it is sanitised; kept, as `serve` renders the same texts each save."""
    md = _parser(allow_html)
    tokens = md.parseInline(text) if inline else md.parse(text)
    return md.renderer.render(tokens, md.options, {})


def unsanitised_html(text: str, allow_html: bool) -> str:
    """The HTML markdown-it makes of `text`, before `sanitise`: what the loader inspects."""
    return _parser(allow_html).render(text)


@lru_cache(maxsize=1)
def _link_finder() -> MarkdownIt:
    md = course_parser(html=False)
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def script_links(text: str) -> list[str]:
    """Link and image targets in `text` that would run code or embed data (the renderers show them as text)."""
    if not any(scheme in "".join(c for c in text if c > " ").lower() for scheme in SCRIPT_SCHEMES):
        return []
    found = []
    for token in _link_finder().parse(text):
        for child in token.children or ():
            target = str(child.attrGet("href") or child.attrGet("src") or "")
            if child.type in ("link_open", "image") and "".join(c for c in target if c > " ").lower().startswith(SCRIPT_SCHEMES):
                found.append(target)
    return found


def image_sources(text: str, allow_html: bool) -> list[str]:
    """Every image `src` the sanitised HTML of `text` would hold (Markdown images and, with raw HTML, <img> tags)."""
    if "![" not in text and not (allow_html and "<" in text):
        return []  # no image syntax: no need to parse
    found: list[str] = []

    def record(src: str) -> None:
        found.append(src)

    sanitise(unsanitised_html(text, allow_html), record)
    return list(dict.fromkeys(found))


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
