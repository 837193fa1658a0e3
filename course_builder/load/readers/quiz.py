"""The `quiz` block: questions as `###` headings, options as task-list items, feedback as quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode

from course_builder.model import Quiz, QuizOption, QuizQuestion

if TYPE_CHECKING:
    from course_builder.load.markdown_module import Attributes, ModuleReader


def read_quiz(reader: ModuleReader, node: SyntaxTreeNode, attrs: Attributes) -> Quiz | None:
    quiz_id = attrs.get("id") or reader.next_id("quiz")
    questions: list[QuizQuestion] = []
    heading: SyntaxTreeNode | None = None
    extra: list[SyntaxTreeNode] = []
    ok = True
    for child in [*node.children, None]:
        if child is None or child.type == "heading":
            if heading is not None:
                question = read_quiz_question(reader, heading, extra, quiz_id, len(questions) + 1)
                ok = ok and question is not None
                if question is not None:
                    questions.append(question)
            heading, extra = child, []
        elif heading is None:
            reader.error(child, "text in a quiz must follow a question heading", "start each question with '### Question text'")
            return None
        else:
            extra.append(child)
    if not questions:
        if ok:
            reader.error(
                node,
                "the quiz has no questions",
                "write each question as '### Question?' followed by '- [x] right' and '- [ ] wrong' options",
            )
        return None
    return Quiz(source=reader.ref(node), id=quiz_id, title=attrs.get("title"), questions=tuple(questions))


def read_quiz_question(reader: ModuleReader, heading: SyntaxTreeNode, body: list[SyntaxTreeNode], quiz_id: str, number: int
) -> QuizQuestion | None:
    attrs = {k: str(v) for k, v in heading.attrs.items()}
    question_id = attrs.get("id") or f"{quiz_id}-q{number}"
    lists = [c for c in body if c.type == "bullet_list"]
    prompt = "\n\n".join([reader.inline_source(heading), reader.raw([c for c in body if c.type != "bullet_list"])]).strip()
    if len(lists) != 1:
        reader.error(
            heading,
            f"question '{reader.inline_text(heading)}' needs one list of options",
            "write options as '- [x] right answer' and '- [ ] wrong answer'",
        )
        return None
    options = []
    for index, li in enumerate(lists[0].children):
        paragraphs = [c for c in li.children if c.type == "paragraph"]
        text = reader.inline_source(paragraphs[0]) if paragraphs else ""
        if text[:3].lower() not in ("[ ]", "[x]"):
            reader.error(li, f"option '{text}' is not marked right or wrong", "start it with '[x] ' (right) or '[ ] ' (wrong)")
            return None
        feedback = "\n\n".join(
            reader.inline_source(p) for q in li.children if q.type == "blockquote" for p in q.children if p.type == "paragraph"
        )
        options.append(
            QuizOption(
                id=f"{question_id}-{chr(97 + index)}",
                text=text[3:].strip(),
                correct=text[1].lower() == "x",
                feedback=feedback or None,
            )
        )
    correct = sum(o.correct for o in options)
    if correct == 0:
        reader.error(
            heading, f"question '{reader.inline_text(heading)}' has no correct answer", "mark the right option(s) with '[x]'"
        )
        return None
    texts = {o.text.strip().lower() for o in options}
    kind = "truefalse" if texts == {"true", "false"} else "multiple" if correct > 1 else "single"
    objective = attrs.get("objective")
    if objective is not None and reader.front is not None:  # unreadable front matter is reported already
        count = len(reader.front.objectives)
        if not objective.isdigit() or not 1 <= int(objective) <= count:
            reader.error(
                heading.map[0] if heading.map else None,
                f"objective={objective} does not name one of the module's {count} objectives",
                f"use a number from 1 to {count}",
            )
            return None
    return QuizQuestion(
        id=question_id,
        type=kind,
        prompt=prompt,
        options=tuple(options),
        objective=int(objective) if objective else None,
        source=reader.ref(heading),
    )
