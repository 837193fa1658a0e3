"""YAML that remembers where every value was written, so errors can name the line."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from course_builder.errors import Problems

PathKey = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)

# A course file is a page of settings; anything bigger is an alias bomb or an accident.
MAX_NODES = 50_000
MAX_DEPTH = 50


@dataclass
class YamlDocument:
    """Plain data plus the (line, column) of each key path, 1-based."""

    file: Path
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0
    written: dict[PathKey, str] = field(default_factory=dict)
    """Each scalar as the author typed it (`no`, `2024-01-01`), for messages that quote it."""

    def position(self, loc: PathKey) -> tuple[int, int]:
        """The place of the deepest part of `loc` that exists in the file."""
        loc = tuple(loc)
        while loc and loc not in self.positions:
            loc = loc[:-1]
        line, column = self.positions.get(loc, (1, 1))
        return line + self.line_offset, column

    def line(self, loc: PathKey) -> int:
        return self.position(loc)[0]

    def value(self, loc: PathKey, default: Any = None) -> Any:
        """The value as written at `loc` (before validation turned it into e.g. a Path)."""
        current = self.data
        for part in loc:
            try:
                current = current[part]
            except (KeyError, IndexError, TypeError):
                return default
        return current


class UnusableYaml(ValueError):
    """YAML that parses but cannot be course settings; carries the node (or the 0-based line) to point at."""

    def __init__(self, node: yaml.Node, message: str, hint: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.node = node
        self.hint = hint
        self.line = node.start_mark.line if line is None else line
        self.column = node.start_mark.column if column is None else column


COLOUR_AFTER_COLON = re.compile(r"\s*(#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3}))\s*$")
"""`primary: #E4002B`: YAML reads the colour as a comment and the setting as empty."""
CURLY_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u2018\u2019]")
NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s:/])")


class _Reader:
    """Turns composed YAML nodes into plain data, recording where each key path was written."""

    def __init__(self, line_offset: int = 0, lines: list[str] | None = None) -> None:
        self.lines = lines or []
        self.commented_colours: list[tuple[yaml.Node, str]] = []
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self.written: dict[PathKey, str] = {}
        self.nodes = 0
        self.line_offset = line_offset

    def convert(self, node: yaml.Node, path: PathKey, open_nodes: frozenset[int] = frozenset()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(path) > MAX_DEPTH:
            raise UnusableYaml(
                node,
                "this file is far too large or deeply nested for course settings",
                "remove repeated '*name' references (aliases) and keep settings a few levels deep",
            )
        if id(node) in open_nodes:
            raise UnusableYaml(
                node,
                "a '*name' reference (alias) points at the list or setting that contains it",
                "write the value out instead of referring to it",
            )
        # Scalars are located at their value (what the author must change), collections at their key.
        if isinstance(node, yaml.ScalarNode) or path not in self.positions:
            self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            self.written[path] = node.value
            if node.style is None:
                return self.plain_scalar(node)
        inside = open_nodes | {id(node)}
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise UnusableYaml(
                        key_node,
                        "a setting name must be a single word, not a list or a group",
                        "write each setting as 'name: value' on its own line",
                    )
                key = str(self.scalar(key_node))
                key_path = (*path, key)
                if key in result:
                    first = self.positions[key_path][0] + self.line_offset
                    again = key_node.start_mark.line + 1 + self.line_offset
                    raise UnusableYaml(
                        key_node,
                        f"'{key}' is set twice, on line {first} and again on line {again}",
                        f"keep one of the two lines ({first} or {again}) and delete the other",
                    )
                self.positions[key_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.convert(value_node, key_path, inside)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i), inside) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def plain_scalar(self, node: yaml.ScalarNode) -> Any:
        """An unquoted value, with the two ways an unquoted value misleads an author caught."""
        mark = node.start_mark
        if node.value == "" and mark.line < len(self.lines):
            colour = COLOUR_AFTER_COLON.match(self.lines[mark.line][mark.column :])
            if colour is not None:
                self.commented_colours.append((node, colour.group(1)))
                return colour.group(1)  # reported as an error; read as meant so nothing else follows from it
        for line in range(mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            if self.lines[line].lstrip().startswith("- "):
                raise UnusableYaml(
                    node,
                    "this list item is indented more than the one above it, so YAML reads both as one item",
                    "start every '- ' item of a list at the same column (count the spaces before each '-')",
                    line=line,
                    column=len(self.lines[line]) - len(self.lines[line].lstrip()),
                )
        return self.scalar(node)

    @staticmethod
    def scalar(node: yaml.ScalarNode) -> Any:
        try:
            value = yaml.SafeLoader("").construct_object(node, deep=True)
        except (ValueError, OverflowError):
            # Looks like a date or number but is not one (e.g. 2024-13-45): keep the text.
            return node.value
        # Times like 09:00 are read by YAML 1.1 as sexagesimal ints; keep what the author wrote.
        if isinstance(value, int) and node.tag.endswith(":int") and ":" in node.value:
            return node.value
        return value


# PyYAML's wording, and what an author should read and do instead.
TABS = ("a tab is used for indentation", "indent with spaces; YAML does not allow tabs")
INDENTATION = ("the indentation does not line up", "indent settings at the same level by the same number of spaces")
YAML_PROBLEMS = (
    ("found character '\\t'", *TABS),
    ("found a tab character", *TABS),
    (
        "mapping values are not allowed here",
        "a ':' appears where YAML does not expect one",
        'put text that contains ": " in quotes, e.g. title: "Leading: the basics"',
    ),
    (
        "could not find expected ':'",
        "this line is not a 'name: value' line",
        "add the ':' after the setting name, or close the quote opened on this line",
    ),
    ("found unexpected end of stream", "a quote is opened here but never closed", "close the quote at the end of the value"),
    ("found undefined alias", "'*' starts a reference to something not defined", 'put text starting with "*" in quotes'),
    ("expected <block end>", *INDENTATION),
    ("did not find expected key", *INDENTATION),
    (
        "did not find expected '-' indicator",
        "a list item is not lined up with the ones above it",
        "start every item of a list with '-' at the same indentation",
    ),
    ("expected a single document", "the file holds more than one YAML document", "remove the extra '---' line"),
    (
        "found unknown escape character",
        "a backslash in double quotes starts an unknown escape",
        "use single quotes, or write two backslashes for one",
    ),
)
# Where the author's mistake starts is the context for these, the problem point for the rest.
POINT_AT_CONTEXT = ("while scanning a quoted scalar", "while scanning a simple key")


def read_yaml(text: str, file: Path, problems: Problems, line_offset: int = 0) -> YamlDocument | None:
    """Parse YAML text; on a syntax error, record it with its line and return None."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        report_yaml_error(err, file, problems, line_offset, text)
        return None
    except yaml.YAMLError as err:
        problems.error(file, None, f"this is not valid YAML: {err}", "save it as plain text and check it in a YAML-aware editor")
        return None
    except RecursionError:
        problems.error(file, None, "this YAML is nested far too deeply", "keep settings a few levels deep")
        return None
    if node is None:
        return YamlDocument(file, None, {}, line_offset)
    reader = _Reader(line_offset, text.splitlines())
    try:
        data = reader.convert(node, ())
    except UnusableYaml as err:
        problems.error(file, err.line + 1 + line_offset, str(err), err.hint, err.column + 1)
        return None
    except yaml.MarkedYAMLError as err:
        report_yaml_error(err, file, problems, line_offset, text)
        return None
    for empty, colour in reader.commented_colours:
        problems.error(
            file,
            empty.start_mark.line + 1 + line_offset,
            f"'#' starts a comment in YAML, so the colour {colour} is not read and this setting is empty",
            f'put the colour in quotes: "{colour}"',
            empty.start_mark.column + 2,
        )
    return YamlDocument(file, data, reader.positions, line_offset, reader.written)


