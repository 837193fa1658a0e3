"""Read one module file (front matter + Markdown with fenced blocks) into a `Module`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.front_matter import front_matter_plugin
from pydantic import ValidationError

from course_builder.errors import Problems
from course_builder.load.assets import check_image
from course_builder.load.fenced_divs import fenced_div_plugin
from course_builder.load.paths import PathRefused, missing, missing_file_hint, resolve_inside
from course_builder.load.safety import active_link, inspect_html, jinja_syntax
from course_builder.load.yaml_source import YamlDocument, describe_validation_error, read_yaml, validate_into
from course_builder.markup import course_parser
from course_builder.model import (
    Activity,
    Block,
    Case,
    CoachingQuestion,
    Concept,
    Concepts,
    FacilitatorNote,
    Figure,
    Module,
    ModuleFrontMatter,
    Prose,
    Questions,
    Quiz,
    QuizOption,
    QuizQuestion,
    Quote,
    Reflection,
    Section,
    SourceRef,
    Step,
    Steps,
    Takeaways,
)

BLOCK_NAMES = (
    "steps",
    "needs",
    "concepts",
    "questions",
    "reflection",
    "activity",
    "quiz",
    "facilitator",
    "quote",
    "takeaways",
    "case",
)
INSIDE_ACTIVITY = ("facilitator", "debrief")
NEWLINE = re.compile(r"\r\n?")
CODE_SPAN = re.compile(r"(`+).*?\1", re.S)
FRONT_MATTER_EXAMPLE = "    ---\n    id: my-module\n    title: My module\n    duration: 30\n    ---"
SIGNS_LABELS = {"signs", "signs at work", "what you see", "what you might see"}
ACTIONS_LABELS = {"actions", "what a leader can do", "leader actions", "what to do"}


def markdown_parser() -> MarkdownIt:
    """The renderers' parser (`markup.course_parser`) with front matter, fenced divs and block attrs."""
    return course_parser(html=True).use(front_matter_plugin).use(fenced_div_plugin).use(attrs_block_plugin)


