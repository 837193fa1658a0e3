"""What the workbook and the facilitator guide share: brand and paper as CSS, and WeasyPrint.

Both PDFs are HTML from the `templates/print/` Jinja templates, rendered by WeasyPrint as
tagged PDF/UA-1 with fillable form fields. The renderer reads files only from the course
folder, the built-in templates and the package data (fonts); every other URL, http(s)
included, is refused, so a build never touches the network.

This module imports WeasyPrint, so targets import it only when they build.
"""

from __future__ import annotations

import gc
import logging
import mimetypes
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from course_builder import __version__
from course_builder.contrast import contrast_ratio, mix, readable_shade
from course_builder.errors import Problem
from course_builder.fonts import brand_faces, family_names
from course_builder.labels import Labels, labels_of
from course_builder.model import Brand, Course, Font
from course_builder.resources import data_dir, templates_dir
from course_builder.svg import inert_svg
from course_builder.targets.base import BuildOptions, atomic_file
from course_builder.targets.pdf_structure import finish_structure
from course_builder.templating import render_template, template_environment
from course_builder.writing import Writing, writing

PAGE_SIZES = {"a4": "A4", "letter": "letter"}


COURSE_URL = "file:///course/"
"""Where the PDF renderer sees the course folder. A PDF names each image after a hash of its URL, so
the real folder must not be in it: the same course makes the same bytes wherever it lives."""


def course_file_urls(root: Path) -> Callable[[Path], str]:
    """The URL the PDF renderer fetches a file by: files of the course under `COURSE_URL`, others as they are."""
    root = root.resolve()

    def url(path: Path) -> str:
        path = path.resolve()
        return COURSE_URL + quote(path.relative_to(root).as_posix()) if path.is_relative_to(root) else path.as_uri()

    return url


def page_counter_css(labels: Labels) -> Markup:
    """"Page 3 of 33" as the CSS `content` of the page footer, in the course's language: the
    translation's words as strings around WeasyPrint's page counters, wherever the language puts them."""
    page, pages = "\x00page\x00", "\x00pages\x00"
    parts = labels.gettext("Page %(page)s of %(pages)s", page=page, pages=pages).split("\x00")
    counters = {"page": "counter(page)", "pages": "counter(pages)"}
    return Markup(" ".join(counters[part] if i % 2 else css_string(part) for i, part in enumerate(parts) if part or i % 2))


def css_string(value: object) -> Markup:
    """A quoted CSS string, safe inside <style> whatever the author wrote."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n\r' else char for char in str(value))
    return Markup(f'"{escaped}"')


def font_stack(font: Font, script: Writing | None = None) -> Markup:
    """The brand family (or the bundled fallback when the brand ships no files), the script's, then the fallback."""
    return Markup(", ".join(css_string(name) for name in family_names(font, script)) + ", sans-serif")


MARGIN_BOX_SIDE = re.compile(r"@(top|bottom)-(left|right)\b")


def page_sides(css: Markup, direction: str) -> Markup:
    """The stylesheet with its page margin boxes mirrored for right-to-left text.

    WeasyPrint puts `@top-left` on the left whatever the document's direction, so for a
    right-to-left document each corner box trades places with its partner (the course title
    goes to the top right, the page number to the bottom left). The boxes inherit the
    document's direction, so page.css aligns their text to `end`, which mirrors with them.
    """
    if direction != "rtl":
        return css
    return Markup(MARGIN_BOX_SIDE.sub(lambda box: f"@{box[1]}-{'right' if box[2] == 'left' else 'left'}", css))


def _readable_on(colour: str, dark: str) -> str:
    """White or the brand's text colour, whichever reads better on `colour`."""
    return max(("#FFFFFF", dark), key=lambda candidate: contrast_ratio(colour, candidate))


def brand_palette(brand: Brand) -> dict[str, str]:
    """Every colour the print stylesheet uses, as CSS custom property names and values.

    `-tint` and `-soft` are pale versions for backgrounds and borders, `on-` the text colour
    that reads on a colour, and `-ink` the colour darkened enough to set small text in.
    """
    c = brand.colors
    palette = {
        "text": c.text,
        "background": c.background,
        "muted": readable_shade(mix(c.text, c.background, 0.4), [c.background], towards=c.text),
        "rule": mix(c.text, c.background, 0.82),
        "line": mix(c.text, c.background, 0.7),
    }
    for role in ("primary", "secondary", "accent"):
        colour = getattr(c, role)
        palette[role] = colour
        palette[f"{role}-tint"] = mix(colour, c.background, 0.92)
        palette[f"{role}-soft"] = mix(colour, c.background, 0.65)
        palette[f"{role}-ink"] = readable_shade(colour, [c.background], towards=c.text)
        palette[f"on-{role}"] = _readable_on(colour, c.text)
    return palette


