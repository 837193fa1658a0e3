"""The facilitator guide: everything needed to run the workshop alone, as a PDF in the course's brand.

It opens with a run sheet for the whole day (clock time, minutes, segment, activity and
grouping, materials) and a preparation section (what to send in advance, what to print and how
many, materials, room and equipment). Then each module as it is run: its segments with clock
times, and each section's key points (the first sentence of every paragraph and the lead of
every list item of the reading), figures, quotes, the full steps and concepts, cues to say, ask
and draw out, activities with their handouts and debriefs, the answer key, and a transition
to what comes next. The guide never sends the facilitator to the workbook to find out what is taught.

A module's segments come from the "**Timing (N min):**" line its designer writes at the top of
the module's first facilitator note (`timing_segments`); without one, the guide falls back to
the timed activities and reflections and the rest of the module's minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import pairwise

from course_builder.agenda import AgendaItem, total_minutes, workshop_agenda
from course_builder.blocks import BLOCK_KINDS, Audience
from course_builder.errors import Problem
from course_builder.labels import Labels, labels_of
from course_builder.markup import paragraphs, to_text
from course_builder.materials import HandoutSheet, handout_sheets
from course_builder.model import Activity, Brand, FacilitatorNote, Module, Reflection, Section
from course_builder.targets.base import BuildOptions
from course_builder.targets.pdf_target import PdfTarget
from course_builder.views import CourseView, narrowed

OUTPUT = "guide.pdf"
TEMPLATE = "print/guide.html"
BLOCK_TEMPLATES = {name: kind.renderers["guide"] for name, kind in BLOCK_KINDS.items() if kind.renderers.get("guide")}
"""How the guide shows each block kind, as the block registry declares it."""

# ---------------------------------------------------------------- key points and cues

ABBREVIATIONS = ("Dr.", "Mr.", "Ms.", "Mrs.", "e.g.", "i.e.", "etc.", "vs.", "St.")
SENTENCE_END = re.compile(r"[.!?…][\"”’»)]*(?=\s+[\"“‘„«(¿¡]?(\w)|\s*$)")
"""The end of a sentence: before a capital or a digit in any script (checked in `first_sentence`), or of the text."""


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence; neither a title such as "Dr." nor a full
    stop inside a quotation ends one."""
    text = " ".join(text.split())
    for match in SENTENCE_END.finditer(text):
        if match.group(1) and not (match.group(1).isupper() or match.group(1).isdigit()):
            continue
        candidate = text[: match.end()]
        quoted = candidate.count("“") > candidate.count("”") or candidate.count('"') % 2
        if not candidate.endswith(ABBREVIATIONS) and not quoted:
            return candidate
    return text


@dataclass(frozen=True)
class KeyPoint:
    """One point of the reading: a list item's bold lead (if any) and its first sentence."""

    lead: str
    text: str
    in_list: bool


def key_points(markdown: str) -> list[KeyPoint]:
    """The reading in brief: each paragraph's first sentence, each list item's lead and first sentence."""
    points = []
    for paragraph in paragraphs(markdown):
        if paragraph.kind not in ("para", "bullet", "numbered"):
            continue
        runs = [run for run in paragraph.runs if run.text.strip()]
        lead = runs[0].text.strip() if runs and runs[0].bold and paragraph.kind != "para" else ""
        rest = "".join(run.text for run in (runs[1:] if lead else runs)).strip()
        points.append(KeyPoint(lead, first_sentence(rest) if rest.strip() else "", paragraph.kind != "para"))
    return points


TIMED_LEAD = re.compile(r"^[^.:]{1,80}\([^)]*\bmin\):\s*")
"""The "**Ground rules (5 min):**" lead of a note's paragraph, before its first instruction."""


@dataclass(frozen=True)
class Cue:
    """One thing to say, ask or draw out, taken from a facilitator note."""

    label: str
    text: str


