"""The typed course: what a course *is*, independent of any output format.

Everything here is immutable and validated. Text fields typed `Markdown` hold the author's
Markdown source (already checked by the loader); targets turn it into HTML, slide runs or
plain text through `course_builder.markup`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date as date_type
from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from course_builder.scorm.presets import PRESETS, unknown_preset_message

Markdown = str
"""Author-written Markdown (inline or block), checked by the loader."""

HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceRef(Frozen):
    """Where a piece of the course was written, for messages and reports."""

    file: Path
    line: int


class ImageRef(Frozen):
    """An image an author named in Markdown, resolved and checked once, at load."""

    src: str = Field(description="The path as written (percent-decoded), which the Markdown text still holds.")
    path: Path = Field(description="The checked file: absolute, regular, inside the course folder.")


# ---------------------------------------------------------------- course.yaml


class Break(Frozen):
    after: str = Field(description="Id of the module the break follows.")
    minutes: int = Field(gt=0, le=240, description="Length of the break in minutes.")
    title: str = Field("Break", description="Shown in the agenda.")


class WorkshopSettings(Frozen):
    start: time = Field(time(9, 0), description='Start time of the workshop, e.g. "09:00".')
    breaks: tuple[Break, ...] = Field((), description="Breaks between modules.")
    participants: int = Field(12, ge=1, le=500, description="How many take part: handout and material quantities follow it.")
    group_size: int = Field(4, ge=2, le=12, description="People per small group, for handouts printed one per group.")
    room: str | None = Field(None, description="How to set up the room, for the guide's preparation page.")
    equipment: tuple[str, ...] = Field((), description="Equipment the room needs, one item per entry.")
    joining: str | None = Field(None, description="Joining instructions to send participants in advance.")
    prework: str | None = Field(None, description="What participants do or bring before the day.")
    date: date_type | None = Field(None, description='The day of the workshop, e.g. "2027-03-18", for certificates.')
    facilitator: str | None = Field(None, description="Who runs the workshop, named on certificates of attendance.")
    housekeeping: tuple[str, ...] = Field(
        (),
        description="What the room needs to know at the start (exits, toilets, phones, Wi-Fi…): one line each, "
        "shown on the deck's housekeeping slide after the agenda; none: no housekeeping slide.",
    )
    next_steps: tuple[str, ...] = Field(
        (),
        description="What participants do after the day, one line each, on the deck's closing slide; "
        "none: the deck asks each participant to choose one thing to try in the coming week.",
    )
    evaluation: str | None = Field(
        None,
        description="How participants give feedback on the day (a link or where the form is), on the closing slide; "
        "none: the closing slide asks for feedback without saying where.",
    )


class LmsSettings(Frozen):
    preset: str | None = Field(
        None,
        description=(f"The LMS the packages are for ({', '.join(PRESETS)}): chooses the package formats, the SCO "
                     "layout and that LMS's quirks. Settings written in course.yaml win over the preset's."),
        json_schema_extra={"enum": [*PRESETS, None]},  # editors offer the names; the validator below explains a typo
    )
    mastery_score: int = Field(80, ge=0, le=100, description="Percent needed to pass.")
    completion: Literal["pages", "quiz", "pages-and-quiz"] = Field(
        "pages",
        description="When the LMS records completion: all pages seen, quiz passed, or both.",
    )
    sco: Literal["per-module", "single"] = Field("per-module", description="One SCO per module, or one SCO for the whole course.")

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None) -> str | None:
        if value is not None and value not in PRESETS:
            raise ValueError(unknown_preset_message(value))
        return value

    @model_validator(mode="before")
    @classmethod
    def _preset_defaults(cls, data: object) -> object:
        """The preset's SCO layout, unless course.yaml sets one (which wins)."""
        if isinstance(data, dict) and isinstance(data.get("preset"), str) and data["preset"] in PRESETS:
            return {"sco": PRESETS[data["preset"]].sco, **data}
        return data


