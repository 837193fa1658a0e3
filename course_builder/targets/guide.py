"""The facilitator guide: how to run the workshop, module by module, as a PDF in the course's brand.

It shares the workbook's cover and navigation (`templates/print/`) and adds what only the
facilitator needs: the agenda with clock times, timing and materials per module, facilitator
notes, activities with their full instructions and debrief questions, the quiz answer key with
feedback, and the reflection prompts. Participants' reading (prose, figures, quotes) stays in
the workbook; the guide names each section so the facilitator can follow along.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_builder.agenda import AgendaItem, total_minutes, workshop_agenda
from course_builder.blocks import Audience
from course_builder.errors import Problem
from course_builder.model import Activity, Brand, Module, Reflection
from course_builder.targets.base import BuildOptions
from course_builder.targets.pdf_target import PdfTarget
from course_builder.views import CourseView

OUTPUT = "guide.pdf"
TEMPLATE = "print/guide.html"
BLOCK_TEMPLATES = {
    "facilitator": "print/guide/facilitator.html",
    "activity": "print/guide/activity.html",
    "reflection": "print/guide/reflection.html",
    "quiz": "print/guide/answer_key.html",
    "steps": "print/guide/steps.html",
    "needs": "print/guide/concepts.html",
    "concepts": "print/guide/concepts.html",
    "questions": "print/blocks/questions.html",
    "case": "print/blocks/case.html",
    "takeaways": "print/blocks/takeaways.html",
}


@dataclass(frozen=True)
class TimedItem:
    """One line of a module's timing table."""

    kind: str
    title: str
    minutes: int


@dataclass(frozen=True)
class ModulePlan:
    """A module as the facilitator runs it."""

    module: Module  # its sections hold only the blocks the guide shows
    number: int
    clock: str
    timing: tuple[TimedItem, ...]
    materials: tuple[str, ...]


@dataclass(frozen=True)
class Material:
    """Something to prepare for the workshop, and the modules that use it."""

    name: str
    modules: tuple[int, ...]


def timing_for(module: Module) -> tuple[TimedItem, ...]:
    """Timed activities and reflections in order, then the rest of the module's time."""
    items = []
    for block in module.blocks:
        if isinstance(block, Activity):
            items.append(TimedItem("Activity", block.title, block.minutes))
        elif isinstance(block, Reflection) and block.minutes:
            items.append(TimedItem("Reflection", block.title or "Reflection", block.minutes))
    rest = module.duration - sum(item.minutes for item in items)
    if rest > 0:
        items.append(TimedItem("Input", "Input and discussion", rest))
    return tuple(items)


def materials_for(module: Module) -> tuple[str, ...]:
    return tuple(dict.fromkeys(material for activity in module.activities for material in activity.materials))


def workshop_materials(plans: list[ModulePlan]) -> list[Material]:
    """Every material once, in first-use order, with the numbers of the modules that use it."""
    used: dict[str, list[int]] = {}
    for plan in plans:
        for material in plan.materials:
            used.setdefault(material, []).append(plan.number)
    return [Material(name, tuple(modules)) for name, modules in used.items()]


def guide_module(module: Module) -> Module:
    """The module with only the blocks the guide prints; titled sections stay as signposts.

    The facilitator may see everything (their view hides nothing); leaving the reading to the
    workbook is the guide's choice of what to print, not a matter of who may see it.
    """
    sections = []
    for section in module.sections:
        blocks = tuple(block for block in section.blocks if block.kind in BLOCK_TEMPLATES)
        if blocks or section.title:
            sections.append(section.model_copy(update={"blocks": blocks}))
    return module.model_copy(update={"sections": tuple(sections)})


def module_plans(course: CourseView) -> list[ModulePlan]:
    clocks = {item.module.id: item.clock for item in workshop_agenda(course) if item.module is not None}
    return [
        ModulePlan(guide_module(module), number, clocks[module.id], timing_for(module), materials_for(module))
        for number, module in enumerate(course.modules, start=1)
    ]


def overbooked_modules(course: CourseView) -> list[Problem]:
    """Modules whose timed activities and reflections need more minutes than the module has."""
    problems = []
    for module in course.modules:
        timed = sum(b.minutes for b in module.activities) + sum(b.minutes or 0 for b in module.reflections)
        if timed > module.duration:
            message = f"the timed parts of '{module.title}' take {timed} minutes; the module lasts {module.duration}"
            hint = "raise 'duration' in the front matter or shorten the activities"
            problems.append(Problem(module.source, 1, message, hint, severity="warning"))
    return problems


class GuideTarget(PdfTarget):
    name = "guide"
    description = "Facilitator guide (PDF): agenda with clock times, timing, materials, notes and answer keys."
    audience = Audience.FACILITATOR
    render_cost = 5
    output = OUTPUT

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        return overbooked_modules(view) + super().check(view, brand, options)

    def render_html(self, view: CourseView, brand: Brand, options: BuildOptions) -> str:
        from course_builder.targets import print_document  # WeasyPrint loads only when a PDF is built

        plans = module_plans(view)
        agenda: list[AgendaItem] = workshop_agenda(view)
        return print_document.render_html(
            print_document.print_environment(view),
            TEMPLATE,
            view,
            brand,
            options,
            "Facilitator guide",
            modules=[plan.module for plan in plans],
            plans=plans,
            agenda=agenda,
            module_numbers={plan.module.id: plan.number for plan in plans},
            total_minutes=total_minutes(view),
            materials=workshop_materials(plans),
            block_templates=BLOCK_TEMPLATES,
        )
