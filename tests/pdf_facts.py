"""What a reader checks in a PDF, read with pypdf and pikepdf: text, outline, contents page numbers, fonts, tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pikepdf
from pypdf import PageObject, PdfReader
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


def marked_texts(page: PageObject) -> tuple[dict[int, str], dict[str, str]]:
    """What a page shows, split the way assistive technology sees it.

    Returns the text of each tagged marked-content sequence by MCID, and the text of the
    artifacts (content outside the structure tree) by artifact type ("" when untyped).
    """
    tagged: dict[int, str] = {}
    artifacts: dict[str, str] = {}
    open_marks: list[tuple[str, int | str]] = []

    def before(operator: bytes, operands: list, matrix: object, text_matrix: object) -> None:
        if operator == b"BDC":
            properties = operands[1] if isinstance(operands[1], DictionaryObject) else {}
            if operands[0] == "/Artifact":
                open_marks.append(("artifact", str(properties.get("/Type", ""))))
            elif "/MCID" in properties:
                open_marks.append(("tagged", int(properties["/MCID"])))
            else:
                open_marks.append(("other", 0))
        elif operator == b"BMC":
            open_marks.append(("artifact", "") if operands[0] == "/Artifact" else ("other", 0))
        elif operator == b"EMC" and open_marks:
            open_marks.pop()

    def shown(text: str, *_: object) -> None:
        if not text or not open_marks:
            return
        kind, key = open_marks[-1]
        if kind == "tagged":
            tagged[int(key)] = tagged.get(int(key), "") + text
        elif kind == "artifact":
            artifacts[str(key)] = artifacts.get(str(key), "") + text

    page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return tagged, artifacts


@dataclass
class Tag:
    """One element of a PDF's structure tree, read with pikepdf."""

    element: pikepdf.Dictionary
    ancestors: tuple[str, ...]

    @property
    def role(self) -> str:
        return str(self.element.S)

    def kids(self) -> list:
        kids = self.element.get("/K")
        return [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]

    def kid_roles(self) -> list[str]:
        return [str(kid.S) for kid in self.kids() if is_element(kid)]

    def mcids(self) -> list[int]:
        return [int(kid) for kid in self.kids() if isinstance(kid, int)]

    def annotations(self) -> list[pikepdf.Dictionary]:
        return [kid.Obj for kid in self.kids() if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]


def is_element(kid: object) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR")


@dataclass
class TagTree:
    """The structure tree and parent tree of a tagged PDF: what a screen reader walks."""

    path: Path

    @cached_property
    def pdf(self) -> pikepdf.Pdf:
        return pikepdf.open(self.path)

    @cached_property
    def tags(self) -> list[Tag]:
        """Every element under the StructTreeRoot, in document order."""
        found: list[Tag] = []

        def walk(element: pikepdf.Dictionary, ancestors: tuple[str, ...]) -> None:
            tag = Tag(element, ancestors)
            found.append(tag)
            for kid in tag.kids():
                if is_element(kid):
                    walk(kid, (*ancestors, tag.role))

        root = self.pdf.Root.StructTreeRoot
        for top in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
            walk(top, ())
        return found

    def with_role(self, *roles: str) -> list[Tag]:
        return [tag for tag in self.tags if tag.role in roles]

    def parent_tree(self) -> dict[int, object]:
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}

    def page_index(self, element: pikepdf.Dictionary) -> int:
        return [page.objgen for page in self.pdf.pages].index(element.Pg.objgen)
