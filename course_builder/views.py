"""What each audience may see of a course: the only place where visibility is decided.

A target receives exactly one view and never the course itself, so neither the target nor a
course's own templates can print what its audience must not see: the facilitator's material
is not hidden from them, it is absent. Which block kinds and parts each audience sees is
declared with the block kind in `course_builder.blocks`.

The presenter's view is what the room sees on the slides. The deck's speaker notes are the
facilitator's, so the presenter view also carries the facilitator's version of each block,
reachable only through `speaker_notes_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_builder.blocks import Audience, kind_of
from course_builder.model import Block, Course, CourseFacts, CourseSettings, Module, Participant, SourceRef

__all__ = ["Audience", "CourseView", "PresenterView", "view_for"]


@dataclass(frozen=True)
class CourseView(CourseFacts):
    """The course as one audience may see it: the same shape as `Course`, minus what is not theirs."""

    audience: Audience
    settings: CourseSettings
    modules: tuple[Module, ...]
    root: Path
    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True)
class PresenterView(CourseView):
    """The slides' view: blocks as the room sees them, and the facilitator's blocks for the speaker notes."""

    facilitator: CourseView | None = None

    def speaker_notes_for(self, block: Block) -> Block | None:
        """The facilitator's version of a block on a slide (with its note, debrief and answers)."""
        return self._facilitator_blocks().get(_key(block.source))

    def facilitator_notes_after(self, block: Block) -> tuple[Block, ...]:
        """Facilitator-only blocks that follow `block` in the source, up to the next block the room sees."""
        return self._notes_after().get(_key(block.source), ())

    def _facilitator_blocks(self) -> dict[tuple[Path, int], Block]:
        assert self.facilitator is not None
        return {_key(b.source): b for m in self.facilitator.modules for b in m.blocks}

    def _notes_after(self) -> dict[tuple[Path, int], tuple[Block, ...]]:
        assert self.facilitator is not None
        shown = {_key(b.source) for m in self.modules for b in m.blocks}
        notes: dict[tuple[Path, int], tuple[Block, ...]] = {}
        for module in self.facilitator.modules:
            last: tuple[Path, int] | None = None
            for block in module.blocks:
                key = _key(block.source)
                if key in shown:
                    last = key
                elif last is not None:
                    notes[last] = (*notes.get(last, ()), block)
        return notes


def _key(source: SourceRef) -> tuple[Path, int]:
    return (source.file, source.line)


def block_for(block: Block, audience: Audience) -> Block | None:
    """The block as `audience` may see it, or None when it is not theirs at all."""
    kind = kind_of(block)
    if not kind.sees(audience):
        return None
    for part in kind.parts:
        if audience not in part.audiences:
            block = part.without(block)
    return block


def module_for(module: Module, audience: Audience) -> Module:
    """The module with only what `audience` sees; a section that held only what they may not see disappears."""
    sections = []
    for section in module.sections:
        blocks = tuple(shown for block in section.blocks if (shown := block_for(block, audience)) is not None)
        if blocks or not section.blocks:
            sections.append(section.model_copy(update={"blocks": blocks}))
    return module.model_copy(update={"sections": tuple(sections)})


def view_for(course: Course, audience: Audience | str) -> CourseView:
    """The view of `course` for one audience (`participant`, `learner`, `presenter` or `facilitator`)."""
    audience = Audience(audience)
    modules = tuple(module_for(m, audience) for m in course.modules)
    shared = {"settings": course.settings, "modules": modules, "root": course.root, "participants": course.participants}
    if audience is Audience.PRESENTER:
        return PresenterView(audience, **shared, facilitator=view_for(course, Audience.FACILITATOR))
    return CourseView(audience, **shared)


def narrowed(view: CourseView, audience: Audience | str) -> CourseView:
    """A wider view narrowed to what a narrower audience sees.

    The facilitator's guide names the slides the room will see; it makes them from its own view
    narrowed to the presenter's, which is exactly the presenter's view of the course.
    """
    audience = Audience(audience)
    modules = tuple(module_for(m, audience) for m in view.modules)
    shared = {"settings": view.settings, "modules": modules, "root": view.root, "participants": view.participants}
    if audience is Audience.PRESENTER:
        return PresenterView(audience, **shared, facilitator=view)
    return CourseView(audience, **shared)