def cue_lead_words(labels: Labels) -> list[tuple[str, str]]:
    """(lead word, cue label) pairs in the course's language, longest first so "Draw out" beats "Draw".

    The notes are written in the course's language, so its translator lists the words that open a
    sentence to say, ask or draw out. (The context is spelled out in each call for the extractor.)
    """
    lists = {
        "Say": labels.pgettext("words that open a facilitator's sentence, comma-separated",
                               "Say, Tell, Credit, Point, Remind, Warn"),
        "Ask": labels.pgettext("words that open a facilitator's sentence, comma-separated", "Ask"),
        "Draw out": labels.pgettext("words that open a facilitator's sentence, comma-separated", "Draw out"),
    }
    names = {"Say": labels.gettext("Say"), "Ask": labels.gettext("Ask"), "Draw out": labels.gettext("Draw out")}
    # The pseudo-language brackets and pads each list as a whole; its words are the accented ones.
    pairs = {(word.strip(" []·"), names[kind]) for kind, words in lists.items() for word in words.split(",")}
    return sorted((pair for pair in pairs if pair[0]), key=lambda pair: (-len(pair[0]), pair))


def cues_in(note: str, lead_words: list[tuple[str, str]]) -> list[Cue]:
    """Sentences of a facilitator note that start with what to say, ask or draw out, labelled so."""
    cues = []
    for paragraph in paragraphs(note):
        text = TIMED_LEAD.sub("", "".join(run.text for run in paragraph.runs))
        while text:
            sentence = first_sentence(text)
            text = text[len(sentence):].strip()
            if " · " in sentence:  # a timing split, not something to say
                continue
            opening = sentence.lstrip(" [¡¿\"“„«")
            for word, label in lead_words:
                if re.match(rf"{re.escape(word)}\b", opening, re.IGNORECASE):
                    cues.append(Cue(label, sentence[:1].upper() + sentence[1:]))
                    break
    return cues


def section_cues(section: Section, lead_words: list[tuple[str, str]]) -> list[Cue]:
    """The section's cues, from its facilitator notes."""
    return [cue for block in section.blocks if isinstance(block, FacilitatorNote) for cue in cues_in(block.markdown, lead_words)]


SlideNumbers = dict[tuple[str, str | None], list[int]]


def deck_slide_numbers(view: CourseView, brand: Brand) -> SlideNumbers:
    """Which slides of this build's deck show each section (and each module's opening, under None).

    The deck is planned from the facilitator's view narrowed to the room's, so the numbers are
    those of the slides.pptx the same build writes for the same brand.
    """
    from course_builder.deck import build_deck, slide_numbers
    from course_builder.targets.slides import SlidesTarget

    geometry = SlidesTarget.open_presentation(brand)[1] if brand.pptx_template else None
    presenter = narrowed(view, Audience.PRESENTER)
    deck = build_deck(presenter, brand, geometry) if geometry else build_deck(presenter, brand)  # type: ignore[arg-type]
    return slide_numbers(deck)


def slide_ranges(numbers: list[int]) -> str:
    """'12–15, 18': consecutive slides as a range, as a presenter would write them down."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


# ---------------------------------------------------------------- the day's segments


@dataclass(frozen=True)
class Segment:
    """One timed stretch of a module as its designer planned it, with its clock time."""

    title: str
    minutes: int
    start: time
    end: time
    activity: Activity | None = None
    clock: str = ""


TIMING_LINE = re.compile(r"^Timing \((\d+) min\):\s*(.+)$", re.S)
TIMED_PART = re.compile(r"^(.*?)\s+(\d+)\.?$")


def timing_segments(module: Module) -> list[tuple[str, int]] | None:
    """The module's "**Timing (N min):** part 5 · part 10 · ..." line, as (part, minutes) pairs."""
    notes = [block for block in module.blocks if isinstance(block, FacilitatorNote)]
    for paragraph in paragraphs(notes[0].markdown) if notes else []:
        match = TIMING_LINE.match(" ".join("".join(run.text for run in paragraph.runs).split()))
        if match:
            parts = [TIMED_PART.match(part.strip()) for part in match.group(2).split("·")]
            if all(parts):
                return [(part.group(1)[:1].upper() + part.group(1)[1:], int(part.group(2))) for part in parts if part]
    return None


def fallback_segments(module: Module, labels: Labels) -> list[tuple[str, int]]:
    """Without a timing line: the timed activities and reflections, then the rest of the module."""
    parts = []
    for block in module.blocks:
        if isinstance(block, Activity):
            parts.append((block.title, block.minutes))
        elif isinstance(block, Reflection) and block.minutes:
            title = block.title or labels.gettext("on your own")
            parts.append((labels.gettext("Reflection: %(title)s", title=title), block.minutes))
    rest = module.duration - sum(minutes for _, minutes in parts)
    return parts + ([(labels.gettext("Input and discussion"), rest)] if rest > 0 else [])


