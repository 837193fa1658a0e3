"""Modules read once and reused while they do not change, for `serve`, which loads the course after every save.

Reading a module (Markdown parse, block readers, image checks) is most of a load: at 16 modules
it is about three quarters of a web preview's rebuild. A saved file is usually one module, so
`serve` keeps each module's result, with every problem found while reading it, and reuses it
when nothing it was read from has changed:

- the module's own text (its sha256);
- the course-wide inputs a module's reading depends on: the course folder, `allow_html`, and
  the files it may name (images, and the picture beside an SVG). Those are summed up as one
  fingerprint of every file in the course folder that is not Markdown (path, size and
  modification time), so a changed, added or removed image rereads every module; that is
  rare while writing, and cheaper than tracking which module looked for which file.

The checks that span modules (unique ids, breaks, objectives, accessibility) run on every
load, over the reused and the newly read modules alike, so a warm load reports exactly what a
cold one does. `check` and `build` read each course once and use no cache.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from course_builder.errors import Problem, Problems
from course_builder.model import Module


@dataclass(frozen=True)
class ModuleKey:
    path: Path
    text_sha256: str
    allow_html: bool
    assets: str


@dataclass
class ModuleCache:
    """The last reading of each module file; `skip` names folders inside the course that are outputs, not sources."""

    skip: tuple[Path, ...] = ()
    entries: dict[Path, tuple[ModuleKey, Module | None, tuple[Problem, ...]]] = field(default_factory=dict)
    reused: int = 0  # modules served from the cache on the last load, for tests and the benchmark
    read: int = 0

    def start_load(self, root: Path) -> str:
        """Begin a load of the course at `root`: the fingerprint of the files a module may name."""
        self.reused = self.read = 0
        return assets_fingerprint(root, tuple(p.resolve() for p in self.skip))

    def module(
        self,
        key: ModuleKey,
        problems: Problems,
        read: Callable[[Problems], Module | None],
    ) -> Module | None:
        """The module for `key`: reused if read before from the same inputs, else read now. Its problems go to `problems`."""
        kept = self.entries.get(key.path)
        if kept is not None and kept[0] == key:
            self.reused += 1
            problems.items.extend(kept[2])
            return kept[1]
        own = Problems()
        module = read(own)
        self.read += 1
        self.entries[key.path] = (key, module, tuple(own.items))
        problems.items.extend(own.items)
        return module


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assets_fingerprint(root: Path, skip: tuple[Path, ...]) -> str:
    """Path, size and modification time of every file under `root` except Markdown, outputs and `.git`."""
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        folders[:] = sorted(d for d in folders if d != ".git" and (here / d).resolve() not in skip)
        for name in sorted(files):
            if name.lower().endswith(".md"):
                continue
            try:
                stat = (here / name).stat()
            except OSError:  # a dangling link: fixing it must reread the module that names it
                digest.update(f"{here / name}\0dangling\n".encode())
                continue
            digest.update(f"{here / name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
