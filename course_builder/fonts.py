"""Which font files carry a brand's heading and body text, with a bundled open fallback."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fontTools.ttLib import TTFont, TTLibError

from course_builder.model import Brand, Font
from course_builder.resources import data_dir

if TYPE_CHECKING:
    from course_builder.writing import Writing

FALLBACK_FAMILY = "Noto Sans"
FALLBACK_FILES = {
    (400, "normal"): "NotoSans-Regular.ttf",
    (700, "normal"): "NotoSans-Bold.ttf",
    (400, "italic"): "NotoSans-Italic.ttf",
    (700, "italic"): "NotoSans-BoldItalic.ttf",
}


FS_ITALIC = 1 << 0
FS_OBLIQUE = 1 << 9
MAC_BOLD = 1 << 0
MAC_ITALIC = 1 << 1


@dataclass(frozen=True)
class FontFace:
    """One @font-face: a family name, a weight, a style and the file that draws it."""

    family: str
    weight: int
    style: str
    file: Path


def declared_face(file: Path) -> tuple[int, str]:
    """The weight and style a font file declares in its own tables, whatever the file is called.

    OS/2 holds the weight class and the italic and oblique bits; the head table's style bits
    stand in for fonts without OS/2 (old Mac fonts). A file fontTools cannot read (the loader
    refuses those) is taken as regular.
    """
    try:
        with TTFont(file, lazy=True, fontNumber=0) as font:
            os2 = font.get("OS/2")
            mac_style = font["head"].macStyle if "head" in font else 0
            weight = os2.usWeightClass if os2 is not None else (700 if mac_style & MAC_BOLD else 400)
            slanted = os2 is not None and bool(os2.fsSelection & (FS_ITALIC | FS_OBLIQUE))
    except (TTLibError, OSError, KeyError, AssertionError, struct.error):
        return 400, "normal"
    # CSS and WeasyPrint know the nine weights 100..900; some fonts write 1..9 or odd values.
    weight = weight * 100 if 1 <= weight <= 9 else weight
    weight = min(900, max(100, round(weight / 100) * 100))
    return weight, "italic" if slanted or mac_style & MAC_ITALIC else "normal"


def faces_for(font: Font) -> list[FontFace]:
    """The brand's own font files for this role, or the bundled fallback when it has none."""
    if font.files:
        return [FontFace(font.family, *declared_face(f), f) for f in font.files]
    return fallback_faces()


def clashing_faces(font: Font) -> list[tuple[FontFace, FontFace]]:
    """Pairs of listed files that declare the same weight and style: only the first of each is used."""
    seen: dict[tuple[int, str], FontFace] = {}
    clashes = []
    for face in faces_for(font) if font.files else []:
        first = seen.setdefault((face.weight, face.style), face)
        if first is not face:
            clashes.append((first, face))
    return clashes


def fallback_faces() -> list[FontFace]:
    folder = data_dir() / "fonts"
    return [FontFace(FALLBACK_FAMILY, w, s, folder / name) for (w, s), name in FALLBACK_FILES.items()]


def brand_faces(brand: Brand, writing: Writing | None = None) -> list[FontFace]:
    """Every face the brand's text needs, fallbacks included so missing glyphs still render.

    `writing` adds the bundled faces of the course language's script (Arabic, Hebrew).
    """
    script = list(writing.faces) if writing else []
    faces = faces_for(brand.fonts.heading) + faces_for(brand.fonts.body) + script + fallback_faces()
    unique: dict[tuple[str, int, str, Path], FontFace] = {}
    for face in faces:
        unique.setdefault((face.family, face.weight, face.style, face.file), face)
    return list(unique.values())


def family_names(font: Font, writing: Writing | None = None) -> list[str]:
    """The families that draw a role's text, in order: the brand's, the script's, the bundled fallback."""
    names = [font.family if font.files else FALLBACK_FAMILY]
    if writing and writing.family:
        names.append(writing.family)
    return list(dict.fromkeys([*names, FALLBACK_FAMILY]))


def family_stack(font: Font, writing: Writing | None = None) -> str:
    """A CSS font-family value: the brand family first, then the script's and the bundled fallback."""
    return ", ".join(f'"{name}"' for name in family_names(font, writing)) + ", sans-serif"
