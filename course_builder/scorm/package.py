"""A SCORM package: the web course written for an LMS runtime, its manifest and schemas, in one zip.

`Scorm12Target` and `Scorm2004Target` (in `course_builder/targets/`) are this class with a
version. Every package is checked with the same validator administrators run
(`course-builder validate`) before it is written, so a package that would not pass is never shipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar, Literal

from course_builder.blocks import Audience
from course_builder.errors import CourseError, Problem
from course_builder.model import Brand
from course_builder.reproducible_zip import write_zip
from course_builder.scorm import SUSPEND_DATA_LIMITS, ScormVersion
from course_builder.scorm.manifest import manifest_xml
from course_builder.scorm.presets import preset_named
from course_builder.scorm.validate import MANIFEST, validate_package
from course_builder.targets.base import BuildOptions, Target, atomic_file
from course_builder.targets.web import (
    REFLECTION_MAX_LENGTH,
    ScoMode,
    plan_documents,
    reflection_max_length,
    suspend_data_worst_case,
    web_course_problems,
    write_web_course,
)
from course_builder.views import CourseView

SUSPEND_DATA_MARGIN = 0.9
"""Warn when the worst-case suspend data fills this share of the version's limit."""


def preset_problems(course: CourseView, format_name: str, sco_mode: str) -> list[Problem]:
    """Warnings where this build goes against the LMS the course's preset names (see `scorm.presets`)."""
    preset = preset_named(course.settings.lms.preset)
    if preset is None:
        return []
    return [Problem(course.root / "course.yaml", None, message, fix, severity="warning")
            for message, fix in preset.warnings(format_name, sco_mode, len(course.modules))]


def package_identity(view: CourseView, brand: Brand) -> str:
    """The course id, and the brand's for a package made for a brand other than the course's own.

    Packages for two clients then differ in file name and LMS identifier, and neither is
    mistaken in an LMS for an update of the other.
    """
    own = view.root / view.settings.brand
    if brand.source is None or brand.source.resolve() == own.resolve():
        return view.id
    return f"{view.id}-{brand.id}"


class ScormTarget(Target):
    """Writes `<out>/<course-id>-<name>.zip` (`<course-id>-<brand-id>-<name>.zip` for a client's brand)."""

    version: ClassVar[ScormVersion]
    name: ClassVar[Literal["scorm12", "scorm2004"]]
    audience = Audience.LEARNER
    options_read = frozenset({"sco"})

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        return [f"{package_identity(view, brand)}-{self.name}.zip"]

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        problems = web_course_problems(view, brand, f"the {self.version.name} package")
        problems += preset_problems(view, self.name, options.sco_for(view))
        return problems + self._suspend_data_problems(view, options.sco_for(view))  # type: ignore[arg-type]

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        final = out / self.outputs(view, brand)[0]
        with tempfile.TemporaryDirectory(prefix="course-builder-scorm-") as work:
            folder = Path(work)
            web = write_web_course(view, brand, folder, lms=self.name, sco=options.sco_for(view))  # type: ignore[arg-type]
            entries: dict[str, bytes | Path] = {name: folder / name for name in web.files}
            entries[MANIFEST] = manifest_xml(view, web, self.version, package_identity(view, brand))
            entries.update({name: self.version.schema_path(name) for name in self.version.root_files})
            write_checked_package(final, entries, options.source_date_epoch, f"{self.version.name} package")
        return [final]

    def _suspend_data_problems(self, course: CourseView, sco_mode: ScoMode) -> list[Problem]:
        """Learners' answers and reflections are kept in suspend data, which each SCORM version caps.

        The web course shortens the reflection boxes of a SCO to fit; the author hears of it here,
        before anything is built.
        """
        problems = []
        limit = SUSPEND_DATA_LIMITS[self.name]
        for document in plan_documents(course, sco_mode):
            sco = document.sco
            needed = suspend_data_worst_case(course, sco, self.name)
            room = reflection_max_length(document, self.name)
            if needed > limit:
                message = (f"'{sco.title}' can need {needed} characters of saved progress, more than the {limit} that "
                           f"{self.version.name} LMSs must keep; a learner who fills in every reflection may lose some of it")
            elif room < REFLECTION_MAX_LENGTH:
                message = (f"to fit the {limit} characters of saved progress that {self.version.name} LMSs must keep, "
                           f"reflection answers in '{sco.title}' are limited to {room} characters "
                           f"instead of {REFLECTION_MAX_LENGTH}")
            elif needed > limit * SUSPEND_DATA_MARGIN:
                message = (f"'{sco.title}' can need {needed} of the {limit} characters of saved progress that "
                           f"{self.version.name} LMSs must keep; a few more questions or reflections will not fit")
            else:
                continue
            per_module = len(sco.module_ids) == 1
            remedies = [
                *(["use SCORM 2004 (64000 characters)"] if self.name == "scorm12" else []),
                *(["one SCO per module (--sco per-module)"] if not per_module else []),
                "fewer reflections in this part of the course",
            ]
            source = course.module(sco.module_ids[0]).source if per_module else course.root / "course.yaml"
            problems.append(Problem(source, None, message, ", or ".join(remedies), severity="warning"))
        return problems


def write_checked_package(final: Path, entries: dict[str, bytes | Path], source_date_epoch: int | None,
                          what: str) -> None:
    """Write a package's zip, then judge it as `course-builder validate` would: one that fails is not left in place."""
    with atomic_file(final) as temporary:
        write_zip(temporary, entries, source_date_epoch)
        errors = [p for p in validate_package(temporary) if p.severity == "error"]
        if errors:
            raise CourseError([
                Problem(None, None, f"the {what} built for this course fails the package check, so it was not written: "
                        f"{error.message}" + (f" ({error.file.name if error.file else 'manifest'} line {error.line})"
                                              if error.line else ""),
                        "this is a bug in course-builder, not in your course: please report it with this message")
                for error in errors
            ])
