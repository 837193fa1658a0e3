"""A language's translations put into the model, and how much of the course they cover.

`translated(course, lang)` returns a new, immutable `Course` whose strings come from
`translations/<lang>.xlf` (or, for `qps`, from the pseudo-language), with `language` set. A
unit with no translation, or whose translation was made from a source that has changed since
(stale), keeps the source text and gives one warning naming the module file, line and unit id:
nothing is silently mixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from course_builder.errors import CourseError, Problem
from course_builder.model import Course
from course_builder.translation.figures import TRANSLATIONS_FOLDER, figure_count
from course_builder.translation.inline import Piece, markdown_leaves, replace_leaves, to_markdown
from course_builder.translation.pseudo import PSEUDO_LANGUAGE, pseudo_pieces
from course_builder.translation.units import PLAIN, Context, How, Unit, course_units, map_course, units_of_field
from course_builder.translation.xliff import Translated, TranslationFile, read_xliff

SHOWN_UNITS = 10
"""Missing or stale units shown one by one per language in a build's or check's output; the rest are counted."""


def translation_path(course: Course, language: str) -> Path:
    return course.root / TRANSLATIONS_FOLDER / f"{language}.xlf"


def load_translations(course: Course, language: str) -> TranslationFile:
    """The course's stored translations for `language` (none if there is no file yet); `qps` is made on the spot."""
    if language == PSEUDO_LANGUAGE:
        units = {u.id: Translated(pseudo_pieces(u.pieces), u.fingerprint) for u in course_units(course)}
        return TranslationFile(course.settings.language, language, units)
    path = translation_path(course, language)
    if not path.is_file():
        return TranslationFile(course.settings.language, language, {}, path)
    try:
        return read_xliff(path)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise CourseError.single(path, getattr(err, "lineno", None), f"cannot read the {language} translation: {err}",
                                 f"run `course-builder translate import` again with the translator's file, "
                                 f"or delete {path.name} to build from the source text") from None


@dataclass(frozen=True)
class Coverage:
    language: str
    units: int
    translated: int
    stale: int
    missing: int
    figures: int = 0
    localised_figures: int = 0
    """Figures with a copy of their picture for this language (`translations/<lang>/…`); one without is no warning."""

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.units if self.units else 100.0

    def describe(self) -> str:
        """`de   1.0 %  3 translated, 0 stale, 310 missing of 313 units; figures: 1 of 2 localised`.

        One line of `check` and `translate status`; the figures are left out of a course that has none.
        """
        figures = f"; figures: {self.localised_figures} of {self.figures} localised" if self.figures else ""
        return (f"{self.language:<8} {self.percent:5.1f} %  {self.translated} translated, {self.stale} stale, "
                f"{self.missing} missing of {self.units} units{figures}")


def unit_problem(unit: Unit, found: Translated | None, language: str) -> Problem | None:
    """Why `found` cannot stand for `unit` in `language` (None: it can)."""
    where = (unit.context.file, unit.context.line)
    if found is None or not found.final:
        return Problem(*where, f"no {language} translation for unit {unit.id}; the source text is used",
                       f"translate it and run `course-builder translate import` (export with `translate export --to {language}`)",
                       severity="warning")
    if is_stale(unit, found):
        return Problem(*where, f"the {language} translation of unit {unit.id} is stale: its source has changed since it "
                       "was translated; the source text is used", "send the unit for translation again (export, translate, "
                       "import)", severity="warning")
    if restored(unit, found.pieces) is None:
        return Problem(*where, f"the {language} translation of unit {unit.id} has tags that do not match the source's; "
                       "the source text is used", "keep every tag of the source, each once, in the translation",
                       severity="warning")
    return None


def is_stale(unit: Unit, found: Translated) -> bool:
    return found.fingerprint != unit.fingerprint


