"""Orchestration: which targets, which brands, every target's checks, the output folder's safety, and the report.

A build is all or nothing. Every target's checks run first, for every brand, and any error
stops the build before anything is rendered. The targets then write into a staging folder
inside the output folder (`.staging-…`); only when every one has succeeded are their outputs
moved into place, the report last. A failed or killed build leaves the earlier outputs and
report as they were, and the next build removes what a killed one left behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course_builder import __version__
from course_builder.cache import (
    BuildCache,
    asset_fingerprint,
    brand_files,
    folder_fingerprint,
    request_fingerprint,
    task_base,
    task_fingerprint,
    untouched_outputs,
)
from course_builder.errors import CourseError, Problem
from course_builder.proof import write_proof_sheet
from course_builder.scorm.presets import formats_for
from course_builder.targets import BUILT_IN, BuildOptions, Target, available_targets, closest_target, get_target, render_order
from course_builder.targets.base import atomic_file

if TYPE_CHECKING:  # loading and the model are imported by the builds that need them, not by a rebuild with nothing to do
    from course_builder.load import LoadedCourse
    from course_builder.model import Brand, Course
    from course_builder.views import CourseView

REPORT_NAME = "build-report.json"
LOCK_NAME = ".course-builder.lock"
STAGING_PREFIX = ".staging-"


@dataclass
class OutputRecord:
    format: str
    brand: str
    path: str
    bytes: int
    sha256: str


@dataclass
class BuildReport:
    course: str
    version: str
    outputs: list[OutputRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    tool_version: str = __version__
    accessibility: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    def kept(self, record: OutputRecord) -> bool:
        """Whether the output is the last build's, unchanged: its `brand/format` is among the reused, after its
        language's folder when there is one (`de/northwind/web` for `de/web`)."""
        key = f"{record.brand}/{record.format}"
        folders = (k.removesuffix(key) for k in self.reused if k == key or k.endswith(f"/{key}"))
        return any(record.path.startswith(folder) for folder in folders)


Progress = Callable[[str], None]


def refuse(message: str, hint: str = "build into a separate folder, e.g. --out build") -> CourseError:
    return CourseError.single(None, None, message, hint)


def source_folders(course: Course) -> set[Path]:
    """Folders below the course folder that hold its sources: modules, brand files, images, fonts, templates."""
    brands = (course.brand, *course.extra_brands)
    files = [m.source for m in course.modules]
    files += [b.source for b in brands if b.source] + [b.logo for b in brands if b.logo]
    files += [f for b in brands for f in (*b.fonts.heading.files, *b.fonts.body.files)]
    files += [block.image for m in course.modules for block in m.blocks if block.kind == "figure"]
    folders = {f.parent for f in files} | {course.root / name for name in ("modules", "assets", "templates")}
    return {f for f in folders if f != course.root}


def written_by_builder(out: Path) -> bool:
    """A folder an earlier build wrote into: it has the build's lock file or report."""
    return (out / LOCK_NAME).exists() or (out / REPORT_NAME).exists()


def check_output_folder(course: Course, out: Path) -> None:
    """Refuse an output folder where building could overwrite or delete the author's files."""
    out = out.resolve()
    root = course.root
    if out == root:
        raise refuse(f"the output folder {out} is the course folder itself")
    if root.is_relative_to(out):
        raise refuse(f"the output folder {out} contains the course folder {root}")
    if (out / "course.yaml").exists():
        raise refuse(f"the output folder {out} holds a course's sources (course.yaml)")
    for folder in sorted(source_folders(course)):
        if out.is_relative_to(folder):
            raise refuse(f"the output folder {out} is inside {folder.relative_to(root)}/, which holds the course's sources")
    if out.is_dir() and not written_by_builder(out):
        sources = sorted(p.name for p in out.iterdir() if p.suffix.lower() in (".md", ".yaml", ".yml"))
        if sources:
            raise refuse(
                f"the output folder {out} holds files this tool did not write ({', '.join(sources[:3])})",
                "build into an empty or new folder",
            )