def report_yaml_error(err: yaml.MarkedYAMLError, file: Path, problems: Problems, line_offset: int, text: str = "") -> None:
    detail = str(err.problem or err.context or "unreadable")
    mark = err.context_mark if err.context in POINT_AT_CONTEXT and err.context_mark else err.problem_mark or err.context_mark
    line = mark.line + 1 + line_offset if mark else None
    column = mark.column + 1 if mark else None
    if (typed := typing_slip(err, text)) is not None:
        at, column, message, hint = typed
        problems.error(file, at + 1 + line_offset, message, hint, column)
        return
    if isinstance(err, yaml.constructor.ConstructorError):
        message = "this value has a YAML tag ('!...') that a course does not use"
        hint = "remove the tag, or put the whole value in quotes"
    else:
        message, hint = next(
            ((said, fix) for pattern, said, fix in YAML_PROBLEMS if pattern in f"{err.context} {err.problem}"),
            (f"this is not valid YAML ({detail})", "check the indentation and that text containing ': ' or ' #' is in quotes"),
        )
    problems.error(file, line, message, hint, column)


def typing_slip(err: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str, str] | None:
    """Curly quotes pasted from Word, or `title:"X"`, on a line YAML blames: (0-based line, column, message, fix)."""
    lines = text.splitlines()
    marked = sorted({m.line for m in (err.context_mark, err.problem_mark) if m is not None and m.line < len(lines)})
    for at in marked:
        if (curly := CURLY_QUOTES.search(lines[at])) is not None:
            return (at, curly.start() + 1,
                    f"'{curly.group()}' is a curly quote (as Word or a phone types them); YAML needs straight quotes (\")",
                    'retype the quotes around the text as straight quotes, e.g. title: "Leading: the basics"')
    for at in marked:
        if (glued := NO_SPACE_AFTER_COLON.match(lines[at])) is not None:
            return (at, glued.end(1) + 1, f"there is no space after the ':' of '{glued.group(1)}'",
                    f"write a space after the colon: '{glued.group(1)}: ...'")
    return None


