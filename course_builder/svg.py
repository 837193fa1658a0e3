"""SVG made inert: drawing only, whatever the file held.

An SVG is a document a browser acts on (scripts, links, animation, embedded HTML pages,
files fetched from elsewhere). Every SVG that reaches an output (web course, packages, PDFs)
is parsed with defusedxml, stripped to an allow-list of drawing elements and attributes, and
written back; the loader reports what was removed, naming the line that uses the file.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
SVG_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feFlood", "feGaussianBlur",
    "feMerge", "feMergeNode", "feMorphology", "feOffset", "feFuncR", "feFuncG", "feFuncB", "feFuncA", "feDropShadow",
}  # fmt: skip
SVG_ATTRIBUTES = {
    "id", "class", "style", "transform", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy",
    "width", "height", "viewBox", "preserveAspectRatio", "points", "pathLength", "version", "baseProfile",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "color",
    "visibility", "display", "overflow", "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits",
    "maskContentUnits", "filter", "filterUnits", "primitiveUnits", "marker-start", "marker-mid", "marker-end",
    "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "text-anchor", "dominant-baseline",
    "alignment-baseline", "baseline-shift", "letter-spacing", "word-spacing", "text-decoration", "writing-mode",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "fr",
    "patternUnits", "patternContentUnits", "patternTransform",
    "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4", "values", "type",
    "tableValues", "slope", "intercept", "amplitude", "exponent", "radius", "flood-color", "flood-opacity",
    "shape-rendering", "text-rendering", "image-rendering", "color-interpolation", "color-interpolation-filters",
    "vector-effect", "paint-order", "mix-blend-mode", "isolation", "role", "aria-label", "aria-hidden",
    "focusable", "lang", "media", "href", "aria-labelledby", "aria-describedby",
}  # fmt: skip
# A reference is kept only to a part of the same drawing ('#id') or, on <image>, an embedded bitmap.
EMBEDDED_BITMAP = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$", re.I)
CSS_REFERENCE = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\(|javascript:|behavior\s*:", re.I)
DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)


class UnsafeSvg(ValueError):
    """An SVG that cannot be read without trusting it (entities, external entities, broken XML)."""


def inert_svg(data: bytes) -> tuple[bytes, list[str]]:
    """The SVG with only drawing left, written back as plain XML, and what was removed (for a warning).

    Parsed with defusedxml: entities and external references refuse the file (`UnsafeSvg`);
    a DOCTYPE is dropped. Scripts, foreignObject, animation (which can change a link to
    'javascript:'), event handlers, links and every reference outside the drawing go.
    """
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise UnsafeSvg(f"declares XML entities or external files ({type(err).__name__})") from None
    except ElementTree.ParseError as err:
        raise UnsafeSvg(f"is damaged ({err})") from None
    removed: dict[str, None] = {"a DOCTYPE (a reference to a DTD)": None} if DOCTYPE.search(data) else {}
    if _name(root.tag) != ("svg", SVG):
        raise UnsafeSvg("is not an SVG drawing (its outer element is not <svg>)")
    _strip(root, removed)
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", XLINK)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True), list(removed)


def _name(tag: str) -> tuple[str, str]:
    """(local name, namespace) of an ElementTree tag or attribute name."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return local, namespace
    return tag, ""


def _strip(element: ElementTree.Element, removed: dict[str, None]) -> None:
    kept: list[ElementTree.Element] = []
    for child in list(element):
        element.remove(child)
        local, namespace = _name(child.tag) if isinstance(child.tag, str) else ("", "")
        if (local, namespace) == ("a", SVG):  # a link goes, the drawing it wraps stays
            _strip(child, removed)
            kept.extend(child)
            removed["links (<a>)"] = None
        elif namespace != SVG or local not in SVG_ELEMENTS:
            if isinstance(child.tag, str):
                removed[f"<{local}>"] = None
        elif local == "style" and CSS_REFERENCE.search(child.text or ""):
            removed["a <style> that loads files or runs code"] = None
        else:
            _strip(child, removed)
            kept.append(child)
    element.extend(kept)
    tag = _name(element.tag)[0]
    for attribute, value in list(element.attrib.items()):
        local, namespace = _name(attribute)
        if namespace == XML and local in ("space", "lang"):
            continue
        allowed = namespace in ("", XLINK if local == "href" else "") and local in SVG_ATTRIBUTES
        if allowed and local == "href":
            allowed = value.strip().startswith("#") or (tag == "image" and bool(EMBEDDED_BITMAP.match(value.strip())))
        elif allowed and CSS_REFERENCE.search(value):
            allowed = False
        if not allowed:
            del element.attrib[attribute]
            removed[f"the '{local}' attribute"] = None
