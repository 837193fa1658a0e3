"""The translatable strings of a course, one unit each, with a stable id and the context a translator needs.

Which fields of which model class a translator sees is declared once, in `FIELDS`; the same
walk (`map_fields`) lists the units for an export and puts translations back for a build, so
the two cannot disagree.

Unit ids are made of dot-separated parts (XLIFF wants an XML name token):

- `course.title`, `course.subtitle`, `course.audience`, `course.breaks.2.title`;
  `course.workshop.room`, `.joining`, `.prework` and `.equipment.<n>` (the guide's preparation page);
- `brand.footer`, `brand.contact` (the course's own brand.yaml);
- `<module>.title`, `<module>.summary`, `<module>.objectives.<n>`;
- `<module>.<section>.heading`, where `<section>` is the section's id (made from its heading; "heading",
  not "title", so that a block whose id is the same as a section's cannot share a unit id with it);
- a block with an `id` (activities, quizzes, reflections, handouts): `<module>.<block id>`;
  any other block: `<module>.<section>.<kind>-<n>`, the n-th block of that kind in its section;
- then the field: `.title`, `.instructions`, `.items.<n>.explanation`, `.debrief.<n>`; quiz
  questions and options by their ids: `.<question id>.prompt`, `.<question id>.<option id>.text`;
- a Markdown field with more than one paragraph, item or cell: the first is the field's id,
  the n-th adds `.p<n>`.

Positions count from 1. Editing one block therefore leaves the ids of every other module,
section and id'd block alone; adding a block of the same kind earlier in the same section, or
renaming a section's heading, gives the blocks after it new ids (the old translations then
show as missing, not as wrong).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from course_builder.blocks import (
    ANSWERS_PART,
    BLOCK_KINDS,
    DEBRIEF_PART,
    FACILITATOR_NOTE_PART,
    OUTPUTS_BY_AUDIENCE,
    Audience,
)
from course_builder.model import (
    Activity,
    Break,
    Case,
    CoachingQuestion,
    Concept,
    Concepts,
    Course,
    FacilitatorNote,
    Figure,
    Handout,
    HandoutField,
    HandoutItem,
    Module,
    Prose,
    Questions,
    Quiz,
    QuizOption,
    QuizQuestion,
    Quote,
    Reflection,
    Section,
    Step,
    Steps,
    Takeaways,
)
from course_builder.translation.figures import localised_path
from course_builder.translation.inline import Code, Piece, markdown_leaves, plain_pieces

How = Literal["plain", "markdown", "nested"]
PLAIN: How = "plain"
MARKDOWN: How = "markdown"
NESTED: How = "nested"

FIELDS: dict[type, tuple[tuple[str, How], ...]] = {
    Prose: (("markdown", MARKDOWN),),
    Figure: (("alt", PLAIN), ("caption", PLAIN)),
    Steps: (("title", PLAIN), ("intro", MARKDOWN), ("prompts_label", PLAIN), ("items", NESTED)),
    Step: (("name", PLAIN), ("explanation", MARKDOWN), ("prompts", MARKDOWN)),
    Concepts: (("title", PLAIN), ("credit", PLAIN), ("intro", MARKDOWN), ("items", NESTED)),
    Concept: (("name", PLAIN), ("description", MARKDOWN), ("example", MARKDOWN), ("signs", MARKDOWN),
              ("actions", MARKDOWN)),
    Questions: (("title", PLAIN), ("intro", MARKDOWN), ("items", NESTED)),
    CoachingQuestion: (("open", MARKDOWN), ("closed", MARKDOWN)),
    Reflection: (("title", PLAIN), ("prompt", MARKDOWN)),
    Activity: (("title", PLAIN), ("grouping_note", PLAIN), ("materials", PLAIN), ("instructions", MARKDOWN),
               ("facilitator", MARKDOWN), ("debrief", MARKDOWN), ("handouts", NESTED)),
    Handout: (("title", PLAIN), ("intro", MARKDOWN), ("items", NESTED), ("fields", NESTED), ("columns", PLAIN)),
    HandoutItem: (("text", MARKDOWN), ("back", MARKDOWN)),
    HandoutField: (("label", PLAIN), ("prompt", MARKDOWN)),
    Quiz: (("title", PLAIN), ("questions", NESTED)),
    QuizQuestion: (("prompt", MARKDOWN), ("options", NESTED)),
    QuizOption: (("text", MARKDOWN), ("feedback", MARKDOWN)),
    FacilitatorNote: (("title", PLAIN), ("markdown", MARKDOWN)),
    Quote: (("text", MARKDOWN), ("attribution", PLAIN)),
    Takeaways: (("title", PLAIN), ("items", MARKDOWN)),
    Case: (("title", PLAIN), ("markdown", MARKDOWN)),
    Break: (("title", PLAIN),),
}
"""What a translator translates, per block and part of a block. Ids, paths, numbers and choices are not translated.

