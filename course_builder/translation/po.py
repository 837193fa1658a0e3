"""Gettext PO files, for translators whose tools prefer them, written and read with translate-toolkit.

PO has no inline codes, so a unit's codes are written as numbered tags: `<1>`…`</1>` around
the words a paired code marks, `<2/>` for a placeholder. `msgctxt` is the unit id; the
extracted comments carry the unit's notes and the fingerprint of its source; the reference is
the module file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from translate.storage.pypo import pofile, pounit

from course_builder.translation.inline import Code, Piece
from course_builder.translation.units import Unit, fingerprint
from course_builder.translation.xliff import Translated, TranslationFile

TAG = re.compile(r"<(/?)(\d+)(/?)>")
FINGERPRINT_NOTE = "fingerprint: "


def tagged(pieces: tuple[Piece, ...]) -> str:
    return "".join(p if isinstance(p, str) else {"ph": f"<{p.id}/>", "start": f"<{p.id}>", "end": f"</{p.id}>"}[p.kind]
                   for p in pieces)


def untagged(text: str) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    position = 0
    for match in TAG.finditer(text):
        if match.start() > position:
            pieces.append(text[position : match.start()])
        closing, number, empty = match.groups()
        pieces.append(Code(number, "", "ph" if empty else "end" if closing else "start", ""))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return tuple(pieces)


def write_po(units: list[Unit], source_language: str, target_language: str, translations: dict[str, Translated],
             root: Path) -> bytes:
    store = pofile()
    store.updateheader(add=True, Language=target_language, X_Source_Language=source_language)
    for unit in units:
        entry = pounit(tagged(unit.pieces))
        entry.setcontext(unit.id)
        found = translations.get(unit.id)
        for note in [*unit.notes(target_language, root), FINGERPRINT_NOTE + (found.fingerprint if found else unit.fingerprint)]:
            entry.addnote(note, origin="developer")
        file = unit.context.file
        entry.addlocation(f"{file.relative_to(root) if file.is_relative_to(root) else file}:{unit.context.line}")
        if found is not None:
            entry.target = tagged(found.pieces)
            entry.markfuzzy(not found.final)
        store.addunit(entry)
    return bytes(store)


def read_po(path: Path) -> TranslationFile:
    store = pofile(path.read_bytes())
    units: dict[str, Translated] = {}
    lines: dict[str, int] = {}
    text = path.read_text(encoding="utf-8")
    for entry in store.units:
        if entry.isheader():
            continue
        unit_id = entry.getcontext()
        lines[unit_id] = _line_of(text, unit_id)
        if not entry.target:
            continue
        notes = entry.getnotes("developer").split("\n")
        printed = next((n[len(FINGERPRINT_NOTE) :] for n in notes if n.startswith(FINGERPRINT_NOTE)), None)
        source_fingerprint = printed or fingerprint(untagged(entry.source))
        units[unit_id] = Translated(untagged(entry.target), source_fingerprint, lines[unit_id], not entry.isfuzzy())
    header = store.parseheader()
    return TranslationFile(header.get("X-Source-Language", ""), header.get("Language"), units, path, lines)


def _line_of(text: str, unit_id: str) -> int:
    index = text.find(f'msgctxt "{unit_id}"')
    return text.count("\n", 0, index) + 1 if index >= 0 else 1
