"""Orchestration: which targets, which brands, the output folder's safety, and the report."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course_builder import __version__
from course_builder.brand_check import brand_warnings
from course_builder.cache import BuildCache, course_fingerprint
from course_builder.errors import CourseError, Problem
from course_builder.load import LoadedCourse
from course_builder.model import Brand, Course
from course_builder.targets import BuildOptions, available_targets, get_target
from course_builder.targets.base import atomic_file

REPORT_NAME = "build-report.json"
LOCK_NAME = ".course-builder.lock"


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

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


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
    chosen = list(formats) or list(course.settings.outputs)
    unknown = [f for f in chosen if f not in available_targets()]
    if unknown:
        raise CourseError.single(None, None, f"unknown format '{unknown[0]}'", f"use one of: {', '.join(available_targets())}")
    return chosen


@dataclass(frozen=True)
class Task:
    """One target for one brand: the unit of work that runs in a process of its own."""

    target: str
    brand: Brand
    out: Path

    @property
    def key(self) -> str:
        return f"{self.brand.id}/{self.target}"


# Heaviest first, so parallel workers finish together.
RENDER_ORDER = ("workbook", "guide", "slides", "scorm2004", "scorm12", "web")


def run_task(course: Course, task: Task, options: BuildOptions) -> tuple[list[Path], list[Problem], float]:
    """Build one target for one brand; module-level so a process pool can run it."""
    started = time.perf_counter()
    target = get_target(task.target)
    written = target.build(course, task.brand, task.out, options)
    return written, target.warnings, time.perf_counter() - started


def build_course(
    loaded: LoadedCourse,
    out: Path,
    formats: tuple[str, ...] = (),
    brands: tuple[Brand, ...] = (),
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> BuildReport:
    """Build every selected format for every brand into `out`; write and return the report.

    Targets whose inputs are unchanged since the last build into `out` are not re-rendered.
    With `options.jobs > 1` the remaining (brand, target) pairs render in parallel processes.
    """
    course = loaded.course
    options = options or BuildOptions(source_date_epoch=source_date_epoch())
    # Brands named for this run win; else the course's `brands:` list; else its one `brand:`.
    brands = brands or course.extra_brands or (course.brand,)
    chosen = sorted(selected_formats(course, formats), key=lambda f: RENDER_ORDER.index(f) if f in RENDER_ORDER else -1)
    check_output_folder(course, out)
    report = BuildReport(course=course.id, version=course.settings.version)
    report.warnings = [w.describe(course.root) for w in loaded.warnings]
    report.warnings += [w.describe(course.root) for brand in brands for w in brand_warnings(course, brand)]
    tasks = [Task(name, brand, out / brand.id if len(brands) > 1 else out) for brand in brands for name in chosen]
    planned = [task.out / path for task in tasks for path in get_target(task.target).outputs(course, task.brand)]
    check_no_foreign_outputs(out, planned)
    with output_lock(out):
        cache = BuildCache(out, enabled=use_cache)
        course_print = course_fingerprint(course, out)
        results: dict[str, tuple[list[Path], list[Problem], float]] = {}
        pending = []
        for task in tasks:
            fingerprint = cache.fingerprint(course_print, task.brand, task.target, options)
            cached = cache.fresh_outputs(task.key, fingerprint, out)
            if cached is not None:
                results[task.key] = (cached, [], 0.0)
                report.reused.append(task.key)
            else:
                pending.append((task, fingerprint))
        for task, (written, warnings, seconds) in _run_all(course, [t for t, _ in pending], options, progress):
            results[task.key] = (written, warnings, seconds)
        for task, fingerprint in pending:
            cache.remember(task.key, fingerprint, results[task.key][0], out)
        for task in tasks:
            written, warnings, seconds = results[task.key]
            report.timings[task.key] = round(seconds, 3)
            report.warnings += [w.describe(course.root) for w in warnings]
            report.outputs += [_record(task.target, task.brand, path, out) for path in written]
        cache.save()
        with atomic_file(out / REPORT_NAME) as temporary:
            temporary.write_text(report.to_json(), encoding="utf-8")
    return report


def _run_all(
    course: Course, tasks: list[Task], options: BuildOptions, progress: Progress | None
) -> Iterator[tuple[Task, tuple[list[Path], list[Problem], float]]]:
    if options.jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            if progress:
                progress(f"{task.target} ({task.brand.name})")
            yield task, run_task(course, task, options)
        return
    with ProcessPoolExecutor(max_workers=min(options.jobs, len(tasks))) as pool:
        futures = {pool.submit(run_task, course, task, options): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            if progress:
                progress(f"{task.target} ({task.brand.name}) done")
            yield task, future.result()


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
