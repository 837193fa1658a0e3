"""Finishing WeasyPrint's structure tree so the PDFs meet PDF/UA-1 (ISO 14289-1).

WeasyPrint tags a PDF from its boxes, and four of its habits break the Matterhorn protocol
whatever the templates do:

- Text in page margins (the running header and footer) gets marked content and structure
  elements that hang from no parent. It should be a pagination artifact: marked as such in
  the page's content, and absent from the tree.
- Every inline box inside a link (a span, a ::after, the page number of a contents entry)
  becomes its own Span or Link element with its own, overlapping link annotation. A link
  should be one Link element holding its text and its annotation, and the annotation should
  say where it leads (/Contents); the copies of the annotation only add tab stops.
- A list item whose content is a block (a paragraph, a div) gets that block as a sibling of
  its label, where PDF/UA wants a label and a body (Lbl, LBody).
- Table headers get IDs and cells get Headers, but no header says whether it heads a row or
  a column (Scope), which screen readers use.
- A dotted leader (the contents page's `leader(dotted)`) is drawn as one tagged full stop
  per dot, so a screen reader reads every dot. The dots are decoration: a layout artifact.
- A heading or paragraph with a block inside (a `display: block` ::before, say) gets its
  text wrapped in a second element of the same role: a heading inside a heading. The inner
  one is WeasyPrint's anonymous box and melts into the outer one.
- The full fonts embedded for form fields map a few glyphs to U+0000 or U+FEFF, which
  PDF/UA forbids; no text uses those glyphs, so their mappings go.

`finish_structure` repairs these in place, changing nothing on the page: the same content is
drawn, only its marking and the tree above it change. It is deterministic, so two builds
with the same SOURCE_DATE_EPOCH stay byte-identical.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

PAGINATION = Dictionary(Type=Name.Pagination)
LAYOUT = Dictionary(Type=Name.Layout)
MELTING_ROLES = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/P")


def finish_structure(path: Path) -> None:
    """Rewrite the tagged PDF at `path` with the repairs described above."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        tree = StructureTree(pdf)
        artifacts = tree.detach_orphans()
        for link in tree.links:
            tree.merge_link(link)
        tree.detach_leaders(artifacts)
        for role in MELTING_ROLES:
            for element in tree.elements(role):
                tree.melt_same_role(element)
        for item in tree.elements("/LI"):
            tree.give_list_item_a_body(item)
        for header in tree.elements("/TH"):
            tree.set_scope(header)
        tree.write_parent_tree()
        for index, marks in sorted(artifacts.items()):
            _mark_as_artifacts(pdf, pdf.pages[index], tree.instructions(index), marks)
        for font in _fonts(pdf):
            _drop_forbidden_mappings(pdf, font)
        # deterministic_id: the file identifier is a hash of the content, not of the clock.
        pdf.save(path, deterministic_id=True)


def _mark_as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, instructions: list, marks: dict[int, Dictionary]) -> None:
    """Turn the marked-content sequences numbered in `marks` into artifacts of the given type."""
    rewritten = []
    for instruction in instructions:
        mcid = _mcid(instruction)
        if mcid in marks:
            instruction = pikepdf.ContentStreamInstruction([Name.Artifact, marks[mcid]], instruction.operator)
        rewritten.append(instruction)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


BDC = pikepdf.Operator("BDC")


def _mcid(instruction: pikepdf.ContentStreamInstruction) -> int | None:
    if instruction.operator != BDC:
        return None
    properties = instruction.operands[1]
    return int(properties.MCID) if isinstance(properties, Dictionary) and "/MCID" in properties else None


def _fonts(pdf: pikepdf.Pdf) -> list[Dictionary]:
    return [obj for obj in pdf.objects if isinstance(obj, Dictionary) and obj.get("/Type") == Name.Font and "/ToUnicode" in obj]


