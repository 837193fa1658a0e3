"""What every target is: a name, what it writes, and `build(course, brand, out, options)`."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from course_builder.errors import Problem
from course_builder.model import Brand, Course


@dataclass(frozen=True)
class BuildOptions:
    paper: Literal["a4", "letter"] | None = None
    sco: Literal["per-module", "single"] | None = None
    jobs: int = 1
    source_date_epoch: int | None = None

    def paper_for(self, course: Course) -> str:
        return self.paper or course.settings.paper

    def sco_for(self, course: Course) -> str:
        return self.sco or course.settings.lms.sco


class Target:
    """Base class for output formats. Subclasses set the class attributes and `build`."""

    name: ClassVar[str]
    description: ClassVar[str]

    def __init__(self) -> None:
        # Things worth telling the user that do not stop the build (e.g. SCORM data near its limit).
        self.warnings: list[Problem] = []

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        """Paths, relative to the output folder, that `build` writes."""
        raise NotImplementedError

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        """Write the output(s) into `out`, each one atomically; return the paths written."""
        raise NotImplementedError


@contextmanager
def atomic_file(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside `final`; it replaces `final` only if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_directory(final: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `final`; it takes `final`'s place only when complete."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent))
    try:
        yield temporary
        os.chmod(temporary, 0o755)
        if final.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".old", dir=final.parent))
            os.replace(final, retired / final.name)
            os.replace(temporary, final)
            shutil.rmtree(retired)
        else:
            os.replace(temporary, final)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)