def _iso_date(options: BuildOptions) -> str:
    """The build's date: SOURCE_DATE_EPOCH when given, so two builds are byte-identical."""
    epoch = options.source_date_epoch
    moment = datetime.fromtimestamp(epoch, UTC) if epoch is not None else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def print_environment(course: Course) -> jinja2.Environment:
    """The template environment with images as file URLs and the print filters."""
    urls = course_file_urls(course.root)
    filters = {"file_url": urls, "css_string": css_string, "duration": labels_of(course).short_duration,
               "page_sides": page_sides}
    env = template_environment(course, image_url=urls, extra_filters=filters)
    env.globals["font_stack"] = font_stack
    return env


def render_html(
    env: jinja2.Environment,
    template: str,
    course: Course,
    brand: Brand,
    options: BuildOptions,
    document_label: str,
    **context: Any,
) -> str:
    """Render a print template with what every printed document needs in its context."""
    authors = list(course.settings.authors) or [brand.name]
    labels = labels_of(course)
    subject = labels.gettext("%(document)s for %(course)s", document=document_label, course=course.title)
    script = writing(course.settings.language)
    subtitle = f": {course.settings.subtitle}" if course.settings.subtitle else ""
    return render_template(
        env,
        template,
        course=course,
        brand=brand,
        palette=brand_palette(brand),
        font_faces=brand_faces(brand, script),
        writing=script,
        paper=PAGE_SIZES[options.paper_for(course)],
        page_counter_css=page_counter_css(labels),
        document_label=document_label,
        metadata={
            "title": f"{course.title}: {document_label}",
            "authors": authors,
            "subject": f"{subject}{subtitle}",
            "generator": f"course-builder {__version__}",  # the date is WeasyPrint's to write: see write_pdf
        },
        **context,
    )


class CourseFileFetcher(URLFetcher):
    """Serves files from a few folders and refuses everything else, network included."""

    def __init__(self, allowed: list[Path], course_root: Path | None = None):
        super().__init__(allowed_protocols=("file",))
        self.allowed = [folder.resolve() for folder in allowed]
        self.course_root = course_root

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if self.course_root is not None and url.startswith(COURSE_URL):
            url = (self.course_root / unquote(url.removeprefix(COURSE_URL).partition("?")[0].partition("#")[0])).as_uri()
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not any(path.is_relative_to(folder) for folder in self.allowed) or not path.is_file():
            raise ValueError(f"refused {url}: only files inside the course folder are used")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = inert_svg(path.read_bytes())[0] if path.suffix.lower() == ".svg" else path.read_bytes()
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": mime_type})


@contextmanager
def _weasyprint_messages() -> Iterator[list[str]]:
    """Collect what WeasyPrint warns about (unknown CSS, missing alt text) for the build report."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def write_pdf(html: str, course: Course, path: Path, options: BuildOptions) -> list[Problem]:
    """Render `html` to a tagged PDF/UA-1 at `path` (atomically); return warnings for the report.

    The build's date goes into the PDF here rather than into the HTML, so the HTML of an
    unchanged document is the same on every build (see `targets.pdf_target`).
    """
    fetcher = CourseFileFetcher([course.root, templates_dir(), data_dir()], course_root=course.root)
    settings = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "pdf_forms": True, "pdf_identifier": True}
    with _weasyprint_messages() as messages, atomic_file(path) as temporary:
        document = HTML(string=html, base_url=COURSE_URL, url_fetcher=fetcher).render(**settings)
        # Laying out leaves tens of MB of cyclic garbage per hundred pages; collected now, the
        # writer reuses that memory instead of adding to it (a lower and steadier peak).
        gc.collect()
        document.metadata.created = document.metadata.modified = _iso_date(options)
        document.write_pdf(temporary, **settings)
        finish_structure(temporary)
    hint = "check the templates and images named here"
    return [Problem(None, None, f"{path.name}: {message}", hint, severity="warning") for message in dict.fromkeys(messages)]
