"""Everything the slides build can refuse or warn about, found without rendering a slide.

`SlidesTarget.check` returns these; `course-builder check` and `build` report them before
anything is written. Each check reads only the presenter view and the brand.
"""

from __future__ import annotations

from pathlib import Path

from course_builder.brand_check import fonts_without_files
from course_builder.contrast import AA_TEXT, contrast_ratio
from course_builder.deck import DEFAULT_GEOMETRY, Geometry, build_deck
from course_builder.deck.budgets import over_budget
from course_builder.errors import CourseError, Problem
from course_builder.model import Brand, Figure
from course_builder.targets.slides.template import open_template, template_geometry
from course_builder.targets.slides.theme import TEXT_ON_GROUND, replaced_colours, theme_colors
from course_builder.views import CourseView, PresenterView


def template_problems(brand: Brand) -> tuple[list[Problem], Geometry | None]:
    """A template that does not open, or lacks a layout or placeholder the deck needs; else the geometry to lay out in."""
    if brand.pptx_template is None:
        return [], DEFAULT_GEOMETRY
    try:
        return [], template_geometry(open_template(brand), brand)
    except CourseError as error:
        return error.problems, None


def budget_problems(view: PresenterView, brand: Brand, geometry: Geometry) -> list[Problem]:
    """Slides over the word budget or with text under its smallest size, at the source they were made from.

    The deck model is pure Python and lays out a day's course in about a second, so check builds it whole.
    """
    deck = build_deck(view, brand, geometry)
    budgets = view.settings.slides or brand.slides
    return [
        Problem(
            found.slide.source.file if found.slide.source else None,
            found.slide.source.line if found.slide.source else None,
            f"slide {found.number} \"{found.slide.title}\" shows {found.reason}",
            "shorten the text in the source, or split it into shorter sentences or paragraphs "
            "(the slide then shows whole sentences and the notes keep the rest)",
            severity="warning",
        )
        for found in over_budget(deck, budgets, geometry.content.w)
    ]


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


def slides_problems(view: CourseView, brand: Brand) -> list[Problem]:
    problems, geometry = template_problems(brand)
    budgets = budget_problems(view, brand, geometry) if geometry is not None and isinstance(view, PresenterView) else []
    return [
        *problems,
        *budgets,
        *logo_problems(brand),
        *unshown_image_problems(view),
        *colour_problems(brand),
        *fonts_without_files(brand, "slides.pptx"),
    ]
