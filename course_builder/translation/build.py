"""Builds per language: the course translated into each language, built into `<out>/<language>/`.

`build_course` hands a course whose course.yaml lists `languages:` to `build_each_language`.
Each language is an ordinary build of the translated course (own checks, cache, staging
folder and report in `<out>/<language>/`); `<out>/build-report.json` gathers them, with every
output's path relative to `<out>`.
"""

from __future__ import annotations

from pathlib import Path

from course_builder.build import REPORT_NAME, BuildReport, Progress, build_course, check_output_folder, output_lock
from course_builder.load import LoadedCourse
from course_builder.model import Brand
from course_builder.targets import BuildOptions
from course_builder.targets.base import atomic_file
from course_builder.translation.apply import translated


def build_languages(loaded: LoadedCourse, out: Path, languages: list[str] | tuple[str, ...],
                    formats: tuple[str, ...] = (), brands: tuple[Brand, ...] = (), options: BuildOptions | None = None,
                    progress: Progress | None = None, use_cache: bool = True) -> dict[str, BuildReport]:
    """Build the course once per language into `out/<language>/`; missing and stale units are warnings in each report."""
    reports = {}
    for language in languages:
        course, fallbacks = translated(loaded.course, language)
        one_language = course.model_copy(update={"settings": course.settings.model_copy(update={"languages": ()})})
        in_language = LoadedCourse(one_language, [*loaded.warnings, *fallbacks])
        reports[language] = build_course(in_language, out / language, formats, brands, options,
                                         progress and (lambda what, lang=language: progress(f"{lang}: {what}")), use_cache)
    return reports


def build_each_language(loaded: LoadedCourse, out: Path, formats: tuple[str, ...] = (), brands: tuple[Brand, ...] = (),
                        options: BuildOptions | None = None, progress: Progress | None = None,
                        use_cache: bool = True) -> BuildReport:
    """Every language of course.yaml's `languages:`, and one report for them all in `out`."""
    course = loaded.course
    check_output_folder(course, out)  # each language's build checks its own folder; this one holds them all
    with output_lock(out):
        reports = build_languages(loaded, out, course.settings.languages, formats, brands, options, progress, use_cache)
        report = BuildReport(course=course.id, version=course.settings.version)
        for language, one in reports.items():
            for record in one.outputs:
                record.path = f"{language}/{record.path}"
                report.outputs.append(record)
            report.warnings += one.warnings
            report.timings.update({f"{language}/{key}": seconds for key, seconds in one.timings.items()})
            report.reused += [f"{language}/{key}" for key in one.reused]
        report.warnings = list(dict.fromkeys(report.warnings))
        with atomic_file(out / REPORT_NAME) as temporary:
            temporary.write_text(report.to_json(), encoding="utf-8")
    return report
