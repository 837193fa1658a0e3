"""Where the files shipped with the tool live, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The built-in templates: inside the package when installed, else the repo's templates/."""
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


def data_dir() -> Path:
    """Data shipped inside the package (schemas, fonts, runtime scripts)."""
    return PACKAGE_DIR / "data"


def sample_course_dir() -> Path:
    """The bundled sample workshop: packaged copy when installed, else the repo's content/."""
    packaged = PACKAGE_DIR / "sample"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "content"
