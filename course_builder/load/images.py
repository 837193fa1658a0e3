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
from course_builder.markup import image_sources, removed_by_sanitiser, sanitise, unsanitised_html
from course_builder.model import Block, Figure, ImageRef, Module

NOT_TEXT = {"source", "images", "id", "kind", "image"}


def with_images(module: Module, root: Path, problems: Problems, allow_html: bool) -> Module:
    """The module with each block carrying the images its Markdown shows; problems recorded on the way."""
    sections = []
    for section in module.sections:
        blocks = tuple(block_with_images(block, root, problems, allow_html) for block in section.blocks)
        sections.append(section.model_copy(update={"blocks": blocks}))
    return module.model_copy(update={"sections": tuple(sections)})


def block_with_images(block: Block, root: Path, problems: Problems, allow_html: bool) -> Block:
    file, line = block.source.file, block.source.line
    references: dict[str, ImageRef] = {}
    for text in markdown_texts(block):
        if allow_html:
            report_sanitised(text, file, line, problems)
        for src in image_sources(text, allow_html):
            if src in references:
                continue
            path = checked_image(src, file, line, root, problems)
            if path is not None:
                references[src] = ImageRef(src=src, path=path)
    update: dict[str, object] = {"images": tuple(references.values())}
    if isinstance(block, Figure):
        update["raster"] = raster_of(block.image, root, problems, file, line)
    return block.model_copy(update=update)


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


def checked_image(src: str, file: Path, line: int, root: Path, problems: Problems) -> Path | None:
    """The image file `src` names, relative to the module that names it, or None with a warning that it is not shown."""
    try:
        path = resolve_inside(root, file.parent, src)
    except PathRefused as err:
        problems.warn(file, line, f"the image {err}; it is not shown", err.hint)
        return None
    if not path.is_file():
        problems.warn(file, line, f"the image '{src}' {missing(path)}; it is not shown", "check the path in the <img> tag")
        return None
    return path if check_image(path, problems, file, line) else None


def report_sanitised(text: str, file: Path, line: int, problems: Problems) -> None:
    """Warn about raw HTML the sanitiser will take out of the pages: it is not shown, and not an error."""
    html = unsanitised_html(text, allow_html=True)
    removed = removed_by_sanitiser(html, sanitise(html, lambda src: src))
    if removed:
        problems.warn(
            file,
            line,
            f"HTML that could run code or load something is removed from the outputs: {', '.join(removed)}",
            "write it in Markdown, or keep to plain formatting tags (see docs/security.md)",
        )