def check_no_foreign_outputs(out: Path, planned: list[Path]) -> None:
    """In a folder no build wrote before, refuse to replace files that happen to share an output's name."""
    if not out.is_dir() or written_by_builder(out):
        return
    taken = [path for path in planned if path.exists() or path.is_symlink()]
    if taken:
        raise refuse(
            f"{taken[0]} already exists and was not written by course-builder",
            "move it away, or build into an empty or new folder with --out",
        )


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one fails with a clear message."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK_NAME, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CourseError.single(
                None,
                None,
                f"another build is writing to {out} right now",
                "wait for it to finish, or build into another folder with --out",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def selected_formats(course: Course, formats: tuple[str, ...]) -> list[str]:
    """The formats asked for, else the course's `outputs:`, else its LMS preset's; heaviest first; unknown names refused."""
    chosen = list(formats) or list(course.settings.outputs) or formats_for(course.settings.lms.preset, list(BUILT_IN))
    for name in chosen:
        if name not in available_targets():
            near = closest_target(name)
            hint = f"did you mean '{near}'?" if near else f"use one of: {', '.join(available_targets())}"
            raise CourseError.single(None, None, f"unknown format '{name}'", hint)
    return render_order(list(dict.fromkeys(chosen)))


def view_of(course: Course, target: Target) -> CourseView:
    """The one view a target receives: the course as the target's audience may see it."""
    from course_builder.views import view_for

    return view_for(course, target.audience)


def target_problems(course: Course, formats: list[str], brands: tuple[Brand, ...], options: BuildOptions) -> list[Problem]:
    """Every problem and warning of every target for every brand, each once: what `check` prints and `build` stops on."""
    from course_builder.labels import language_problems

    problems: list[Problem] = language_problems(course)
    for name in formats:
        target = get_target(name)
        view = view_of(course, target)
        for brand in brands:
            problems += target.check(view, brand, options)
    return list(dict.fromkeys(problems))


def build_brands(course: Course, brands: tuple[Brand, ...] = ()) -> tuple[Brand, ...]:
    """Brands named for this run win; else the course's `brands:` list; else its one `brand:`."""
    return brands or course.extra_brands or (course.brand,)


@dataclass(frozen=True)
class Task:
    """One target for one brand: the unit of work that runs in a process of its own."""

    target: str
    brand: Brand
    folder: str
    """Where its outputs go, relative to the output folder: "" or, with several brands, the brand's id."""

    @property
    def key(self) -> str:
        return f"{self.brand.id}/{self.target}"


@dataclass
class TaskResult:
    outputs: list[Path]
    warnings: list[str]
    seconds: float
    content: str | None = None  # fingerprint of what the output is made from, when the target can tell
    reused: bool = False  # the outputs are the earlier ones, in the output folder; else new ones, in the staging folder


def run_task(
    course: Course, task: Task, options: BuildOptions, out: Path, staging: Path, content_base: str,
    previous: dict[str, Any] | None,
) -> TaskResult:
    """Build one target for one brand into `staging`, unless what it is made from is what the last build made it from.

    Module-level so a process pool can run it. The content check runs here, in the worker, so the
    HTML of both PDFs is made in parallel too, and made only once.
    """
    started = time.perf_counter()
    target = get_target(task.target)
    view = view_of(course, target)
    key = target.content_key(view, task.brand, options)
    content = task_fingerprint(content_base, key) if key is not None else None
    if content is not None and previous is not None and previous["content"] == content:
        kept = untouched_outputs(previous, out)
        if kept is not None:
            return TaskResult(kept, previous["warnings"], time.perf_counter() - started, content, reused=True)
    folder = staging / task.folder
    folder.mkdir(parents=True, exist_ok=True)
    written = target.build(view, task.brand, folder, options)
    warnings = [w.describe(course.root) for w in target.warnings]
    return TaskResult(written, warnings, time.perf_counter() - started, content)


