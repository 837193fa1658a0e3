"""`course-builder doctor`: is this machine ready to build, and if not, what to install, in its own terms.

Each finding says what works, what does not, and the command for this platform (Debian or
Ubuntu, macOS with Homebrew, Windows) that fixes it. Nothing here changes the machine.
"""

from __future__ import annotations

import platform
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "missing", "optional"]
Platform = Literal["linux", "macos", "windows"]

MINIMUM_PYTHON = (3, 11)


@dataclass(frozen=True)
class Finding:
    name: str
    status: Status
    detail: str
    fix: str | None = None


def current_platform() -> Platform:
    system = platform.system()
    return "macos" if system == "Darwin" else "windows" if system == "Windows" else "linux"


FIXES: dict[str, dict[Platform, str]] = {
    "python": {
        "linux": "sudo apt install python3.11 python3.11-venv (or newer)",
        "macos": "brew install python@3.12",
        "windows": "install Python 3.12 from the Microsoft Store or python.org, ticking 'Add python.exe to PATH'",
    },
    "pango": {
        "linux": "sudo apt install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
        "macos": "brew install pango",
        "windows": "install the GTK runtime as WeasyPrint's documentation describes (MSYS2: pacman -S mingw-w64-x86_64-pango)",
    },
    "libreoffice": {
        "linux": "sudo apt install libreoffice-impress",
        "macos": "brew install --cask libreoffice",
        "windows": "install LibreOffice from libreoffice.org",
    },
}


def check_python() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] >= MINIMUM_PYTHON:
        return Finding("Python", "ok", f"Python {version}")
    return Finding("Python", "missing", f"Python {version} is too old: course-builder needs 3.11 or newer", "python")


def check_pdf_engine() -> Finding:
    """WeasyPrint makes the PDFs; it needs the Pango text library from the system."""
    try:
        import weasyprint
    except (ImportError, OSError) as err:  # OSError: WeasyPrint is installed but cannot load Pango
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        return Finding("PDF engine", "missing", f"WeasyPrint cannot start ({reason}): no workbook, guide or handouts", "pango")
    return Finding("PDF engine", "ok", f"WeasyPrint {weasyprint.__version__} with Pango")


def check_bundled_fonts() -> Finding:
    from course_builder.fonts import fallback_faces

    missing = [face.file.name for face in fallback_faces() if not face.file.is_file()]
    if missing:
        return Finding("Fonts", "missing", f"bundled fonts are missing ({', '.join(missing)}): reinstall course-builder")
    return Finding("Fonts", "ok", "Noto Sans is bundled for any brand that names no font files")


def check_office() -> Finding:
    """LibreOffice is optional: it renders slide thumbnails for the proof sheet and previews."""
    found = next((shutil.which(name) for name in ("soffice", "libreoffice") if shutil.which(name)), None)
    if found:
        return Finding("LibreOffice", "ok", f"found at {found}: slide previews and thumbnails are drawn")
    return Finding(
        "LibreOffice",
        "optional",
        "not found: every output still builds; only slide thumbnails in the proof sheet and preview are left out",
        "libreoffice",
    )


CHECKS: tuple[Callable[[], Finding], ...] = (check_python, check_pdf_engine, check_bundled_fonts, check_office)


def diagnose() -> list[Finding]:
    return [check() for check in CHECKS]


def fix_for(finding: Finding, where: Platform) -> str | None:
    return FIXES[finding.fix][where] if finding.fix else None