The course, its workshop settings and each module's front matter are listed below (`COURSE_FIELDS`…);
sections are walked by `_map_section` (their heading, then their blocks).
"""

PARTS_BY_FIELD = {
    ("activity", "facilitator"): FACILITATOR_NOTE_PART,
    ("activity", "debrief"): DEBRIEF_PART,
    ("quiz", "feedback"): ANSWERS_PART,
}
"""Fields that only some of a block's audiences see (the registry's parts), for the translator's note."""

SCORM_DESCRIPTION_LIMIT = 250
"""The web course sends a question's first paragraph, cut at this length, to the LMS as the interaction's description."""

NAME_TOKEN = re.compile(r"[^\w.:-]")


@dataclass(frozen=True)
class Context:
    """Where a string sits: its file and line, the block kind, who sees it."""

    file: Path
    line: int
    kind: str
    audiences: frozenset[Audience] = field(default_factory=lambda: frozenset(Audience))
    figure: Path | None = None
    """The picture a figure shows: its alt text and caption tell the translator where a copy in their language goes."""


@dataclass(frozen=True)
class Unit:
    """One translatable string of the course."""

    id: str
    pieces: tuple[Piece, ...]
    markdown: bool
    context: Context
    field: str
    max_chars: int | None = None

    @property
    def codes(self) -> dict[tuple[str, str], Code]:
        """The unit's codes by (id, kind): what a translation's codes are checked against and turned back into."""
        return {(p.id, p.kind): p for p in self.pieces if isinstance(p, Code)}

    @property
    def text(self) -> str:
        """The words alone, codes left out: what a reader sees (and what a length limit counts)."""
        return "".join(p for p in self.pieces if isinstance(p, str))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.pieces)

    def notes(self, language: str | None = None, root: Path | None = None) -> list[str]:
        """What the translator into `language` is told about the unit (the course folder `root` places a figure's copy)."""
        seen_in = ", ".join(output for output, audience, _ in OUTPUTS_BY_AUDIENCE if audience in self.context.audiences)
        notes = [f"{self.context.kind} ({self.field}); shown in: {seen_in}"]
        if self.context.figure is not None and language and root is not None:
            copy = localised_path(root, language, self.context.figure).relative_to(root).as_posix()
            notes.append(f"If the picture {self.context.figure.name} has words in it, send back a {language} copy "
                         f"(same file name and format) to be saved in the course folder as {copy}: the {language} "
                         "outputs show it instead.")
        if self.markdown and any(isinstance(p, Code) for p in self.pieces):
            notes.append("Keep every tag: they stand for formatting, links and images; move them with the words they mark.")
        if self.max_chars:
            notes.append(f"At most {self.max_chars} characters: the LMS receives this as the question's description.")
        return notes


def fingerprint(pieces: tuple[Piece, ...]) -> str:
    """Changes when the source's words or the places of its codes change: a translation made from another source is stale.

    The markup a code stands for is left out: it is taken from the current source when a
    translation is applied, so a changed link target needs no new translation. That also lets
    the fingerprint be worked out again from a file's `<source>` if a tool dropped the attribute.
    """
    canonical = "".join(p if isinstance(p, str) else f"\x00{p.kind}:{p.id}\x00" for p in pieces)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


Visit = Callable[[str, How, str, Context, str], str]
"""Called for every translatable string: (unit id, plain or markdown, value, context, field name) → value to keep."""


