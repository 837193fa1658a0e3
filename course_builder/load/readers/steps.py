"""The `steps` block: a numbered list of steps or practices, each with a bold name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import Step, Steps

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_steps(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Steps | None:
    intro = [c for c in node.children if c.type != "ordered_list"]
    lists = [c for c in node.children if c.type == "ordered_list"]
    if len(lists) != 1:
        reader.error(
            node, "a 'steps' block needs one numbered list (1. 2. 3.)", "write each step as '1. **Name.** What it means'"
        )
        return None
    items = []
    for number, item in enumerate(lists[0].children, start=1):
        paragraphs = [c for c in item.children if c.type == "paragraph"]
        if not paragraphs:
            reader.error(item, f"step {number} is empty", "write '**Name.** What it means' after the number")
            continue
        name, rest = split_bold_name(reader, paragraphs[0])
        if not name:
            reader.error(
                item,
                f"step {number} does not start with its name in bold",
                "write e.g. '1. **Shift the question.** What it means'",
            )
            continue
        explanation = "\n\n".join([rest, *(reader.inline_source(p) for p in paragraphs[1:])]).strip()
        prompts = tuple(
            strip_label(reader.item_source(li), "prompt")
            for sub in item.children
            if sub.type == "bullet_list"
            for li in sub.children
        )
        items.append(Step(number=number, name=name, explanation=explanation, prompts=prompts))
    if len(items) != len(lists[0].children):
        return None
    label = attrs.get("prompts") or None
    return Steps(source=reader.ref(node), title=attrs.get("title"), prompts_label=label, intro=reader.raw(intro),
                 items=tuple(items))


def split_bold_name(reader: ModuleReader, paragraph: SyntaxTreeNode) -> tuple[str, str]:
    inline = paragraph.children[0]
    # markdown-it leaves an empty text token before a leading '**'.
    parts = [c for c in inline.children if not (c.type == "text" and not c.content)]
    if not parts or parts[0].type != "strong":
        return "", reader.inline_source(paragraph)
    name = reader.inline_text(parts[0]).rstrip(".:").strip()
    source = inline.content.strip()
    marker = source[:2]
    end = source.find(marker, 2)
    rest = source[end + 2 :].lstrip(" .:—-") if end > 0 else ""
    return name, rest.strip()


def strip_label(text: str, label: str) -> str:
    head, sep, tail = text.partition(":")
    return tail.strip() if sep and head.strip().strip("*_").lower() == label else text
