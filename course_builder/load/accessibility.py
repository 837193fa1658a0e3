"""Accessibility warnings an author can act on, each at the line they typed.

A checker cannot judge whether alt text or a link describes the right thing, but it can tell
when it cannot: these checks catch the patterns that are wrong whatever the course says.

- **Alt text that says nothing**: a file name ("IMG_2031.jpg", "logo.png"), the image's own
  file name again (as written: "needs-wheel"), a word such as "image" or "logo" on its own, or an opening such as "picture
  of" (screen readers already say it is an image). Missing alt text on a Markdown image is
  warned about by the module reader (`markdown_module.py`); here only an `<img>` tag in raw HTML
  (with `allow_html`) is checked for it.
- **Images of text**, told only from words: a raster image (PNG, JPEG, GIF, WebP, BMP, TIFF)
  whose file name or alt text says screenshot, slide, scan, handout, poster, infographic,
  quote or text. The pixels are not looked at, so an image of text named "team.jpg" passes and
  a photo called "slide-rule.png" is flagged; the hint says so.
- **Heading levels skipped** inside a module: `##` then `####`. The module title is the level-1
  heading; a quiz's `###` questions are quiz syntax, not the module's outline, and are left out.
- **Link text that makes no sense on its own**: "click here", "here", "read more", "link", and a
  bare web address as the text of the link.

Everything here is a warning: the course still builds.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from markdown_it.tree import SyntaxTreeNode

from course_builder.errors import Problem, Problems
from course_builder.load.markdown_module import markdown_parser
from course_builder.model import Module

RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff")
IMAGE_FILE_NAME = re.compile(r"^\S[^/\\]*\.(png|jpe?g|gif|svg|webp|bmp|tiff?|heic|avif)$", re.I)
CAMERA_NAME = re.compile(r"^(img|dsc|dscn|dcim|pxl|pic|photo|image|screenshot|scan|untitled)[\s_-]*\d+", re.I)
EMPTY_WORDS = {
    "image", "img", "picture", "pic", "photo", "photograph", "graphic", "figure", "icon", "logo", "screenshot",
    "diagram", "chart", "illustration", "untitled", "placeholder", "alt", "alt text", "banner", "spacer",
    "decoration", "decorative", "image of", "picture of", "photo of", "graphic of", "illustration of",
}
ARTICLE = re.compile(r"^(a|an|the)\s+")
REDUNDANT_OPENING = re.compile(r"^(?:(?:a|an|the)\s+)?(image|picture|photo|photograph|graphic|illustration) of\s+\S", re.I)
TEXT_WORDS = re.compile(
    r"\b(screenshots?|screen ?shots?|screen ?captures?|screen ?grabs?|slides?|scan|scanned|handouts?|posters?"
    r"|infographics?|quotes?|text)\b",
    re.I,
)
VAGUE_LINK_TEXT = {
    "click here", "click", "here", "click this link", "go here", "see here", "this link", "link", "this", "more",
    "read more", "learn more", "more info", "more information", "details", "this page", "website", "web site",
}
WEB_ADDRESS = re.compile(r"^(https?://|www\.)\S+$", re.I)
NEWLINE = re.compile(r"\r\n?")
QUIZ_DIV = re.compile(r"^\{?\s*\.?quiz\b")


def check_accessibility(modules: list[Module], problems: Problems, allow_html: bool) -> None:
    """Warn about alt text, images of text, skipped heading levels and link text in every module.

    `<img>` tags are checked only with `allow_html`; otherwise raw HTML is shown as text (and warned about).
    """
    for module in modules:
        text = module.source.read_text(encoding="utf-8")
        problems.items.extend(module_accessibility(module.source, text, allow_html))


@functools.lru_cache(maxsize=512)
def module_accessibility(file: Path, text: str, allow_html: bool) -> tuple[Problem, ...]:
    """One module's warnings, kept for its text: a build asks twice (load, accessibility report), `serve` after every save."""
    text = NEWLINE.sub("\n", text.removeprefix("\ufeff"))
    found = Problems()
    ModuleAccessibility(file, text.split("\n"), found, allow_html).check(SyntaxTreeNode(markdown_parser().parse(text)))
    return tuple(found.items)