def validate_into(model: type[ModelT], document: YamlDocument, problems: Problems, what: str) -> ModelT | None:
    """Validate YAML data into a model, turning each pydantic error into a located problem."""
    if document.data is None:
        hint = "write its settings, one 'name: value' per line"
        problems.error(document.file, 1 + document.line_offset, f"{what} is empty", hint)
        return None
    if not isinstance(document.data, dict):
        problems.error(
            document.file,
            1 + document.line_offset,
            f"{what} must be a list of 'name: value' settings",
            "start with e.g. 'title: My course' (one setting per line)",
        )
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as err:
        for item in err.errors():
            loc = tuple(item["loc"])
            line, column = document.position(loc)
            written = document.written.get(loc)
            problems.error(document.file, line, *describe_validation_error(item, what, model, written=written), column)
        return None


def location_text(loc: tuple[Any, ...]) -> str:
    """'lms.mastery_score', or 'workshop.breaks.after (item 2)' for a value inside a list."""
    names = ".".join(str(p) for p in loc if not isinstance(p, int))
    items = [p for p in loc if isinstance(p, int)]
    return names + (f" (item {items[-1] + 1})" if items else "")


def shown(value: Any, written: str | None = None) -> str:
    """A value in quotes as the author typed it (`'no'`, not `False`), shortened to fit a message."""
    if written is None:
        written = as_typed(value)
    text = f"'{written}'" if len(written) <= 58 else f"'{written[:55]}...'"
    return text


