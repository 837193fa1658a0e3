"""Every block kind an author can write, declared once.

A declaration says what the block is (its model class), the attributes an author may write in
its opening line (typed, described; any other attribute is refused with the closest match),
which audiences see it, which of its parts only some audiences see, and how each output shows
it. The loader, the audience views, the targets, `docs/authoring.md` and the tests all read
this table, so adding a block kind means one entry here plus its reader, templates and docs.

Audiences:
- participant: the printed workbook, used in the room with a facilitator;
- learner: the web course and LMS packages, used alone;
- presenter: the slides the room sees;
- facilitator: the guide and the deck's speaker notes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from course_builder.model import (
    Activity,
    Block,
    Case,
    Concepts,
    FacilitatorNote,
    Figure,
    Handout,
    Prose,
    Questions,
    Quiz,
    Quote,
    Reflection,
    Steps,
    Takeaways,
)


class Audience(StrEnum):
    PARTICIPANT = "participant"
    LEARNER = "learner"
    PRESENTER = "presenter"
    FACILITATOR = "facilitator"


EVERYONE = frozenset(Audience)
FACILITATOR_ONLY = frozenset({Audience.FACILITATOR})


@dataclass(frozen=True)
class Attribute:
    """One `key=value` an author may write in a block's opening line."""

    name: str
    description: str
    type: type = str
    required: bool = False


@dataclass(frozen=True)
class Part:
    """A part of a block that only some audiences see, and how to take it out for the others."""

    name: str
    audiences: frozenset[Audience]
    why: str
    without: Callable[[Any], Any]


@dataclass(frozen=True)
class BlockKind:
    name: str
    summary: str
    model: type
    attributes: tuple[Attribute, ...] = ()
    audiences: frozenset[Audience] = EVERYONE
    parts: tuple[Part, ...] = ()
    # Template (HTML targets) or deck method (slides) that shows the block, per output family.
    renderers: Mapping[str, str | None] = field(default_factory=dict)
    fenced: bool = True  # written as ::: {.name}; prose and figures are plain Markdown
    why: str = ""
    """Why the block is not for every audience, when it is not."""
    reader: str | None = None
    """`module:function` that reads the fenced block (loaded when first needed); None for prose and figures."""

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)

    def sees(self, audience: Audience) -> bool:
        return audience in self.audiences

    def read(self, module_reader: Any, node: Any, attributes: Mapping[str, str | int]) -> Block | None:
        """Read one fenced block of this kind (see `course_builder.load.readers`)."""
        assert self.reader is not None, f"'{self.name}' is not written as a fenced block"
        module, _, function = self.reader.partition(":")
        return getattr(importlib.import_module(module), function)(module_reader, node, attributes)


def _without_answers(quiz: Quiz) -> Quiz:
    questions = tuple(
        q.model_copy(update={"options": tuple(o.model_copy(update={"correct": False, "feedback": None}) for o in q.options)})
        for q in quiz.questions
    )
    return quiz.model_copy(update={"questions": questions})


TITLE = Attribute("title", "Heading shown above the block.")
ID = Attribute("id", "Stable id (saved answers and form fields are keyed by it); made from the position when left out.")

FACILITATOR_NOTE_PART = Part(
    "facilitator note",
    FACILITATOR_ONLY,
    "how to run the activity is for whoever runs it",
    lambda block: block.model_copy(update={"facilitator": None}),
)
DEBRIEF_PART = Part(
    "debrief questions",
    frozenset({Audience.FACILITATOR, Audience.PRESENTER, Audience.LEARNER}),
    "the facilitator asks them aloud after the activity, so the workbook does not give them away; "
    "a learner on their own has no facilitator, so the web course shows them to close the activity",
    lambda block: block.model_copy(update={"debrief": ()}),
)
ANSWERS_PART = Part(
    "answers and feedback",
    frozenset({Audience.FACILITATOR, Audience.LEARNER}),
    "the web course checks answers itself; in the room the facilitator reveals them (guide, speaker notes)",
    _without_answers,
)

