"""YAML that remembers where every value was written, so errors can name the line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from course_builder.errors import Problems

PathKey = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class YamlDocument:
    """Plain data plus the (line, column) of each key path, 1-based."""

    file: Path
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def position(self, loc: PathKey) -> tuple[int, int]:
        """The place of the deepest part of `loc` that exists in the file."""
        loc = tuple(loc)
        while loc and loc not in self.positions:
            loc = loc[:-1]
        line, column = self.positions.get(loc, (1, 1))
        return line + self.line_offset, column


class _Reader:
    def __init__(self) -> None:
        self.positions: dict[PathKey, tuple[int, int]] = {}

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        # Scalars are located at their value (what the author must change), collections at their key.
        if isinstance(node, yaml.ScalarNode) or path not in self.positions:
            self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node)
                key_path = (*path, str(key))
                self.positions[key_path] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                result[key] = self.convert(value_node, key_path)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    @staticmethod
    def scalar(node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return yaml.SafeLoader(yaml.serialize(node)).get_single_data()
        constructor = yaml.SafeLoader("")
        value = constructor.construct_object(node, deep=True)
        # Times like 09:00 are read by YAML 1.1 as sexagesimal ints; keep what the author wrote.
        if isinstance(value, int) and node.tag.endswith(":int") and ":" in node.value:
            return node.value
        return value


def read_yaml(text: str, file: Path, problems: Problems, line_offset: int = 0) -> YamlDocument | None:
    """Parse YAML text; on a syntax error, record it with its line and return None."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        problems.error(
            file,
            line,
            f"this is not valid YAML: {err.problem or err.context}",
            "check the indentation and that text containing ':' or '#' is in quotes",
            column,
        )
        return None
    except yaml.YAMLError as err:
        problems.error(file, None, f"this is not valid YAML: {err}")
        return None
    if node is None:
        return YamlDocument(file, None, {}, line_offset)
    reader = _Reader()
    try:
        data = reader.convert(node, ())
    except yaml.YAMLError as err:
        problems.error(file, node.start_mark.line + 1 + line_offset, f"unsupported YAML: {err}")
        return None
    return YamlDocument(file, data, reader.positions, line_offset)


def validate_into(
    model: type[ModelT], document: YamlDocument, problems: Problems, what: str
) -> ModelT | None:
    """Validate YAML data into a model, turning each pydantic error into a located problem."""
    if not isinstance(document.data, dict):
        problems.error(
            document.file,
            1 + document.line_offset,
            f"{what} must be a list of 'key: value' lines",
            "start with e.g. 'title: My course'",
        )
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as err:
        for item in err.errors():
            loc = tuple(item["loc"])
            line, column = document.position(loc)
            problems.error(document.file, line, *describe_validation_error(item, what), column)
        return None


def describe_validation_error(item: dict[str, Any], what: str) -> tuple[str, str | None]:
    """A sentence a course author can act on, and a fix, for one pydantic error."""
    loc = ".".join(str(p) for p in item["loc"]) or what
    kind = item["type"]
    got = item.get("input")
    if kind == "missing":
        return f"'{loc}' is missing from {what}", f"add a line '{loc}: ...'"
    if kind == "extra_forbidden":
        return f"'{loc}' is not a setting of {what}", "check the spelling; docs/authoring.md lists every setting"
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return f"'{loc}' cannot be {got!r}", f"use one of {expected}"
    if kind == "string_pattern_mismatch" and loc.endswith("id"):
        return (
            f"'{loc}' is {got!r}, which is not a usable id",
            "use letters, digits, '-' and '_', starting with a letter, e.g. 'five-needs'",
        )
    message = item["msg"].removeprefix("Value error, ")
    return f"'{loc}': {message} (found {got!r})", None