def _unicode_map(font: Dictionary) -> dict[bytes, str]:
    """Character code → text, from the bfchar entries WeasyPrint writes in a ToUnicode CMap."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    mapping: dict[bytes, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for source, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[bytes.fromhex(source)] = bytes.fromhex(target).decode("utf-16-be", errors="replace")
    return mapping


FORBIDDEN = re.compile(r"<[0-9a-fA-F]+>\s*<(?:0000|feff|fffe)>[ \t]*\n", re.I)


def _drop_forbidden_mappings(pdf: pikepdf.Pdf, font: Dictionary) -> None:
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    if not FORBIDDEN.search(cmap):
        return

    def recount(block: re.Match[str]) -> str:
        entries = FORBIDDEN.sub("", block.group(2))
        count = len(re.findall(r"<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>", entries))
        return f"{count} beginbfchar{entries}endbfchar" if count else ""

    cmap = re.sub(r"(\d+) beginbfchar(.*?)endbfchar", recount, cmap, flags=re.S)
    font.ToUnicode = pdf.make_stream(cmap.encode("latin-1"))


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(kid: object) -> bool:
    return isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR)


class StructureTree:
    """The structure tree and its parent tree (content and annotation → element)."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        # WeasyPrint writes the parent tree as one flat /Nums array: pages (key = page index,
        # value = array indexed by MCID), then annotations (key = /StructParent).
        nums = self.root.ParentTree.Nums
        self.parents: dict[int, object] = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        self.page_index = {page.objgen: index for index, page in enumerate(pdf.pages)}
        self._parsed: dict[int, list] = {}
        # One walk of the tree as WeasyPrint wrote it: the repairs only add LBody elements and
        # empty nested links, so what they look for is all found here.
        self.by_role: dict[str, list[Dictionary]] = defaultdict(list)
        self.links: list[Dictionary] = []  # the outermost ones: a link inside a link is its piece
        self.reachable: set[tuple[int, int]] = set()
        for top in _kids(self.root):
            if _is_element(top):
                self._walk(top, inside_link=False)

    def _walk(self, element: Dictionary, inside_link: bool) -> None:
        self.reachable.add(element.objgen)
        role = str(element.get("/S"))
        self.by_role[role].append(element)
        if role == "/Link" and not inside_link:
            self.links.append(element)
        for kid in _kids(element):
            if _is_element(kid):
                self._walk(kid, inside_link or role == "/Link")

    def elements(self, role: str) -> Iterator[Dictionary]:
        """Every element with structure type `role`, in document order."""
        return iter(self.by_role.get(role, []))

    def instructions(self, index: int) -> list:
        """The parsed content stream of page `index` (parsed once)."""
        if index not in self._parsed:
            self._parsed[index] = list(pikepdf.parse_content_stream(self.pdf.pages[index]))
        return self._parsed[index]

    def detach_orphans(self) -> dict[int, dict[int, Dictionary]]:
        """Content whose element the tree cannot reach (margin boxes): page → MCID → artifact type."""
        reachable = self.reachable
        artifacts: dict[int, dict[int, Dictionary]] = defaultdict(dict)
        for index in range(len(self.pdf.pages)):
            mapping = self.parents.get(index)
            if not isinstance(mapping, Array):
                continue
            for mcid, element in enumerate(mapping):
                if isinstance(element, Dictionary) and element.objgen not in reachable:
                    artifacts[index][mcid] = PAGINATION
                    mapping[mcid] = None
        return artifacts

    def detach_leaders(self, artifacts: dict[int, dict[int, Dictionary]]) -> None:
        """Take the dots of dotted leaders out of the links that hold them; they become artifacts.

        What is left of each link's text becomes its annotation's /Contents, the description
        PDF/UA asks every link annotation to carry.
        """
        texts: dict[int, dict[int, str]] = {}
        for link in self.links:
            kept, words = [], []
            for kid in _kids(link):
                if isinstance(kid, int):
                    index = self.page_index[link.Pg.objgen]
                    if index not in texts:
                        texts[index] = _marked_texts(self.pdf.pages[index], self.instructions(index))
                    text = texts[index].get(int(kid), "")
                    if text.strip() and not text.strip(". "):
                        artifacts[index][int(kid)] = LAYOUT
                        self.parents[index][int(kid)] = None
                        continue
                    words.append(text)
                kept.append(kid)
            link.K = Array(kept)
            description = " ".join(" ".join(words).split())
            for objr in kept:
                if isinstance(objr, Dictionary) and objr.get("/Type") == Name.OBJR and description:
                    objr.Obj.Contents = pikepdf.String(description)

    def merge_link(self, link: Dictionary) -> None:
        """One Link element with all the link's content, and one annotation where copies overlap."""
        if not any(_is_element(kid) for kid in _kids(link)):
            return
        content: list = []
        annotations: list[Dictionary] = []

        def collect(element: Dictionary) -> None:
            for kid in _kids(element):
                if _is_element(kid):
                    collect(kid)
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                    annotations.append(kid)
                else:
                    content.append(self._mark_for(kid, element, link))

        collect(link)
        unique = list({objr.Obj.objgen: objr for objr in reversed(annotations)}.values())[::-1]
        kept = []
        for objr in unique:
            if self._covered(objr, unique):
                self._drop_annotation(objr)
            else:
                kept.append(objr)
        link.K = Array(content + kept)

    def _mark_for(self, kid: object, owner: Dictionary, new_owner: Dictionary) -> object:
        """Point the parent tree at `new_owner` for a piece of marked content that `owner` held."""
        if isinstance(kid, Dictionary):  # a marked-content reference (MCR) carries its page
            page, mcid = kid.Pg, int(kid.MCID)
        else:
            page, mcid = owner.Pg, int(kid)
        self.parents[self.page_index[page.objgen]][mcid] = new_owner
        if page.objgen != new_owner.Pg.objgen and not isinstance(kid, Dictionary):
            return Dictionary(Type=Name.MCR, Pg=page, MCID=mcid)
        return kid

    def _covered(self, objr: Dictionary, others: list[Dictionary]) -> bool:
        """Whether an earlier annotation of the same link covers this one's whole area."""
        rect = [float(value) for value in objr.Obj.Rect]
        for other in others:
            if other.Obj.objgen == objr.Obj.objgen:
                return False
            outer = [float(value) for value in other.Obj.Rect]
            if (
                other.Pg.objgen == objr.Pg.objgen
                and min(outer[0], outer[2]) <= min(rect[0], rect[2]) + 0.01
                and max(outer[0], outer[2]) >= max(rect[0], rect[2]) - 0.01
                and min(outer[1], outer[3]) <= min(rect[1], rect[3]) + 0.01
                and max(outer[1], outer[3]) >= max(rect[1], rect[3]) - 0.01
            ):
                return True
        return False

    def _drop_annotation(self, objr: Dictionary) -> None:
        annotation = objr.Obj
        page = objr.Pg
        page.Annots = Array([kept for kept in page.Annots if kept.objgen != annotation.objgen])
        del self.parents[int(annotation.StructParent)]

    def write_parent_tree(self) -> None:
        self.root.ParentTree.Nums = Array([item for key, value in sorted(self.parents.items()) for item in (key, value)])

    def give_list_item_a_body(self, item: Dictionary) -> None:
        """Wrap whatever an LI holds besides Lbl and LBody in an LBody, keeping the order.

        An LI left empty (its item went on before a page break and only its nested list
        follows) is dropped: there is nothing in it to read.
        """
        kids = _kids(item)
        if not kids:
            item.P.K = Array([kid for kid in _kids(item.P) if not (_is_element(kid) and kid.objgen == item.objgen)])
            return
        if all(_is_element(kid) and kid.S in (Name.Lbl, Name.LBody) for kid in kids):
            return
        arranged: list = []
        body: Dictionary | None = None
        for kid in kids:
            if _is_element(kid) and kid.S in (Name.Lbl, Name.LBody):
                arranged.append(kid)
                body = None
                continue
            if body is None:
                body = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, Pg=item.Pg, K=Array()))
                arranged.append(body)
            body.K.append(self._adopt(kid, body, item))
        item.K = Array(arranged)

    def _adopt(self, kid: object, parent: Dictionary, holder: Dictionary) -> object:
        """Make `parent` the parent of `kid`, which `holder` held until now."""
        if _is_element(kid):
            kid.P = parent
        elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
            self.parents[int(kid.Obj.StructParent)] = parent
        else:
            return self._mark_for(kid, holder, parent)
        return kid

    def melt_same_role(self, element: Dictionary) -> None:
        """Replace each kid of the same role as `element` by that kid's own kids."""
        kids = _kids(element)
        if not any(_is_element(kid) and kid.S == element.S for kid in kids):
            return
        melted: list = []
        for kid in kids:
            if _is_element(kid) and kid.S == element.S:
                melted.extend(self._adopt(grandchild, element, kid) for grandchild in _kids(kid))
            else:
                melted.append(kid)
        element.K = Array(melted)

    def set_scope(self, header: Dictionary) -> None:
        """Row when a cell of the header's own row names it in /Headers, else Column."""
        attributes = header.get("/A")
        if not isinstance(attributes, Dictionary) or "/Scope" in attributes:
            return
        key = header.get("/ID")
        row = header.P
        names_it = any(
            _is_element(cell) and cell.S == Name.TD and key is not None and key in list(cell.get("/A", {}).get("/Headers", []))
            for cell in _kids(row)
        )
        attributes.Scope = Name.Row if names_it else Name.Column


def _marked_texts(page: pikepdf.Page, instructions: list) -> dict[int, str]:
    """The text each marked-content sequence on `page` shows, by MCID."""
    fonts = page.Resources.get("/Font", Dictionary())
    maps: dict[str, dict[bytes, str]] = {}
    texts: dict[int, str] = defaultdict(str)
    current: int | None = None
    font_map: dict[bytes, str] = {}
    width = 2
    for instruction in instructions:
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            current = _mcid(instruction)
        elif operator == "EMC":
            current = None
        elif operator == "Tf":
            name = str(instruction.operands[0])
            font = fonts.get(name)
            if name not in maps:
                maps[name] = _unicode_map(font) if font is not None and "/ToUnicode" in font else {}
            font_map = maps[name]
            width = 2 if font is not None and font.get("/Subtype") == Name.Type0 else 1
        elif operator in ("TJ", "Tj") and current is not None:
            operand = instruction.operands[0]
            for string in operand if isinstance(operand, Array) else [operand]:
                if isinstance(string, pikepdf.String):
                    data = bytes(string)
                    texts[current] += "".join(font_map.get(data[i : i + width], "\ufffd") for i in range(0, len(data), width))
    return texts