class SlideBudgets(Frozen):
    """How much a slide may show, so a deck stays readable from the back of the room."""

    words: int = Field(40, ge=10, le=200, description="Most words of body text on a content slide; the notes keep the rest.")
    body_size: float = Field(20, ge=10, le=60, description="Smallest body text in points on a one-column slide.")
    column_size: float = Field(18, ge=10, le=60, description="Smallest body text in points in a two-column layout.")
    caption_size: float = Field(14, ge=8, le=40, description="Smallest caption, label or panel text in points.")


class CourseSettings(Frozen):
    """The contents of course.yaml."""

    id: str = Field(pattern=ID_PATTERN, description="Stable id; LMS identifiers derive from it.")
    title: str = Field(min_length=1)
    subtitle: str | None = None
    description: str | None = Field(
        None, description="A paragraph for catalogues and LMS listings: what the course is and who it is for.")
    version: str = "1.0"
    language: str = Field("en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    languages: tuple[Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")], ...] = Field(
        (),
        description="Build every output once per language, each into <out>/<language>/, from translations/<language>.xlf "
        "(see docs/translation.md; qps: the pseudo-language). None listed: one build, in `language`.",
    )
    audience: str | None = None
    authors: tuple[str, ...] = ()
    brand: Path = Field(Path("brand.yaml"), description="The default brand file.")
    brands: tuple[Path, ...] = Field((), description="Build every output for each brand.")
    modules: tuple[Path, ...] = Field(description="Module files in workshop order.")
    outputs: tuple[str, ...] = Field(
        (), description="Outputs to build, by target name (see `course-builder build --help`); none listed: every built-in one."
    )
    paper: Literal["a4", "letter"] = "a4"
    allow_html: bool = Field(False, description="Let raw HTML in Markdown through (scripts never).")
    lms: LmsSettings = LmsSettings()
    workshop: WorkshopSettings = WorkshopSettings()
    slides: SlideBudgets | None = Field(
        None, description="Slide budgets for this course; none: the brand's (`slides:` in brand.yaml), else the defaults."
    )

    @field_validator("authors", mode="before")
    @classmethod
    def _one_author(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


# ---------------------------------------------------------------- brand.yaml


class Font(Frozen):
    family: str = Field(min_length=1)
    files: tuple[Path, ...] = Field((), description="Font files in the course (TTF/OTF/WOFF).")


class Colors(Frozen):
    primary: str = "#1F4E79"
    secondary: str = "#2E7D6B"
    accent: str = "#E0A100"
    text: str = "#1A1A1A"
    background: str = "#FFFFFF"

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not HEX_COLOR.match(value):
            raise ValueError(f"'{value}' is not a colour; write it as #RRGGBB, e.g. #1F4E79")
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return value.upper()


class Fonts(Frozen):
    heading: Font = Font(family="Noto Sans")
    body: Font = Font(family="Noto Sans")


class Brand(Frozen):
    """The contents of a brand file, with paths resolved against the course folder."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, description="Organisation name.")
    logo: Path | None = None
    colors: Colors = Colors()
    fonts: Fonts = Fonts()
    footer: str = ""
    contact: str | None = None
    pptx_template: Path | None = None
    slides: SlideBudgets = Field(
        SlideBudgets(), description="Slide budgets: words per slide and smallest text sizes; course.yaml's `slides:` wins."
    )
    logo_raster: Path | None = Field(
        None,
        description="Set by the loader: a PNG or JPEG of the logo that every presentation program shows (the logo "
        "itself, or for an SVG logo the .png/.jpg beside it, if it is a regular file inside the course).",
    )
    source: Path | None = Field(None, description="The brand file itself (set by the loader).")


# ---------------------------------------------------------------- blocks


class BlockBase(Frozen):
    source: SourceRef
    images: tuple[ImageRef, ...] = Field(
        (), description="Set by the loader: every image the block's Markdown shows. Renderers show no other."
    )


class Prose(BlockBase):
    kind: Literal["prose"] = "prose"
    markdown: Markdown


class Figure(BlockBase):
    """An image standing alone in a paragraph."""

    kind: Literal["figure"] = "figure"
    image: Path = Field(description="Absolute path inside the course folder.")
    raster: Path | None = Field(
        None,
        description="Set by the loader: a PNG or JPEG of the image for slides (the image itself, or for an SVG "
        "the .png/.jpg beside it, if it is a regular file inside the course).",
    )
    alt: str
    caption: str | None = None


class Step(Frozen):
    number: int
    name: str
    explanation: Markdown
    prompts: tuple[Markdown, ...] = ()


class Steps(BlockBase):
    kind: Literal["steps"] = "steps"
    title: str | None = None
    prompts_label: str = "Ask yourself"
    intro: Markdown = ""
    items: tuple[Step, ...] = Field(min_length=1)


class Concept(Frozen):
    name: str
    description: Markdown
    signs: tuple[Markdown, ...] = ()
    actions: tuple[Markdown, ...] = ()
    example: Markdown = ""


class Concepts(BlockBase):
    """A `needs` or `concepts` block: a set of named ideas."""

    kind: Literal["needs", "concepts"]
    title: str | None = None
    credit: str | None = None
    intro: Markdown = ""
    items: tuple[Concept, ...] = Field(min_length=1)


class CoachingQuestion(Frozen):
    open: Markdown
    closed: Markdown | None = None


class Questions(BlockBase):
    kind: Literal["questions"] = "questions"
    title: str | None = None
    intro: Markdown = ""
    items: tuple[CoachingQuestion, ...] = Field(min_length=1)


class Reflection(BlockBase):
    kind: Literal["reflection"] = "reflection"
    id: str
    title: str | None = None
    prompt: Markdown
    minutes: int | None = Field(None, gt=0)
    lines: int = Field(6, ge=1, le=40)


class HandoutItem(Frozen):
    """One card, checklist line or tally row."""

    text: Markdown
    back: Markdown | None = Field(None, description="What a card shows on its back, if anything.")


class HandoutField(Frozen):
    """One titled space to write in on a worksheet."""

    label: str
    prompt: Markdown = ""
    lines: int = Field(4, ge=1, le=40)


HandoutForm = Literal["cards", "worksheet", "checklist", "tally"]
CopiesPer = Literal["participant", "pair", "trio", "group", "room"]


class Handout(BlockBase):
    """Printed material an activity needs: a card set, a worksheet, a checklist or a tally sheet."""

    kind: Literal["handout"] = "handout"
    id: str
    title: str
    form: HandoutForm
    copies: CopiesPer = Field("participant", description="One copy per participant, pair, trio, group or room.")
    intro: Markdown = ""
    items: tuple[HandoutItem, ...] = ()
    fields: tuple[HandoutField, ...] = ()
    columns: tuple[str, ...] = Field((), description="A tally sheet's columns, after the row names.")
    keep: bool = Field(False, description="Participants keep it: the workbook prints it too.")


class Activity(BlockBase):
    kind: Literal["activity"] = "activity"
    id: str
    title: str
    minutes: int = Field(gt=0)
    grouping: Literal["solo", "pairs", "trios", "small-groups", "whole-group"] = "solo"
    grouping_note: str | None = None
    materials: tuple[str, ...] = ()
    instructions: Markdown
    facilitator: Markdown | None = None
    debrief: tuple[Markdown, ...] = ()
    handouts: tuple[Handout, ...] = ()


class QuizOption(Frozen):
    id: str
    text: Markdown
    correct: bool
    feedback: Markdown | None = None


class QuizQuestion(Frozen):
    id: str
    type: Literal["single", "multiple", "truefalse"]
    prompt: Markdown
    options: tuple[QuizOption, ...] = Field(min_length=2)
    objective: int | None = Field(None, description="1-based index of the objective it checks.")
    source: SourceRef

    @property
    def correct_options(self) -> tuple[QuizOption, ...]:
        return tuple(o for o in self.options if o.correct)


class Quiz(BlockBase):
    kind: Literal["quiz"] = "quiz"
    id: str
    title: str = "Knowledge check"
    questions: tuple[QuizQuestion, ...] = Field(min_length=1)


class FacilitatorNote(BlockBase):
    kind: Literal["facilitator"] = "facilitator"
    title: str | None = None
    markdown: Markdown


class Quote(BlockBase):
    kind: Literal["quote"] = "quote"
    text: Markdown
    attribution: str | None = None


class Takeaways(BlockBase):
    kind: Literal["takeaways"] = "takeaways"
    title: str = "Key takeaways"
    items: tuple[Markdown, ...] = Field(min_length=1)


class Case(BlockBase):
    kind: Literal["case"] = "case"
    title: str | None = None
    markdown: Markdown


Block = Annotated[
    Prose | Figure | Steps | Concepts | Questions | Reflection | Activity | Quiz | FacilitatorNote | Quote | Takeaways | Case
    | Handout,
    Field(discriminator="kind"),
]


# ---------------------------------------------------------------- module and course


class ModuleFrontMatter(Frozen):
    """The YAML front matter at the top of a module file."""

    id: str = Field(pattern=ID_PATTERN, description="Unique module id.")
    title: str = Field(min_length=1)
    duration: int = Field(gt=0, le=1440, description="Minutes the module takes in a workshop.")
    objectives: tuple[str, ...] = ()
    summary: str | None = Field(None, description="One line shown in menus and the agenda.")


class Section(Frozen):
    """A `##` section; the text before the first `##` is the module's intro section."""

    id: str
    title: str | None = Field(description="None for the intro before the first heading.")
    blocks: tuple[Block, ...]
    source: SourceRef


class Module(Frozen):
    id: str
    title: str
    duration: int
    objectives: tuple[str, ...]
    summary: str | None
    sections: tuple[Section, ...]
    source: Path

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(b for s in self.sections for b in s.blocks)

    def blocks_of(self, *kinds: str) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds]

    @property
    def activities(self) -> list[Activity]:
        return [b for b in self.blocks if isinstance(b, Activity)]

    @property
    def quizzes(self) -> list[Quiz]:
        return [b for b in self.blocks if isinstance(b, Quiz)]

    @property
    def reflections(self) -> list[Reflection]:
        return [b for b in self.blocks if isinstance(b, Reflection)]


