"""Checks of a brand that need more than its schema: readable colours and fonts that cover the text.

These are warnings: a brand that fails them still builds (with accessible text colours picked
where the design allows), but the coach learns which pair fails and by how much. The targets'
`check` methods call them for what each target shows: colour pairs for the designs that put
text on the brand's colours, fonts for the outputs that embed them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from course_builder.contrast import AA_TEXT, contrast_ratio
from course_builder.errors import Problem
from course_builder.fonts import FALLBACK_FAMILY, clashing_faces, fallback_faces
from course_builder.model import Brand, Course
from course_builder.views import CourseView
from course_builder.writing import Writing, writing

# Pairs the built-in designs put text on: (text colour, background colour, where it is used).
TEXT_PAIRS = (
    ("text", "background", "body text on the page background"),
    ("background", "primary", "titles on primary-coloured bands (covers, title slides, headers)"),
    ("primary", "background", "headings in the primary colour"),
    ("background", "secondary", "labels on secondary-coloured badges"),
)


def contrast_problems(brand: Brand) -> list[Problem]:
    problems = []
    colors = brand.colors.model_dump()
    for fg, bg, where in TEXT_PAIRS:
        ratio = contrast_ratio(colors[fg], colors[bg])
        if ratio < AA_TEXT:
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"colours {fg} {colors[fg]} on {bg} {colors[bg]} have contrast {ratio:.2f}:1, "
                    f"below the WCAG AA minimum of {AA_TEXT}:1 by {AA_TEXT - ratio:.2f} ({where})",
                    f"choose a darker {fg if fg != 'background' else bg} or a lighter {bg if fg != 'background' else fg}; "
                    "outputs pick a readable text colour where they can",
                    severity="warning",
                )
            )
    return problems


def course_characters(course: Course | CourseView) -> set[str]:
    text = [course.title, course.settings.subtitle or ""]
    for module in course.modules:
        text.append(module.title)
        text.extend(module.objectives)
        text.extend(block.model_dump_json() for block in module.blocks)
    return {c for c in set("".join(text)) if c.isprintable() and not c.isspace()}  # each distinct character tested once


def font_problems(brand: Brand, characters: set[str], script: Writing | None = None) -> list[Problem]:
    """Each brand font file must open, and cover the characters the course uses.

    Characters of the language's script (`script`: Arabic, Hebrew) that the font lacks are drawn
    in the script's bundled font, and the warning says so.
    """
    from fontTools.ttLib import TTFont, TTLibError

    problems = []
    in_script = script.covers(characters) if script else set()
    for role in ("heading", "body"):
        font = getattr(brand.fonts, role)
        covered: set[int] = set()
        for file in font.files:
            try:
                with TTFont(file, lazy=True, fontNumber=0) as tt:
                    covered |= set(tt.getBestCmap() or {})
            except (TTLibError, OSError, AssertionError, KeyError) as err:
                problems.append(
                    Problem(
                        brand.source,
                        None,
                        f"the {role} font '{Path(file).name}' cannot be read: {err}",
                        "use a .ttf or .otf file",
                        severity="warning",
                    )
                )
        for first, second in clashing_faces(font):
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"the {role} font files '{first.file.name}' and '{second.file.name}' both declare "
                    f"weight {first.weight} {first.style}; only '{first.file.name}' is used",
                    "list each face of the family once (regular, bold, italic, bold italic)",
                    severity="warning",
                )
            )
        if not font.files:
            covered = set(_bundled_characters())
        missing = sorted(c for c in characters if ord(c) not in covered) if covered else []
        if font.files and missing:
            shown = "".join(missing[:20])
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"the {role} font '{font.family}' has no glyphs for {len(missing)} characters the course uses: {shown}",
                    f"those characters are drawn in {_drawn_in(set(missing), in_script, script)}; "
                    "choose a font that covers your language",
                    severity="warning",
                )
            )
        elif not font.files and in_script & set(missing):
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"the {role} font '{FALLBACK_FAMILY}' has no {script.script} letters: {script.script} text is drawn "
                    f"in the bundled {script.family}",
                    f"list font files that cover {script.script} under fonts: {role}: files: in the brand file "
                    "to set it in the brand's own font",
                    severity="warning",
                )
            )
    return problems


def _drawn_in(missing: set[str], in_script: set[str], script: Writing | None) -> str:
    """Which bundled fallback draws the missing characters."""
    if script and script.family and missing <= in_script:
        return f"the bundled {script.family}"
    if script and script.family and missing & in_script:
        return f"the bundled {script.family} and {FALLBACK_FAMILY}"
    return f"the fallback font ({FALLBACK_FAMILY})"


@cache
def _bundled_characters() -> frozenset[int]:
    """What the bundled fallback (Noto Sans) draws: the text of a brand that lists no font files."""
    from fontTools.ttLib import TTFont

    with TTFont(fallback_faces()[0].file, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def fonts_without_files(brand: Brand, output: str) -> list[Problem]:
    """A brand font named without files cannot be embedded: `output` draws that text in the bundled fallback."""
    problems = []
    for role in ("heading", "body"):
        font = getattr(brand.fonts, role)
        if not font.files and font.family != FALLBACK_FAMILY:
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"the {role} font '{font.family}' has no font files, so {output} uses {FALLBACK_FAMILY} instead",
                    f"list the font's .ttf or .otf files under fonts: {role}: files: in the brand file",
                    severity="warning",
                )
            )
    return problems


def brand_warnings(course: Course | CourseView, brand: Brand) -> list[Problem]:
    """What every output that embeds the brand's fonts and puts text on its colours shares."""
    script = writing(course.settings.language)
    return contrast_problems(brand) + font_problems(brand, course_characters(course), script)