def course_units(course: Course) -> list[Unit]:
    """Every translatable string of the course, in reading order."""
    units: list[Unit] = []
    allow_html = course.settings.allow_html

    def collect(unit_id: str, how: How, value: str, context: Context, name: str) -> str:
        units.extend(units_of_field(unit_id, how, value, context, name, allow_html))
        return value

    map_course(course, collect)
    return units


def units_of_field(unit_id: str, how: How, value: str, context: Context, name: str, allow_html: bool) -> list[Unit]:
    if how == PLAIN:
        pieces = plain_pieces(value)
        return [Unit(unit_id, pieces, False, context, name)] if pieces else []
    units = []
    for index, leaf in enumerate(markdown_leaves(value, allow_html)):
        leaf_id = unit_id if index == 0 else f"{unit_id}.p{index + 1}"
        limit = SCORM_DESCRIPTION_LIMIT if (context.kind, name, index) == ("quiz", "prompt", 0) else None
        leaf_context = Context(context.file, context.line + leaf.first_line if name == "markdown" else context.line,
                               context.kind, context.audiences)
        units.append(Unit(leaf_id, leaf.pieces, True, leaf_context, name, limit))
    return units


def map_course(course: Course, visit: Visit) -> Course:
    """The course with every translatable string replaced by what `visit` returns for it (the same object if none changed)."""
    settings = course.settings
    yaml_file = course.root / "course.yaml"
    updates = _map_yaml_fields(settings, "course", COURSE_FIELDS, Context(yaml_file, 1, "course"), visit)
    workshop = settings.workshop
    guide_only = Context(yaml_file, 1, "workshop", frozenset({Audience.FACILITATOR}))
    workshop_updates = _map_yaml_fields(workshop, "course.workshop", WORKSHOP_FIELDS, guide_only, visit)
    breaks = tuple(
        _map_object(item, f"course.breaks.{n}", _located(Context(yaml_file, 1, "agenda break"), item.title), visit)
        for n, item in enumerate(workshop.breaks, 1)
    )
    if breaks != workshop.breaks:
        workshop_updates["breaks"] = breaks
    if workshop_updates:
        updates["workshop"] = workshop.model_copy(update=workshop_updates)
    # The course's own brand speaks on every page (its footer) and in the guide (its contact); a client's
    # brand file given with --brand is used as its coach wrote it.
    brand = course.brand
    brand_context = Context(brand.source or course.root / settings.brand, 1, "brand")
    brand_updates = _map_yaml_fields(brand, "brand", BRAND_FIELDS, brand_context, visit)
    modules = tuple(_map_module(module, visit) for module in course.modules)
    changed: dict[str, Any] = {}
    if updates:
        changed["settings"] = settings.model_copy(update=updates)
    if brand_updates:
        changed["brand"] = brand.model_copy(update=brand_updates)
    if modules != course.modules:
        changed["modules"] = modules
    return course.model_copy(update=changed) if changed else course


COURSE_FIELDS: tuple[tuple[str, How], ...] = (("title", PLAIN), ("subtitle", PLAIN), ("audience", PLAIN), ("description", PLAIN))
WORKSHOP_FIELDS: tuple[tuple[str, How], ...] = (("room", MARKDOWN), ("equipment", PLAIN), ("joining", MARKDOWN),
                                                ("prework", MARKDOWN), ("housekeeping", PLAIN), ("next_steps", PLAIN),
                                                ("evaluation", PLAIN))
FRONT_MATTER_FIELDS: tuple[tuple[str, How], ...] = (("title", PLAIN), ("summary", PLAIN), ("objectives", PLAIN))
BRAND_FIELDS: tuple[tuple[str, How], ...] = (("footer", PLAIN), ("contact", PLAIN))


def _map_yaml_fields(obj: Any, prefix: str, fields: tuple[tuple[str, How], ...], context: Context, visit: Visit
                     ) -> dict[str, Any]:
    """The changed values of a YAML mapping's translatable fields (course.yaml, front matter), each located at its line."""
    updates: dict[str, Any] = {}
    for name, how in fields:
        value = getattr(obj, name)
        if isinstance(value, tuple):
            new: Any = tuple(visit(f"{prefix}.{name}.{n}", how, item, _located(context, item), name)
                             for n, item in enumerate(value, 1))
        elif value:
            new = visit(f"{prefix}.{name}", how, value, _located(context, value), name)
        else:
            continue
        if new != value:
            updates[name] = new
    return updates