class ModuleAccessibility:
    """The checks over one module's Markdown tree, reporting at the line where each thing is written."""

    def __init__(self, file: Path, lines: list[str], problems: Problems, allow_html: bool):
        self.file, self.lines, self.problems, self.allow_html = file, lines, problems, allow_html

    def check(self, tree: SyntaxTreeNode) -> None:
        level = 1  # the module title, from the front matter
        for node in tree.walk():
            if node.type == "heading" and not inside_quiz(node):
                level = self.check_heading(node, level)
            elif node.type == "image":
                src = unquote(str(node.attrs.get("src", "")))
                alt = plain_text(node)
                if alt:
                    self.check_alt(self.line_of(node, f"]({src}", f"]({node.attrs.get('src', '')}", alt), src, alt)
            elif node.type == "link":
                self.check_link(node)
            elif node.type in ("html_block", "html_inline") and self.allow_html:
                for src, alt in html_images(node.content):
                    self.check_html_image(self.line_of(node, src), src, alt)

    def line_of(self, node: SyntaxTreeNode, *written: str) -> int:
        """The line inside the node's block holding the first of `written` found, else the block's first line."""
        block = node
        while block.map is None and block.parent is not None:
            block = block.parent
        first, last = block.map if block.map else (0, 1)
        for needle in filter(None, written):
            for number in range(first, min(last, len(self.lines))):
                if needle in self.lines[number]:
                    return number + 1
        return first + 1

    def warn(self, line: int, message: str, hint: str) -> None:
        self.problems.warn(self.file, line, message, hint)

    def check_heading(self, node: SyntaxTreeNode, level: int) -> int:
        # A '#' heading is read as a section (and warned about by the module reader): it sits at level 2.
        own = max(2, int(node.tag[1]))
        if own > level + 1:
            marks = "#" * own
            self.warn(
                self.line_of(node),
                f"the heading '{marks} {plain_text(node)[:50]}' skips a level: it follows a level-{level} heading",
                f"use {'#' * (level + 1)} here, or add the missing level above it; screen-reader users move "
                "through a page by its heading levels",
            )
        return own

    def check_alt(self, line: int, src: str, alt: str) -> None:
        """Alt text that is a file name, a word that says nothing, or that opens by saying it is an image."""
        name = Path(src).name
        said = ARTICLE.sub("", re.sub(r"[^\w\s]+$", "", alt.strip().lower()))
        if IMAGE_FILE_NAME.match(alt.strip()) or CAMERA_NAME.match(alt.strip()) or alt.strip().lower() == Path(src).stem.lower():
            self.warn(
                line,
                f"the alt text of '{name}' is a file name ('{alt[:40]}')",
                "describe what the image shows and why it is there: ![what it shows](path)",
            )
        elif said in EMPTY_WORDS:
            self.warn(
                line,
                f"the alt text of '{name}' ('{alt[:40]}') says nothing about the image",
                "describe what the image shows and why it is there, in a sentence",
            )
        elif REDUNDANT_OPENING.match(alt.strip()):
            opening = REDUNDANT_OPENING.match(alt.strip())
            assert opening is not None
            self.warn(
                line,
                f"the alt text of '{name}' starts with '{alt[: opening.end() - 1].strip()}'",
                "screen readers already say it is an image: start with what it shows",
            )
        if Path(src).suffix.lower() in RASTER_SUFFIXES:
            self.check_image_of_text(line, src, alt)

    def check_image_of_text(self, line: int, src: str, alt: str) -> None:
        found = TEXT_WORDS.search(words_of(Path(src).stem)) or TEXT_WORDS.search(alt)
        if found:
            self.warn(
                line,
                f"'{Path(src).name}' looks like a picture of text (its name or alt text says '{found.group(0)}')",
                "text in a picture cannot be read aloud, enlarged or searched: write the text in Markdown instead "
                "(this check only reads the name and alt text; ignore it if the picture holds no text)",
            )

    def check_html_image(self, line: int, src: str, alt: str | None) -> None:
        if alt is None:
            self.warn(
                line,
                f"the <img> '{Path(src).name}' has no alt attribute",
                'add alt="what the image shows"; a screen reader reads out the file name instead',
            )
        elif alt.strip():
            self.check_alt(line, src, alt)

    def check_link(self, node: SyntaxTreeNode) -> None:
        text = plain_text(node)
        href = str(node.attrs.get("href", ""))
        said = re.sub(r"[^\w\s]", "", text.lower()).strip()
        line = self.line_of(node, f"]({href}", text, href)
        if said in VAGUE_LINK_TEXT:
            self.warn(
                line,
                f"the link text '{text}' does not say where the link leads",
                "screen-reader users often hear links out of context: name the destination, "
                "e.g. [the feedback checklist](...)",
            )
        elif WEB_ADDRESS.match(text) or (text and text == href):
            self.warn(
                line,
                f"the link text is a bare web address ('{text[:50]}')",
                "a screen reader spells the address out: write what it leads to, e.g. [the feedback checklist](address)",
            )


def plain_text(node: SyntaxTreeNode) -> str:
    """The text of a heading, an image's alt or a link, without Markdown markers."""
    parts = [child.content for child in node.walk() if child.type in ("text", "code_inline")]
    return "".join(parts).strip()


def words_of(stem: str) -> str:
    """A file name as the words it holds: 'IMG_2031' → 'img', 'slide3' → 'slide', 'needs-wheel' → 'needs wheel'."""
    return " ".join(re.sub(r"[\d_\-.]+", " ", stem).lower().split())


def inside_quiz(node: SyntaxTreeNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "fenced_div" and QUIZ_DIV.match(parent.info.strip()):
            return True
        parent = parent.parent
    return False


class _ImageTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            self.found.append((values.get("src") or "", values.get("alt")))


def html_images(html: str) -> list[tuple[str, str | None]]:
    """Each `<img>` in raw HTML as (src, alt), alt None when the attribute is missing."""
    parser = _ImageTags()
    parser.feed(html)
    return parser.found
