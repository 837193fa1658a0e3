"""The `course-builder` command: thin Click commands over load, build and validate."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from course_builder import __version__
from course_builder.editor_links import EDITORS, editor_from_environment
from course_builder.errors import CourseError, Problem
from course_builder.targets import available_targets
from course_builder.translation.cli import language_codes, translate

if TYPE_CHECKING:
    from course_builder.build import BuildReport

EXIT_CONTENT_ERROR = 1
"""A problem in the course: a message names the file and line, and the fix."""
EXIT_USAGE = 2
"""A command-line mistake (Click's own code for usage errors, e.g. an unknown --format)."""
EXIT_INPUT_OUTPUT = 3
"""Reading or writing failed: a folder that cannot be written, a full disk."""
EXIT_BUG = 4
"""A bug in course-builder; the traceback is saved to a file for the report."""


def default_course_dir() -> Path:
    """The current folder if it is a course, else the repo's bundled content/."""
    here = Path.cwd()
    if not (here / "course.yaml").exists() and (here / "content" / "course.yaml").exists():
        return here / "content"
    return here


def console(quiet: bool = False):
    """Diagnostics: problems, warnings, progress (stderr, so a script can read the results alone)."""
    from rich.console import Console

    return Console(stderr=True, quiet=quiet, highlight=False)


def results(quiet: bool = False):
    """What the command made or found: stdout."""
    from rich.console import Console

    return Console(quiet=quiet, highlight=False, soft_wrap=True)


def counted(number: int, noun: str) -> str:
    """'1 warning', '2 warnings', '0 outputs'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def problems_json(problems: list[Problem], root: Path | None) -> list[dict[str, object]]:
    return [
        {
            "file": replace(p, line=None).where(root) if p.file is not None else None,
            "line": p.line,
            "column": p.column,
            "severity": p.severity,
            "message": p.message,
            "fix": p.hint,
        }
        for p in problems
    ]


def print_problems(problems: list[Problem], root: Path | None, quiet: bool = False) -> None:
    out = console(quiet and all(p.severity == "warning" for p in problems))
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        # Messages quote the author's text, which may hold '[x]' or '[/b]': never read it as markup.
        out.print(
            f"[bold]{escape(problem.where(root))}[/bold]: [{colour}]{problem.severity}[/{colour}]: {escape(problem.message)}",
            markup=True,
            soft_wrap=True,
        )
        if problem.hint:
            out.print(f"    [dim]fix:[/dim] {escape(problem.hint)}", soft_wrap=True)


def reports_course_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn CourseError into a located message and exit code 1; never a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CourseError as err:
            root = kwargs.get("course_dir") or (default_course_dir() if "course_dir" in kwargs else None)
            found = err.warnings + err.problems
            if kwargs.get("as_json"):
                report = {"ok": False, "errors": len(err.problems), "warnings": len(err.warnings),
                          "problems": problems_json(found, Path(root) if root else None)}
                click.echo(json.dumps(report, indent=2, ensure_ascii=False))
                sys.exit(EXIT_CONTENT_ERROR)
            print_problems(found, Path(root) if root else None)
            # Only a build has an output folder whose earlier contents the user may worry about.
            untouched = "; nothing was changed in the output folder" if command.__name__ == "build" else ""
            console().print(f"[red]{counted(len(err.problems), 'error')}[/red]{untouched}.")
            sys.exit(EXIT_CONTENT_ERROR)
        except (KeyboardInterrupt, Terminated):
            console().print("Interrupted: outputs from earlier builds are kept as they were.")
            sys.exit(130)
        except OSError as err:
            where = f": {err.filename}" if err.filename else ""
            console().print(
                f"[red]error[/red]: {escape(str(err.strerror or err))}{escape(where)}; "
                "check that the folder exists, can be written to and that the disk has room. "
                "Outputs from earlier builds are kept as they were.",
                soft_wrap=True,
            )
            sys.exit(EXIT_INPUT_OUTPUT)
        except Exception as err:  # a bug in course-builder: say so plainly, keep the details for a report
            report_internal_error(err)
            sys.exit(EXIT_BUG)

    return run


def report_internal_error(err: Exception) -> None:
    """One readable line for the user; the traceback goes to a file they can attach to a bug report."""
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="course-builder-crash-", suffix=".txt", delete=False) as log:
        traceback.print_exception(err, file=log)
    console().print(
        f"[red]internal error[/red]: course-builder failed unexpectedly ({escape(type(err).__name__)}: {escape(str(err))}). "
        f"This is a bug, not a problem in your course; earlier outputs are kept as they were. Details: {log.name}",
        soft_wrap=True,
    )


class Terminated(BaseException):
    """SIGTERM (`kill`, a CI job cancelled) stops a build as Ctrl-C does: its staging folder is removed on the way out.

    Its own class rather than KeyboardInterrupt: CPython ends a process through SIGINT if a
    KeyboardInterrupt ever passed through `exec` of a string (dataclasses build their methods that
    way while a module is first imported), even when it was caught. A stopped build should end
    with exit code 130 every time, not only when the signal landed elsewhere.
    """


def interrupt(signum: int, frame: object) -> None:
    raise Terminated


course_dir_argument = click.argument("course_dir", required=False, type=click.Path(file_okay=False, path_type=Path))

WORKFLOW = ("init", "check", "build", "serve", "validate", "translate", "schema", "doctor")
"""The commands in the order a course is made, not alphabetical."""


class WorkflowGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in WORKFLOW if name in self.commands] + sorted(set(self.commands) - set(WORKFLOW))


@click.group(cls=WorkflowGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="course-builder")
def main() -> None:
    """Turn a course kept as plain files into a workbook, facilitator guide, slide deck,
    web course and SCORM packages.

    \b
    Example:
      course-builder init my-course
      course-builder check my-course
      course-builder build my-course --out build
    """


brand_option = click.option(
    "--brand",
    "brand_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this brand file instead of the course's, relative to where you run the command "
    "(repeatable: one set of outputs per brand).",
)


language_option = click.option(
    "--language",
    "languages",
    multiple=True,
    callback=language_codes,
    metavar="CODE",
    help="Only this language (repeatable, or a comma list: de,fr), each into OUT/<language>/; "
    "qps: the pseudo-language, to try a longer language's layout. Default: course.yaml's languages.",
)
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Say more: what was checked or built, and timings.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout (for scripts).")


def stdin_is_terminal() -> bool:
    """A person can answer questions (a script piping input or running in CI cannot)."""
    return sys.stdin.isatty()


def next_hint(text: str, quiet: bool) -> None:
    """What to do next, after a command that succeeded (a path or title in it is never read as markup)."""
    console(quiet).print(f"[dim]next:[/dim] {escape(text)}", soft_wrap=True)


@main.command(short_help="Create a new course of your own.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The course's title (asked for when run in a terminal).")
@click.option("--organisation", "--organization", "organisation", help="Who gives the course: yours or your client's name.")
@click.option("--language", help="The course's language code, e.g. en, de or pt-BR.  [default: en]")
@click.option("--minimal", is_flag=True, help="A one-module skeleton instead of the sample workshop.")
@reports_course_errors
def init(directory: Path, title: str | None, organisation: str | None, language: str | None, minimal: bool) -> None:
    """Create a new course in DIRECTORY, from the sample workshop or a minimal skeleton.

    The course gets an id from the folder's name and your title, organisation and language;
    nothing of the sample's identity is kept.

    \b
    Example:
      course-builder init acme-leaders --title "Leading teams" --organisation Acme
    """
    from course_builder.skeleton import NewCourse, start_course

    if directory.exists() and any(directory.iterdir()):
        raise CourseError.single(None, None, f"{directory} is not empty", "choose a new folder name; nothing was changed")
    asking = stdin_is_terminal()
    default_title = directory.name.replace("-", " ").replace("_", " ").strip().capitalize() or "My course"

    def answer(given: str | None, question: str, default: str) -> str:
        if given is not None and given.strip():
            return given.strip()
        return str(click.prompt(question, default=default)).strip() if asking else default

    new = NewCourse(
        title=answer(title, "Course title", default_title),
        organisation=answer(organisation, "Organisation", "My Organisation"),
        language=answer(language, "Language code", "en"),
    )
    start_course(directory, new, minimal=minimal)
    results().print(f"[green]Created[/green] {escape(f'{directory}: {new.title} by {new.organisation} ({new.language})')}.")
    next_hint(f"edit {directory / 'course.yaml'} and {directory / 'brand.yaml'}, then run: course-builder check {directory}",
              False)


@main.command(short_help="Check a course for mistakes without building it.")
@course_dir_argument
@brand_option
@language_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@quiet_option
@verbose_option
@json_option
@reports_course_errors
def check(
    course_dir: Path | None, brand_files: tuple[Path, ...], languages: tuple[str, ...], strict: bool, quiet: bool,
    verbose: bool, as_json: bool
) -> None:
    """Check a course for errors without building it (COURSE_DIR defaults to the current course).

    Runs the checks of every output the course builds (course.yaml `outputs:`), for every brand
    and every language (course.yaml `languages:`, or --language): whatever a build would refuse
    or warn about, this reports, with each language's translation coverage.

    \b
    Example:
      course-builder check my-course --brand clients/globex.yaml
      course-builder check my-course --language de,fr
    """
    from course_builder.build import build_brands, selected_formats, source_date_epoch, target_problems
    from course_builder.load import load_brand_files, load_course
    from course_builder.targets import BuildOptions

    root = course_dir or default_course_dir()
    loaded = load_course(root)
    course = loaded.course
    brands = build_brands(course, load_brand_files(brand_files, course.root) if brand_files else ())
    options = BuildOptions(source_date_epoch=source_date_epoch())
    formats = selected_formats(course, ())
    units, shown_units, coverage = [], [], []
    if languages or course.settings.languages:
        from course_builder.translation.apply import require_translations, summarised
        from course_builder.translation.build import checked_languages

        require_translations(course, languages)
        checks, found = checked_languages(course, languages or course.settings.languages, formats, brands, options)
        units = [p for one in checks for p in (*one.units, *one.figures)]
        shown_units = [p for one in checks for p in (*summarised(one.units, course, one.language), *one.figures)]
        coverage = [one.coverage for one in checks if one.coverage is not None]
    else:
        found = target_problems(course, formats, brands, options)
    problems = loaded.warnings + units + found
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    failed = bool(errors or (strict and warnings))
    if as_json:
        report = {"ok": not failed, "course": course.id, "title": course.title, "modules": len(course.modules),
                  "formats": formats, "brands": [b.id for b in brands],
                  "languages": {c.language: {"units": c.units, "translated": c.translated, "stale": c.stale,
                                             "missing": c.missing, "figures": c.figures,
                                             "localised_figures": c.localised_figures} for c in coverage},
                  "errors": len(errors), "warnings": len(warnings), "problems": problems_json(warnings + errors, root)}
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        sys.exit(EXIT_CONTENT_ERROR if failed else 0)
    shown = [p for p in loaded.warnings + shown_units + found if p.severity == "warning"]
    print_problems(shown + errors, root, quiet and not errors)
    if verbose:
        console().print(escape(f"checked {', '.join(formats)} for {counted(len(brands), 'brand')}: "
                               f"{', '.join(b.name for b in brands)}"), soft_wrap=True)
    if coverage:
        results(quiet).print("Translations (units translated, stale, missing):")
        for count in coverage:
            results(quiet).print(f"  {escape(count.describe())}")
    if failed:
        what = counted(len(errors), "error") if errors else f"{counted(len(warnings), 'warning')}, treated as errors (--strict)"
        results().print(f"[red]Not OK[/red] {escape(course.title)}: {what}.")
        sys.exit(EXIT_CONTENT_ERROR)
    results(quiet).print(
        f"[green]OK[/green] {escape(course.title)}: "
        f"{counted(len(course.modules), 'module')}, {counted(len(warnings), 'warning')}."
    )
    shown_dir = f" {course_dir}" if course_dir else ""
    brand_args = "".join(f" --brand {b}" for b in brand_files)
    language_args = f" --language {','.join(languages)}" if languages else ""
    next_hint(f"course-builder build{shown_dir}{brand_args}{language_args} --out build", quiet)


@main.command(short_help="Build the workbook, guide, slides, web course and packages.")
@course_dir_argument
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(available_targets(), case_sensitive=False),
    metavar="FORMAT",
    help=f"Build only this format (repeatable): {', '.join(available_targets())}.",
)
@brand_option
@language_option
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False),
              help="Paper size for the PDFs (default: course.yaml's paper, else the language's: letter for en-US).")
@click.option("--sco", type=click.Choice(["per-module", "single"], case_sensitive=False),
              help="SCORM: one SCO per module or one for the course.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Build in this many processes.")
@click.option("--no-cache", is_flag=True, help="Re-render every output even if its sources did not change.")
@click.option("--proof", is_flag=True, help="Also write proof.html: every page and slide as a thumbnail, warnings beside them.")
@quiet_option
@verbose_option
@json_option
@reports_course_errors
def build(
    course_dir: Path | None,
    out: Path,
    formats: tuple[str, ...],
    brand_files: tuple[Path, ...],
    languages: tuple[str, ...],
    paper: str | None,
    sco: str | None,
    jobs: int,
    no_cache: bool,
    proof: bool,
    quiet: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Build the course's outputs into OUT and write OUT/build-report.json and OUT/accessibility.html.

    With languages (course.yaml `languages:` or --language), each language is built into
    OUT/<language>/, and with several brands into OUT/<brand>/<language>/.

    \b
    Example:
      course-builder build my-course --out build --brand clients/acme.yaml
      course-builder build my-course --language de --language qps
    """
    from course_builder.build import reuse_unchanged_build, source_date_epoch
    from course_builder.targets import BuildOptions

    signal.signal(signal.SIGTERM, interrupt)
    root = course_dir or default_course_dir()
    paper = paper.lower() if paper else None
    options = BuildOptions(paper=paper, sco=sco, jobs=jobs, source_date_epoch=source_date_epoch())  # type: ignore[arg-type]
    quiet = quiet or as_json
    # Nothing changed since the last build: its outputs stand, and the course is not even parsed.
    # (A language asked for is not part of what the last build was asked: that build may have been another language's.)
    report = None if no_cache or proof or languages else reuse_unchanged_build(root, out, formats, brand_files, options)
    shown = report.warnings if report else []
    if report is None:
        from course_builder.build import build_course
        from course_builder.load import load_brand_files, load_course

        loaded = load_course(root)
        print_problems(loaded.warnings, root, quiet)
        brands = load_brand_files(brand_files, loaded.course.root) if brand_files else ()
        with build_progress(quiet or not sys.stderr.isatty()) as progress:
            report = build_course(loaded, out, formats, brands, options, progress=progress, use_cache=not no_cache,
                                  proof=proof, languages=languages)
        shown = report.warnings[len(loaded.warnings) :]
    if as_json:
        click.echo(json.dumps({"ok": True, "out": str(out), **json.loads(report.to_json())}, indent=2, ensure_ascii=False))
        return
    for warning in shown:
        console(quiet).print(escape(warning), soft_wrap=True)
    listing = results(quiet)
    for record in report.outputs:
        reused = " (unchanged)" if report.kept(record) else ""
        listing.print(f"  {record.format:<10} {escape(str(out / record.path))}  ({record.bytes / 1024:,.0f} KB){reused}")
    if verbose:
        for key, seconds in report.timings.items():
            console().print(f"  {key}: {'kept' if key in report.reused else f'{seconds:.1f} s'}")
    listing.print(built_summary(report, out))
    next_hint(f"open the files in {out}; check a package for your LMS: course-builder validate FILE.zip", quiet)


@main.command(short_help="Preview the course while you edit it.")
@course_dir_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (the default: this computer only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Build here (default: a temporary folder).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@click.option("--editor", type=click.Choice(EDITORS), default=None,
              help="Make each problem's file:line a link that opens your editor there (default: from $VISUAL or $EDITOR).")
@click.option("--print/--no-print", "previews", default=True, show_default=True,
              help="Show the workbook, guide, handouts and slides of the module you are editing, as pages.")
@reports_course_errors
def serve(
    course_dir: Path | None, host: str, port: int, out: Path | None, open_browser: bool, editor: str | None, previews: bool
) -> None:
    """Preview the course in a browser: the web course, rebuilt and reloaded each time you save, the print pages and
    slides of the module you are editing (or of one you pick) with their build's warnings, and the course's problems.
    A translated course can be previewed in each of its languages.

    \b
    Example:
      course-builder serve my-course --open
    """
    from course_builder.serve import serve_course

    serve_course(course_dir or default_course_dir(), host, port, out, open_browser, say=lambda text: console().print(text),
                 editor=editor or editor_from_environment(), previews=previews)


def built_summary(report: BuildReport, out: Path) -> str:
    """'Built 2 outputs, kept 4 unchanged', or 'Nothing to rebuild' when every output was kept."""
    from course_builder.build import REPORT_NAME

    kept = [r for r in report.outputs if report.kept(r)]
    made = len(report.outputs) - len(kept)
    where = f"{escape(str(out))} (report: {escape(str(out / REPORT_NAME))})"
    if made == 0:
        return f"[green]Nothing to rebuild[/green]: {counted(len(kept), 'output')} unchanged in {where}."
    also = f", kept {len(kept)} unchanged" if kept else ""
    return f"[green]Built[/green] {counted(made, 'output')}{also} into {where}."


@contextmanager
def build_progress(hidden: bool) -> Iterator[Callable[[str], None]]:
    """A live line with the output being rendered, how many are done and the time so far (stderr)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} done"), TimeElapsedColumn())
    with Progress(*columns, console=console(hidden), transient=True) as bar:
        task = bar.add_task("Building…", total=None)
        started = 0

        def update(what: str) -> None:
            nonlocal started
            if what.endswith(" done"):  # parallel: each output reports when it is finished
                bar.update(task, description=f"Built {what.removesuffix(' done')}", advance=1)
                return
            bar.update(task, description=f"Building {what}…", completed=started)  # one at a time: the previous is done
            started += 1

        yield update


@main.command(short_help="Print JSON Schemas of the course files, for editors.")
@click.argument("which", required=False, type=click.Choice(["course", "brand", "module"]))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write course.schema.json, brand.schema.json and module.schema.json here.",
)
@reports_course_errors
def schema(which: str | None, out: Path | None) -> None:
    """Print the JSON Schema of course.yaml, brand.yaml and module front matter (for editors).

    \b
    Example:
      course-builder schema --out .schemas
    """
    from course_builder.schema import json_schemas

    schemas = json_schemas()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name, value in schemas.items():
            (out / f"{name}.schema.json").write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
        results().print(f"Wrote {counted(len(schemas), 'schema')} into {out}")
        return
    click.echo(json.dumps(schemas[which] if which else schemas, indent=2))


@main.command(short_help="Check this machine can build courses.")
def doctor() -> None:
    """Check this machine can build courses, and say what to install if not.

    \b
    Example:
      course-builder doctor
    """
    from course_builder.doctor import current_platform, diagnose, fix_for

    where = current_platform()
    findings = diagnose()
    from rich.console import Console

    marks = {"ok": "[green]ok[/green]", "missing": "[red]missing[/red]", "optional": "[yellow]optional[/yellow]"}
    out = Console(highlight=False)  # the findings are the command's result: stdout
    for finding in findings:
        out.print(f"{marks[finding.status]:<28} {finding.name}: {finding.detail}", soft_wrap=True)
        if (fix := fix_for(finding, where)) is not None:
            out.print(f"    [dim]to install:[/dim] {fix}", soft_wrap=True)
    if any(f.status == "missing" for f in findings):
        sys.exit(EXIT_CONTENT_ERROR)
    out.print("[green]Ready[/green]: this machine can build every output.")


@main.command(short_help="Check a package (SCORM, cmi5, cartridge) before uploading it.")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True,
              help="Treat conformance findings (ADL's or IMS's rules and the official schemas) as errors, not warnings.")
@reports_course_errors
def validate(package: Path, strict: bool) -> None:
    """Check a SCORM 1.2, SCORM 2004, cmi5 or Common Cartridge package (any tool's) as an LMS would, then by the standard.

    Errors are what stops an LMS importing or running the package (exit code 1); conformance
    findings are warnings unless --strict. Repeated findings are shown a few at a time with a count.

    \b
    Example:
      course-builder validate build/my-course-scorm12.zip
      course-builder validate build/my-course-cc11.imscc
    """
    from course_builder.scorm.validate import summarised, validate_package

    problems = validate_package(package, strict=strict)
    print_problems(summarised(problems), None)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    noted = f" ({warnings} conformance finding{'s' if warnings != 1 else ''} above)" if warnings else ""
    if errors:
        verdict = "it breaks the standard's rules (--strict)" if strict else f"an LMS would refuse it or fail to run it{noted}"
        results().print(f"[red]{errors} error{'s' if errors != 1 else ''}[/red] in {package.name}: {verdict}.")
        sys.exit(EXIT_CONTENT_ERROR)
    if warnings:
        results().print(f"[green]OK[/green] {package.name} can be uploaded to an LMS; {warnings} conformance "
                        f"finding{'s' if warnings != 1 else ''} above (errors with --strict).")
        return
    results().print(f"[green]OK[/green] {package.name} is a valid package: nothing an LMS or the standard objects to.")


main.add_command(translate)
