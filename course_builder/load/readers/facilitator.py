"""The `facilitator` block: a note for whoever runs the workshop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import FacilitatorNote

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_facilitator(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> FacilitatorNote | None:
    text = reader.raw(list(node.children))
    if not text:
        reader.error(node, "the facilitator block is empty", "write the note inside it, or remove it")
        return None
    return FacilitatorNote(source=reader.ref(node), title=attrs.get("title"), markdown=text)
