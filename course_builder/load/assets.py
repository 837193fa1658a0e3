"""Checks that images, fonts and slide templates are what they claim to be, before any renderer sees them."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from lxml import etree

from course_builder.errors import Problems
from course_builder.load.safety import REMOTE_PREFIXES, compact_url, remote_references_in_css

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"wOFF", b"wOF2")
SMALLER = "save it at most 2000 pixels wide (JPEG for photos, PNG for diagrams)"


def image_kind(head: bytes) -> str | None:
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.decode("utf-8", "ignore").lstrip().lower()
    if text.startswith(("<svg", "<?xml", "<!--", "<!doctype svg")) and "<svg" in text:
        return "svg"
    return None


def check_image(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    """True when the image is a real, reasonably sized PNG/JPEG/GIF/WebP or a script-free SVG."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as err:
        problems.error(
            file, line, f"'{path.name}' cannot be read: {err.strerror}", "check that the file is not locked or protected"
        )
        return False
    kind = image_kind(head)
    if kind is None:
        problems.error(
            file, line, f"'{path.name}' is not an image (PNG, JPEG, GIF, WebP or SVG)", "export it again as PNG or JPEG"
        )
        return False
    if size > MAX_IMAGE_BYTES:
        problems.error(file, line, f"'{path.name}' is {size // 1_000_000} MB, too large for a course", SMALLER)
        return False
    if kind == "svg":
        return check_svg(path, problems, file, line)
    return check_bitmap(path, kind, problems, file, line)


def check_bitmap(path: Path, kind: str, problems: Problems, file: Path, line: int | None) -> bool:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        problems.error(file, line, f"'{path.name}' has far too many pixels for a course", SMALLER)
        return False
    except Exception:  # Pillow raises many types for a broken file; all mean the same to an author
        problems.error(
            file, line, f"'{path.name}' is damaged or not really a {kind.upper()} image", "export it again from your image editor"
        )
        return False
    if width * height > MAX_IMAGE_PIXELS:
        problems.error(file, line, f"'{path.name}' is {width}×{height} pixels, too large", SMALLER)
        return False
    return True


def check_svg(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    """An SVG is XML a renderer acts on: refuse scripts, entities and anything fetched from the web."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as err:
        problems.error(file, line, f"the SVG '{path.name}' is damaged ({err})", "export it again from your drawing program")
        return False
    doctype = root.getroottree().docinfo.internalDTD
    if doctype is not None and any(True for _ in doctype.iterentities()):
        problems.error(file, line, f"the SVG '{path.name}' declares XML entities", "export it again as plain SVG (no DOCTYPE)")
        return False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        problem = svg_element_problem(element)
        if problem is not None:
            message, hint = problem
            problems.error(file, line, f"the SVG '{path.name}' {message}", hint)
            return False
    return True


def svg_element_problem(element: etree._Element) -> tuple[str, str] | None:
    """Why one SVG element may not reach an output (script or remote file), or None."""
    tag = etree.QName(element).localname.lower()
    attributes = {etree.QName(name).localname.lower(): value for name, value in element.attrib.items()}
    href = compact_url(attributes.get("href", ""))
    if tag == "script" or any(name.startswith("on") for name in attributes) or href.startswith(("javascript:", "vbscript:")):
        return "contains a script", "export the SVG again without scripts or interactivity"
    remote = [href] if href.startswith(REMOTE_PREFIXES) and tag != "a" else []
    remote += [url for _, url in remote_references_in_css(attributes.get("style", ""))]
    if tag == "style":
        remote += [url for _, url in remote_references_in_css(element.text or "")]
    if remote:
        return (
            f"loads '{remote[0]}' from the web; the build never downloads anything",
            "embed the picture in the SVG, or export it as PNG",
        )
    return None


def check_font(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head not in FONT_SIGNATURES:
        problems.error(file, line, f"'{path.name}' is not a font file (TTF, OTF, WOFF)", "use the .ttf or .otf file of the font")
        return False
    return True


def check_pptx_template(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    """A slide template must be a PowerPoint file (.pptx or .potx), not just named like one."""
    hint = "save it from PowerPoint as a .pptx (PowerPoint Presentation) file"
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        problems.error(file, line, f"'{path.name}' is not a PowerPoint file", hint)
        return False
    if "ppt/presentation.xml" not in names or "[Content_Types].xml" not in names:
        problems.error(file, line, f"'{path.name}' is a zip file but not a PowerPoint presentation", hint)
        return False
    return True
