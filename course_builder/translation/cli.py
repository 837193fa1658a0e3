"""`course-builder translate`: export a language for a translator, import what comes back, see the coverage."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from lxml import etree

from course_builder.errors import CourseError, Problem
from course_builder.translation.apply import coverage, load_translations, restored, translation_path
from course_builder.translation.languages import canonical_language, closest_languages
from course_builder.translation.po import read_po, write_po
from course_builder.translation.pseudo import PSEUDO_LANGUAGE
from course_builder.translation.units import Unit, course_units
from course_builder.translation.xliff import TranslationFile, read_xliff, write_xliff

SHOWN_MISSING = 20

def reports_course_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """The main command's error handling (located messages, exit codes), looked up when the command runs.

    `course_builder.cli` adds this group to itself, so this module imports it only then.
    """

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from course_builder.cli import reports_course_errors as handled

        return handled(command)(*args, **kwargs)

    return run


course_argument = click.argument("course_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))


@click.group(short_help="Export a language for a translator and import it back.")
def translate() -> None:
    """Translate a course: export a language for a translator, import the translated file, check the coverage.

    \b
    Example:
      course-builder translate export my-course --to de
      (the translator fills my-course.de.xlf)
      course-builder translate import my-course my-course.de.xlf
      course-builder translate status my-course

    A picture with words in it gets a copy per language, at the same path under
    translations/<language>/ (translations/de/assets/balance.png replaces assets/balance.png
    in the German build). See docs/translation.md.
    """


def language_codes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """`--language de --language fr` or `--language de,fr`; an unknown code is a usage error with the codes it may mean."""
    codes = []
    for value in values:
        for code in filter(None, (part.strip() for part in value.split(","))):
            known = canonical_language(code)
            if known is None:
                near = closest_languages(code)
                hint = f"did you mean {' or '.join(near)}?" if near else "write a code such as de, fr or pt-BR"
                raise click.BadParameter(f"'{code}' is not a language code; {hint}", ctx, param)
            codes.append(known)
    return tuple(dict.fromkeys(codes))


def language_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """One language code, checked as `language_codes` checks each."""
    return language_codes(ctx, param, (value,))[0] if value else None


@translate.command("export", short_help="Write a language's strings into a file for a translator.")
@course_argument
@click.option("--to", "language", required=True, callback=language_code, help="Target language, e.g. de.")
@click.option("--format", "file_format", type=click.Choice(["xliff", "po"]), default="xliff", show_default=True,
              help="XLIFF 2.1 for translation tools and agencies; PO for gettext tools.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: <course id>.<language>.xlf or .po in the current folder).")
@reports_course_errors
def export_command(course_dir: Path, language: str, file_format: str, out: Path | None) -> None:
    """Write every translatable string of COURSE_DIR into a file for a translator.

    Units already translated (in the course's translations/<language>.xlf) and still up to
    date go out with their translation, so a translator sees what is done and only the new
    or changed units are left.
    """
    from course_builder import cli as base
    from course_builder.load import load_course

    course = load_course(course_dir).course
    if language in (course.settings.language, PSEUDO_LANGUAGE):
        raise CourseError.single(None, None, f"'{language}' needs no translation file",
                                 f"the course is written in {course.settings.language}; qps is made without a file")
    units = course_units(course)
    stored = load_translations(course, language).units
    current = {u.id: stored[u.id] for u in units if u.id in stored and stored[u.id].fingerprint == u.fingerprint}
    suffix = "xlf" if file_format == "xliff" else "po"
    out = out or Path(f"{course.id}.{language}.{suffix}")
    source = course.settings.language
    data = (write_xliff(units, source, language, current, course.id, course.root) if file_format == "xliff"
            else write_po(units, source, language, current, course.root))
    out.write_bytes(data)
    base.console().print(f"[green]Wrote[/green] {out}: {len(units)} units, {len(current)} already translated, "
                         f"{len(units) - len(current)} to translate.")


@translate.command("import", short_help="Read a translated file back into the course.")
@course_argument
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "language", callback=language_code,
              help="The file's language, if the file does not say (XLIFF trgLang, PO Language header).")
@reports_course_errors
def import_command(course_dir: Path, file: Path, language: str | None) -> None:
    """Read a translated FILE (XLIFF 2 or PO) into COURSE_DIR/translations/<language>.xlf.

    Unit ids are checked against the course as it is now: a unit the course no longer has is
    reported with its line in FILE and left out; a unit FILE does not translate is reported
    with its module file and line and keeps any earlier translation.
    """
    from course_builder import cli as base
    from course_builder.load import load_course

    course = load_course(course_dir).course
    incoming = _read(file)
    language = language or incoming.target_language
    if not language:
        raise CourseError.single(file, 1, "the file does not say which language it is in", "add --to, e.g. --to de")
    units = course_units(course)
    by_id = {u.id: u for u in units}
    problems = _unknown_units(incoming, by_id, file) + _broken_tags(incoming, by_id, file)
    source = course.settings.language
    if incoming.source_language and incoming.source_language.lower() != source.lower():
        problems.insert(0, Problem(file, 2, f"the file was translated from '{incoming.source_language}', but the course is "
                                   f"written in '{source}'", "check that this file belongs to this course", severity="warning"))
    merged = dict(load_translations(course, language).units)
    merged.update({k: v for k, v in incoming.units.items() if k in by_id and restored(by_id[k], v.pieces) is not None})
    missing = [u for u in units if u.id not in incoming.units]
    for unit in missing[:SHOWN_MISSING]:
        problems.append(Problem(unit.context.file, unit.context.line, f"{file.name} does not translate unit {unit.id}",
                                severity="warning"))
    target = translation_path(course, language)
    target.parent.mkdir(exist_ok=True)
    kept = {k: v for k, v in merged.items() if k in by_id}
    target.write_bytes(write_xliff(units, course.settings.language, language, kept, course.id, course.root))
    base.print_problems(problems, course.root)
    if len(missing) > SHOWN_MISSING:
        base.console().print(f"… and {len(missing) - SHOWN_MISSING} more units {file.name} does not translate "
                             f"(`course-builder translate status {course_dir}` lists them all).")
    done = len(incoming.units.keys() & by_id.keys())
    base.console().print(f"[green]Imported[/green] {done} units into {target.relative_to(course.root)} "
                         f"({len(kept)} of {len(units)} units of the course translated).")


def _read(file: Path) -> TranslationFile:
    try:
        return read_po(file) if file.suffix.lower() in (".po", ".pot") else read_xliff(file)
    except (etree.XMLSyntaxError, ValueError, UnicodeDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise CourseError.single(file, line, f"cannot read {file.name}: {err}",
                                 "send the translator's file as XLIFF 2 (.xlf) or PO (.po), unchanged") from None


def _unknown_units(incoming: TranslationFile, by_id: dict[str, Unit], file: Path) -> list[Problem]:
    lines = incoming.unit_lines or {}
    return [Problem(file, lines.get(unit_id), f"unit {unit_id} is not in the course (any more); it is left out",
                    "the source was changed or removed since the export: export again and translate the new units",
                    severity="warning")
            for unit_id in lines if unit_id not in by_id]


def _broken_tags(incoming: TranslationFile, by_id: dict[str, Unit], file: Path) -> list[Problem]:
    return [Problem(file, found.line, f"the translation of unit {unit_id} does not keep the source's tags; it is left out",
                    "keep every tag of the source, each once, around the same words", severity="warning")
            for unit_id, found in incoming.units.items()
            if unit_id in by_id and restored(by_id[unit_id], found.pieces) is None]


@translate.command("status", short_help="Show how much of the course each language translates.")
@course_argument
@click.option("--language", "languages", multiple=True, callback=language_codes,
              help="Only this language (repeatable; default: every file in translations/).")
@click.option("-v", "--verbose", is_flag=True, help="List every missing or stale unit.")
@reports_course_errors
def status_command(course_dir: Path, languages: tuple[str, ...], verbose: bool) -> None:
    """How much of COURSE_DIR each language translates: translated, stale and missing units."""
    from course_builder import cli as base
    from course_builder.load import load_course

    course = load_course(course_dir).course
    chosen = languages or tuple(sorted(p.stem for p in (course.root / "translations").glob("*.xlf")))
    problems, counts = coverage(course, chosen)
    if verbose:
        base.print_problems(problems, course.root)
    for count in counts:
        base.console().print(f"  {count.describe()}")
    if not counts:
        base.console().print("No translations yet: start with `course-builder translate export COURSE --to LANGUAGE`.")

