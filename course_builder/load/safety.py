"""What course content may not carry: code, embedded pages, or things fetched from the network.

A course is data. These checks find what would make an output run code or reach the
network (scripts, event attributes, `javascript:` links, iframes, remote images and style
sheets) so the loader can refuse it with a located message. They look at the text an author
wrote, so the same rules hold whether or not the course lets raw HTML through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
REMOTE_PREFIXES = ("http://", "https://", "ftp://", "//")
# Elements that run code, embed other pages or restyle/redirect the whole output.
CODE_TAGS = {"script": "a <script>", "applet": "an <applet>"}
EMBED_TAGS = {"iframe", "frame", "frameset", "object", "embed", "portal"}
PAGE_TAGS = {"base", "meta", "link", "style", "form"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "background",
    "data",
    "xlink:href",
    "ping",
    "manifest",
}
# Attributes that make the output load something (a link's href only navigates when clicked).
LOADING_ATTRIBUTES = URL_ATTRIBUTES - {"href"}
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:|ftp:)?//[^'")\s]*)""", re.I)
HTML_TAG = re.compile(r"<([a-zA-Z][\w:-]*)([^>]*)>")
HTML_REMOTE_ATTRIBUTE = re.compile(
    r"""\b(?:src|href|srcset|poster|data|background)\s*=\s*["']?\s*((?:https?:|ftp:)?//[^"'\s>]+)""", re.I
)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)

SCRIPT_HINT = "remove it: a course is text and pictures, never code (link to an interactive page instead)"
REMOTE_HINT = "save the file into the course's assets/ folder and use its path there instead"


@dataclass(frozen=True)
class Finding:
    """One thing in a piece of HTML that a course may not contain."""

    message: str
    hint: str


@dataclass
class HtmlReport:
    findings: list[Finding] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    comment_only: bool = True


def compact_url(value: str) -> str:
    """The URL as a browser reads it: without the spaces and control characters it ignores."""
    return "".join(c for c in value if c > " ").lower()


class _HtmlInspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.report = HtmlReport()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.report.comment_only = False
        add = self.report.findings.append
        if tag in CODE_TAGS:
            add(Finding(f"{CODE_TAGS[tag]} is not allowed in a course", SCRIPT_HINT))
        elif tag in EMBED_TAGS:
            add(
                Finding(
                    f"an embedded page (<{tag}>) is not allowed in a course", "link to the page instead: [its title](https://...)"
                )
            )
        elif tag in PAGE_TAGS:
            add(
                Finding(f"<{tag}> is not allowed in course content", "style a course through brand.yaml or its templates/ folder")
            )
        for name, raw in attrs:
            value = compact_url(raw or "")
            if name.startswith("on"):
                add(Finding(f"the '{name}' attribute runs code, which a course may not do", SCRIPT_HINT))
            elif name == "style" and ("url(" in value or "expression(" in value or "@import" in value):
                add(Finding("a style attribute that loads a file or runs code is not allowed", "remove the style attribute"))
            elif name in URL_ATTRIBUTES and value.startswith(ACTIVE_SCHEMES):
                add(Finding(f"'{(raw or '').strip()[:40]}' runs code or embeds data, which a course may not do", SCRIPT_HINT))
            elif name in LOADING_ATTRIBUTES and value.startswith(REMOTE_PREFIXES):
                add(Finding(f"'{(raw or '').strip()}' is a web address; the build never downloads anything", REMOTE_HINT))
            elif tag == "img" and name == "src" and raw:
                self.report.images.append(raw.strip())

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.report.comment_only = False


def inspect_html(fragment: str) -> HtmlReport:
    """What a piece of raw HTML would do: findings that refuse it, and local images it shows."""
    inspector = _HtmlInspector()
    inspector.feed(fragment)
    inspector.close()
    return inspector.report


def active_link(url: str) -> bool:
    """True for a link target that runs code or embeds data instead of opening a page."""
    return compact_url(url).startswith(ACTIVE_SCHEMES)


def remote_references_in_css(text: str) -> list[tuple[int, str]]:
    """(line, url) of every `url(...)` or `@import` that would fetch from the network."""
    return [(text.count("\n", 0, match.start()) + 1, match.group(1)) for match in CSS_REMOTE.finditer(text)]


def remote_references_in_html(text: str) -> list[tuple[int, str]]:
    """(line, url) of every tag other than a link (<a>) that would load a file from the network."""
    found = []
    for tag in HTML_TAG.finditer(text):
        if tag.group(1).lower() == "a":
            continue
        for attribute in HTML_REMOTE_ATTRIBUTE.finditer(tag.group(2)):
            found.append((text.count("\n", 0, tag.start()) + 1, attribute.group(1)))
    return found


def jinja_syntax(text: str) -> str | None:
    """The first `{{ ... }}` or `{% ... %}` in text, which is printed as written, never run."""
    match = JINJA.search(text)
    return match.group(0) if match else None
