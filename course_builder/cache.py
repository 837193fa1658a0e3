"""Skip work whose inputs have not changed since it last wrote its outputs.

Three checks, cheapest first:

1. The whole run (`BuildCache.unchanged_run`): the same request (formats, brand files, options),
   the same tool, the same files in the course folder and the same brand files outside it, and
   every output untouched. The earlier report stands; the course is not even parsed.
2. One target for one brand (`BuildCache.fresh`): the same, for what that target reads, so a
   deleted output or a newly asked format is built while the rest is kept.
3. What a target is made from (`Target.content_key`, checked where the target runs): after an
   edit, a target whose content did not change keeps its output. The workbook, for one, does
   not show facilitator notes, and the guide does not show the reading.

Every check compares file contents, never dates. The records live in the output folder
(`.course-builder-cache.json`): deleting the folder forces a full build, and `--no-cache` skips
the checks but still records what it builds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course_builder import __version__
from course_builder.resources import PACKAGE_DIR, templates_dir
from course_builder.targets.base import BuildOptions, atomic_file

if TYPE_CHECKING:
    from course_builder.model import Brand, Course

CACHE_NAME = ".course-builder-cache.json"
CACHE_FORMAT = 2
RENDERERS = ("weasyprint", "pydyf", "python-pptx", "jinja2", "markdown-it-py", "mdit-py-plugins", "lxml", "pillow", "fonttools")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _file_digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


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


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool's code, data and built-in templates, and the renderers' versions: a new renderer means a new output."""
    code = _digest_files(_tree_files(PACKAGE_DIR), PACKAGE_DIR)
    templates = _digest_files(_tree_files(templates_dir()), templates_dir())
    renderers = ",".join(f"{name}={_installed(name)}" for name in RENDERERS)
    return _digest(__version__, code, templates, renderers)


def folder_fingerprint(root: Path, out: Path) -> str:
    """Every file of the course folder (an output folder inside it excluded)."""
    return _digest_files(_tree_files(root, skip=out.resolve()), root)


def asset_fingerprint(course: Course, out: Path) -> str:
    """The course's files other than those the loader parses into the model: what a renderer may fetch."""
    parsed = {course.root / "course.yaml", *(m.source for m in course.modules)}
    parsed |= {b.source for b in (course.brand, *course.extra_brands) if b.source}
    files = [f for f in _tree_files(course.root, skip=out.resolve()) if f not in parsed]
    return _digest_files(files, course.root)


def brand_files(brand: Brand) -> list[Path]:
    return [p for p in (brand.source, brand.logo, brand.pptx_template, *brand.fonts.heading.files, *brand.fonts.body.files) if p]


def brand_fingerprint(brand: Brand) -> str:
    digest = hashlib.sha256(brand.model_dump_json().encode())
    for file in brand_files(brand):
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _settings(options: BuildOptions) -> dict[str, object]:
    """The options that can change a file: all but how many processes build them."""
    return {k: v for k, v in asdict(options).items() if k != "jobs"}


def request_fingerprint(formats: tuple[str, ...], brand_sources: list[Path], options: BuildOptions) -> str:
    """What was asked for: formats and brand files as given, and the settings."""
    asked = {"formats": list(formats), "brands": [str(p.resolve()) for p in brand_sources], "options": _settings(options)}
    return json.dumps(asked, sort_keys=True)


def task_fingerprint(base: str, *parts: str) -> str:
    """One target for one brand: `base` (tool, target, brand, options) with what its output is made from."""
    return _digest(base, *parts)


def task_base(target: str, brand: Brand, options: BuildOptions, options_read: frozenset[str]) -> str:
    """Tool, target, brand, and the options the target declares it reads (`Target.options_read`).

    The build's date (`source_date_epoch`) is in every key: every output carries it. So `--paper`
    re-renders the PDFs only, and `--sco` the SCORM packages only.
    """
    read = {name: value for name, value in _settings(options).items() if name in options_read | {"source_date_epoch"}}
    return _digest(tool_fingerprint(), target, brand_fingerprint(brand), json.dumps(read, sort_keys=True))


