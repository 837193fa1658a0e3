"""The `concepts` and `needs` blocks: named ideas, each with a description, signs and actions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import Concept, Concepts

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader

SIGNS_LABELS = {"signs", "signs at work", "what you see", "what you might see"}
ACTIONS_LABELS = {"actions", "what a leader can do", "leader actions", "what to do"}
EXAMPLE = re.compile(r"^\s*(?:\*\*|__)?(?:Example|For example):(?:\*\*|__)?\s*", re.IGNORECASE)
"""A paragraph starting 'Example:' (or '**Example:**') is the idea's example, not its description."""


def read_concepts(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes, kind: str = "concepts") -> Concepts | None:
    intro: list[SyntaxTreeNode] = []
    items: list[Concept] = []
    current: dict[str, Any] | None = None
    label: str | None = None

    def close() -> None:
        if current is not None:
            items.append(Concept(**current))

    for child in node.children:
        if child.type == "heading":
            close()
            current, label = {"name": reader.inline_text(child), "description": "", "signs": (), "actions": ()}, None
        elif current is None:
            intro.append(child)
        elif child.type == "paragraph" and (example := EXAMPLE.match(reader.raw([child]))) is not None:
            text = reader.raw([child])[example.end() :].strip()
            current["example"] = "\n\n".join(filter(None, [current.get("example", ""), text]))
        elif child.type == "paragraph" and label_of(reader, child):
            label = label_of(reader, child)
        elif child.type == "bullet_list":
            if label is None:
                reader.error(
                    child,
                    f"this list in '{current['name']}' has no label",
                    "put a line 'Signs:' or 'Actions:' above the list",
                )
                return None
            current[label] = current[label] + tuple(reader.item_source(li) for li in child.children)
            label = None
        else:
            current["description"] = "\n\n".join(filter(None, [current["description"], reader.raw([child])]))
    close()
    if not items:
        reader.error(
            node,
            f"a '{kind}' block needs one '### Name' heading per idea",
            "write '### Competence' followed by a description",
        )
        return None
    return Concepts(
        kind=kind,
        source=reader.ref(node),
        title=attrs.get("title"),
        credit=attrs.get("credit"),
        intro=reader.raw(intro),
        items=tuple(items),
    )


def label_of(reader: ModuleReader, paragraph: SyntaxTreeNode) -> str | None:
    text = reader.inline_text(paragraph).strip().rstrip(":").strip().lower()
    if not reader.inline_text(paragraph).strip().endswith(":"):
        return None
    if text in SIGNS_LABELS:
        return "signs"
    if text in ACTIONS_LABELS:
        return "actions"
    return None


def read_needs(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Concepts | None:
    return read_concepts(reader, node, attrs, kind="needs")
