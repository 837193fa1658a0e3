"""Links that open a file at a line in the author's editor, from the preview page's list of problems.

Editors register a URL scheme with the operating system (`vscode://file/PATH:LINE`); the browser
asks before handing such a link to the editor. The preview only writes the link: it never runs a
program, whatever a web request asks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import quote

EDITOR_URLS: dict[str, Callable[[str, int], str]] = {
    "vscode": lambda path, line: f"vscode://file{path}:{line}",
    "idea": lambda path, line: f"idea://open?file={path}&line={line}",
    "sublime": lambda path, line: f"subl://open?url=file://{path}&line={line}",
}
EDITORS = (*EDITOR_URLS, "none")

# The commands of $VISUAL or $EDITOR that name an editor with a URL scheme of its own.
COMMANDS = {
    "code": "vscode", "code-insiders": "vscode", "codium": "vscode",
    "idea": "idea", "idea64": "idea", "pycharm": "idea", "pycharm64": "idea", "charm": "idea",
    "subl": "sublime", "sublime_text": "sublime",
}


def editor_from_environment(environment: Mapping[str, str] = os.environ) -> str:
    """The editor $VISUAL or $EDITOR names, when it has a URL scheme; else "none" (file and line as plain text)."""
    for variable in ("VISUAL", "EDITOR"):
        words = environment.get(variable, "").split()
        if words:
            command = Path(words[0]).name.lower().removesuffix(".exe")
            return COMMANDS.get(command, "none")
    return "none"


def editor_link(editor: str, file: Path | None, line: int | None) -> str | None:
    """The URL that opens `file` at `line` in `editor`, or None (no editor, or no file to open)."""
    make = EDITOR_URLS.get(editor)
    if make is None or file is None:
        return None
    path = file.resolve().as_posix()
    return make(quote(path if path.startswith("/") else f"/{path}", safe="/:"), line or 1)  # C:/… on Windows