# ---------------------------------------------------------------- all or nothing: the staging folder


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh, hidden folder inside `out` for this build's outputs; removed when the build ends, however it ends."""
    staging = out / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    try:
        staging.mkdir(mode=0o700)
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the outputs and the report change together; they take effect right after.

    (SIGKILL cannot wait: a build killed in these few renames leaves some outputs new, which the
    report, still the old one, does not describe; the next build sees that and makes them again.)
    """
    held = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def remove_leftovers(out: Path) -> None:
    """What a killed build left: its staging folder and half-written files (`.name.pid-token.part`).

    Called while holding the output folder's lock, so no running build's files are touched. An
    output set aside while being replaced (`.name.pid-token.old`) goes back in place if the
    build died before the new one arrived.
    """
    folders = [out, *(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".") and not p.is_symlink())]
    for folder in folders:
        for path in folder.iterdir():
            name = path.name
            if not name.startswith(".") or path.is_symlink():
                continue
            if name.startswith(STAGING_PREFIX) or name.endswith(".part"):
                _remove(path)
            elif name.endswith(".old"):
                final = folder / name[1:].rsplit(".", 2)[0]
                if final.exists():
                    _remove(path)
                else:
                    os.replace(path, final)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def move_into_place(staged: Path, final: Path) -> None:
    """Put a finished output where the user finds it; a folder (the web course) replaces the old one whole."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if not staged.is_dir() or not final.exists():
        if final.is_dir() and not final.is_symlink():
            shutil.rmtree(final)
        os.replace(staged, final)
        return
    retired = final.parent / f".{final.name}.{os.getpid()}-{secrets.token_hex(6)}.old"
    os.replace(final, retired)
    os.replace(staged, final)
    shutil.rmtree(retired)


def reuse_unchanged_build(
    root: Path, out: Path, formats: tuple[str, ...], brand_sources: tuple[Path, ...], options: BuildOptions
) -> BuildReport | None:
    """The last build's report, if it was asked the same and nothing it read or wrote has changed since.

    This needs no parsing: the course folder's files are hashed and compared, so a rebuild with
    nothing to do takes a fraction of a second. None: build as usual.
    """
    cache = BuildCache(out)
    request = request_fingerprint(formats, list(brand_sources), options)
    report_file = out / REPORT_NAME
    if not report_file.is_file() or cache.unchanged_run(request, root.resolve()) is None:
        return None
    with output_lock(out):
        remove_leftovers(out)  # of a build killed since: it changed nothing, so the earlier report stands
        keys = cache.unchanged_run(request, root.resolve())  # again, now that no other build can be writing
        if keys is None:
            return None
        try:
            saved = json.loads(report_file.read_text(encoding="utf-8"))
            outputs = [OutputRecord(**o) for o in saved["outputs"]]
            report = BuildReport(saved["course"], saved["version"], outputs, list(saved["warnings"]))
            report.accessibility = saved.get("accessibility", {})
        except (ValueError, KeyError, TypeError):  # a report edited by hand: build, which writes a new one
            return None
        report.timings = dict.fromkeys(keys, 0.0)
        report.reused = keys
        with atomic_file(report_file) as temporary:
            temporary.write_text(report.to_json(), encoding="utf-8")
    return report


