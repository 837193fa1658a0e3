"""Skip a target whose inputs have not changed since it last wrote its outputs.

The fingerprint covers everything an output can depend on: the course folder's files, the
brand and its files, the build options, the built-in templates and the tool's own code. It
lives in the output folder, so deleting that folder (or `--no-cache`) forces a full build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from course_builder import __version__
from course_builder.model import Brand, Course
from course_builder.resources import PACKAGE_DIR, templates_dir
from course_builder.targets.base import BuildOptions, atomic_file

CACHE_NAME = ".course-builder-cache.json"


def _digest_files(files: list[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(base).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _tree_files(folder: Path, skip: Path | None = None) -> list[Path]:
    files = []
    inside = folder.resolve()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if skip is not None and path.is_relative_to(skip):
            continue
        # A link out of the folder is never read (the loader refuses any such file a course uses).
        if path.is_file() and path.resolve().is_relative_to(inside):
            files.append(path)
    return files


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool's code, data and built-in templates: a changed renderer means a new output."""
    code = _digest_files(_tree_files(PACKAGE_DIR), PACKAGE_DIR)
    templates = _digest_files(_tree_files(templates_dir()), templates_dir())
    return hashlib.sha256(f"{__version__}:{code}:{templates}".encode()).hexdigest()


def course_fingerprint(course: Course, out: Path) -> str:
    return _digest_files(_tree_files(course.root, skip=out.resolve()), course.root)


def brand_fingerprint(brand: Brand) -> str:
    files = [p for p in (brand.source, brand.logo, brand.pptx_template, *brand.fonts.heading.files, *brand.fonts.body.files) if p]
    digest = hashlib.sha256(brand.model_dump_json().encode())
    for file in files:
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class CachedOutput:
    path: str
    size: int
    mtime_ns: int


class BuildCache:
    """Remembers, per target and brand, the input fingerprint and the outputs it produced."""

    def __init__(self, out: Path, enabled: bool = True):
        self.file = out / CACHE_NAME
        self.enabled = enabled
        self.entries: dict[str, dict] = {}
        if enabled and self.file.is_file():
            try:
                self.entries = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    @staticmethod
    def fingerprint(course_print: str, brand: Brand, target: str, options: BuildOptions) -> str:
        settings = {k: v for k, v in asdict(options).items() if k != "jobs"}  # how many processes never changes a file
        parts = [tool_fingerprint(), course_print, brand_fingerprint(brand), target, json.dumps(settings, sort_keys=True)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def fresh_outputs(self, key: str, fingerprint: str, out: Path) -> list[Path] | None:
        """The outputs of an earlier build with the same inputs, if all are still untouched."""
        entry = self.entries.get(key)
        if not self.enabled or entry is None or entry["fingerprint"] != fingerprint:
            return None
        paths = []
        for item in entry["outputs"]:
            path = out / item["path"]
            if not path.exists() or self._stamp(path) != (item["size"], item["mtime_ns"]):
                return None
            paths.append(path)
        return paths

    def remember(self, key: str, fingerprint: str, outputs: list[Path], out: Path) -> None:
        self.entries[key] = {
            "fingerprint": fingerprint,
            "outputs": [asdict(CachedOutput(p.relative_to(out).as_posix(), *self._stamp(p))) for p in outputs],
        }

    def save(self) -> None:
        if self.enabled:
            with atomic_file(self.file) as temporary:
                temporary.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int]:
        stat = path.stat()
        return stat.st_size, stat.st_mtime_ns
