"""XLIFF 2.1 files: what `translate export` writes, `translate import` reads and `translations/<lang>.xlf` holds.

Written with lxml to the OASIS XLIFF 2.1 core schema bundled in `course_builder/data/xliff-2.1/`
(see its SOURCES.md). Each unit has one segment; its inline codes are `<ph/>` (placeholders)
and `<pc>…</pc>` (paired codes) whose markup is kept in `<originalData>` for tools that show
it, and `canDelete="no"` so a tool warns before a code goes missing. Our own attribute
`cb:fingerprint` on a unit (in the course-builder namespace, which XLIFF 2 lets every element
carry) records the fingerprint of the source the unit's target was translated from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from course_builder.errors import Problem
from course_builder.resources import data_dir
from course_builder.translation.inline import Code, Piece
from course_builder.translation.units import Unit, fingerprint

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
CB_NS = "urn:course-builder:translation:1"
X = f"{{{XLIFF_NS}}}"
FINGERPRINT = f"{{{CB_NS}}}fingerprint"
SCHEMA = "xliff-2.1/xliff_core_2.0.xsd"


@dataclass(frozen=True)
class Translated:
    """A unit's translation as a file holds it, with the fingerprint of the source it was made from."""

    pieces: tuple[Piece, ...]
    fingerprint: str
    line: int | None = None
    final: bool = True  # False: the tool marked it as not done (XLIFF state "initial", a fuzzy PO entry)


@dataclass
class TranslationFile:
    source_language: str
    target_language: str | None
    units: dict[str, Translated]
    path: Path | None = None
    unit_lines: dict[str, int] | None = None  # every unit id in the file, translated or not, with its line


def write_xliff(units: list[Unit], source_language: str, target_language: str, translations: dict[str, Translated],
                course_id: str, root: Path) -> bytes:
    """An XLIFF 2.1 document with every unit, and the translation of each one given in `translations`."""
    xliff = etree.Element(f"{X}xliff", nsmap={None: XLIFF_NS, "cb": CB_NS},
                          version="2.1", srcLang=source_language, trgLang=target_language)
    file = etree.SubElement(xliff, f"{X}file", id=course_id, original="course.yaml")
    for unit in units:
        file.append(_unit_element(unit, translations.get(unit.id), target_language, root))
    return etree.tostring(xliff, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit_element(unit: Unit, translated: Translated | None, target_language: str, root: Path) -> etree._Element:
    where = unit.context.file
    where_text = f"{where.relative_to(root) if where.is_relative_to(root) else where}:{unit.context.line}"
    element = etree.Element(f"{X}unit", id=unit.id, name=where_text)
    element.set(FINGERPRINT, translated.fingerprint if translated else unit.fingerprint)
    notes = etree.SubElement(element, f"{X}notes")
    for text in unit.notes(target_language, root):
        etree.SubElement(notes, f"{X}note", category="context").text = text
    etree.SubElement(notes, f"{X}note", category="location").text = where_text
    codes = [p for p in unit.pieces if isinstance(p, Code)]
    if codes:
        data = etree.SubElement(element, f"{X}originalData")
        for code in codes:
            item = etree.SubElement(data, f"{X}data", id=_data_id(code))
            item.text = code.markup
    segment = etree.SubElement(element, f"{X}segment", state="translated" if translated and translated.final else "initial")
    source = etree.SubElement(segment, f"{X}source")
    source.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _fill(source, unit.pieces, with_data=True)
    if translated is not None:
        target = etree.SubElement(segment, f"{X}target")
        target.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _fill(target, translated.pieces, with_data=bool(codes))
    return element


def _data_id(code: Code) -> str:
    return f"d{code.id}" if code.kind == "ph" else f"d{code.id}{'s' if code.kind == 'start' else 'e'}"


def _fill(parent: etree._Element, pieces: tuple[Piece, ...], with_data: bool) -> None:
    """Pieces as mixed content: text, `<ph/>` and `<pc>` nested as the pieces nest."""
    stack = [parent]
    for piece in pieces:
        current = stack[-1]
        if isinstance(piece, str):
            last = current[-1] if len(current) else None
            if last is None:
                current.text = (current.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        elif piece.kind == "ph":
            ph = etree.SubElement(current, f"{X}ph", id=piece.id, canDelete="no", disp=piece.label)
            if with_data:
                ph.set("dataRef", _data_id(piece))
        elif piece.kind == "start":
            pc = etree.SubElement(current, f"{X}pc", id=piece.id, canDelete="no", dispStart=piece.label)
            if with_data:
                pc.set("dataRefStart", _data_id(piece))
                pc.set("dataRefEnd", f"d{piece.id}e")
            stack.append(pc)
        elif len(stack) > 1:
            stack.pop()


def read_xliff(path: Path) -> TranslationFile:
    """The translations in an XLIFF 2.x file (lxml's XMLSyntaxError or ValueError if it is not one)."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    root = tree.getroot()
    if root.tag != f"{X}xliff":
        raise ValueError("this is not an XLIFF 2 file (its root is not <xliff> in the XLIFF 2 namespace)")
    units: dict[str, Translated] = {}
    lines: dict[str, int] = {}
    for element in root.iter(f"{X}unit"):
        unit_id = element.get("id", "")
        lines[unit_id] = element.sourceline
        segments = element.findall(f"{X}segment")
        sources = tuple(p for s in segments for p in _pieces(s.find(f"{X}source")))
        targets = [s.find(f"{X}target") for s in segments]
        if not segments or any(t is None for t in targets):
            continue
        pieces = tuple(p for t in targets for p in _pieces(t))
        final = all(s.get("state", "initial") != "initial" for s in segments)
        units[unit_id] = Translated(_merged(pieces), element.get(FINGERPRINT) or fingerprint(_merged(sources)),
                                    element.sourceline, final)
    return TranslationFile(root.get("srcLang", ""), root.get("trgLang"), units, path, lines)


def _pieces(element: etree._Element | None) -> list[Piece]:
    """Mixed content back into pieces; `<sc>`/`<ec>` (a tool's way to write paired codes apart) count as `<pc>`'s ends."""
    if element is None:
        return []
    pieces: list[Piece] = [element.text] if element.text else []
    for child in element:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "ph":
            pieces.append(Code(child.get("id", ""), "", "ph", ""))
        elif tag == "pc":
            pieces += [Code(child.get("id", ""), "", "start", ""), *_pieces(child), Code(child.get("id", ""), "", "end", "")]
        elif tag == "sc":
            pieces.append(Code(child.get("id", ""), "", "start", ""))
        elif tag == "ec":
            pieces.append(Code(child.get("startRef", child.get("id", "")), "", "end", ""))
        elif tag == "mrk":  # an annotation around words: keep the words
            pieces += _pieces(child)
        if child.tail:
            pieces.append(child.tail)
    return pieces


def _merged(pieces: tuple[Piece, ...] | list[Piece]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        elif piece != "":
            out.append(piece)
    return tuple(out)


def schema_problems(document: Path) -> list[Problem]:
    """Where `document` breaks the XLIFF 2.1 core schema (empty: it is valid)."""
    schema = etree.XMLSchema(etree.parse(str(data_dir() / SCHEMA)))
    if schema.validate(etree.parse(str(document))):
        return []
    return [Problem(document, error.line, f"not valid XLIFF 2.1: {error.message}") for error in schema.error_log]
