"""Colour arithmetic for accessible brands: WCAG 2.1 contrast and readable text colours."""

from __future__ import annotations

AA_NORMAL_TEXT = 4.5
AA_LARGE_TEXT = 3.0


def rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable_text_on(background: str, preferred: str, minimum: float = AA_NORMAL_TEXT) -> str:
    """`preferred` if it is readable on `background`, else near-black or white, whichever reads better."""
    if contrast_ratio(preferred, background) >= minimum:
        return preferred
    dark, light = "#1A1A1A", "#FFFFFF"
    return dark if contrast_ratio(dark, background) >= contrast_ratio(light, background) else light


def mix(color: str, other: str, amount: float) -> str:
    """`color` moved `amount` (0..1) of the way towards `other`: tints and shades of brand colours."""
    a, b = rgb(color), rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02X}" for x, y in zip(a, b, strict=True))
