"""The images each block shows, resolved and checked once, at load.

The module reader checks every image it can see while reading. This pass then renders each
block's Markdown with the renderers' own parser and sanitiser, so the images and HTML it
records are exactly those a page would hold, and stores them on the block (`Block.images`).
Renderers look images up there and never resolve an author's path again; what the sanitiser
removes from raw HTML is reported here, so `check` says what `build` will drop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from course_builder.errors import Problems
from course_builder.load.assets import check_image, raster_of
from course_builder.load.paths import PathRefused, missing, resolve_inside
from course_builder.markup import image_sources, removed_by_sanitiser, sanitise, script_links, unsanitised_html
from course_builder.model import Block, Figure, ImageRef, Module

NOT_TEXT = {"source", "images", "id", "kind", "image"}


def with_images(module: Module, root: Path, problems: Problems, allow_html: bool) -> Module:
    """The module with each block carrying the images its Markdown shows; problems recorded on the way."""
    lines = module.source.read_text(encoding="utf-8").splitlines()
    sections = []
    for section in module.sections:
        blocks = tuple(BlockImages(block, lines, root, problems).read(allow_html) for block in section.blocks)
        sections.append(section.model_copy(update={"blocks": blocks}))
    return module.model_copy(update={"sections": tuple(sections)})


class BlockImages:
    """One block's images and what its HTML loses, reported at the line of the module where they are written."""

    def __init__(self, block: Block, lines: list[str], root: Path, problems: Problems):
        self.block, self.lines, self.root, self.problems = block, lines, root, problems
        self.file = block.source.file

    def line_of(self, *written: str) -> int:
        """The first line, from the block's own, that holds the first of `written` found (else the block's line)."""
        start = self.block.source.line
        for needle in (w.lower() for w in written):
            for number, text in enumerate(self.lines[start - 1 :], start):
                if needle in text.lower():
                    return number
        return start

    def read(self, allow_html: bool) -> Block:
        references: dict[str, ImageRef] = {}
        for text in markdown_texts(self.block):
            if allow_html and "<" in text:
                self.report_sanitised(text)
            for target in script_links(text):
                self.problems.warn(
                    self.file,
                    self.line_of(target),
                    f"the link '{target[:40]}' would run code or embed data; the outputs show it as plain text",
                    "link to a web page (https://...) instead",
                )
            for src in image_sources(text, allow_html):
                if src not in references and (path := self.checked_image(src)) is not None:
                    references[src] = ImageRef(src=src, path=path)
        update: dict[str, object] = {"images": tuple(references.values())}
        if isinstance(self.block, Figure):
            update["raster"] = raster_of(self.block.image, self.root, self.problems, self.file, self.block.source.line)
        return self.block.model_copy(update=update)

    def checked_image(self, src: str) -> Path | None:
        """The image file `src` names, relative to the module, or None with a warning that it is not shown."""
        line = self.line_of(f"({src}", f"src={src}", f'src="{src}"', src)
        try:
            path = resolve_inside(self.root, self.file.parent, src)
        except PathRefused as err:
            self.problems.warn(self.file, line, f"the image {err}; it is not shown", err.hint)
            return None
        if not path.is_file():
            hint = "check the path in the <img> tag"
            self.problems.warn(self.file, line, f"the image '{src}' {missing(path)}; it is not shown", hint)
            return None
        return path if check_image(path, self.problems, self.file, line) else None

    def report_sanitised(self, text: str) -> None:
        """Warn about raw HTML the sanitiser takes out of the pages: it is not shown, and not an error."""
        html = unsanitised_html(text, allow_html=True)
        removed = removed_by_sanitiser(html, sanitise(html, lambda src: src))
        if removed:
            self.problems.warn(
                self.file,
                self.line_of(removed[0].strip("<>")),
                f"the outputs leave out HTML that could run code, load files or restyle the page: {', '.join(removed)}",
                "write it in Markdown, or keep to plain formatting tags (see docs/security.md)",
            )


def markdown_texts(value: object) -> Iterator[str]:
    """Every piece of author text in a block (its Markdown fields, items, options and feedback)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in NOT_TEXT:
                yield from markdown_texts(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from markdown_texts(item)
    elif isinstance(value, str) and value:
        yield value
