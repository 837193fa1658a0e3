"""What every target is: a name, its audience, what it writes, its checks and `build(view, brand, out, options)`."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from course_builder.errors import Problem

if TYPE_CHECKING:  # the model (pydantic) loads only when a build needs it: a rebuild with nothing to do skips it
    from course_builder.blocks import Audience
    from course_builder.model import Brand
    from course_builder.views import CourseView


@dataclass(frozen=True)
class BuildOptions:
    paper: Literal["a4", "letter"] | None = None
    sco: Literal["per-module", "single"] | None = None
    jobs: int = 1
    source_date_epoch: int | None = None

    def paper_for(self, view: CourseView) -> str:
        # The build's --paper, else course.yaml's `paper:`, else the paper of the course language's country.
        from course_builder.labels import labels_of

        return self.paper or view.settings.paper or labels_of(view).paper

    def sco_for(self, view: CourseView) -> str:
        return self.sco or view.settings.lms.sco


class Target:
    """Base class for output formats: a short declaration and two or three methods.

    Declared once, here in the subclass, and nowhere else: the registry (`course_builder.targets`)
    derives the `course.yaml outputs:` names, the CLI's `--format` choices, the render order and
    the cache keys from these attributes.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    audience: ClassVar[Audience | str] = "participant"
    """The one view the target receives (see `course_builder.views`).

    A target that does not say gets the participant's view, the one with the least in it: no
    facilitator notes, debrief questions or answers can reach it by omission.
    """
    options_read: ClassVar[frozenset[str]] = frozenset()
    """Names of `BuildOptions` fields that change this target's output; a change to any other option keeps it."""
    render_cost: ClassVar[int] = 1
    """Rough relative cost of a build, so the heaviest start first when building in parallel."""

    def __init__(self) -> None:
        # Things worth telling the user that do not stop the build (e.g. SCORM data near its limit).
        self.warnings: list[Problem] = []

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        """Paths, relative to the output folder, that `build` writes."""
        raise NotImplementedError

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        """Every problem and warning this target would meet building `view` for `brand`, found without rendering.

        `course-builder check` runs this for every target the course builds, and `build` runs all
        of them before rendering anything: whatever a build can refuse or warn about belongs here.
        """
        return []

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        """Write the output(s) into `out`, each one atomically; return the paths written."""
        raise NotImplementedError

    def content_key(self, view: CourseView, brand: Brand, options: BuildOptions) -> str | None:
        """A digest of what the output is made from, for targets that can tell much faster than they build.

        The promise: the same key, with the same brand, options, tool and course files other than the
        ones the loader parses (images, fonts, templates), writes the same output. The build then keeps
        the earlier output when a source changed in a way this output does not show. None: cannot tell.
        """
        return None


def _temporary_name(final: Path, suffix: str) -> Path:
    """A hidden, unused name beside `final`, chosen before anything is created on disk.

    Knowing the name first means a Ctrl-C at any moment, even while the temporary is being
    created, is followed by its removal: nothing half-written is ever left behind.
    """
    return final.parent / f".{final.name}.{os.getpid()}-{secrets.token_hex(6)}{suffix}"


@contextmanager
def atomic_file(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside `final`; it replaces `final` only if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_name(final, ".part")
    try:
        temporary.touch(mode=0o600, exist_ok=False)
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_directory(final: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `final`; it takes `final`'s place only when complete."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_name(final, ".part")
    retired = _temporary_name(final, ".old")
    try:
        temporary.mkdir(mode=0o700)
        yield temporary
        os.chmod(temporary, 0o755)
        if final.exists():
            os.replace(final, retired)
        os.replace(temporary, final)
    finally:
        if retired.exists():
            if final.exists():
                shutil.rmtree(retired)
            else:  # stopped between the two renames: the earlier output goes back in place
                os.replace(retired, final)
        if temporary.exists():
            shutil.rmtree(temporary)
