"""Brand colours in the web course: whatever the brand, text stays readable (WCAG 2.1 AA)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from course_builder.contrast import contrast_ratio, readable_shade, text_colour_on
from course_builder.model import Brand, Colors
from course_builder.targets.web import web_palette

colour = st.integers(0, 0xFFFFFF).map(lambda value: f"#{value:06X}")
TEXT_ON_GROUNDS = ("text", "muted", "primary-ink", "secondary-ink", "accent-ink", "good", "bad")
GROUNDS = ("background", "surface", "primary-tint", "secondary-tint", "accent-tint")


def test_contrast_ratio_matches_the_wcag_examples() -> None:
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48
    assert contrast_ratio("#1F3A5F", "#FFFFFF") == contrast_ratio("#FFFFFF", "#1F3A5F")


def test_a_readable_colour_is_kept_and_a_pale_one_is_darkened_on_white_and_lightened_on_black() -> None:
    assert readable_shade("#1F3A5F", ["#FFFFFF"]) == "#1F3A5F"
    darker = readable_shade("#F2C94C", ["#FFFFFF"])
    assert contrast_ratio(darker, "#FFFFFF") >= 4.5
    assert sum(int(darker[i:i + 2], 16) for i in (1, 3, 5)) < sum(int("#F2C94C"[i:i + 2], 16) for i in (1, 3, 5))
    lighter = readable_shade("#1F3A5F", ["#101010"])
    assert contrast_ratio(lighter, "#101010") >= 4.5


def test_black_or_white_text_reads_on_any_background() -> None:
    for value in range(0, 0x1000000, 0x010305):
        background = f"#{value:06X}"
        assert max(contrast_ratio(background, "#000000"), contrast_ratio(background, "#FFFFFF")) >= 4.5, background


def test_text_on_a_fill_is_white_on_dark_colours_and_dark_on_light_ones() -> None:
    assert text_colour_on("#1F3A5F", ["#FFFFFF", "#1A1A1A"]) == "#FFFFFF"
    assert text_colour_on("#F2C94C", ["#FFFFFF", "#1A1A1A"]) == "#1A1A1A"


def test_the_sample_brand_passes_without_warnings(sample) -> None:
    palette, warnings = web_palette(sample.course.brand)
    assert warnings == []
    assert palette["primary-ink"] == sample.course.brand.colors.primary


@settings(max_examples=150, deadline=None)
@given(primary=colour, secondary=colour, accent=colour, text=colour, background=colour)
def test_every_text_colour_meets_aa_on_every_ground_whatever_the_brand(primary, secondary, accent, text, background) -> None:
    brand = Brand(id="any", name="Any", colors=Colors(primary=primary, secondary=secondary, accent=accent, text=text,
                                                      background=background))
    palette, warnings = web_palette(brand)
    for name in TEXT_ON_GROUNDS:
        for ground in GROUNDS:
            assert contrast_ratio(palette[name], palette[ground]) >= 4.5, (name, ground)
    for role in ("primary", "secondary", "accent"):
        assert contrast_ratio(palette[f"on-{role}"], palette[role]) >= 4.5, role
    changed = {name for name, given_colour in (("text", text), ("primary", primary), ("secondary", secondary))
               if palette["text" if name == "text" else f"{name}-ink"] != given_colour}
    named = {w.message.split()[2] for w in warnings if w.message.startswith("brand colour")}
    assert changed == named - {"accent"}, "a warning names every colour the web course replaced for text"

