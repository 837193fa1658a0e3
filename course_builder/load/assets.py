"""Checks that images, fonts and slide templates are what they claim to be, before any renderer sees them.

Every raster image is decoded in full once, at load, so a damaged one is an error naming the
line that uses it. An SVG is a document a browser acts on: every output receives it as
`course_builder.svg.inert_svg` leaves it, and the loader warns about what that takes out.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import warnings
import weakref
import zipfile
from pathlib import Path

from lxml import etree

from course_builder.errors import Problems
from course_builder.load.jpeg_scan import DamagedScan, check_jpeg_scans
from course_builder.load.paths import PathRefused, resolve_inside, special_file
from course_builder.load.safety import REMOTE_PREFIXES, compact_url, remote_references_in_css
from course_builder.svg import UnsafeSvg, inert_svg

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


# Images already checked in one load (the reader and the image pass both meet each image): checked and reported once.
_CHECKED: weakref.WeakKeyDictionary[Problems, set[tuple[Path, int, int]]] = weakref.WeakKeyDictionary()


def check_image(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    """True when the image is a real, reasonably sized PNG/JPEG/GIF/WebP or a script-free SVG."""
    try:
        status = path.stat()
    except OSError as err:
        problems.error(
            file, line, f"'{path.name}' cannot be read: {err.strerror}", "check that the file is not locked or protected"
        )
        return False
    key = (path, status.st_size, status.st_mtime_ns)
    checked = _CHECKED.setdefault(problems, set())
    if key in checked:
        return True
    if not stat.S_ISREG(status.st_mode):
        problems.error(file, line, f"'{path.name}' {special_file(status.st_mode)}", "replace it with the image file itself")
        return False
    if read_image(path, status.st_size, problems, file, line):
        checked.add(key)
        return True
    return False


def read_image(path: Path, size: int, problems: Problems, file: Path, line: int | None) -> bool:
    try:
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
        return check_svg(path, problems, file, line) and check_inert_svg(path, problems, file, line)
    return check_bitmap(path, kind, problems, file, line)


def check_bitmap(path: Path, kind: str, problems: Problems, file: Path, line: int | None) -> bool:
    from PIL import Image, ImageFile

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    # WeasyPrint, once imported, tells Pillow to accept images cut short; the check must not.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                image.verify()
            # verify() reads the chunks, not the pixels: decoding them all finds data that is not an image.
            with Image.open(path) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        problems.error(file, line, f"'{path.name}' has far too many pixels for a course", SMALLER)
        return False
    except Exception:  # Pillow raises many types for a broken file; all mean the same to an author
        problems.error(
            file, line, f"'{path.name}' is damaged or not really a {kind.upper()} image", "export it again from your image editor"
        )
        return False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    if width * height > MAX_IMAGE_PIXELS:
        problems.error(file, line, f"'{path.name}' is {width}×{height} pixels, too large", SMALLER)
        return False
    if kind == "jpeg":
        try:
            check_jpeg_scans(path.read_bytes())
        except DamagedScan as err:
            problems.error(file, line, f"'{path.name}' is damaged: {err}", "export it again from your image editor")
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


def check_inert_svg(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    """Warn, at the line that uses it, about what the outputs will leave out of an SVG."""
    try:
        _, removed = inert_svg(path.read_bytes())
    except UnsafeSvg as err:
        problems.error(file, line, f"the SVG '{path.name}' {err}", "export it again as plain SVG from your drawing program")
        return False
    if removed:
        problems.warn(
            file,
            line,
            f"the outputs show the SVG '{path.name}' without {', '.join(removed)}: only drawing reaches a page",
            "export it again as plain SVG (no scripts, links, animation or embedded pages) to keep the file as it is",
        )
    return True


RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")


def raster_of(image: Path, root: Path, problems: Problems, file: Path, line: int | None) -> Path | None:
    """The PNG or JPEG of an image (a logo, a figure) that slides use: the image itself, or for an SVG the one beside it.

    The file beside an SVG is a default the author did not write, so it is used only when it is
    a regular file inside the course folder after following links; it is checked like any image.
    """
    if image.suffix.lower() in RASTER_SUFFIXES:
        return image
    for suffix in RASTER_SUFFIXES:
        candidate = image.with_suffix(suffix)
        if not os.path.lexists(candidate):
            continue
        try:
            resolve_inside(root, image.parent, candidate.name)
        except PathRefused as err:
            problems.warn(file, line, f"the slides do not use '{candidate.name}' beside '{image.name}': it {err}", err.hint)
            return None
        return candidate if check_image(candidate, problems, file, line) else None
    return None


def check_font(path: Path, problems: Problems, file: Path, line: int | None) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head not in FONT_SIGNATURES:
        problems.error(file, line, f"'{path.name}' is not a font file (TTF, OTF, WOFF)", "use the .ttf or .otf file of the font")
        return False
    damage = font_damage(path)
    if damage:
        problems.error(file, line, f"the font file '{path.name}' is damaged or cut short ({damage})",
                       "copy the font file again from where you got it, or download it again")
        return False
    return True


FONTS_READ: dict[str, str | None] = {}
"""Font file sha256 → its damage: reading a font in full takes up to a second, and `serve` loads the course after every save."""


def font_damage(path: Path) -> str | None:
    """What of a font file cannot be read, or None: every table the outputs use is read once, in full."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return str(err).splitlines()[0][:120]
    key = hashlib.sha256(data).hexdigest()
    if key not in FONTS_READ:
        FONTS_READ[key] = damage_of_font(data)
    return FONTS_READ[key]


def damage_of_font(data: bytes) -> str | None:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(io.BytesIO(data), fontNumber=0) as font:
            font.ensureDecompiled()
    except ImportError:  # a WOFF2 file on a machine without brotli: the renderers read it themselves
        return None
    except (TTLibError, struct.error, AssertionError, KeyError, ValueError, IndexError, EOFError, OSError, TypeError) as err:
        return str(err).splitlines()[0][:120] if str(err) else type(err).__name__
    return None


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
