"""Checks that images and fonts are what they claim to be, before any renderer sees them."""

from __future__ import annotations

from pathlib import Path

from course_builder.errors import Problems

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"wOFF", b"wOF2")


def image_kind(path: Path) -> str | None:
    head = path.read_bytes()[:512]
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.decode("utf-8", "ignore").lstrip().lower()
    if text.startswith("<svg") or (text.startswith("<?xml") and "<svg" in path.read_text("utf-8", "ignore")[:2000].lower()):
        return "svg"
    return None


def check_image(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    """True when the image is a real, reasonably sized PNG/JPEG/GIF/WebP or a script-free SVG."""
    kind = image_kind(path)
    if kind is None:
        problems.error(file, line, f"'{path.name}' is not an image (PNG, JPEG, GIF, WebP or SVG)", "export it again as PNG or JPEG")
        return False
    if path.stat().st_size > MAX_IMAGE_BYTES:
        problems.error(file, line, f"'{path.name}' is {path.stat().st_size // 1_000_000} MB, too large for a course", "save it at most 2000 pixels wide, as JPEG for photos")
        return False
    if kind == "svg":
        text = path.read_text("utf-8", "ignore").lower()
        if "<script" in text or "javascript:" in text or " on" in text and any(f" on{e}=" in text for e in ("load", "click", "error", "mouseover", "focus")):
            problems.error(file, line, f"the SVG '{path.name}' contains a script", "export the SVG again without scripts or interactivity")
            return False
        return True
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(path) as image:
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError:
        problems.error(file, line, f"'{path.name}' has too many pixels", "save it at most 2000 pixels wide")
        return False
    except Exception:  # Pillow raises many types for a broken file; all mean the same to an author
        problems.error(file, line, f"'{path.name}' is damaged or not really a {kind.upper()} image", "export it again from your image editor")
        return False
    if width * height > MAX_IMAGE_PIXELS:
        problems.error(file, line, f"'{path.name}' is {width}×{height} pixels, too large", "save it at most 2000 pixels wide")
        return False
    return True


def check_font(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    if not path.read_bytes()[:4] in FONT_SIGNATURES:
        problems.error(file, line, f"'{path.name}' is not a font file (TTF, OTF, WOFF)", "use the .ttf or .otf file of the font")
        return False
    return True