class Participant(Frozen):
    """One row of the course's optional participants.csv."""

    name: str = Field(min_length=1)
    organisation: str | None = None
    email: str | None = None
    line: int = Field(description="The row's line in participants.csv, for messages.")

    @property
    def file_stem(self) -> str:
        """A file name for this person's workbook and certificate: their name, in plain letters."""
        plain = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return "-".join(re.findall(r"[A-Za-z0-9]+", plain)).lower() or f"participant-{self.line}"


class CourseFacts:
    """What a course and each audience's view of it answer alike, from their settings, modules and folder.

    The fields themselves are declared by each (pydantic model or dataclass), so none is annotated here.
    """

    @property
    def id(self) -> str:
        return self.settings.id

    @property
    def title(self) -> str:
        return self.settings.title

    @property
    def templates_dir(self) -> Path | None:
        folder = self.root / "templates"
        return folder if folder.is_dir() else None

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)


class Course(CourseFacts, Frozen):
    """A whole validated course, with the brand its course.yaml names."""

    settings: CourseSettings
    modules: tuple[Module, ...]
    brand: Brand
    extra_brands: tuple[Brand, ...] = ()
    root: Path = Field(description="The course folder, absolute.")
    participants: tuple[Participant, ...] = Field((), description="From participants.csv, when the course has one.")
