"""Orchestration: which targets, which brands, the output folder's safety, and the report."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course_builder import __version__
from course_builder.errors import CourseError
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
    tool_version: str = __version__

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


Progress = Callable[[str], None]


def check_output_folder(course: Course, out: Path) -> None:
    """Refuse an output folder where building could overwrite the author's sources."""
    out = out.resolve()
    root = course.root
    if out == root or (out / "course.yaml").exists():
        raise CourseError.single(
            None, None, f"the output folder {out} holds a course's sources", "build into a separate folder, e.g. --out build"
        )
    for source_dir in ("modules", "assets", "templates"):
        if out.is_relative_to(root / source_dir):
            raise CourseError.single(
                None,
                None,
                f"the output folder {out} is inside the course's {source_dir}/ folder",
                "build into a separate folder, e.g. --out build",
            )
    if out.is_dir() and any(p.suffix == ".md" for p in out.glob("*.md")) and not (out / REPORT_NAME).exists():
        raise CourseError.single(
            None,
            None,
            f"the output folder {out} holds Markdown files that this tool did not write",
            "build into an empty or new folder",
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


def build_course(
    loaded: LoadedCourse,
    out: Path,
    formats: tuple[str, ...] = (),
    brands: tuple[Brand, ...] = (),
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build every selected format for every brand into `out`; write and return the report."""
    course = loaded.course
    options = options or BuildOptions(source_date_epoch=source_date_epoch())
    brands = brands or (course.brand, *course.extra_brands)
    chosen = selected_formats(course, formats)
    check_output_folder(course, out)
    report = BuildReport(course=course.id, version=course.settings.version)
    report.warnings = [w.describe(course.root) for w in loaded.warnings]
    with output_lock(out):
        for brand in brands:
            brand_out = out / brand.id if len(brands) > 1 else out
            for name in chosen:
                if progress:
                    progress(f"{name} ({brand.name})")
                started = time.perf_counter()
                target = get_target(name)
                written = target.build(course, brand, brand_out, options)
                report.timings[f"{brand.id}/{name}"] = round(time.perf_counter() - started, 3)
                report.warnings += [w.describe(course.root) for w in target.warnings]
                for path in written:
                    report.outputs.append(_record(name, brand, path, out))
        with atomic_file(out / REPORT_NAME) as temporary:
            temporary.write_text(report.to_json(), encoding="utf-8")
    return report


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
