"""The `course-builder` command: thin Click commands over load, build and validate."""

from __future__ import annotations

import json
import shutil
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from course_builder import __version__
from course_builder.errors import CourseError, Problem
from course_builder.targets import available_targets

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
    from rich.console import Console

    return Console(stderr=True, quiet=quiet, highlight=False)


def print_problems(problems: list[Problem], root: Path | None, quiet: bool = False) -> None:
    from rich.markup import escape

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
            root = kwargs.get("course_dir")
            print_problems(err.warnings + err.problems, Path(root) if root else None)
            count = len(err.problems)
            console().print(f"[red]{count} error{'s' if count != 1 else ''}[/red]; nothing was changed in the output folder.")
            sys.exit(EXIT_CONTENT_ERROR)
        except KeyboardInterrupt:
            console().print("Interrupted: outputs from earlier builds are kept as they were.")
            sys.exit(130)
        except OSError as err:
            from rich.markup import escape

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

    from rich.markup import escape

    with tempfile.NamedTemporaryFile("w", prefix="course-builder-crash-", suffix=".txt", delete=False) as log:
        traceback.print_exception(err, file=log)
    console().print(
        f"[red]internal error[/red]: course-builder failed unexpectedly ({escape(type(err).__name__)}: {escape(str(err))}). "
        f"This is a bug, not a problem in your course; earlier outputs are kept as they were. Details: {log.name}",
        soft_wrap=True,
    )


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM (`kill`, a CI job cancelled) stops a build as Ctrl-C does: its staging folder is removed on the way out."""
    raise KeyboardInterrupt


course_dir_argument = click.argument("course_dir", required=False, type=click.Path(file_okay=False, path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="course-builder")
def main() -> None:
    """Turn a course kept as plain files into a workbook, facilitator guide, slide deck,
    web course and SCORM packages.

    Start with `course-builder init my-course`, edit the files, run `course-builder check`,
    then `course-builder build`.
    """


brand_option = click.option(
    "--brand",
    "brand_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this brand file instead of the course's (repeatable: one set of outputs per brand).",
)


@main.command()
@course_dir_argument
@brand_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@reports_course_errors
def check(course_dir: Path | None, brand_files: tuple[Path, ...], strict: bool, quiet: bool) -> None:
    """Check a course for errors without building it (COURSE_DIR defaults to the current course).

    Runs the checks of every output the course builds (course.yaml `outputs:`), for every brand:
    whatever a build would refuse or warn about, this reports.
    """
    from course_builder.build import build_brands, selected_formats, source_date_epoch, target_problems
    from course_builder.load import load_brand_files, load_course
    from course_builder.targets import BuildOptions

    root = course_dir or default_course_dir()
    loaded = load_course(root)
    course = loaded.course
    brands = build_brands(course, load_brand_files(brand_files, course.root) if brand_files else ())
    options = BuildOptions(source_date_epoch=source_date_epoch())
    problems = loaded.warnings + target_problems(course, selected_formats(course, ()), brands, options)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    print_problems(warnings + errors, root, quiet and not errors)
    if errors or (strict and warnings):
        what = f"{len(errors)} errors" if errors else f"{len(warnings)} warnings, treated as errors (--strict)"
        console().print(f"[red]Not OK[/red] {course.title}: {what}.")
        sys.exit(EXIT_CONTENT_ERROR)
    console(quiet).print(f"[green]OK[/green] {course.title}: {len(course.modules)} modules, {len(warnings)} warnings.")


@main.command()
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
    help="Build only this format (repeatable).",
)
@brand_option
@click.option("--paper", type=click.Choice(["a4", "letter"]), help="Paper size for the PDFs (default: from course.yaml).")
@click.option("--sco", type=click.Choice(["per-module", "single"]), help="SCORM: one SCO per module or one for the course.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Build in this many processes.")
@click.option("--no-cache", is_flag=True, help="Re-render every output even if its sources did not change.")
@click.option("--proof", is_flag=True, help="Also write proof.html: every page and slide as a thumbnail, warnings beside them.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@reports_course_errors
def build(
    course_dir: Path | None,
    out: Path,
    formats: tuple[str, ...],
    brand_files: tuple[Path, ...],
    paper: str | None,
    sco: str | None,
    jobs: int,
    no_cache: bool,
    proof: bool,
    quiet: bool,
) -> None:
    """Build the course's outputs into OUT and write OUT/build-report.json and OUT/accessibility.html."""
    from rich.markup import escape

    from course_builder.build import REPORT_NAME as REPORT
    from course_builder.build import reuse_unchanged_build, source_date_epoch
    from course_builder.targets import BuildOptions

    signal.signal(signal.SIGTERM, interrupt)
    root = course_dir or default_course_dir()
    options = BuildOptions(paper=paper, sco=sco, jobs=jobs, source_date_epoch=source_date_epoch())  # type: ignore[arg-type]
    # Nothing changed since the last build: its outputs stand, and the course is not even parsed.
    report = None if no_cache or proof else reuse_unchanged_build(root, out, formats, brand_files, options)
    shown = report.warnings if report else []
    if report is None:
        from course_builder.build import build_course
        from course_builder.load import load_brand_files, load_course

        loaded = load_course(root)
        print_problems(loaded.warnings, root, quiet)
        brands = load_brand_files(brand_files, loaded.course.root) if brand_files else ()
        out_console = console(quiet or not sys.stderr.isatty())
        with out_console.status("Building…") as status:
            report = build_course(
                loaded,
                out,
                formats,
                brands,
                options,
                progress=lambda what: status.update(f"Building {what}…"),
                use_cache=not no_cache,
                proof=proof,
            )
        shown = report.warnings[len(loaded.warnings) :]
    summary = console(quiet)
    for warning in shown:
        summary.print(escape(warning), soft_wrap=True)
    for record in report.outputs:
        reused = " (unchanged)" if f"{record.brand}/{record.format}" in report.reused else ""
        summary.print(f"  {record.format:<10} {escape(str(out / record.path))}  ({record.bytes / 1024:,.0f} KB){reused}")
    where = escape(str(out))
    summary.print(f"[green]Built[/green] {len(report.outputs)} outputs into {where} (report: {escape(str(out / REPORT))}).")


