"""Resolve paths an author wrote, refusing anything that leaves the course folder."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

WEB_SCHEMES = {"http", "https", "ftp", "ftps", "file", "data", "javascript", "vbscript", "blob", "ws", "wss"}


class PathRefused(ValueError):
    """The path cannot be used; the message says why in an author's terms."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def resolve_inside(root: Path, base: Path, written: str | Path) -> Path:
    """The absolute path of `written` (relative to `base`), which must stay inside `root`.

    Symbolic links are followed before the check, so a link inside the course that points
    elsewhere is refused like a '../' path.
    """
    text = str(written).strip()
    if not text:
        raise PathRefused("has no path", "write the file's path, relative to the file you are editing")
    if any(ord(c) < 32 for c in text):
        raise PathRefused(f"{text!r} contains control characters", "type the path again")
    if urlparse(text).scheme.lower() in WEB_SCHEMES or text.startswith("//"):
        raise PathRefused(
            f"'{text}' is a web address; the build never downloads anything",
            "save the file into the course's assets/ folder and use its path there instead",
        )
    if PurePosixPath(text).is_absolute() or text.startswith(("\\", "~")) or (len(text) > 1 and text[1] == ":"):
        raise PathRefused(
            f"'{text}' is an absolute path; a course must carry its own files",
            "copy the file into the course folder and write its path relative to the course",
        )
    root = root.resolve()
    try:
        target = (base / text).resolve()
    except (OSError, RuntimeError) as err:  # a loop of symbolic links, or a name the system refuses
        raise PathRefused(f"'{text}' cannot be opened ({err})", "replace the link or file with a real file") from None
    if not target.is_relative_to(root):
        raise PathRefused(
            f"'{text}' points outside the course folder (through '..' or a symbolic link)",
            "copy the file into the course folder and use its path there",
        )
    return target


def missing(path: Path) -> str:
    """Why a path an author named is not a file they can use, in their words (a special file is never opened)."""
    try:
        return special_file(path.stat().st_mode)
    except OSError:
        return "does not exist"


def special_file(mode: int) -> str:
    """What a path that is not a regular file is, in an author's words (it is never opened)."""
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file; the build never opens one"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file; the build never opens one"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file; the build never opens one"
    return "is not a regular file"


def missing_file_hint(written: str, path: Path, relative_to: str) -> str:
    """What to check when a file an author named is not there, with a near name if one exists."""
    if "\\" in written:
        return "write paths with '/' between folders, e.g. ../assets/photo.png"
    if path.is_dir():
        return "this is a folder; write the path of a file inside it"
    if os.path.lexists(path):
        return "replace it with the file itself, or check the path"
    if path.parent.is_dir():
        names = [p.name for p in path.parent.iterdir()]
        exact = [n for n in names if n.lower() == path.name.lower()]
        close = exact or difflib.get_close_matches(path.name, names, n=1, cutoff=0.7)
        if close:
            return f"did you mean '{close[0]}'? (names are case-sensitive)" if exact else f"did you mean '{close[0]}'?"
    return f"check the path; it is read relative to {relative_to}"