def restored(unit: Unit, pieces: tuple[Piece, ...]) -> tuple[Piece, ...] | None:
    """The translation with each code carrying the source's markup; None if a code is unknown, repeated or unpaired."""
    known = unit.codes
    out: list[Piece] = []
    seen: set[tuple[str, str]] = set()
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        key = (piece.id, piece.kind)
        if key not in known or key in seen:
            return None
        seen.add(key)
        out.append(known[key])
    paired = {code_id for code_id, kind in seen if kind != "ph"}
    if any(((code_id, "start") in seen) != ((code_id, "end") in seen) for code_id in paired):
        return None
    return tuple(out)


def translated(course: Course, language: str) -> tuple[Course, list[Problem]]:
    """The course in `language`, and a warning for each unit that fell back to the source text."""
    if language == course.settings.language:
        return course, []
    path = translation_path(course, language)
    if language != PSEUDO_LANGUAGE and not path.is_file():  # one warning, not one per unit
        return _in_language(course, language), [Problem(
            path, None, f"there is no {language} translation yet: the {language} build shows the source text",
            f"export the course with `course-builder translate export {course.root.name} --to {language}`, have it "
            "translated, and import it", severity="warning")]
    found = load_translations(course, language).units
    problems: list[Problem] = []
    allow_html = course.settings.allow_html

    def translate(unit_id: str, how: How, value: str, context: Context, name: str) -> str:
        units = units_of_field(unit_id, how, value, context, name, allow_html)
        texts: dict[int, str] = {}
        for index, unit in enumerate(units):
            problem = unit_problem(unit, found.get(unit.id), language)
            if problem is not None:
                problems.append(problem)
                continue
            pieces = restored(unit, found[unit.id].pieces) or ()
            texts[index] = "".join(p for p in pieces if isinstance(p, str)) if how == PLAIN else to_markdown(pieces)
        if how == PLAIN:
            return texts.get(0, value)
        return replace_leaves(value, texts, markdown_leaves(value, allow_html)) if texts else value

    return _in_language(map_course(course, translate), language), problems


def require_translations(course: Course, languages: list[str] | tuple[str, ...]) -> None:
    """Refuse a language asked for on the command line that has no translation file: its build would be the source text."""
    absent = [lang for lang in languages if lang not in (course.settings.language, PSEUDO_LANGUAGE)
              and not translation_path(course, lang).is_file()]
    problems = [Problem(translation_path(course, lang), None, f"there is no {lang} translation of this course yet",
                        f"export it with `course-builder translate export {course.root.name} --to {lang}`, have it "
                        f"translated and import it with `course-builder translate import {course.root.name} FILE`; "
                        f"or build with `--language qps` to try a longer language's layout") for lang in absent]
    if problems:
        raise CourseError(problems)


def summarised(problems: list[Problem], course: Course, language: str) -> list[Problem]:
    """A language's unit warnings as a person reads them: the first few, then how many more and where to see them all."""
    if len(problems) <= SHOWN_UNITS:
        return problems
    more = len(problems) - SHOWN_UNITS
    return [*problems[:SHOWN_UNITS], Problem(
        translation_path(course, language), None,
        f"… and {more} more {language} units are missing or stale; the source text is used for them",
        f"`course-builder translate status {course.root.name} --language {language} -v` lists them all; export "
        f"with `translate export --to {language}` to have them translated", severity="warning")]


def _in_language(course: Course, language: str) -> Course:
    return course.model_copy(update={"settings": course.settings.model_copy(update={"language": language})})


def coverage(course: Course, languages: list[str] | tuple[str, ...]) -> tuple[list[Problem], list[Coverage]]:
    """Per language (the source language left out): a warning per missing or stale unit, and the counts."""
    units = course_units(course)
    problems: list[Problem] = []
    counts = []
    for language in languages:
        if language == course.settings.language:
            continue
        found = load_translations(course, language).units
        stale = missing = 0
        for unit in units:
            problem = unit_problem(unit, found.get(unit.id), language)
            if problem is None:
                continue
            problems.append(problem)
            if unit.id in found and found[unit.id].final and is_stale(unit, found[unit.id]):
                stale += 1
            else:
                missing += 1  # or its tags are broken: either way it needs translating
        counts.append(Coverage(language, len(units), len(units) - stale - missing, stale, missing,
                               *figure_count(course, language)))
    return problems, counts