@main.command()
@course_dir_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (the default: this computer only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free port).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Build here (default: a temporary folder).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@reports_course_errors
def serve(course_dir: Path | None, host: str, port: int, out: Path | None, open_browser: bool) -> None:
    """Preview the web course in a browser: rebuilt and reloaded each time you save, with the course's problems shown."""
    from course_builder.serve import serve_course

    serve_course(course_dir or default_course_dir(), host, port, out, open_browser, say=lambda text: console().print(text))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--minimal", is_flag=True, help="A one-module skeleton instead of the sample workshop.")
@reports_course_errors
def init(directory: Path, minimal: bool) -> None:
    """Create a new course in DIRECTORY, from the sample workshop or a minimal skeleton."""
    from course_builder.resources import sample_course_dir
    from course_builder.skeleton import write_minimal_course

    if directory.exists() and any(directory.iterdir()):
        raise CourseError.single(None, None, f"{directory} is not empty", "choose a new folder name; nothing was changed")
    if minimal:
        write_minimal_course(directory)
    else:
        shutil.copytree(sample_course_dir(), directory, dirs_exist_ok=True)
    console().print(f"[green]Created[/green] {directory}. Next: course-builder check {directory}")


@main.command()
@click.argument("which", required=False, type=click.Choice(["course", "brand", "module"]))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write course.schema.json, brand.schema.json and module.schema.json here.",
)
@reports_course_errors
def schema(which: str | None, out: Path | None) -> None:
    """Print the JSON Schema of course.yaml, brand.yaml and module front matter (for editors)."""
    from course_builder.schema import json_schemas

    schemas = json_schemas()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name, value in schemas.items():
            (out / f"{name}.schema.json").write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
        console().print(f"Wrote {len(schemas)} schemas into {out}")
        return
    click.echo(json.dumps(schemas[which] if which else schemas, indent=2))


@main.command()
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


@main.command()
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True,
              help="Treat conformance findings (ADL's rules and the official schemas) as errors, not warnings.")
@reports_course_errors
def validate(package: Path, strict: bool) -> None:
    """Check a SCORM 1.2, SCORM 2004 or cmi5 package (any tool's) as an LMS would, then against the standard's rules.

    Errors are what stops an LMS importing or running the package (exit code 1); conformance
    findings are warnings unless --strict. Repeated findings are shown a few at a time with a count.
    """
    from course_builder.scorm.validate import summarised, validate_package

    problems = validate_package(package, strict=strict)
    print_problems(summarised(problems), None)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    noted = f" ({warnings} conformance finding{'s' if warnings != 1 else ''} above)" if warnings else ""
    if errors:
        verdict = "it breaks SCORM's rules (--strict)" if strict else f"an LMS would refuse it or fail to run it{noted}"
        console().print(f"[red]{errors} error{'s' if errors != 1 else ''}[/red] in {package.name}: {verdict}.")
        sys.exit(EXIT_CONTENT_ERROR)
    if warnings:
        console().print(f"[green]OK[/green] {package.name} can be uploaded to an LMS; {warnings} conformance "
                        f"finding{'s' if warnings != 1 else ''} above (errors with --strict).")
        return
    console().print(f"[green]OK[/green] {package.name} is a valid package: nothing an LMS or the standard objects to.")


from course_builder.translation.cli import translate  # noqa: E402  (it uses the helpers above)

main.add_command(translate)
