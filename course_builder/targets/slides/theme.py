"""The brand in the deck's theme: its colours in the twelve colour slots, its fonts as the major and minor fonts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from course_builder.contrast import mix, readable_shade
from course_builder.deck import TextMetrics
from course_builder.model import Brand

if TYPE_CHECKING:
    from pptx.presentation import Presentation


def theme_colors(brand: Brand) -> dict[str, str]:
    """The theme's twelve slots: the brand's colours, each slot the deck sets text in made readable where it sits.

    A brand colour that would fail WCAG AA as text (a yellow secondary on white) is replaced by the
    closest shade that passes, as the web course does; `replaced_colours` says which, for the warning.
    """
    slots = brand_colors(brand)
    grounds = [slots["lt1"], slots["lt2"]]
    return {slot: readable_shade(colour, grounds) if slot in TEXT_SLOTS else colour for slot, colour in slots.items()}


def replaced_colours(brand: Brand) -> list[tuple[str, str, str]]:
    """(brand colour name, the brand's value, what the deck uses) for each colour the deck had to make readable."""
    own, used = brand_colors(brand), theme_colors(brand)
    replaced = {(name, own[slot], used[slot]) for slot, name in TEXT_SLOTS.items() if name and own[slot] != used[slot]}
    return sorted(replaced)


def brand_colors(brand: Brand) -> dict[str, str]:
    """The brand's colours in the theme's twelve slots; derived tints fill the slots a brand does not name."""
    c = brand.colors
    return {
        "dk1": c.text,
        "lt1": c.background,
        "dk2": c.primary,
        "lt2": mix(c.primary, c.background, 0.9),  # card and panel backgrounds
        "accent1": c.primary,
        "accent2": c.secondary,
        "accent3": c.accent,
        "accent4": mix(c.accent, "#FFFFFF", 0.6),  # accent that reads on the primary colour
        "accent5": mix(c.secondary, c.background, 0.85),
        "accent6": mix(c.text, c.background, 0.35),  # muted text
        "hlink": c.secondary,
        "folHlink": c.primary,
    }


TEXT_SLOTS = {"dk1": "text", "dk2": "primary", "accent2": "secondary", "accent3": "accent", "accent6": None, "hlink": "secondary"}
"""Slots the deck sets text in (on the background and on panels), and the brand colour each is (None: derived)."""
TEXT_ON_GROUND: tuple[tuple[str, str, str], ...] = (
    ("dk1", "lt1", "body text"),
    ("dk2", "lt1", "titles, prompts and quotations"),
    ("accent2", "lt1", "quiz hints, agenda breaks and list labels"),
    ("accent3", "lt1", "agenda times and quotation credits"),
    ("accent6", "lt1", "the footer and the questions to avoid"),
    ("dk1", "lt2", "text on cards and activity panels"),
    ("dk2", "lt2", "names on cards and activity panels"),
    ("accent3", "lt2", "an activity's minutes on its panel"),
    ("lt1", "accent3", "a reflection's minutes badge"),
)
"""Theme slots the deck sets text in, on the slot it sits on, and what that text is (some of it small: AA asks 4.5:1)."""


def apply_theme(presentation: Presentation, brand: Brand, language: str = "en") -> None:
    """Write the brand's colours and fonts into the theme of the deck's slide master.

    For a language whose script has a bundled font (Arabic, Hebrew), that font is the theme's
    complex-script font (`a:cs`), which presentation programs use for those letters: the deck
    was measured with it.
    """
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import qn

    theme_part = presentation.slide_master.part.part_related_by(RT.THEME)
    theme = parse_xml(theme_part.blob)
    theme.set("name", brand.name)
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    scheme.set("name", brand.name)
    for slot, color in theme_colors(brand).items():
        holder = scheme.find(qn(f"a:{slot}"))
        for child in list(holder):
            holder.remove(child)
        holder.append(
            parse_xml(f'<a:srgbClr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" val="{color[1:]}"/>')
        )
    metrics = TextMetrics.for_brand(brand, language)
    fonts = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    fonts.set("name", brand.name)
    fonts.find(f"{qn('a:majorFont')}/{qn('a:latin')}").set("typeface", metrics.family("heading"))
    fonts.find(f"{qn('a:minorFont')}/{qn('a:latin')}").set("typeface", metrics.family("body"))
    if metrics.script is not None:
        for scheme_font in ("a:majorFont", "a:minorFont"):
            fonts.find(f"{qn(scheme_font)}/{qn('a:cs')}").set("typeface", metrics.script.family)
    theme_part._blob = _xml_bytes(theme)


def _xml_bytes(element) -> bytes:
    from lxml import etree

    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
