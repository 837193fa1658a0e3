"""The slide deck (PPTX): stage two, the typed deck from `course_builder.deck` written with python-pptx.

The brand reaches the deck through the theme and the slide master, not by painting shapes:
the theme's colour slots and fonts are set from the brand, the master and its layouts carry
the logo and the accents, and every text or panel refers to theme slots (tx2, accent3…), so a
facilitator who changes the theme in PowerPoint changes the whole deck.

Without a template, the branded master is built from python-pptx's default template: 16:9,
the layouts the deck uses, placed as `deck.DEFAULT_GEOMETRY` says (`master`). With
`brand.pptx_template`, the user's own layouts and placeholders are used (`template`: found by
PowerPoint's layout names and the placeholder idx model) and the deck is measured against
their boxes. `theme` writes the brand into the theme, `writer` the slides, `thumbnail` the title slide's
picture for file browsers, `package` the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from course_builder.blocks import Audience
from course_builder.deck import DEFAULT_GEOMETRY, Geometry, build_deck
from course_builder.errors import Problem
from course_builder.model import Brand
from course_builder.targets.base import BuildOptions, Target, atomic_file
from course_builder.targets.slides.checks import slides_problems
from course_builder.targets.slides.master import BrandedMaster
from course_builder.targets.slides.package import package_bytes, set_app_properties, set_properties, set_thumbnail
from course_builder.targets.slides.template import open_template, template_geometry
from course_builder.targets.slides.theme import apply_theme, theme_colors
from course_builder.targets.slides.thumbnail import title_thumbnail
from course_builder.targets.slides.writer import DeckWriter
from course_builder.views import CourseView, PresenterView
from course_builder.writing import writing

if TYPE_CHECKING:
    from pptx.presentation import Presentation

__all__ = ["SlidesTarget", "theme_colors"]


class SlidesTarget(Target):
    name = "slides"
    description = "Slide deck with speaker notes (PPTX), in the brand's theme"
    audience = Audience.PRESENTER
    options_read = frozenset()
    render_cost = 3  # measuring every line with the font files, then python-pptx: a second or two for a day's course

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        return ["slides.pptx"]

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        return slides_problems(view, brand)

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        assert isinstance(view, PresenterView), "the slides are built from the presenter view"
        presentation, geometry = self.open_presentation(brand, view.settings.language)
        deck = build_deck(view, brand, geometry)
        DeckWriter(presentation, deck, geometry).write()
        set_properties(presentation, view, options)
        set_app_properties(presentation, deck, brand.name)
        set_thumbnail(presentation, title_thumbnail(deck, brand, geometry))
        final = out / "slides.pptx"
        with atomic_file(final) as temporary:
            temporary.write_bytes(package_bytes(presentation))
        return [final]

    @staticmethod
    def open_presentation(brand: Brand, language: str = "en") -> tuple[Presentation, Geometry]:
        """The user's template with its own geometry, or the default template turned into the branded design
        (mirrored for a right-to-left language)."""
        from pptx import Presentation

        if brand.pptx_template:
            presentation = open_template(brand)
            geometry = template_geometry(presentation, brand)
        else:
            presentation = Presentation()
            geometry = DEFAULT_GEOMETRY
            BrandedMaster(presentation, brand, geometry, writing(language).rtl).build()
        apply_theme(presentation, brand, language)
        return presentation, geometry
