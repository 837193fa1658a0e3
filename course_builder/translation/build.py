"""Builds and checks per language: the course translated into each language, built into its own folder.

`build_course` hands a course to `build_each_language` when course.yaml lists `languages:` or
`--language` names some. Each language is an ordinary build of the translated course (own
cache, staging folder and report) into `<out>/<language>/`, or with several brands into
`<out>/<brand>/<language>/`, so a client's folder holds all its languages. `<out>/build-report.json`
gathers them, with every output's path relative to `<out>`.

`checked_languages` is what `check` runs and what a build runs before it renders anything: each
language's missing and stale units, its localised pictures (`figures.py`), its coverage, and every
target's checks on the translated course (a longer language can overflow where the source did not).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from course_builder.build import (
    REPORT_NAME,
    BuildReport,
    Progress,
    build_brands,
    build_course,
    check_output_folder,
    output_lock,
    selected_formats,
    target_problems,
)
from course_builder.errors import CourseError, Problem
from course_builder.load import LoadedCourse
from course_builder.model import Brand, Course
from course_builder.targets import BuildOptions
from course_builder.targets.base import atomic_file
from course_builder.translation.apply import Coverage, coverage, summarised, translated
from course_builder.translation.figures import localised_figures, unbuilt_languages


@dataclass(frozen=True)
class LanguageCheck:
    language: str
    course: Course
    """The course in this language, as its build renders it."""
    units: list[Problem]
    """A warning per missing or stale unit (one for a language with no translation file yet)."""
    figures: list[Problem]
    """What is wrong with the language's copies of pictures, and copies that replace no picture."""
    coverage: Coverage | None
    """None for the language the course is written in."""


def checked_languages(course: Course, languages: list[str] | tuple[str, ...], formats: list[str],
                      brands: tuple[Brand, ...], options: BuildOptions) -> tuple[list[LanguageCheck], list[Problem]]:
    """Each language's translated course, unit warnings and coverage; and what the targets' checks find in any language.

    A target's problem found in only some of the languages says which (`[de] slide 12 …`); one found in
    all of them is said once. A `translations/<lang>/` folder of a language not built is among them.
    """
    checks = []
    found: dict[Problem, list[str]] = {problem: list(languages) for problem in unbuilt_languages(course, languages)}
    for language in languages:
        check = language_check(course, language)
        checks.append(check)
        for problem in target_problems(check.course, formats, in_its_language(brands, course, check.course), options):
            found.setdefault(problem, []).append(language)
    every = len(set(languages))
    targets = [problem if len(set(where)) == every else replace(problem, message=f"[{', '.join(where)}] {problem.message}")
               for problem, where in found.items()]
    return checks, targets


def language_check(course: Course, language: str) -> LanguageCheck:
    """The course translated into one language, its pictures localised, with what is missing or wrong in it."""
    in_language, units = translated(course, language)
    figures: list[Problem] = []
    if language != course.settings.language:  # the source's pictures are in the course folder itself
        in_language, figures = localised_figures(in_language, language)
    counts = coverage(course, [language])[1]
    return LanguageCheck(language, in_language, units, figures, counts[0] if counts else None)


def in_its_language(brands: tuple[Brand, ...], source: Course, translated: Course) -> tuple[Brand, ...]:
    """The brands a language is built with: the course's own brand with its footer and contact translated
    (a client's brand file, given with --brand or listed in `brands:`, is used as its coach wrote it)."""
    return tuple(translated.brand if brand == source.brand else brand for brand in brands)


def alone(course: Course) -> Course:
    """A translated course as its own language's build sees it: `languages:` cleared, so it is built once, here."""
    return course.model_copy(update={"settings": course.settings.model_copy(update={"languages": ()})})


def in_language(loaded: LoadedCourse, language: str) -> LoadedCourse:
    """The course as the `language` build sees it, with that language's untranslated units and picture problems.

    (The live preview shows one language at a time from this.)
    """
    check = language_check(loaded.course, language)
    fallbacks = summarised(check.units, loaded.course, language)
    return LoadedCourse(alone(check.course), [*loaded.warnings, *check.figures, *fallbacks])


def language_folder(language: str, brand: Brand, brands: tuple[Brand, ...]) -> str:
    """Where a language's outputs go, relative to the output folder: `de`, or with several brands `acme/de`."""
    return f"{brand.id}/{language}" if len(brands) > 1 else language


def build_languages(loaded: LoadedCourse, out: Path, languages: list[str] | tuple[str, ...],
                    formats: tuple[str, ...] = (), brands: tuple[Brand, ...] = (), options: BuildOptions | None = None,
                    progress: Progress | None = None, use_cache: bool = True, proof: bool = False,
                    ) -> dict[str, BuildReport]:
    """Build the course once per language and brand; the reports by folder (`de`, or `acme/de` with several brands).

    Every language's checks run first, so an error in any language stops the build before anything is rendered.
    """
    options = options or BuildOptions()
    chosen = build_brands(loaded.course, brands)
    checks, targets = checked_languages(loaded.course, languages, selected_formats(loaded.course, formats), chosen, options)
    found = [*(p for check in checks for p in check.figures), *targets]
    if any(p.severity == "error" for p in found):
        raise CourseError(found)
    unbuilt = unbuilt_languages(loaded.course, languages)  # among the targets' problems for `check`; a build says it too
    reports = {}
    for check in checks:
        fallbacks = summarised(check.units, loaded.course, check.language)
        one_language = LoadedCourse(alone(check.course), [*loaded.warnings, *unbuilt, *check.figures, *fallbacks])
        for brand in in_its_language(chosen, loaded.course, check.course):
            folder = language_folder(check.language, brand, chosen)
            shown = progress and (lambda what, where=folder: progress(f"{where}: {what}"))
            reports[folder] = build_course(one_language, out / folder, formats, (brand,), options, shown, use_cache, proof)
    return reports


def build_each_language(loaded: LoadedCourse, out: Path, languages: list[str] | tuple[str, ...],
                        formats: tuple[str, ...] = (), brands: tuple[Brand, ...] = (), options: BuildOptions | None = None,
                        progress: Progress | None = None, use_cache: bool = True, proof: bool = False) -> BuildReport:
    """Every language asked for, and one report for them all in `out`."""
    course = loaded.course
    check_output_folder(course, out)  # each language's build checks its own folder; this one holds them all
    with output_lock(out):
        reports = build_languages(loaded, out, languages, formats, brands, options, progress, use_cache, proof)
        report = BuildReport(course=course.id, version=course.settings.version)
        for folder, one in reports.items():
            for record in one.outputs:
                record.path = f"{folder}/{record.path}"
                report.outputs.append(record)
            report.warnings += one.warnings
            report.timings.update({f"{folder}/{key}": seconds for key, seconds in one.timings.items()})
            report.reused += [f"{folder}/{key}" for key in one.reused]
        report.warnings = list(dict.fromkeys(report.warnings))
        with atomic_file(out / REPORT_NAME) as temporary:
            temporary.write_text(report.to_json(), encoding="utf-8")
    return report
