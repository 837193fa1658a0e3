"""Everything the slides build can refuse or warn about, found without rendering a slide.

`SlidesTarget.check` returns these; `course-builder check` and `build` report them before
anything is written. Each check reads only the presenter view and the brand.
"""

from __future__ import annotations

from pathlib import Path

from course_builder.contrast import AA_TEXT, contrast_ratio
from course_builder.errors import CourseError, Problem
from course_builder.fonts import FALLBACK_FAMILY
from course_builder.model import Brand, Figure
from course_builder.targets.slides.template import open_template, template_geometry
from course_builder.targets.slides.theme import TEXT_ON_GROUND, replaced_colours, theme_colors
from course_builder.views import CourseView


def template_problems(brand: Brand) -> list[Problem]:
    """A template that does not open, or lacks a layout or placeholder the deck needs."""
    if brand.pptx_template is None:
        return []
    try:
        template_geometry(open_template(brand), brand)
    except CourseError as error:
        return error.problems
    return []


def logo_problems(brand: Brand) -> list[Problem]:
    """The default design puts the logo on the master; a logo only some programs show is left out."""
    if brand.logo is None or brand.pptx_template is not None or brand.logo_raster is not None:
        return []
    return [
        Problem(
            brand.source,
            None,
            f"the deck shows no logo: {brand.logo.name} is not a PNG or JPEG, "
            f"and presentation programs do not all show {brand.logo.suffix.lstrip('.').upper()} images",
            f"put a PNG of the logo beside it as {brand.logo.with_suffix('.png').name}",
            severity="warning",
        )
    ]


def unshown_image_problems(view: CourseView) -> list[Problem]:
    """Figures the deck describes in words because no program-safe picture of them exists."""
    images: dict[Path, Figure] = {}
    for module in view.modules:
        for block in module.blocks:
            if isinstance(block, Figure) and block.raster is None:
                images.setdefault(block.image, block)
    return [
        Problem(
            image,
            None,
            f"the deck shows the description of {image.name}, not the picture: "
            f"presentation programs do not all show {image.suffix.lstrip('.').upper()} images",
            f"put a PNG of it beside it as {image.with_suffix('.png').name}",
            severity="warning",
        )
        for image in images
    ]


def colour_problems(brand: Brand) -> list[Problem]:
    """Brand colours the deck replaced to keep text readable, and any pair of text and ground still below WCAG AA."""
    slots = theme_colors(brand)
    grounds = (slots["lt1"], slots["lt2"])
    problems = [
        Problem(
            brand.source,
            None,
            f"the slides set text in the {name} colour {own}, which has {min(contrast_ratio(own, g) for g in grounds):.2f}:1 "
            f"contrast on the slide background or its panels ({' and '.join(grounds)}), below the {AA_TEXT}:1 WCAG AA "
            f"asks for; the deck uses {used} for that text instead",
            f"to have the deck use your own {name} colour, choose one with at least {AA_TEXT}:1 on both in brand.yaml",
            severity="warning",
        )
        for name, own, used in replaced_colours(brand)
    ]
    for text, ground, what in TEXT_ON_GROUND:
        ratio = contrast_ratio(slots[text], slots[ground])
        if ratio < AA_TEXT:
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"on the slides, {what} would be {slots[text]} on {slots[ground]}: contrast {ratio:.2f}:1, "
                    f"below the {AA_TEXT}:1 WCAG AA asks for",
                    "choose brand colours in brand.yaml with more contrast between text and background",
                    severity="warning",
                )
            )
    return problems


def font_problems(brand: Brand) -> list[Problem]:
    """A font named without files: the deck cannot measure it or count on presenters having it."""
    problems = []
    for role in ("heading", "body"):
        font = getattr(brand.fonts, role)
        if not font.files and font.family != FALLBACK_FAMILY:
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"the {role} font '{font.family}' has no font files, so the deck sets {role} text in "
                    f"{FALLBACK_FAMILY} instead (it measures text with the files it has)",
                    f"add the font's .ttf or .otf files to the course and list them under fonts: {role}: files: "
                    "in brand.yaml",
                    severity="warning",
                )
            )
    return problems


def slides_problems(view: CourseView, brand: Brand) -> list[Problem]:
    return [
        *template_problems(brand),
        *logo_problems(brand),
        *unshown_image_problems(view),
        *colour_problems(brand),
        *font_problems(brand),
    ]
