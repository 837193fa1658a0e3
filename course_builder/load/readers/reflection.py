"""The `reflection` block: a prompt with space to write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import Reflection

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_reflection(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Reflection | None:
    prompt = reader.raw(list(node.children))
    if not prompt:
        reader.error(node, "the reflection has no prompt", "write the question participants answer inside the block")
        return None
    return Reflection(
        source=reader.ref(node),
        id=attrs.get("id") or reader.next_id("reflection"),
        title=attrs.get("title"),
        prompt=prompt,
        minutes=attrs.get("minutes"),
        lines=attrs.get("lines", 6),  # type: ignore[arg-type]
    )
