"""Colour contrast as WCAG 2.1 measures it, and the nearest colour that meets a minimum.

Brand palettes are chosen for logos, not for reading; a target that puts text in a brand
colour asks here whether people can read it and, if not, which shade of that colour they can.
"""

from __future__ import annotations

AA_TEXT = 4.5
"""WCAG 2.1 AA minimum for body-size text (1.4.3)."""
AA_LARGE = 3.0
"""WCAG 2.1 AA minimum for large text and for graphics that carry meaning (1.4.11)."""


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(255, max(0, c))):02X}" for c in rgb)


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved `amount` (0..1) of the way towards `other`."""
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def readable_shade(colour: str, grounds: list[str], minimum: float = AA_TEXT, towards: str | None = None) -> str:
    """`colour` itself if it meets `minimum` on every ground, else the closest shade that does.

    The shade moves towards `towards` (the print palette uses the brand's text colour, so a
    darkened blue stays in the brand's ink) or, by default, towards black or white.
    """
    if all(contrast_ratio(colour, g) >= minimum for g in grounds):
        return colour
    towards = towards or extreme_on(grounds)
    for step in range(1, 101):
        shade = mix(colour, towards, step / 100)
        if all(contrast_ratio(shade, g) >= minimum for g in grounds):
            return shade
    return towards


def extreme_on(grounds: list[str]) -> str:
    """Black or white, whichever reads better on the worst of `grounds`."""
    return max(("#000000", "#FFFFFF"), key=lambda extreme: min(contrast_ratio(extreme, g) for g in grounds))


def text_colour_on(fill: str, candidates: list[str]) -> str:
    """The first candidate readable on `fill`, else whichever of black and white reads best."""
    for candidate in candidates:
        if contrast_ratio(candidate, fill) >= AA_TEXT:
            return candidate
    return max(("#000000", "#FFFFFF"), key=lambda c: contrast_ratio(c, fill))
