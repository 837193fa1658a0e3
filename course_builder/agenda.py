"""The workshop agenda: clock times computed from module durations, start time and breaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from course_builder.labels import labels_of
from course_builder.model import Course, Module


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # "module" or "break"
    title: str
    start: time
    end: time
    minutes: int
    module: Module | None = None
    clock: str = ""  # "09:00–10:30", "9:00 AM–10:30 AM": the span as the course's language writes it


def workshop_agenda(course: Course) -> list[AgendaItem]:
    """Modules in order with their clock times, breaks slotted in after the modules they follow."""
    settings = course.settings.workshop
    labels = labels_of(course)
    moment = datetime.combine(datetime(2000, 1, 1), settings.start)
    items: list[AgendaItem] = []

    def add(kind: str, title: str, minutes: int, module: Module | None = None) -> None:
        nonlocal moment
        end = moment + timedelta(minutes=minutes)
        clock = labels.time_range(moment.time(), end.time())
        items.append(AgendaItem(kind, title, moment.time(), end.time(), minutes, module, clock))
        moment = end

    for module in course.modules:
        add("module", module.title, module.duration, module)
        for brk in settings.breaks:
            if brk.after == module.id:
                add("break", brk.title or labels.gettext("Break"), brk.minutes)
    return items


def total_minutes(course: Course) -> int:
    return sum(item.minutes for item in workshop_agenda(course))
