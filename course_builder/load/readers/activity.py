"""The `activity` block: instructions, with a facilitator note and debrief questions inside."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.blocks import BLOCK_KINDS
from course_builder.model import Activity, Handout

INSIDE_ACTIVITY = ("facilitator", "debrief", "handout")
"""Blocks that may stand inside an activity: the note for whoever runs it, the questions to debrief it, what to print."""

INNER_ATTRIBUTES = {"facilitator": BLOCK_KINDS["facilitator"].attributes, "debrief": ()}
"""A facilitator note may have a title, as it may standing alone; debrief questions take no attributes."""

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_activity(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Activity | None:
    facilitator: list[str] = []
    debrief: list[str] = []
    handouts: list[Handout] = []
    instructions: list[SyntaxTreeNode] = []
    for child in node.children:
        if child.type != "fenced_div":
            instructions.append(child)
            continue
        inner_name, inner_attrs = reader.div_name(child)
        if inner_name not in INSIDE_ACTIVITY:
            reader.read_div(child, parent="activity")
            return None
        if inner_name == "handout":
            handout = reader.read_div(child, parent="activity")
            if handout is None:
                return None
            handouts.append(handout)
            continue
        if not child.nester_tokens.opening.meta.get("closed", False):
            reader.error(child, f"the '{inner_name}' block is never closed", "add a line ':::' where the block ends")
        typed = reader.block_attributes(child, inner_name, INNER_ATTRIBUTES[inner_name], inner_attrs)
        if typed is None:
            return None
        if inner_name == "facilitator":
            heading = f"**{typed['title']}**\n\n" if typed.get("title") else ""
            facilitator.append(heading + reader.raw(list(child.children)))
        else:
            debrief.extend(reader.item_source(li) for lst in child.children if lst.type == "bullet_list" for li in lst.children)
    materials = tuple(m.strip() for m in str(attrs.get("materials", "")).split(";") if m.strip())
    return Activity(
        source=reader.ref(node),
        id=attrs.get("id") or reader.next_id("activity"),
        title=attrs["title"],
        minutes=attrs["minutes"],
        grouping=attrs.get("grouping", "solo"),  # type: ignore[arg-type]
        grouping_note=attrs.get("grouping_note") or None,
        materials=materials,
        instructions=reader.raw(instructions),
        facilitator="\n\n".join(facilitator) or None,
        debrief=tuple(debrief),
        handouts=tuple(handouts),
    )
