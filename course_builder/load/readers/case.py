"""The `case` block: a scenario to discuss."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import Case

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_case(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Case | None:
    text = reader.raw(list(node.children))
    if not text:
        reader.error(node, "the case is empty", "describe the scenario inside the block")
        return None
    return Case(source=reader.ref(node), title=attrs.get("title"), markdown=text)
