"""The `quote` block: a quotation and who said it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import Quote

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_quote(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Quote | None:
    children = list(node.children)
    attribution = attrs.get("by")
    if children and children[-1].type == "paragraph":
        last = reader.inline_source(children[-1])
        if last.startswith(("--", "—")):
            attribution = last.lstrip("-— ").strip()
            children = children[:-1]
    text = reader.raw(children)
    if not text:
        reader.error(node, "the quote is empty", "write the quoted words inside the block")
        return None
    return Quote(source=reader.ref(node), text=text, attribution=attribution)
