"""The `takeaways` block: the points to remember."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import Takeaways

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_takeaways(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Takeaways | None:
    items = tuple(reader.item_source(li) for c in node.children if c.type == "bullet_list" for li in c.children)
    if not items:
        reader.error(node, "the takeaways block needs a bullet list", "write each takeaway as '- ...'")
        return None
    return Takeaways(source=reader.ref(node), title=attrs.get("title"), items=items)
