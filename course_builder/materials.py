"""What to print for a workshop: each activity's handouts with the copies its participant count needs.

The handouts target prints them and its cover lists them; the facilitator guide's materials
list counts them. Both take the numbers from here, so they always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from course_builder.labels import labels_for
from course_builder.model import Activity, CourseSettings, Handout, Module, WorkshopSettings

PEOPLE_PER_COPY = {"participant": 1, "pair": 2, "trio": 3, "room": None}
"""How many people share one copy; a group's size comes from course.yaml, and the room needs one."""


class CourseLike(Protocol):
    settings: CourseSettings
    modules: tuple[Module, ...]


@dataclass(frozen=True)
class HandoutSheet:
    """One handout, where it is used, and how many copies to print."""

    handout: Handout
    module_number: int
    module_title: str
    activity_title: str
    copies: int
    language: str  # of the labels: copies are counted in words

    @property
    def anchor(self) -> str:
        return f"handout-{self.handout.id}"

    @property
    def copies_text(self) -> str:
        """'4 sets (one per trio)', '12 copies (one per participant)'."""
        labels = labels_for(self.language)
        if self.handout.form == "cards":
            count = labels.ngettext("%(num)d set", "%(num)d sets", self.copies)
        else:
            count = labels.ngettext("%(num)d copy", "%(num)d copies", self.copies)
        per = {"participant": labels.gettext("one per participant"), "pair": labels.gettext("one per pair"),
               "trio": labels.gettext("one per trio"), "group": labels.gettext("one per group"),
               "room": labels.gettext("for the room")}[self.handout.copies]
        return labels.gettext("%(count)s (%(per)s)", count=count, per=per)


def copies_needed(handout: Handout, workshop: WorkshopSettings) -> int:
    """Copies for the workshop's participants: whole pairs, trios and groups, rounded up."""
    if handout.copies == "room":
        return 1
    size = workshop.group_size if handout.copies == "group" else PEOPLE_PER_COPY[handout.copies]
    assert size is not None
    return math.ceil(workshop.participants / size)


def handout_sheets(course: CourseLike) -> list[HandoutSheet]:
    """Every handout of the course, in workshop order."""
    workshop = course.settings.workshop
    return [
        HandoutSheet(handout, number, module.title, block.title, copies_needed(handout, workshop), course.settings.language)
        for number, module in enumerate(course.modules, start=1)
        for block in module.blocks
        if isinstance(block, Activity)
        for handout in block.handouts
    ]