BLOCK_KINDS: dict[str, BlockKind] = {
    kind.name: kind
    for kind in (
        BlockKind(
            "prose",
            "Ordinary Markdown between blocks.",
            Prose,
            fenced=False,
            renderers={"workbook": "print/blocks/prose.html", "guide": "print/guide/key_points.html",
                       "web": "web/blocks/prose.html.j2",
                       "slides": "prose_slides"},
        ),
        BlockKind(
            "figure",
            "An image standing alone in a paragraph: ![alt text](path \"caption\").",
            Figure,
            fenced=False,
            renderers={"workbook": "print/blocks/figure.html", "guide": "print/blocks/figure.html",
                       "web": "web/blocks/figure.html.j2",
                       "slides": "figure_slide"},
        ),
        BlockKind(
            "steps",
            "A numbered set of steps or practices, each with a bold name, an explanation and optional prompts.",
            Steps,
            (TITLE, Attribute("prompts", "The label above each step's prompts (default: Ask yourself).")),
            reader="course_builder.load.readers.steps:read_steps",
            renderers={"workbook": "print/blocks/steps.html", "guide": "print/blocks/steps.html",
                       "web": "web/blocks/steps.html.j2",
                       "slides": "steps_slides"},
        ),
        BlockKind(
            "needs",
            "The basic needs, each with what you see at work and what a leader can do.",
            Concepts,
            (TITLE, Attribute("credit", "Whose model this is, shown under the title.")),
            reader="course_builder.load.readers.concepts:read_needs",
            renderers={"workbook": "print/blocks/concepts.html", "guide": "print/blocks/concepts.html",
                       "web": "web/blocks/needs.html.j2", "slides": "concepts_slides"},
        ),
        BlockKind(
            "concepts",
            "A set of named ideas, each with a description and optional signs and actions.",
            Concepts,
            (TITLE, Attribute("credit", "Whose model this is, shown under the title.")),
            reader="course_builder.load.readers.concepts:read_concepts",
            renderers={"workbook": "print/blocks/concepts.html", "guide": "print/blocks/concepts.html",
                       "web": "web/blocks/concepts.html.j2", "slides": "concepts_slides"},
        ),
        BlockKind(
            "questions",
            "Coaching questions: an open question, optionally with the closed one it replaces.",
            Questions,
            (TITLE,),
            reader="course_builder.load.readers.questions:read_questions",
            renderers={"workbook": "print/blocks/questions.html", "guide": "print/blocks/questions.html",
                       "web": "web/blocks/questions.html.j2", "slides": "questions_slides"},
        ),
        BlockKind(
            "reflection",
            "A prompt with space to write.",
            Reflection,
            (ID, TITLE, Attribute("minutes", "Minutes it takes in the workshop.", int),
             Attribute("lines", "Lines of writing space in the workbook (1 to 40).", int)),
            reader="course_builder.load.readers.reflection:read_reflection",
            renderers={"workbook": "print/blocks/reflection.html", "guide": "print/guide/reflection.html",
                       "web": "web/blocks/reflection.html.j2", "slides": "reflection_slide"},
        ),
        BlockKind(
            "activity",
            "A timed exercise with instructions, optionally a facilitator note and debrief questions inside.",
            Activity,
            (ID, Attribute("title", "The activity's name.", required=True),
             Attribute("minutes", "Minutes it takes, briefing and debrief included.", int, required=True),
             Attribute("grouping", "solo, pairs, trios, small-groups or whole-group."),
             Attribute("grouping_note", "How people work, in your words, shown beside the grouping, "
                       "e.g. \"individual work, then pairs\"."),
             Attribute("materials", "What the room needs, separated by semicolons.")),
            parts=(FACILITATOR_NOTE_PART, DEBRIEF_PART),
            reader="course_builder.load.readers.activity:read_activity",
            renderers={"workbook": "print/blocks/activity.html", "guide": "print/guide/activity.html",
                       "web": "web/blocks/activity.html.j2", "slides": "activity_slides"},
        ),
        BlockKind(
            "quiz",
            "Knowledge-check questions with the right answers ticked and feedback per option.",
            Quiz,
            (ID, TITLE),
            parts=(ANSWERS_PART,),
            reader="course_builder.load.readers.quiz:read_quiz",
            renderers={"workbook": "print/blocks/quiz.html", "guide": "print/guide/answer_key.html",
                       "web": "web/blocks/quiz.html.j2", "slides": "quiz_slides"},
        ),
        BlockKind(
            "facilitator",
            "A note for the facilitator: in the guide and the speaker notes only.",
            FacilitatorNote,
            (Attribute("title", "Heading of the note in the guide and the speaker notes."),),
            audiences=FACILITATOR_ONLY,
            why="notes on running the session are for whoever runs it",
            reader="course_builder.load.readers.facilitator:read_facilitator",
            renderers={"workbook": None, "guide": "print/guide/facilitator.html", "web": None, "slides": "speaker_note"},
        ),
        BlockKind(
            "quote",
            "A quotation, with who said it.",
            Quote,
            (Attribute("by", "Who said or wrote it."),),
            reader="course_builder.load.readers.quote:read_quote",
            renderers={"workbook": "print/blocks/quote.html", "guide": "print/blocks/quote.html",
                       "web": "web/blocks/quote.html.j2",
                       "slides": "quote_slide"},
        ),
        BlockKind(
            "takeaways",
            "The points to remember, as a list.",
            Takeaways,
            (TITLE,),
            reader="course_builder.load.readers.takeaways:read_takeaways",
            renderers={"workbook": "print/blocks/takeaways.html", "guide": "print/blocks/takeaways.html",
                       "web": "web/blocks/takeaways.html.j2", "slides": "takeaways_slide"},
        ),
        BlockKind(
            "case",
            "A case study or story to discuss.",
            Case,
            (TITLE,),
            reader="course_builder.load.readers.case:read_case",
            renderers={"workbook": "print/blocks/case.html", "guide": "print/blocks/case.html", "web": "web/blocks/case.html.j2",
                       "slides": "case_slides"},
        ),
        BlockKind(
            "handout",
            "Printed material an activity needs, inside the activity: cards, a worksheet, a checklist or a tally sheet.",
            Handout,
            (ID, Attribute("title", "The handout's name, printed on it and in the guide's materials list.", required=True),
             Attribute("form", "cards, worksheet, checklist or tally.", required=True),
             Attribute("copies", "One copy per participant (the default), pair, trio, group or room."),
             Attribute("columns", "A tally sheet's columns, separated by semicolons."),
             Attribute("lines", "Lines of writing space per worksheet field (default 4).", int),
             Attribute("keep", "yes: participants keep it, so the workbook prints it too.", bool)),
            reader="course_builder.load.readers.handout:read_handout",
            renderers={"workbook": "print/blocks/handout.html", "guide": None, "web": None, "slides": None,
                       "handouts": "print/handouts/handout.html"},
        ),
    )
}
"""Block kinds by the name authors write."""