def as_typed(value: Any) -> str:
    """How a YAML value reads when its source text is not at hand."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return ", ".join(f"{k}: {as_typed(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(as_typed(v) for v in value)
    return str(value)


def describe_validation_error(
    item: Any, what: str, model: type[BaseModel] | None = None, attribute: bool = False, written: str | None = None
) -> tuple[str, str | None]:
    """A sentence a course author can act on, and a fix, for one pydantic error.

    `attribute` is set for block attributes (`{.activity minutes=20}`), which are written
    differently from YAML settings.
    """
    loc = tuple(item["loc"])
    where = location_text(loc) or what
    name = str(loc[-1]) if loc and not isinstance(loc[-1], int) else where
    kind = item["type"]
    got = shown(item.get("input"), written)
    ctx = item.get("ctx") or {}
    if kind == "string_type" and isinstance(item.get("input"), dict) and len(item["input"]) == 1:
        return (f"'{where}' holds ': ', so YAML reads it as a 'name: value' pair instead of text",
                f'put the whole text in quotes, e.g. - "{as_typed(item["input"])}"')
    if kind == "missing":
        if attribute:
            return f"{what} has no {name}", f"add {name}=... inside the braces"
        parent = ".".join(str(p) for p in loc[:-1] if not isinstance(p, int))
        return f"'{where}' is missing from {what}", f"add a line '{name}: ...'" + (f" under '{parent}:'" if parent else "")
    if kind == "extra_forbidden":
        known = fields_at(model, loc[:-1]) if model is not None else []
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "check the spelling; docs/authoring.md lists every setting"
        return f"'{where}' is not a setting of {what}", hint
    if kind == "literal_error":
        return f"'{where}' cannot be {got}", f"use one of {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch" and name in ("id", "language"):
        if name == "language":
            return f"'{where}' is {got}, which is not a language code", "use a code like 'en', 'de' or 'pt-BR'"
        return f"'{where}' is {got}, which is not a usable id", ID_HINT
    if kind in TYPE_PROBLEMS:
        must, hint = TYPE_PROBLEMS[kind]
        return f"'{where}' must be {must.format(**ctx)} (found {got})", hint.format(**ctx)
    message = str(item["msg"]).removeprefix("Value error, ")
    hint = None
    if "; " in message:
        message, hint = message.split("; ", 1)
    found = "" if got in message or got.strip("'") in message else f" (found {got})"
    return f"'{where}': {message}{found}", hint


ID_HINT = "use letters, digits, '-' and '_', starting with a letter, e.g. 'five-needs'"
WHOLE_NUMBER = ("a whole number", "write a whole number, e.g. 45")
TRUE_OR_FALSE = ("true or false", "write true or false")
A_LIST = ("a list", "write a list: one '- item' per line, indented below it")
SETTINGS = ("a group of settings", "write its settings indented below it, one 'name: value' per line")
A_TIME = ("a time", 'write the time in quotes as hours:minutes, e.g. "09:00"')
# Pydantic error type -> (what the value must be, how to write it); both may use the error's ctx.
TYPE_PROBLEMS = {
    "int_parsing": WHOLE_NUMBER,
    "int_type": WHOLE_NUMBER,
    "int_from_float": WHOLE_NUMBER,
    "float_parsing": ("a number", "write a number, e.g. 2.5"),
    "bool_parsing": TRUE_OR_FALSE,
    "bool_type": TRUE_OR_FALSE,
    "string_type": ("text", "write text here; put it in quotes if it looks like a number, a date or a list"),
    "string_too_short": ("some text", "write some text here; it cannot be empty"),
    "too_short": ("a list with at least {min_length} item(s)", "add the missing item(s), one '- item' per line"),
    "tuple_type": A_LIST,
    "list_type": A_LIST,
    "model_type": SETTINGS,
    "model_attributes_type": SETTINGS,
    "dict_type": SETTINGS,
    "time_parsing": A_TIME,
    "time_type": A_TIME,
    "path_type": ("a file path", "write a file path relative to the course folder, e.g. assets/logo.png"),
    "greater_than": ("a number above {gt}", "use a number above {gt}"),
    "greater_than_equal": ("a number of at least {ge}", "use a number of at least {ge}"),
    "less_than": ("a number below {lt}", "use a number below {lt}"),
    "less_than_equal": ("a number of at most {le}", "use a number of at most {le}"),
    "string_pattern_mismatch": ("written differently", "check the spelling against docs/authoring.md"),
}


def fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The setting names the model allows at `loc` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _model_in(fields[part].annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation like `Font`, `tuple[Break, ...]` or `Font | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
