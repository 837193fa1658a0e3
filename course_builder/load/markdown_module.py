"""Read one module file (front matter + Markdown with fenced blocks) into a `Module`."""

from __future__ import annotations

import difflib
import re
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

from course_builder.blocks import BLOCK_KINDS, FENCED_NAMES, Attribute
from course_builder.errors import Problems
from course_builder.load.assets import check_image
from course_builder.load.fenced_divs import fenced_div_plugin
from course_builder.load.paths import PathRefused, missing, missing_file_hint, resolve_inside
from course_builder.load.readers.activity import INSIDE_ACTIVITY
from course_builder.load.safety import active_link, inspect_html, jinja_syntax
from course_builder.load.yaml_source import YamlDocument, describe_validation_error, read_yaml, validate_into
from course_builder.markup import course_parser
from course_builder.model import (
    Block,
    Figure,
    Module,
    ModuleFrontMatter,
    Prose,
    Section,
    SourceRef,
)

NEWLINE = re.compile(r"\r\n?")
CODE_SPAN = re.compile(r"(`+).*?\1", re.S)
FRONT_MATTER_EXAMPLE = "    ---\n    id: my-module\n    title: My module\n    duration: 30\n    ---"
Attributes = dict[str, str | int]
EXAMPLE_VALUES = {int: "20", str: '"Needs mapping"', bool: "yes"}
ONLY_INSIDE_ACTIVITY = {"debrief": "debriefs", "handout": "needs printed"}
"""A block's attributes, checked against its declaration and typed."""


def markdown_parser() -> MarkdownIt:
    """The renderers' parser (`markup.course_parser`) with front matter, fenced divs and block attrs."""
    return course_parser(html=True).use(front_matter_plugin).use(fenced_div_plugin).use(attrs_block_plugin)


CURLY_QUOTES = re.compile("[\u201c\u201d\u201e\u201f]|(?<==)[\u2018\u2019]")
"""Quotes a word processor or phone puts in for '"' (outside straight quotes, where they are text)."""


def unescaped(value: str) -> str:
    return re.sub(r"\\([\\\"])", r"\1", value)


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
        if (curly := CURLY_QUOTES.search(re.sub(r'"(?:\\.|[^"\\])*"', "", text))) is not None:
            line = self.line_of(node)
            column = self.lines[line - 1].find(curly.group()) + 1 if line and line <= len(self.lines) else None
            message = f"'{curly.group()}' is a curly quote (as Word or a phone types them); attributes need straight quotes (\")"
            hint = 'retype the quotes around the value as straight quotes, e.g. title="Needs mapping"'
            self.problems.error(self.file, line, message, hint, column or None)
            return None
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
        # `\"` is a straight double quote inside a quoted value, `\\` a backslash.
        return {key: unescaped(value) for key, value in attrs.items()}

    def read_div(self, node: SyntaxTreeNode, parent: str | None = None) -> Block | None:
        name, attrs = self.div_name(node)
        if name is None:
            return None
        if not node.nester_tokens.opening.meta.get("closed", False):
            self.error(node, f"the '{name}' block is never closed", "add a line ':::' where the block ends")
            return None
        allowed = INSIDE_ACTIVITY if parent == "activity" else FENCED_NAMES
        if name not in allowed and not (parent is None and name in INSIDE_ACTIVITY):
            if parent is not None:
                hint = (
                    f"close the '{parent}' block (':::') before starting this one"
                    if name in FENCED_NAMES
                    else f"only {' and '.join(INSIDE_ACTIVITY)} blocks may stand inside an activity"
                )
                self.error(node, f"{article(name)} '{name}' block cannot stand inside {article(parent)} '{parent}' block", hint)
            else:
                close = difflib.get_close_matches(name, FENCED_NAMES, n=1, cutoff=0.5)
                hint = f"did you mean '.{close[0]}'?" if close else f"known blocks: {', '.join(FENCED_NAMES)}"
                self.error(node, f"unknown block '{name}'", hint)
            return None
        if parent is None and name in ONLY_INSIDE_ACTIVITY:
            hint = f"move it inside the activity it {ONLY_INSIDE_ACTIVITY[name]}"
            self.error(node, f"a '{name}' block belongs inside an 'activity' block", hint)
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
        kind = BLOCK_KINDS[name]
        typed = self.block_attributes(node, name, kind.attributes, attrs)
        if typed is None:
            return None
        try:
            return kind.read(self, node, typed)
        except ValidationError as err:
            for item in err.errors():
                message, hint = describe_validation_error(item, f"the '{name}' block", attribute=True)
                self.error(node, message, hint)
            return None

    def block_attributes(
        self, node: SyntaxTreeNode, name: str, declared: tuple[Attribute, ...], attrs: dict[str, str]
    ) -> Attributes | None:
        """The attributes checked against the block's declaration: unknown, missing or mistyped ones are errors."""
        known = [attribute.name for attribute in declared]
        typed: Attributes = {}
        ok = True
        for key, value in attrs.items():
            attribute = next((a for a in declared if a.name == key), None)
            if attribute is None:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?" if close
                    else f"{article(name)} '{name}' block takes {', '.join(known)}" if known
                    else f"{article(name)} '{name}' block takes no attributes: remove it"
                )
                self.error(node, f"{article(name)} '{name}' block has no attribute '{key}'", hint)
                ok = False
            elif attribute.type is bool:
                if value.strip().lower() not in ("yes", "no", "true", "false"):
                    self.error(node, f"'{key}' must be yes or no, not '{value}'", f"write {key}=yes or {key}=no")
                    ok = False
                else:
                    typed[key] = value.strip().lower() in ("yes", "true")
            elif attribute.type is int:
                if not value.strip().isdigit():
                    self.error(node, f"'{key}' must be a whole number, not '{value}'", f"write a whole number, e.g. {key}=10")
                    ok = False
                else:
                    typed[key] = int(value)
            else:
                typed[key] = value
        for attribute in declared:
            if ok and attribute.required and attribute.name not in attrs:
                example = " ".join(f"{a.name}={EXAMPLE_VALUES[a.type]}" for a in declared if a.required)
                hint = f"add {attribute.name}=... inside the braces, e.g. {{.{name} {example}}}"
                self.error(node, f"the {name} has no {attribute.name}", hint)
                ok = False
        return typed if ok else None

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


    def item_source(self, item: SyntaxTreeNode) -> str:
        return "\n\n".join(self.inline_source(c) for c in item.children if c.type == "paragraph")

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
    # Its own list: an error in an earlier module (or course.yaml) must not make this one unreadable.
    found = Problems()
    module = ModuleReader(file, text, root, found, allow_html).read()
    problems.items.extend(found.items)
    return module if not found.errors else None
