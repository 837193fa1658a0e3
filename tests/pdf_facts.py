"""What a reader checks in a PDF, read with pypdf: text, outline, contents page numbers, fonts, tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject


def squash(text: str) -> str:
    """Text with every run of whitespace made one space, so line wrapping does not matter."""
    return " ".join(text.split())


@dataclass
class PdfFacts:
    path: Path

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(self.path)

    @cached_property
    def page_texts(self) -> list[str]:
        return [squash(page.extract_text()) for page in self.reader.pages]

    @cached_property
    def text(self) -> str:
        return " ".join(self.page_texts)

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 1-based page) for every bookmark, in document order."""
        entries: list[tuple[int, str, int]] = []

        def walk(items: list, level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    entries.append((level, item.title, self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline, 1)
        return entries

    def contents_number(self, title: str) -> int:
        """The page number the contents page gives for `title` (after its dotted leader)."""
        contents = next(text for text in self.page_texts if text.startswith("Contents"))
        match = re.search(re.escape(squash(title)) + r" ?\.{3,} ?(\d+)", contents)
        assert match, f"'{title}' is not on the contents page"
        return int(match.group(1))

    def fonts(self) -> dict[str, bool]:
        """Every font the pages use, and whether its file is embedded."""
        found: dict[str, bool] = {}
        for page in self.reader.pages:
            for font in page["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                descriptor = descriptor.get_object()
                found[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        return found

    def structure_alt_texts(self) -> list[str]:
        """The /Alt of every tagged element: what a screen reader says for images."""
        alts: list[str] = []
        seen: set[int] = set()

        def walk(node: object) -> None:
            if isinstance(node, IndirectObject):
                if node.idnum in seen:
                    return
                seen.add(node.idnum)
                node = node.get_object()
            if isinstance(node, list):
                for child in node:
                    walk(child)
            elif isinstance(node, DictionaryObject):
                if "/Alt" in node:
                    alts.append(str(node["/Alt"]))
                if node.get("/Type") != "/Annot" and "/K" in node:
                    walk(node["/K"])

        walk(self.reader.trailer["/Root"]["/StructTreeRoot"])
        return alts

    def page_size_mm(self) -> tuple[float, float]:
        box = self.reader.pages[0].mediabox
        return round(float(box.width) * 25.4 / 72, 1), round(float(box.height) * 25.4 / 72, 1)
