"""The `questions` block: coaching questions, open ones with the closed ones they replace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import CoachingQuestion, Questions

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_questions(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Questions | None:
    intro = [c for c in node.children if c.type != "bullet_list"]
    items = []
    for lst in (c for c in node.children if c.type == "bullet_list"):
        for li in lst.children:
            text = reader.item_source(li)
            for arrow in ("=>", "→"):
                if arrow in text:
                    closed, _, open_ = text.partition(arrow)
                    items.append(CoachingQuestion(closed=closed.strip(), open=open_.strip()))
                    break
            else:
                items.append(CoachingQuestion(open=text))
    if not items:
        reader.error(node, "a 'questions' block needs a bullet list of questions", "write '- Did you...? => What...?'")
        return None
    return Questions(source=reader.ref(node), title=attrs.get("title"), intro=reader.raw(intro), items=tuple(items))
