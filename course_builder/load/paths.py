"""Resolve paths an author wrote, refusing anything that leaves the course folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import urlparse


class PathRefused(ValueError):
    """The path cannot be used; the message says why in an author's terms."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def resolve_inside(root: Path, base: Path, written: str | Path) -> Path:
    """The absolute path of `written` (relative to `base`), which must stay inside `root`."""
    text = str(written).strip()
    if urlparse(text).scheme in {"http", "https", "ftp", "file", "data", "javascript"} or text.startswith("//"):
        raise PathRefused(
            f"'{text}' is a web address; the build never downloads anything",
            "save the file into the course's assets/ folder and use its path, e.g. assets/logo.png",
        )
    if PurePosixPath(text).is_absolute() or Path(text).is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise PathRefused(
            f"'{text}' is an absolute path; a course must carry its own files",
            "copy the file into the course folder and write its path relative to the course",
        )
    root = root.resolve()
    target = (base / text).resolve()
    if not target.is_relative_to(root):
        raise PathRefused(
            f"'{text}' points outside the course folder (through '..' or a symbolic link)",
            "copy the file into the course folder, e.g. into assets/",
        )
    return target
