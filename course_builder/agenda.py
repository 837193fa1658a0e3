"""The workshop agenda: clock times computed from module durations, start time and breaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from course_builder.model import Course, Module


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # "module" or "break"
    title: str
    start: time
    end: time
    minutes: int
    module: Module | None = None

    @property
    def clock(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def workshop_agenda(course: Course) -> list[AgendaItem]:
    """Modules in order with their clock times, breaks slotted in after the modules they follow."""
    settings = course.settings.workshop
    moment = datetime.combine(datetime(2000, 1, 1), settings.start)
    items: list[AgendaItem] = []

    def add(kind: str, title: str, minutes: int, module: Module | None = None) -> None:
        nonlocal moment
        end = moment + timedelta(minutes=minutes)
        items.append(AgendaItem(kind, title, moment.time(), end.time(), minutes, module))
        moment = end

    for module in course.modules:
        add("module", module.title, module.duration, module)
        for brk in settings.breaks:
            if brk.after == module.id:
                add("break", brk.title, brk.minutes)
    return items


def total_minutes(course: Course) -> int:
    return sum(item.minutes for item in workshop_agenda(course))
