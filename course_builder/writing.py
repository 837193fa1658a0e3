"""How a course's language is written: its direction, its script and the bundled font that covers it.

Everything comes from Babel's locale data (CLDR), never from a list of languages kept here: the
direction from `Locale.text_direction`, the script from CLDR's likely subtags (Arabic, "ar", is
most likely written in the Arabic script, "Arab"). When the package data holds the Noto Sans
family of that script (`Noto Sans Arabic`, `Noto Sans Hebrew`), every output puts it after the
brand's font, so text the brand's font cannot draw is drawn, measured and embedded in a font
that can. A language Babel does not know (the pseudo-language `qps`) is written left to right
in the brand's fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from fontTools.ttLib import TTFont

from course_builder.fonts import FontFace, declared_face
from course_builder.resources import data_dir

JOINED_SCRIPTS = frozenset({"Arabic", "Syriac", "N’Ko", "Mongolian", "Mandaic", "Adlam", "Hanifi Rohingya"})
"""Scripts whose letters connect (Unicode's cursive joining scripts), named as Babel names them in English."""


@dataclass(frozen=True)
class Writing:
    """How text in one language runs and which bundled faces draw its script."""

    language: str
    direction: str  # "ltr" or "rtl", as HTML's dir attribute takes it
    script: str  # the script's English name ("Arabic", "Latin"), empty for a language Babel does not know
    faces: tuple[FontFace, ...]  # the bundled Noto Sans faces of that script; none for Latin (Noto Sans itself)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def letters_join(self) -> bool:
        """Whether the script's letters join one to the next, so spacing them out would break every word apart."""
        return self.script in JOINED_SCRIPTS

    @property
    def slants(self) -> bool:
        """Whether the script is set in italics: Latin in the brand's fonts is; a script whose bundled faces have no
        italic (Arabic, Hebrew) is not, since a renderer would only slant its upright letters, which its readers
        do not take for emphasis."""
        return not self.faces or any(face.style == "italic" for face in self.faces)

    @property
    def page_classes(self) -> tuple[str, ...]:
        """Class names for a page's root element, for what its style sheet does differently in this script."""
        return (*(("letters-join",) if self.letters_join else ()), *(() if self.slants else ("upright",)))

    @property
    def start_side(self) -> str:
        """The page side lines start from, for what CSS cannot say in logical terms (backgrounds)."""
        return "right" if self.rtl else "left"

    @property
    def family(self) -> str | None:
        """The family of the bundled script faces, to name after the brand's in a font list."""
        return self.faces[0].family if self.faces else None

    def covers(self, characters: set[str]) -> set[str]:
        """The characters of `characters` the bundled script faces draw."""
        if not self.faces:
            return set()
        with TTFont(self.faces[0].file, lazy=True) as font:
            cmap = font.getBestCmap() or {}
        return {c for c in characters if ord(c) in cmap}


@cache
def writing(language: str) -> Writing:
    """Direction, script and script faces of a BCP 47 language tag ("ar", "he-IL", "de")."""
    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Writing(language, "ltr", "", ())
    script = locale.script or _likely_script(locale.language)
    name = Locale("en").scripts.get(script, "") if script else ""
    return Writing(language, locale.text_direction, name, _script_faces(name))


def _likely_script(language: str) -> str | None:
    likely = get_global("likely_subtags").get(language)
    return parse_locale(likely)[2] if likely else None


def _script_faces(script: str) -> tuple[FontFace, ...]:
    """The bundled files of "Noto Sans <script>" (Noto's naming), each with the weight and style it declares."""
    if not script:
        return ()
    family = f"Noto Sans {script}"
    files = sorted((data_dir() / "fonts").glob(f"NotoSans{script.replace(' ', '')}-*.ttf"))
    return tuple(FontFace(family, *declared_face(file), file) for file in files)