def _map_module(module: Module, visit: Visit) -> Module:
    updates = _map_yaml_fields(module, module.id, FRONT_MATTER_FIELDS, Context(module.source, 1, "module"), visit)
    sections = tuple(_map_section(module, section, visit) for section in module.sections)
    if sections != module.sections:
        updates["sections"] = sections
    return module.model_copy(update=updates) if updates else module


def _map_section(module: Module, section: Section, visit: Visit) -> Section:
    prefix = f"{module.id}.{_token(section.id)}"
    updates: dict[str, Any] = {}
    if section.title:
        context = Context(module.source, section.source.line, "section")
        new = visit(f"{prefix}.heading", PLAIN, section.title, context, "heading")
        if new != section.title:
            updates["title"] = new
    seen: dict[str, int] = {}
    blocks = []
    for block in section.blocks:
        seen[block.kind] = seen.get(block.kind, 0) + 1
        block_id = getattr(block, "id", None)
        unit_id = f"{module.id}.{_token(block_id)}" if block_id else f"{prefix}.{block.kind}-{seen[block.kind]}"
        blocks.append(_map_object(block, unit_id, _block_context(module.source, block), visit))
    if tuple(blocks) != section.blocks:
        updates["blocks"] = tuple(blocks)
    return section.model_copy(update=updates) if updates else section


def _block_context(file: Path, block: Any) -> Context:
    figure = block.image if isinstance(block, Figure) else None
    return Context(file, block.source.line, block.kind, BLOCK_KINDS[block.kind].audiences, figure)


def _map_object(obj: Any, unit_id: str, context: Context, visit: Visit) -> Any:
    updates: dict[str, Any] = {}
    for name, how in FIELDS[type(obj)]:
        value = getattr(obj, name)
        if value is None or value == "":
            continue
        field_context = _part_context(context, name)
        if how == NESTED:
            new = tuple(_map_object(item, _item_id(item, unit_id, name, n), _item_context(item, field_context), visit)
                        for n, item in enumerate(value, 1))
        elif isinstance(value, tuple):
            new = tuple(visit(f"{unit_id}.{name}.{n}", how, text, field_context, name) for n, text in enumerate(value, 1))
        else:
            new = visit(f"{unit_id}.{name}", how, value, field_context, name)
        if new != value:
            updates[name] = new
    return obj.model_copy(update=updates) if updates else obj


def _item_id(item: Any, unit_id: str, name: str, n: int) -> str:
    if isinstance(item, Handout):  # a handout is a block of its own, found by its id
        return f"{unit_id.split('.')[0]}.{_token(item.id)}"
    item_id = getattr(item, "id", None)
    return f"{unit_id}.{_token(item_id)}" if item_id else f"{unit_id}.{name}.{n}"


def _item_context(item: Any, context: Context) -> Context:
    if isinstance(item, Handout):
        return _block_context(context.file, item)
    if isinstance(item, QuizQuestion):
        return Context(context.file, item.source.line, context.kind, context.audiences)
    return context


def _part_context(context: Context, name: str) -> Context:
    part = PARTS_BY_FIELD.get((context.kind, name))
    if part is None:
        return context
    return Context(context.file, context.line, context.kind, context.audiences & part.audiences)


def _located(context: Context, value: str) -> Context:
    """The context at the line of the YAML file that holds `value` (front matter and course.yaml keep no lines in the model)."""
    return Context(context.file, _line_holding(context.file, value), context.kind, context.audiences)


def _file_lines(file: Path) -> tuple[str, ...]:
    try:
        return tuple(file.read_text(encoding="utf-8").split("\n"))
    except OSError:
        return ()


def _line_holding(file: Path, value: str) -> int:
    lines = _file_lines(file)
    first_line = value.strip().split("\n")[0]
    for length in (60, 20):  # a folded YAML value wraps: its first words may not fill a line of the file
        words = first_line[:length]
        found = next((n for n, line in enumerate(lines, 1) if words in line), None)
        if found:
            return found
    return 1


def _token(value: str) -> str:
    return NAME_TOKEN.sub("_", value)
