"""A SCORM package: the web course written for an LMS runtime, its manifest and schemas, in one zip.

`Scorm12Target` and `Scorm2004Target` (in `course_builder/targets/`) are this class with a
version. Every package is checked with the same validator administrators run
(`course-builder validate`) before it is written, so a package that would not pass is never shipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import ClassVar, Literal

from course_builder.errors import CourseError, Problem
from course_builder.model import Brand, Course
from course_builder.reproducible_zip import write_zip
from course_builder.scorm import SUSPEND_DATA_LIMITS, ScormVersion
from course_builder.scorm.manifest import manifest_xml
from course_builder.scorm.validate import MANIFEST, validate_package
from course_builder.targets.base import BuildOptions, Target, atomic_file
from course_builder.targets.web import (
    REFLECTION_MAX_LENGTH,
    WebCourse,
    plan_documents,
    reflection_max_length,
    suspend_data_worst_case,
    write_web_course,
)

SUSPEND_DATA_MARGIN = 0.9
"""Warn when the worst-case suspend data fills this share of the version's limit."""


class ScormTarget(Target):
    """Writes `<out>/<course-id>-<name>.zip`: the web course, imsmanifest.xml and the XSDs at the root."""

    version: ClassVar[ScormVersion]
    name: ClassVar[Literal["scorm12", "scorm2004"]]

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        return [f"{course.id}-{self.name}.zip"]

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        final = out / self.outputs(course, brand)[0]
        with tempfile.TemporaryDirectory(prefix="course-builder-scorm-") as work:
            folder = Path(work)
            sco_mode = options.sco_for(course)
            web = write_web_course(course, brand, folder, lms=self.name, sco=sco_mode, warnings=self.warnings)  # type: ignore[arg-type]
            self._warn_about_suspend_data(course, web, sco_mode)
            entries: dict[str, bytes | Path] = {name: folder / name for name in web.files}
            entries[MANIFEST] = manifest_xml(course, web, self.version)
            entries.update({name: self.version.schema_path(name) for name in self.version.root_files})
            with atomic_file(final) as temporary:
                write_zip(temporary, entries, options.source_date_epoch)
                self._refuse_if_invalid(temporary)
        return [final]

    def _refuse_if_invalid(self, package: Path) -> None:
        errors = [p for p in validate_package(package) if p.severity == "error"]
        if errors:
            raise CourseError([
                Problem(None, None,
                        f"the {self.version.name} package built for this course fails the SCORM check, so it was not "
                        f"written: {error.message}" + (f" (imsmanifest.xml line {error.line})" if error.line else ""),
                        "this is a bug in course-builder, not in your course: please report it with this message")
                for error in errors
            ])

    def _warn_about_suspend_data(self, course: Course, web: WebCourse, sco_mode: str) -> None:
        """Learners' answers and reflections are kept in suspend data, which each SCORM version caps.

        The web course shortens the reflection boxes of a SCO to fit; the author hears of it here.
        """
        limit = SUSPEND_DATA_LIMITS[self.name]
        documents = {document.sco: document for document in plan_documents(course, sco_mode)}  # type: ignore[arg-type]
        for sco in web.scos:
            needed = suspend_data_worst_case(course, sco, self.name)
            room = reflection_max_length(documents[sco], self.name)
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
            self.warnings.append(Problem(source, None, message, ", or ".join(remedies), severity="warning"))
