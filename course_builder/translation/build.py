"""Builds per language: the course translated into each language, built into `<out>/<language>/`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course_builder.build import BuildReport, build_course
from course_builder.load import LoadedCourse
from course_builder.translation.apply import translated


def build_languages(loaded: LoadedCourse, out: Path, languages: list[str] | tuple[str, ...], **build_options: Any
                    ) -> dict[str, BuildReport]:
    """Build the course once per language into `out/<language>/`; missing and stale units are warnings in each report.

    `build_options` are `build_course`'s (formats, brands, options, progress, use_cache).
    """
    reports = {}
    for language in languages:
        course, fallbacks = translated(loaded.course, language)
        in_language = LoadedCourse(course, [*loaded.warnings, *fallbacks])
        reports[language] = build_course(in_language, out / language, **build_options)
    return reports