def untouched_outputs(entry: dict[str, Any] | None, out: Path) -> list[Path] | None:
    """The outputs an entry records, if every one is still there as it was written; else None."""
    if entry is None:
        return None
    paths = []
    for item in entry["outputs"]:
        path = out / item["path"]
        if not path.exists() or list(_stamp(path)) != [item["size"], item["mtime_ns"]]:
            return None
        paths.append(path)
    return paths


def _well_formed(saved: object) -> bool:
    if not isinstance(saved, dict) or saved.get("format") != CACHE_FORMAT:
        return False
    tasks, run = saved.get("tasks"), saved.get("run")
    if not isinstance(tasks, dict) or not isinstance(run, dict):
        return False
    if run and not {"fingerprint", "external", "keys"} <= run.keys():
        return False
    return all(
        isinstance(entry, dict)
        and {"inputs", "content", "outputs", "warnings"} <= entry.keys()
        and all(isinstance(o, dict) and {"path", "size", "mtime_ns"} <= o.keys() for o in entry["outputs"])
        for entry in tasks.values()
    )


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


class BuildCache:
    """Per target and brand: the fingerprints of its inputs and content, its outputs and its warnings."""

    def __init__(self, out: Path, enabled: bool = True):
        """`enabled=False` (--no-cache): nothing earlier is reused, but this build is still recorded."""
        self.out = out
        self.file = out / CACHE_NAME
        self.enabled = enabled
        self.tasks: dict[str, dict[str, Any]] = {}
        self.run: dict[str, Any] = {}
        if self.file.is_file():
            try:
                saved = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                saved = {}
            if _well_formed(saved):  # anything else (an older tool's records, a damaged file) is ignored
                self.tasks, self.run = saved["tasks"], saved["run"]

    def previous(self, key: str) -> dict[str, Any] | None:
        """What the last build recorded for this target and brand (None with --no-cache)."""
        return self.tasks.get(key) if self.enabled else None

    def fresh(self, key: str, inputs: str) -> dict[str, Any] | None:
        """The record of an earlier build with the same inputs, if its outputs are untouched."""
        entry = self.previous(key)
        if entry is None or entry["inputs"] != inputs or untouched_outputs(entry, self.out) is None:
            return None
        return entry

    def remember(self, key: str, inputs: str, content: str | None, outputs: list[Path], warnings: list[str]) -> None:
        records = []
        for path in outputs:
            size, mtime_ns = _stamp(path)
            records.append({"path": path.relative_to(self.out).as_posix(), "size": size, "mtime_ns": mtime_ns})
        self.tasks[key] = {"inputs": inputs, "content": content, "outputs": records, "warnings": warnings}

    def remember_run(self, request: str, root: Path, external: list[Path], keys: list[str]) -> None:
        """What this run asked and read, so an identical next run can stand on it without parsing anything."""
        files = {str(p): _file_digest(p) for p in sorted(set(external))}
        self.run = {"fingerprint": self._run_fingerprint(request, root, files), "external": sorted(files), "keys": keys}

    def unchanged_run(self, request: str, root: Path) -> list[str] | None:
        """The task keys of the last run, if it was asked the same, nothing it read changed and its outputs are untouched."""
        if not self.enabled or not self.run:
            return None
        try:
            files = {name: _file_digest(Path(name)) for name in self.run["external"]}
        except OSError:
            return None
        if self._run_fingerprint(request, root, files) != self.run["fingerprint"]:
            return None
        if any(untouched_outputs(self.tasks.get(key), self.out) is None for key in self.run["keys"]):
            return None
        return list(self.run["keys"])

    def _run_fingerprint(self, request: str, root: Path, external: dict[str, str]) -> str:
        return _digest(tool_fingerprint(), request, folder_fingerprint(root, self.out), json.dumps(external, sort_keys=True))

    def save(self) -> None:
        with atomic_file(self.file) as temporary:
            saved = {"format": CACHE_FORMAT, "run": self.run, "tasks": self.tasks}
            temporary.write_text(json.dumps(saved, indent=1, sort_keys=True), encoding="utf-8")