FENCED_NAMES = tuple(name for name, kind in BLOCK_KINDS.items() if kind.fenced)


def kind_of(block: Block) -> BlockKind:
    return BLOCK_KINDS[block.kind]


OUTPUTS_BY_AUDIENCE = (
    ("Workbook", Audience.PARTICIPANT, "workbook"),
    ("Web course, SCORM", Audience.LEARNER, "web"),
    ("Slides", Audience.PRESENTER, "slides"),
    ("Guide", Audience.FACILITATOR, "guide"),
)
"""The outputs an author thinks in, with the audience each serves and its renderer key."""


def who_sees_what() -> list[tuple[str, list[bool], str]]:
    """Per block kind and per restricted part: which outputs show it, and why, as docs/authoring.md tabulates.

    The speaker notes (the facilitator's, in the deck) show what the facilitator sees on a slide
    whose room does not: the last column.
    """
    rows = []
    for kind in BLOCK_KINDS.values():
        shown = [kind.sees(audience) and kind.renderers.get(key) is not None for _, audience, key in OUTPUTS_BY_AUDIENCE]
        in_notes = (
            kind.sees(Audience.FACILITATOR) and not kind.sees(Audience.PRESENTER) and kind.renderers.get("slides") is not None
        )
        rows.append((f"`{kind.name}`", [*shown, in_notes], kind.why))
        for part in kind.parts:
            shown = [
                kind.sees(audience) and audience in part.audiences and kind.renderers.get(key) is not None
                for _, audience, key in OUTPUTS_BY_AUDIENCE
            ]
            in_notes = Audience.FACILITATOR in part.audiences and Audience.PRESENTER not in part.audiences
            rows.append((f"`{kind.name}`: {part.name}", [*shown, in_notes], part.why))
    return rows


def who_sees_what_table() -> str:
    """The Markdown table in docs/authoring.md (a test keeps the two the same)."""
    header = ["Block or part", *(name for name, _, _ in OUTPUTS_BY_AUDIENCE), "Speaker notes", "Why"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, shown, why in who_sees_what():
        lines.append("| " + " | ".join([label, *("yes" if s else "no" for s in shown), why]) + " |")
    return "\n".join(lines) + "\n"


def attributes_table() -> str:
    """The Markdown table of every block's attributes in docs/authoring.md (a test keeps the two the same)."""
    lines = ["| Block | Attribute | Kind of value | Required | What it is |", "|---|---|---|---|---|"]
    for kind in BLOCK_KINDS.values():
        for attribute in kind.attributes:
            value = {int: "whole number", bool: "yes or no"}.get(attribute.type, "text")
            required = "yes" if attribute.required else "no"
            lines.append(f"| `{kind.name}` | `{attribute.name}` | {value} | {required} | {attribute.description} |")
    return "\n".join(lines) + "\n"
