"""The one exception a course author ever sees, and the located problems it carries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a course, with where it is and how to fix it."""

    file: Path | None
    line: int | None
    message: str
    hint: str | None = None
    column: int | None = None
    severity: str = "error"

    def where(self, root: Path | None = None) -> str:
        if self.file is None:
            return "course"
        shown = self.file
        if root is not None:
            # The file as the loader named it (a link is shown where it is, not where it points).
            for candidate in (self.file.absolute(), self.file.resolve()):
                if candidate.is_relative_to(root.resolve()):
                    shown = candidate.relative_to(root.resolve())
                    break
        place = str(shown)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    def describe(self, root: Path | None = None) -> str:
        text = f"{self.where(root)}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class CourseError(Exception):
    """Raised when a course cannot be loaded or built; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        errors = [p for p in problems if p.severity == "error"]
        self.problems = errors or problems
        # Warnings found in the same pass, so the one run that fails shows them too.
        self.warnings = [p for p in problems if p.severity == "warning"] if errors else []
        super().__init__("\n".join(p.describe() for p in self.problems))

    @classmethod
    def single(cls, file: Path | None, line: int | None, message: str, hint: str | None = None) -> CourseError:
        return cls([Problem(file, line, message, hint)])


class Problems:
    """Collects errors and warnings while loading, so one run reports them all."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(
        self,
        file: Path | None,
        line: int | None,
        message: str,
        hint: str | None = None,
        column: int | None = None,
    ) -> None:
        self.items.append(Problem(file, line, message, hint, column, "error"))

    def warn(
        self,
        file: Path | None,
        line: int | None,
        message: str,
        hint: str | None = None,
        column: int | None = None,
    ) -> None:
        self.items.append(Problem(file, line, message, hint, column, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise CourseError(self.errors)