class ModuleReader:
    """Turns one module file into a Module, recording every problem on the way."""

    def __init__(self, file: Path, text: str, root: Path, problems: Problems, allow_html: bool = False):
        self.file = file
        self.root = root
        self.problems = problems
        self.allow_html = allow_html
        # Lines as markdown-it counts them: only \n, \r\n and \r end a line (not U+2028 and the like,
        # which str.splitlines would also split on, shifting every line after them).
        self.lines = NEWLINE.sub("\n", text).split("\n")
        self.text = text
        self.front: ModuleFrontMatter | None = None
        self.counters: dict[str, int] = {}
        self.div_names: dict[int, tuple[str | None, dict[str, str]]] = {}
        self.images: dict[tuple[int, str], Path | None] = {}

    # ------------------------------------------------------------ helpers

    def ref(self, node: SyntaxTreeNode) -> SourceRef:
        return SourceRef(file=self.file, line=self.line_of(node))

    @staticmethod
    def line_of(node: SyntaxTreeNode) -> int:
        return (node.map[0] + 1) if node.map else 1

    def error(self, node: SyntaxTreeNode | int | None, message: str, hint: str | None = None) -> None:
        line = node if isinstance(node, int) or node is None else self.line_of(node)
        self.problems.error(self.file, line, message, hint)

    def warn(self, node: SyntaxTreeNode | int | None, message: str, hint: str | None = None) -> None:
        line = node if isinstance(node, int) or node is None else self.line_of(node)
        self.problems.warn(self.file, line, message, hint)

    def raw(self, nodes: list[SyntaxTreeNode]) -> str:
        """The Markdown source the nodes came from, as the author typed it."""
        parts = []
        for node in nodes:
            if node.map:
                chunk = self.lines[node.map[0] : node.map[1]]
                indent = min((len(x) - len(x.lstrip()) for x in chunk if x.strip()), default=0)
                parts.append("\n".join(x[indent:] for x in chunk).strip("\n"))
        return "\n\n".join(p for p in parts if p.strip())

    @staticmethod
    def inline_source(node: SyntaxTreeNode) -> str:
        """The raw Markdown of a paragraph or heading."""
        if node.children and node.children[0].type == "inline":
            return node.children[0].content.strip()
        return ""

    def next_id(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        module_id = self.front.id if self.front else "module"
        return f"{module_id}-{kind}-{self.counters[kind]}"

    # ------------------------------------------------------------ module

    def read(self) -> Module | None:
        if not self.text.strip():
            self.error(1, "the module file is empty", f"write the module, starting with front matter:\n{FRONT_MATTER_EXAMPLE}")
            return None
        tree = SyntaxTreeNode(markdown_parser().parse(self.text))
        children = list(tree.children)
        if children and children[0].type == "front_matter":
            front_node = children.pop(0)
            self.front = self.read_front_matter(front_node)
        elif self.lines[0].strip() == "---":
            self.error(
                1, "the front matter that starts here is never closed", "add a line '---' after its last setting, before the text"
            )
            return None
        else:
            first = next(i for i, line in enumerate(self.lines, start=1) if line.strip())
            where = "the first line" if first == 1 else f"line 1 (it starts on line {first})"
            self.error(first, "the module has no front matter", f"start the file on {where} with:\n{FRONT_MATTER_EXAMPLE}")
        self.check_inline_content(tree)
        if not children:
            self.error(
                len(NEWLINE.sub("\n", self.text).rstrip().split("\n")),
                "the module has no content",
                "write at least one section ('## Title' and some text) below the front matter",
            )
        sections = self.read_sections(children)
        if self.front is None or self.problems.errors:
            return None
        try:
            return Module(
                id=self.front.id,
                title=self.front.title,
                duration=self.front.duration,
                objectives=self.front.objectives,
                summary=self.front.summary,
                sections=tuple(sections),
                source=self.file,
            )
        except ValidationError as err:
            for item in err.errors():
                self.error(2, *describe_validation_error(item, "the front matter"))
            return None

    def read_front_matter(self, node: SyntaxTreeNode) -> ModuleFrontMatter | None:
        document = read_yaml(node.content, self.file, self.problems, line_offset=1)
        if document is None:
            return None
        check_yaml_text(document, self.problems)
        return validate_into(ModuleFrontMatter, document, self.problems, "the front matter")

    def read_sections(self, nodes: list[SyntaxTreeNode]) -> list[Section]:
        sections: list[Section] = []
        title: str | None = None
        start: SyntaxTreeNode | None = nodes[0] if nodes else None
        current: list[SyntaxTreeNode] = []
        slugs: set[str] = set()

        def close() -> None:
            if title is None and not current:
                return
            blocks = self.read_blocks(current)
            slug = self.slug(title or "introduction", slugs)
            sections.append(
                Section(
                    id=slug,
                    title=title,
                    blocks=tuple(blocks),
                    source=self.ref(start) if start else SourceRef(file=self.file, line=1),
                )
            )

        for node in nodes:
            if node.type == "heading" and node.tag in ("h1", "h2"):
                if node.tag == "h1":
                    self.warn(
                        node,
                        "a '#' heading inside a module is read as a section",
                        "use '## ' for sections; the module title comes from the front matter",
                    )
                close()
                title, start, current = self.inline_text(node), node, []
            else:
                current.append(node)
        close()
        return sections

    @staticmethod
    def slug(title: str, taken: set[str]) -> str:
        base = "".join(c.lower() if c.isalnum() else "-" for c in title).strip("-")
        base = "-".join(filter(None, base.split("-")))[:48] or "section"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug

    @staticmethod
    def inline_text(node: SyntaxTreeNode) -> str:
        """Plain text of a heading or paragraph (no Markdown markers)."""
        out: list[str] = []

        def walk(n: SyntaxTreeNode) -> None:
            if n.type in ("text", "code_inline"):
                out.append(n.content)
            elif n.type in ("softbreak", "hardbreak"):
                out.append(" ")
            for child in n.children:
                walk(child)

        walk(node)
        return "".join(out).strip()

    # ------------------------------------------------------------ blocks

    def read_blocks(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        blocks: list[Block] = []
        prose: list[SyntaxTreeNode] = []

        def flush() -> None:
            if prose:
                blocks.append(Prose(source=self.ref(prose[0]), markdown=self.raw(prose)))
                prose.clear()

        for node in nodes:
            if node.type == "fenced_div":
                flush()
                block = self.read_div(node)
                if block is not None:
                    blocks.append(block)
            elif (figure := self.as_figure(node)) is not None:
                flush()
                blocks.append(figure)
            else:
                prose.append(node)
        flush()
        return blocks

    def div_name(self, node: SyntaxTreeNode) -> tuple[str | None, dict[str, str]]:
        """The block's name and attributes; read once per block, so each problem is told once."""
        if id(node) not in self.div_names:
            self.div_names[id(node)] = self.read_div_name(node)
        name, attrs = self.div_names[id(node)]
        return name, dict(attrs)

    def read_div_name(self, node: SyntaxTreeNode) -> tuple[str | None, dict[str, str]]:
        info = node.info.strip()
        if not info.startswith("{"):
            name, _, rest = info.partition(" ")
            attrs = self.attributes(node, "{" + rest + "}" if rest.strip() else "{}")
            return (name.strip().lstrip("."), attrs) if attrs is not None else (None, {})
        attrs = self.attributes(node, info)
        if attrs is None:
            return None, {}
        classes = attrs.pop("class", "").split()
        if not classes:
            self.error(node, f"the block '{info}' has no name", "write the name with a dot, e.g. '::: {.reflection}'")
            return None, attrs
        return classes[0], attrs

    def attributes(self, node: SyntaxTreeNode, text: str) -> dict[str, str] | None:
        try:
            end, attrs = parse_attrs(text)
        except ParseError:
            unclosed = text.count('"') % 2
            hint = 'close the quote: key="two words"' if unclosed else 'write them as {.name #id key=value key="two words"}'
            self.error(node, f"cannot read the block's attributes {text}", hint)
            return None
        if text[end + 1 :].strip():
            self.error(
                node, f"unexpected text after the attributes: '{text[end + 1 :].strip()}'", "put attributes inside the braces"
            )
        return dict(attrs)

    def read_div(self, node: SyntaxTreeNode, parent: str | None = None) -> Block | None:
        name, attrs = self.div_name(node)
        if name is None:
            return None
        if not node.nester_tokens.opening.meta.get("closed", False):
            self.error(node, f"the '{name}' block is never closed", "add a line ':::' where the block ends")
            return None
        allowed = INSIDE_ACTIVITY if parent == "activity" else BLOCK_NAMES
        if name not in allowed and not (parent is None and name in INSIDE_ACTIVITY):
            if parent is not None:
                hint = (
                    f"close the '{parent}' block (':::') before starting this one"
                    if name in BLOCK_NAMES
                    else f"only {' and '.join(INSIDE_ACTIVITY)} blocks may stand inside an activity"
                )
                self.error(node, f"{article(name)} '{name}' block cannot stand inside {article(parent)} '{parent}' block", hint)
            else:
                close = difflib.get_close_matches(name, BLOCK_NAMES, n=1, cutoff=0.5)
                hint = f"did you mean '.{close[0]}'?" if close else f"known blocks: {', '.join(BLOCK_NAMES)}"
                self.error(node, f"unknown block '{name}'", hint)
            return None
        if parent is None and name == "debrief":
            self.error(node, "a 'debrief' block belongs inside an 'activity' block", "move it inside the activity it debriefs")
            return None
        if parent is None:
            for child in node.children:
                if child.type == "fenced_div" and name != "activity":
                    child_name, _ = self.div_name(child)
                    if child_name is None:
                        return None
                    self.error(
                        child,
                        f"{article(child_name)} '{child_name}' block cannot stand inside {article(name)} '{name}' block",
                        f"close the '{name}' block (':::') before starting this one",
                    )
                    return None
        reader: Callable[[SyntaxTreeNode, dict[str, str]], Block | None] = getattr(self, f"read_{name}")
        try:
            return reader(node, attrs)
        except ValidationError as err:
            for item in err.errors():
                message, hint = describe_validation_error(item, f"the '{name}' block", attribute=True)
                self.error(node, message, hint)
            return None

    def as_figure(self, node: SyntaxTreeNode) -> Figure | None:
        if node.type != "paragraph":
            return None
        inline = node.children[0]
        parts = [c for c in inline.children if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
        if len(parts) != 1 or parts[0].type != "image":
            return None
        image = parts[0]
        path = self.image_path(node, unquote(str(image.attrs.get("src", ""))))
        if path is None:
            return None
        return Figure(
            source=self.ref(node),
            image=path,
            alt=self.inline_text(image),
            caption=str(image.attrs["title"]) if image.attrs.get("title") else None,
        )

    def image_path(self, node: SyntaxTreeNode, src: str) -> Path | None:
        """The checked image file, or None; each image is checked (and reported) once."""
        key = (self.line_of(node), src)
        if key not in self.images:
            self.images[key] = self.check_image_path(node, src)
        return self.images[key]

    def check_image_path(self, node: SyntaxTreeNode, src: str) -> Path | None:
        # markdown-it percent-encodes paths (a space becomes %20); the file has the plain name.
        src = unquote(src)
        try:
            path = resolve_inside(self.root, self.file.parent, src)
        except PathRefused as err:
            self.error(node, f"image {err}", err.hint)
            return None
        if not path.is_file():
            hint = missing_file_hint(src, path, f"{self.file.parent.name}/, the folder of the module")
            self.error(node, f"the image '{src}' {missing(path)}", hint)
            return None
        if not check_image(path, self.problems, self.file, self.line_of(node)):
            return None
        return path

    def check_inline_content(self, tree: SyntaxTreeNode) -> None:
        """Images anywhere must exist inside the course; scripts and remote files are refused."""
        for node in tree.walk():
            if node.type == "image":
                line_node = self.enclosing_block(node)
                src = unquote(str(node.attrs.get("src", "")))
                if self.image_path(line_node, src) is not None and not self.inline_text(node):
                    self.warn(
                        line_node,
                        f"the image '{unquote(src)}' has no alt text",
                        "describe the image between the brackets: ![what it shows](path)",
                    )
            elif node.type in ("html_block", "html_inline"):
                self.check_html(node)
            elif node.type == "link" and active_link(str(node.attrs.get("href", ""))):
                self.error(
                    self.enclosing_block(node),
                    "this link would run code, which a course may not do",
                    "link to a web page (https://...) instead",
                )
            elif node.type == "inline" and (template_code := jinja_syntax(CODE_SPAN.sub("", node.content))):
                self.warn(
                    self.enclosing_block(node),
                    f"'{template_code[:40]}' is printed as written: course content is never run as a template",
                    "if you meant a placeholder, write the actual text; to show template code, put it in `backticks`",
                )

    def check_html(self, node: SyntaxTreeNode) -> None:
        line_node = self.enclosing_block(node)
        report = inspect_html(node.content)
        for finding in report.findings:
            self.error(line_node, finding.message, finding.hint)
        if report.findings:
            return
        if self.allow_html:
            for src in report.images:
                self.image_path(line_node, src)
        elif report.comment_only:
            self.warn(
                line_node,
                "an HTML comment (<!-- -->) is printed as text",
                "delete it; keep notes for facilitators in a {.facilitator} block",
            )
        else:
            self.warn(line_node, "raw HTML is printed as text", "write it in Markdown, or set 'allow_html: true' in course.yaml")

    def enclosing_block(self, node: SyntaxTreeNode) -> SyntaxTreeNode:
        while node.map is None and node.parent is not None:
            node = node.parent
        return node

    # ------------------------------------------------------------ one reader per block

    def read_steps(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Steps | None:
        intro = [c for c in node.children if c.type != "ordered_list"]
        lists = [c for c in node.children if c.type == "ordered_list"]
        if len(lists) != 1:
            self.error(
                node, "a 'steps' block needs one numbered list (1. 2. 3.)", "write each step as '1. **Name.** What it means'"
            )
            return None
        items = []
        for number, item in enumerate(lists[0].children, start=1):
            paragraphs = [c for c in item.children if c.type == "paragraph"]
            if not paragraphs:
                self.error(item, f"step {number} is empty", "write '**Name.** What it means' after the number")
                continue
            name, rest = self.split_bold_name(paragraphs[0])
            if not name:
                self.error(
                    item,
                    f"step {number} does not start with its name in bold",
                    "write e.g. '1. **Shift the question.** What it means'",
                )
                continue
            explanation = "\n\n".join([rest, *(self.inline_source(p) for p in paragraphs[1:])]).strip()
            prompts = tuple(
                self.strip_label(self.item_source(li), "prompt")
                for sub in item.children
                if sub.type == "bullet_list"
                for li in sub.children
            )
            items.append(Step(number=number, name=name, explanation=explanation, prompts=prompts))
        if len(items) != len(lists[0].children):
            return None
        return Steps(source=self.ref(node), title=attrs.get("title"), intro=self.raw(intro), items=tuple(items))

    def split_bold_name(self, paragraph: SyntaxTreeNode) -> tuple[str, str]:
        inline = paragraph.children[0]
        # markdown-it leaves an empty text token before a leading '**'.
        parts = [c for c in inline.children if not (c.type == "text" and not c.content)]
        if not parts or parts[0].type != "strong":
            return "", self.inline_source(paragraph)
        name = self.inline_text(parts[0]).rstrip(".:").strip()
        source = inline.content.strip()
        marker = source[:2]
        end = source.find(marker, 2)
        rest = source[end + 2 :].lstrip(" .:—-") if end > 0 else ""
        return name, rest.strip()

    @staticmethod
    def strip_label(text: str, label: str) -> str:
        head, sep, tail = text.partition(":")
        return tail.strip() if sep and head.strip().strip("*_").lower() == label else text

    def item_source(self, item: SyntaxTreeNode) -> str:
        return "\n\n".join(self.inline_source(c) for c in item.children if c.type == "paragraph")

    def read_concepts(self, node: SyntaxTreeNode, attrs: dict[str, str], kind: str = "concepts") -> Concepts | None:
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
                current, label = {"name": self.inline_text(child), "description": "", "signs": (), "actions": ()}, None
            elif current is None:
                intro.append(child)
            elif child.type == "paragraph" and self.label_of(child):
                label = self.label_of(child)
            elif child.type == "bullet_list":
                if label is None:
                    self.error(
                        child,
                        f"this list in '{current['name']}' has no label",
                        "put a line 'Signs:' or 'Actions:' above the list",
                    )
                    return None
                current[label] = current[label] + tuple(self.item_source(li) for li in child.children)
                label = None
            else:
                current["description"] = "\n\n".join(filter(None, [current["description"], self.raw([child])]))
        close()
        if not items:
            self.error(
                node,
                f"a '{kind}' block needs one '### Name' heading per idea",
                "write '### Competence' followed by a description",
            )
            return None
        return Concepts(
            kind=kind,
            source=self.ref(node),
            title=attrs.get("title"),
            credit=attrs.get("credit"),
            intro=self.raw(intro),
            items=tuple(items),
        )

    def label_of(self, paragraph: SyntaxTreeNode) -> str | None:
        text = self.inline_text(paragraph).strip().rstrip(":").strip().lower()
        if not self.inline_text(paragraph).strip().endswith(":"):
            return None
        if text in SIGNS_LABELS:
            return "signs"
        if text in ACTIONS_LABELS:
            return "actions"
        return None

    def read_needs(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Concepts | None:
        return self.read_concepts(node, attrs, kind="needs")

    def read_questions(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Questions | None:
        intro = [c for c in node.children if c.type != "bullet_list"]
        items = []
        for lst in (c for c in node.children if c.type == "bullet_list"):
            for li in lst.children:
                text = self.item_source(li)
                for arrow in ("=>", "→"):
                    if arrow in text:
                        closed, _, open_ = text.partition(arrow)
                        items.append(CoachingQuestion(closed=closed.strip(), open=open_.strip()))
                        break
                else:
                    items.append(CoachingQuestion(open=text))
        if not items:
            self.error(node, "a 'questions' block needs a bullet list of questions", "write '- Did you...? => What...?'")
            return None
        return Questions(source=self.ref(node), title=attrs.get("title"), intro=self.raw(intro), items=tuple(items))

    def read_reflection(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Reflection | None:
        prompt = self.raw(list(node.children))
        if not prompt:
            self.error(node, "the reflection has no prompt", "write the question participants answer inside the block")
            return None
        return Reflection(
            source=self.ref(node),
            id=attrs.get("id") or self.next_id("reflection"),
            title=attrs.get("title"),
            prompt=prompt,
            minutes=attrs.get("minutes"),
            lines=attrs.get("lines", 6),  # type: ignore[arg-type]
        )

    def read_activity(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Activity | None:
        facilitator: list[str] = []
        debrief: list[str] = []
        instructions: list[SyntaxTreeNode] = []
        for child in node.children:
            if child.type != "fenced_div":
                instructions.append(child)
                continue
            inner_name, _ = self.div_name(child)
            if inner_name not in INSIDE_ACTIVITY:
                self.read_div(child, parent="activity")
                return None
            if not child.nester_tokens.opening.meta.get("closed", False):
                self.error(child, f"the '{inner_name}' block is never closed", "add a line ':::' where the block ends")
            if inner_name == "facilitator":
                facilitator.append(self.raw(list(child.children)))
            else:
                debrief.extend(self.item_source(li) for lst in child.children if lst.type == "bullet_list" for li in lst.children)
        for required in ("title", "minutes"):
            if required not in attrs:
                self.error(
                    node,
                    f"the activity has no {required}",
                    f'add {required}=... inside the braces, e.g. {{.activity title="Needs mapping" minutes=20}}',
                )
                return None
        materials = tuple(m.strip() for m in attrs.get("materials", "").split(";") if m.strip())
        return Activity(
            source=self.ref(node),
            id=attrs.get("id") or self.next_id("activity"),
            title=attrs["title"],
            minutes=attrs["minutes"],
            grouping=attrs.get("grouping", "solo"),  # type: ignore[arg-type]
            materials=materials,
            instructions=self.raw(instructions),
            facilitator="\n\n".join(facilitator) or None,
            debrief=tuple(debrief),
        )

    def read_quiz(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Quiz | None:
        quiz_id = attrs.get("id") or self.next_id("quiz")
        questions: list[QuizQuestion] = []
        heading: SyntaxTreeNode | None = None
        extra: list[SyntaxTreeNode] = []
        ok = True
        for child in [*node.children, None]:
            if child is None or child.type == "heading":
                if heading is not None:
                    question = self.read_quiz_question(heading, extra, quiz_id, len(questions) + 1)
                    ok = ok and question is not None
                    if question is not None:
                        questions.append(question)
                heading, extra = child, []
            elif heading is None:
                self.error(child, "text in a quiz must follow a question heading", "start each question with '### Question text'")
                return None
            else:
                extra.append(child)
        if not questions:
            if ok:
                self.error(
                    node,
                    "the quiz has no questions",
                    "write each question as '### Question?' followed by '- [x] right' and '- [ ] wrong' options",
                )
            return None
        return Quiz(source=self.ref(node), id=quiz_id, title=attrs.get("title", "Knowledge check"), questions=tuple(questions))

    def read_quiz_question(
        self, heading: SyntaxTreeNode, body: list[SyntaxTreeNode], quiz_id: str, number: int
    ) -> QuizQuestion | None:
        attrs = {k: str(v) for k, v in heading.attrs.items()}
        question_id = attrs.get("id") or f"{quiz_id}-q{number}"
        lists = [c for c in body if c.type == "bullet_list"]
        prompt = "\n\n".join([self.inline_source(heading), self.raw([c for c in body if c.type != "bullet_list"])]).strip()
        if len(lists) != 1:
            self.error(
                heading,
                f"question '{self.inline_text(heading)}' needs one list of options",
                "write options as '- [x] right answer' and '- [ ] wrong answer'",
            )
            return None
        options = []
        for index, li in enumerate(lists[0].children):
            paragraphs = [c for c in li.children if c.type == "paragraph"]
            text = self.inline_source(paragraphs[0]) if paragraphs else ""
            if text[:3].lower() not in ("[ ]", "[x]"):
                self.error(li, f"option '{text}' is not marked right or wrong", "start it with '[x] ' (right) or '[ ] ' (wrong)")
                return None
            feedback = "\n\n".join(
                self.inline_source(p) for q in li.children if q.type == "blockquote" for p in q.children if p.type == "paragraph"
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
            self.error(
                heading, f"question '{self.inline_text(heading)}' has no correct answer", "mark the right option(s) with '[x]'"
            )
            return None
        texts = {o.text.strip().lower() for o in options}
        kind = "truefalse" if texts == {"true", "false"} else "multiple" if correct > 1 else "single"
        objective = attrs.get("objective")
        if objective is not None:
            count = len(self.front.objectives) if self.front else 0
            if not objective.isdigit() or not 1 <= int(objective) <= count:
                self.error(
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
            source=self.ref(heading),
        )

    def read_facilitator(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> FacilitatorNote | None:
        text = self.raw(list(node.children))
        if not text:
            self.error(node, "the facilitator block is empty", "write the note inside it, or remove it")
            return None
        return FacilitatorNote(source=self.ref(node), markdown=text)

    def read_quote(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Quote | None:
        children = list(node.children)
        attribution = attrs.get("by")
        if children and children[-1].type == "paragraph":
            last = self.inline_source(children[-1])
            if last.startswith(("--", "—")):
                attribution = last.lstrip("-— ").strip()
                children = children[:-1]
        text = self.raw(children)
        if not text:
            self.error(node, "the quote is empty", "write the quoted words inside the block")
            return None
        return Quote(source=self.ref(node), text=text, attribution=attribution)

    def read_takeaways(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Takeaways | None:
        items = tuple(self.item_source(li) for c in node.children if c.type == "bullet_list" for li in c.children)
        if not items:
            self.error(node, "the takeaways block needs a bullet list", "write each takeaway as '- ...'")
            return None
        return Takeaways(source=self.ref(node), title=attrs.get("title", "Key takeaways"), items=items)

    def read_case(self, node: SyntaxTreeNode, attrs: dict[str, str]) -> Case | None:
        text = self.raw(list(node.children))
        if not text:
            self.error(node, "the case is empty", "describe the scenario inside the block")
            return None
        return Case(source=self.ref(node), title=attrs.get("title"), markdown=text)


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def check_yaml_text(document: YamlDocument, problems: Problems) -> None:
    """Settings are shown in outputs too (titles, objectives, footers): no scripts there either."""

    def walk(value: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*loc, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*loc, index))
        elif isinstance(value, str) and "<" in value:
            line, column = document.position(loc)
            for finding in inspect_html(value).findings:
                problems.error(document.file, line, finding.message, finding.hint, column)

    walk(document.data, ())


def read_module(file: Path, text: str, root: Path, problems: Problems, allow_html: bool = False) -> Module | None:
    """Read a module's text; problems are recorded, and None returned when it has errors."""
    before = len(problems.errors)
    module = ModuleReader(file, text, root, problems, allow_html).read()
    return module if len(problems.errors) == before else None