def module_segments(module: Module, start: time, labels: Labels) -> list[Segment]:
    """The module's segments with clock times from `start`; each activity sits on the first later
    segment of its length, in order."""
    moment = datetime.combine(datetime(2000, 1, 1), start)
    activities = list(module.activities)
    segments = []
    for title, minutes in timing_segments(module) or fallback_segments(module, labels):
        activity = activities.pop(0) if activities and activities[0].minutes == minutes else None
        end = moment + timedelta(minutes=minutes)
        segments.append(Segment(title, minutes, moment.time(), end.time(), activity,
                                labels.time_range(moment.time(), end.time())))
        moment = end
    return segments


# ---------------------------------------------------------------- plans


@dataclass(frozen=True)
class ModulePlan:
    """A module as the facilitator runs it."""

    module: Module
    number: int
    clock: str
    segments: tuple[Segment, ...]
    materials: tuple[str, ...]
    handouts: tuple[HandoutSheet, ...]


@dataclass(frozen=True)
class RunSheetRow:
    """One line of the day's run sheet: a segment of a module, or a break."""

    clock: str
    minutes: int
    title: str
    module_number: int | None
    activity: str
    materials: tuple[str, ...]


@dataclass(frozen=True)
class Material:
    """Something to prepare for the workshop, and the modules that use it."""

    name: str
    modules: tuple[int, ...]


def materials_for(module: Module) -> tuple[str, ...]:
    return tuple(dict.fromkeys(material for activity in module.activities for material in activity.materials))


def activity_materials(activity: Activity, sheets: list[HandoutSheet]) -> tuple[str, ...]:
    """An activity's handouts with the copies to print, then the other materials it lists."""
    printed = tuple(f"{sheet.handout.title}: {sheet.copies_text}" for sheet in sheets if sheet.handout in activity.handouts)
    return printed + activity.materials


def module_plans(course: CourseView) -> list[ModulePlan]:
    starts = {item.module.id: item for item in workshop_agenda(course) if item.module is not None}
    sheets = handout_sheets(course)
    labels = labels_of(course)
    return [
        ModulePlan(
            module,
            number,
            starts[module.id].clock,
            tuple(module_segments(module, starts[module.id].start, labels)),
            materials_for(module),
            tuple(sheet for sheet in sheets if sheet.module_number == number),
        )
        for number, module in enumerate(course.modules, start=1)
    ]


def run_sheet(agenda: list[AgendaItem], plans: list[ModulePlan], labels: Labels) -> list[RunSheetRow]:
    """The whole day, segment by segment, with breaks where the agenda has them."""
    by_module = {plan.module.id: plan for plan in plans}
    rows = []
    for item in agenda:
        if item.module is None:
            rows.append(RunSheetRow(item.clock, item.minutes, item.title, None, "", ()))
            continue
        plan = by_module[item.module.id]
        for segment in plan.segments:
            activity, materials = "", ()
            if segment.activity is not None:
                activity = f"{segment.activity.title} ({labels.grouping_in_sentence(segment.activity.grouping)})"
                materials = activity_materials(segment.activity, list(plan.handouts))
            rows.append(RunSheetRow(segment.clock, segment.minutes, segment.title, plan.number, activity, materials))
    return rows


def workshop_materials(plans: list[ModulePlan]) -> list[Material]:
    """Every material once, in first-use order, with the numbers of the modules that use it."""
    used: dict[str, list[int]] = {}
    for plan in plans:
        for material in plan.materials:
            used.setdefault(material, []).append(plan.number)
    return [Material(name, tuple(modules)) for name, modules in used.items()]


def group_sizes(participants: int, group_size: int, labels: Labels) -> tuple[str, ...]:
    """How the room splits for pair, trio and group work, so the facilitator can plan the tables."""
    splits = []
    for kind, size in (("pairs", 2), ("trios", 3), ("groups", group_size)):
        whole, left = divmod(participants, size)
        if kind == "pairs":
            split = labels.ngettext("%(num)d pair", "%(num)d pairs", whole)
        elif kind == "trios":
            split = labels.ngettext("%(num)d trio", "%(num)d trios", whole)
        else:
            split = labels.ngettext("%(num)d group of %(size)d", "%(num)d groups of %(size)d", whole, size=size)
        if left:
            split = labels.ngettext("%(split)s, %(num)d more joining one of them", "%(split)s, %(num)d more joining some of them",
                                    left, split=split)
        splits.append(split)
    return tuple(splits)