def build_course(
    loaded: LoadedCourse,
    out: Path,
    formats: tuple[str, ...] = (),
    brands: tuple[Brand, ...] = (),
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    proof: bool = False,
    languages: tuple[str, ...] = (),
) -> BuildReport:
    """Build every selected format for every brand into `out`; write and return the report.

    `languages` (from `--language`), or else course.yaml's `languages:`, build each language into
    its own folder (see `course_builder.translation.build`); a language asked for here must have
    a translation file.

    With `proof`, also write `proof.html`: a thumbnail of every page and slide with the warnings
    beside them. It is left out by default because drawing slides needs LibreOffice and takes
    longer than the build itself.

    Every target's checks run first; an error in any of them raises `CourseError` with every
    problem of every target before anything is rendered. Outputs whose inputs are unchanged since
    the last build into `out` are kept (see `course_builder.cache`). With `options.jobs > 1` the
    others render in parallel processes.
    """
    course = loaded.course
    if languages or course.settings.languages:  # one build per language, each into <out>/<language>/
        from course_builder.translation.apply import require_translations
        from course_builder.translation.build import build_each_language

        require_translations(course, languages)
        return build_each_language(loaded, out, languages or course.settings.languages, formats, brands, options,
                                   progress, use_cache, proof)
    options = options or BuildOptions(source_date_epoch=source_date_epoch())
    request = request_fingerprint(formats, [b.source for b in brands if b.source], options)
    brands = build_brands(course, brands)
    chosen = selected_formats(course, formats)
    check_output_folder(course, out)
    problems = target_problems(course, chosen, brands, options)
    if any(p.severity == "error" for p in problems):
        raise CourseError(problems)
    report = BuildReport(course=course.id, version=course.settings.version)
    report.warnings = [w.describe(course.root) for w in loaded.warnings + problems]
    tasks = [Task(name, brand, brand.id if len(brands) > 1 else "") for brand in brands for name in chosen]
    check_no_foreign_outputs(out, planned_outputs(course, tasks, out))
    with output_lock(out):
        remove_leftovers(out)
        cache = BuildCache(out, enabled=use_cache)
        files, assets = folder_fingerprint(course.root, out), asset_fingerprint(course, out)
        results: dict[str, TaskResult] = {}
        pending: list[tuple[Task, str, str]] = []
        for task in tasks:
            base = task_base(task.target, task.brand, options, get_target(task.target).options_read)
            inputs = task_fingerprint(base, "files", files)
            entry = cache.fresh(task.key, inputs)
            if entry is None:
                pending.append((task, inputs, task_fingerprint(base, "content", assets)))
                continue
            kept = untouched_outputs(entry, out) or []
            results[task.key] = TaskResult(kept, entry["warnings"], 0.0, entry["content"], reused=True)
        with staging_folder(out) as staging:
            jobs = [(task, content_base, cache.previous(task.key)) for task, _, content_base in pending]
            results.update(_run_all(course, jobs, options, out, staging, progress))
            for task in tasks:  # a new output is recorded where it is staged: the same bytes, at the same relative path
                result = results[task.key]
                report.timings[task.key] = round(result.seconds, 3)
                report.warnings += result.warnings
                where = out if result.reused else staging
                report.outputs += [_record(task.target, task.brand, path, where) for path in result.outputs]
                if result.reused:
                    report.reused.append(task.key)
            report.warnings = list(dict.fromkeys(report.warnings))  # the web course and both packages share their warnings
            from course_builder.conformance import conformance_report, write_conformance_report  # loads the model

            accessibility = conformance_report(loaded, brands, report.outputs, (staging, out))
            # Every target has succeeded: only now does anything in the output folder change, all of it at once.
            with uninterrupted():
                for result in results.values():
                    if not result.reused:
                        result.outputs = [_commit(path, staging, out) for path in result.outputs]
                for task, inputs, _ in pending:
                    result = results[task.key]
                    cache.remember(task.key, inputs, result.content, result.outputs, result.warnings)
                external = [f for brand in brands for f in brand_files(brand)
                            if not f.resolve().is_relative_to(course.root.resolve())]
                cache.remember_run(request, course.root.resolve(), external, [task.key for task in tasks])
                cache.save()
                report.accessibility = write_conformance_report(accessibility, out, course.settings.language)
                with atomic_file(out / REPORT_NAME) as temporary:
                    temporary.write_text(report.to_json(), encoding="utf-8")
        if proof:
            write_proof_sheet(course, out, report)
    return report


def planned_outputs(course: Course, tasks: list[Task], out: Path) -> list[Path]:
    planned = []
    for task in tasks:
        target = get_target(task.target)
        planned += [out / task.folder / path for path in target.outputs(view_of(course, target), task.brand)]
    return planned


def _commit(staged: Path, staging: Path, out: Path) -> Path:
    final = out / staged.relative_to(staging)
    move_into_place(staged, final)
    return final


def _run_all(
    course: Course,
    jobs: list[tuple[Task, str, dict[str, Any] | None]],
    options: BuildOptions,
    out: Path,
    staging: Path,
    progress: Progress | None,
) -> Iterator[tuple[str, TaskResult]]:
    if options.jobs <= 1 or len(jobs) <= 1:
        for task, content_base, previous in jobs:
            if progress:
                progress(f"{task.target} ({task.brand.name})")
            yield task.key, run_task(course, task, options, out, staging, content_base, previous)
        return
    with ProcessPoolExecutor(max_workers=min(options.jobs, len(jobs))) as pool:
        futures = {pool.submit(run_task, course, task, options, out, staging, content_base, previous): task
                   for task, content_base, previous in jobs}
        for future in as_completed(futures):
            task = futures[future]
            if progress:
                progress(f"{task.target} ({task.brand.name}) done")
            yield task.key, future.result()


def _record(name: str, brand: Brand, path: Path, out: Path) -> OutputRecord:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        digest = hashlib.sha256()
        for file in files:
            digest.update(file.relative_to(path).as_posix().encode() + b"\0" + sha256_of(file).encode())
        size, sha = sum(f.stat().st_size for f in files), digest.hexdigest()
    else:
        size, sha = path.stat().st_size, sha256_of(path)
    return OutputRecord(name, brand.id, path.relative_to(out).as_posix(), size, sha)


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return int(value) if value and value.isdigit() else None
