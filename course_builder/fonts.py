"""Which font files carry a brand's heading and body text, with a bundled open fallback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_builder.model import Brand, Font
from course_builder.resources import data_dir

FALLBACK_FAMILY = "Noto Sans"
FALLBACK_FILES = {
    (400, "normal"): "NotoSans-Regular.ttf",
    (700, "normal"): "NotoSans-Bold.ttf",
    (400, "italic"): "NotoSans-Italic.ttf",
    (700, "italic"): "NotoSans-BoldItalic.ttf",
}


@dataclass(frozen=True)
class FontFace:
    """One @font-face: a family name, a weight, a style and the file that draws it."""

    family: str
    weight: int
    style: str
    file: Path


def _guess_weight_style(file: Path) -> tuple[int, str]:
    name = file.stem.lower()
    weight = (
        700
        if any(w in name for w in ("bold", "black", "heavy")) and "semibold" not in name
        else 600
        if "semibold" in name
        else 400
    )
    style = "italic" if "italic" in name or name.endswith("-it") else "normal"
    return weight, style


def faces_for(font: Font) -> list[FontFace]:
    """The brand's own font files for this role, or the bundled fallback when it has none."""
    if font.files:
        return [FontFace(font.family, *_guess_weight_style(f), f) for f in font.files]
    return fallback_faces()


def fallback_faces() -> list[FontFace]:
    folder = data_dir() / "fonts"
    return [FontFace(FALLBACK_FAMILY, w, s, folder / name) for (w, s), name in FALLBACK_FILES.items()]


def brand_faces(brand: Brand) -> list[FontFace]:
    """Every face the brand's text needs, fallback included so missing glyphs still render."""
    faces = faces_for(brand.fonts.heading) + faces_for(brand.fonts.body) + fallback_faces()
    unique: dict[tuple[str, int, str, Path], FontFace] = {}
    for face in faces:
        unique.setdefault((face.family, face.weight, face.style, face.file), face)
    return list(unique.values())


def family_stack(font: Font) -> str:
    """A CSS font-family value: the brand family first, then the bundled fallback."""
    family = font.family if font.files else FALLBACK_FAMILY
    return f'"{family}", "{FALLBACK_FAMILY}", sans-serif'