def transitions(agenda: list[AgendaItem], labels: Labels) -> dict[tuple[str, str], str]:
    """The line that closes each section: what comes next, by (module id, section id)."""
    lines: dict[tuple[str, str], str] = {}
    for index, item in enumerate(agenda):
        if item.module is None:
            continue
        titled = [section for section in item.module.sections if section.title]
        for section, following in pairwise(titled):
            lines[(item.module.id, section.id)] = labels.gettext("Next: %(title)s.", title=following.title)
        if titled:
            after = agenda[index + 1] if index + 1 < len(agenda) else None
            if after is None:
                ending = labels.gettext("Next: thank the group and close the day.")
            elif after.module is None:
                ending = labels.gettext("Next: %(title)s, %(clock)s. Say when to be back.", title=after.title, clock=after.clock)
            else:
                ending = labels.gettext("Next: %(title)s, from %(start)s.", title=after.title, start=labels.time(after.start))
            lines[(item.module.id, titled[-1].id)] = ending
    return lines


def facilitator_footer(brand: Brand, course: CourseView) -> str:
    """The guide's footer: the brand's footer is written for participants, so the guide says whose it is."""
    return f"{brand.name} · {course.title} · " + labels_of(course).gettext("Facilitator guide: not for participants")


def overbooked_modules(course: CourseView) -> list[Problem]:
    """Modules whose timed activities and reflections need more minutes than the module has."""
    problems = []
    for module in course.modules:
        timed = sum(b.minutes for b in module.activities) + sum(b.minutes or 0 for b in module.reflections)
        if timed > module.duration:
            message = f"the timed parts of '{module.title}' take {timed} minutes; the module lasts {module.duration}"
            hint = "raise 'duration' in the front matter or shorten the activities"
            problems.append(Problem(module.source, 1, message, hint, severity="warning"))
        planned = timing_segments(module)
        if planned and sum(minutes for _, minutes in planned) != module.duration:
            total = sum(minutes for _, minutes in planned)
            message = f"the timing line of '{module.title}' adds up to {total} minutes; the module lasts {module.duration}"
            hint = "make the minutes after each part of '**Timing (N min):**' add up to the module's duration"
            problems.append(Problem(module.source, 1, message, hint, severity="warning"))
    return problems


class GuideTarget(PdfTarget):
    name = "guide"
    description = "Facilitator guide (PDF): run sheet, preparation, and each module's key points, cues, activities and answers."
    audience = Audience.FACILITATOR
    render_cost = 6
    output = OUTPUT

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        return overbooked_modules(view) + super().check(view, brand, options)

    def render_html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        plans = module_plans(view)
        agenda = workshop_agenda(view)
        workshop = view.settings.workshop
        env = print_document.print_environment(view)
        labels = labels_of(view)
        numbers = deck_slide_numbers(view, brand)
        lead_words = cue_lead_words(labels)

        def slides_for_section(module: Module, section: Section | None) -> str:
            shown = numbers.get((module.id, section.id if section else None), [])
            if not shown:
                return ""
            return labels.ngettext("Slide %(slides)s", "Slides %(slides)s", len(shown), slides=slide_ranges(shown))

        env.globals.update(key_points=key_points, section_cues=lambda section: section_cues(section, lead_words),
                           slides_for_section=slides_for_section)
        env.filters["text"] = to_text
        return print_document.render_html(
            env,
            TEMPLATE,
            view,
            brand,
            options,
            labels.gettext("Facilitator guide"),
            modules=[plan.module for plan in plans],
            plans=plans,
            agenda=agenda,
            run_sheet=run_sheet(agenda, plans, labels),
            module_numbers={plan.module.id: plan.number for plan in plans},
            total_minutes=total_minutes(view),
            materials=workshop_materials(plans),
            sheets=handout_sheets(view),
            workshop=workshop,
            group_sizes=group_sizes(workshop.participants, workshop.group_size, labels),
            transitions=transitions(agenda, labels),
            block_templates=BLOCK_TEMPLATES,
            objectives_title=labels.gettext("By the end of this module, participants can"),
            footer=facilitator_footer(brand, view),
        )
