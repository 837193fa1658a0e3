"""Writing a typed deck's slides, notes pages and pictures into a presentation whose master and layouts are ready."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from course_builder.deck import LAYOUT_ROLES, Deck, DeckBuilder, Geometry, Picture, Slide, Table
from course_builder.targets.slides.ooxml import (
    CONTROL_CHARACTERS,
    NAMESPACES,
    PH_PATH,
    SLIDE_NUMBER_FIELD,
    _element,
    _escape,
    _qn,
    _xfrm,
    paragraph_element,
    picture_element,
    shape_element,
    table_element,
)
from course_builder.targets.slides.template import layout_by_name, role_placeholders
from course_builder.writing import writing

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout


class PartNames:
    """Hands out part names from counters instead of python-pptx's search through every part.

    python-pptx finds a free name for each new notes slide (and image) by walking the whole
    package, which makes a deck with notes quadratic in its slides. Names are numbered in the
    order parts are added, so the output stays deterministic.
    """

    def __init__(self, package):
        self.used = {str(part.partname) for part in package.iter_parts()}
        self.counters: dict[str, int] = {}

    def next_partname(self, template: str):
        from pptx.opc.packuri import PackURI

        number = self.counters.get(template, 0)
        while True:
            number += 1
            name = template % number
            if name not in self.used:
                break
        self.counters[template] = number
        self.used.add(name)
        return PackURI(name)

    def next_image_partname(self, ext: str):
        return self.next_partname(f"/ppt/media/image%d.{ext}")


class PageFactory:
    """New slides, notes pages and pictures, made without python-pptx's searches through the whole deck.

    python-pptx rebuilds every slide's placeholders from its layout and every notes page from the
    notes master by searching their XML, and each new slide, notes page and image looks through all
    the presentation's relationships, ids or parts first: fine for ten slides, quadratic for
    hundreds. Here the first slide of each layout and the first notes page are made by python-pptx;
    later ones are copies, related and numbered directly (new parts cannot already be related).
    """

    def __init__(self, presentation: Presentation):
        self.presentation = presentation
        self.package = presentation.part.package
        names = PartNames(self.package)
        self.package.next_partname = names.next_partname  # this package only; see PartNames
        self.package.next_image_partname = names.next_image_partname
        self.slide_trees: dict[str, object] = {}
        self.notes_page = None
        self.notes_master = None
        self.images: dict[Path, object] = {}
        slide_ids = presentation.slides._sldIdLst
        self.next_slide_id = max((int(s.get("id")) for s in slide_ids), default=255) + 1

    def slide(self, layout: SlideLayout):
        """A new slide's part and its shape tree, placeholders in place."""
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.opc.packuri import PackURI
        from pptx.parts.slide import SlidePart

        prototype = self.slide_trees.get(layout.name)
        if prototype is None:
            slide = self.presentation.slides.add_slide(layout)
            self.slide_trees[layout.name] = copy.deepcopy(slide.shapes._spTree)
            self.next_slide_id = max(self.next_slide_id, int(self.presentation.slides._sldIdLst[-1].get("id")) + 1)
            return slide.part, slide.shapes._spTree
        slide_ids = self.presentation.slides._sldIdLst
        # Numbered as python-pptx numbers the slides it makes itself: by position.
        part = SlidePart.new(PackURI(f"/ppt/slides/slide{len(slide_ids) + 1}.xml"), self.package, layout.part)
        rId = self.presentation.part.rels._add_relationship(RT.SLIDE, part)
        old = part._element.cSld.spTree
        tree = copy.deepcopy(prototype)
        old.getparent().replace(old, tree)
        slide_id = _element(f'<p:sldId {NAMESPACES} id="{self.next_slide_id}" r:id="{rId}"/>')
        slide_ids.append(slide_id)
        self.next_slide_id += 1
        return part, tree

    def notes(self, slide_part):
        """The notes page of a slide, still without text."""
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.parts.slide import NotesSlidePart

        if self.notes_page is None:
            element = slide_part.notes_slide._element
            self.notes_page = copy.deepcopy(element)
            self.notes_master = self.package.presentation_part.notes_master_part
            return element
        element = copy.deepcopy(self.notes_page)
        part = NotesSlidePart(
            self.package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE, self.package, element
        )
        part.relate_to(self.notes_master, RT.NOTES_MASTER)
        part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(part, RT.NOTES_SLIDE)
        return element

    def image(self, slide_part, file: Path) -> str:
        """The rId of a picture file on a slide; each file becomes one image part, however often it is shown."""
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        image_part = self.images.get(file)
        if image_part is None:
            image_part, rId = slide_part.get_or_add_image_part(str(file))
            self.images[file] = image_part
            return rId
        return slide_part.relate_to(image_part, RT.IMAGE)


class DeckWriter:
    """Writes a typed deck into a presentation whose master and layouts are ready."""

    def __init__(self, presentation: Presentation, deck: Deck, geometry: Geometry):
        self.presentation = presentation
        self.deck = deck
        self.geometry = geometry
        self.layouts = layout_by_name(presentation)
        self.roles = {name: self.role_indexes(self.layouts[name.lower()], name) for name in LAYOUT_ROLES}
        self.footers = {name.lower(): self.footer_placeholders(self.layouts[name.lower()]) for name in LAYOUT_ROLES}
        self.pages = PageFactory(presentation)

    @staticmethod
    def role_indexes(layout: SlideLayout, name: str) -> dict[str, int]:
        """Which placeholder idx holds each role: the link between a slide's and its layout's placeholders."""
        _, others = role_placeholders(layout)
        return {role: p.placeholder_format.idx for role, p in zip(LAYOUT_ROLES[name], others, strict=False)}

    def write(self) -> None:
        for number, slide in enumerate(self.deck.slides, start=1):
            self.write_slide(slide, number)

    def write_slide(self, slide: Slide, number: int) -> None:
        layout = self.layouts[slide.layout.lower()]
        part, tree = self.pages.slide(layout)
        # Placeholders by idx, read from the XML: python-pptx's proxies search the tree on every call.
        placeholders = {}
        for shape in tree.iterchildren(_qn("p:sp")):
            ph = shape.find(PH_PATH)
            if ph is not None:
                placeholders["title" if ph.get("type") in ("title", "ctrTitle") else int(ph.get("idx", "0"))] = shape
        self.fill_body(
            placeholders["title"].find(_qn("p:txBody")), (DeckBuilder.title_para(slide.title, slide.title_size),), part
        )
        for role, idx in self.roles[slide.layout].items():
            shape = placeholders.get(idx)
            box = slide.placeholders.get(role)
            if shape is None:
                continue
            if box is None or not box.paras:  # an empty placeholder would show "Click to add text"
                tree.remove(shape)
                continue
            if box.frame.box != self.geometry.frame(slide.layout, role).box:
                spPr = shape.find(_qn("p:spPr"))
                spPr.insert(0, _element(f"<a:xfrm {NAMESPACES}>{_xfrm(box.frame.box)[len('<a:xfrm>') :]}"))
            self.fill_body(shape.find(_qn("p:txBody")), box.paras, part)
        next_id = max(int(e.get("id")) for e in tree.iter(_qn("p:cNvPr"))) + 1
        for offset, shape in enumerate(slide.shapes):
            if isinstance(shape, Picture):
                self.add_picture(part, tree, next_id + offset, shape)
            elif isinstance(shape, Table):
                element = table_element(next_id + offset, f"Table {offset + 1}", shape, self.rtl)
                tree.append(element)
                for body, row in zip(element.iter(_qn("a:txBody")), (p for r in shape.rows for p in r), strict=True):
                    self.fill_body(body, (row,), part)
            else:
                # Named by what its text is (Body, Caption, Label), so a reader of the file can tell them apart.
                role = shape.text.role if shape.text is not None else "Panel"
                element = shape_element(next_id + offset, f"{role.title()} {offset + 1}", shape)
                tree.append(element)
                if shape.text is not None:
                    self.fill_body(element.find(_qn("p:txBody")), shape.text.paras, part)
        if slide.footer is not None:
            self.add_footer(tree, layout, slide.footer, number, next_id + len(slide.shapes))
        self.write_notes(self.pages.notes(part), slide.notes_text)

    def write_notes(self, notes, text: str) -> None:
        for shape in notes.iter(_qn("p:sp")):
            ph = shape.find(PH_PATH)
            if ph is not None and ph.get("type") == "body":
                body = shape.find(_qn("p:txBody"))
                for old in body.findall(_qn("a:p")):
                    body.remove(old)
                direction = '<a:pPr algn="r" rtl="1"/>' if self.rtl else ""
                for line in CONTROL_CHARACTERS.sub("", text).split("\n"):
                    run = f'<a:r><a:rPr lang="{self.deck.language}" dirty="0"/><a:t>{_escape(line)}</a:t></a:r>' if line else ""
                    body.append(_element(f"<a:p {NAMESPACES}>{direction}{run}</a:p>"))
                return

    def write_text(self, shape, paras) -> None:
        self.fill_body(shape._element.find(_qn("p:txBody")), paras, shape.part)

    def fill_body(self, body, paras, part) -> None:
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        for old in body.findall(_qn("a:p")):
            body.remove(old)
        link = lambda url: part.relate_to(url, RT.HYPERLINK, is_external=True)  # noqa: E731
        for index, para in enumerate(paras):
            # Programs differ on space before a frame's first paragraph; the deck measured none.
            body.append(paragraph_element(replace(para, space_before=0) if index == 0 else para, self.deck.language, link))

    def add_picture(self, part, tree, shape_id: int, picture: Picture) -> None:
        rId = self.pages.image(part, picture.file)
        tree.append(picture_element(shape_id, f"Picture {shape_id}", picture.alt, rId, picture.box))

    def add_footer(self, tree, layout: SlideLayout, footer: str, number: int, shape_id: int) -> None:
        """Footer and slide number, copied from the layout as PowerPoint does when they are switched on."""
        # Right to left the footer text starts at the right and the number sits at the left, as in the PDFs.
        style = (
            '<a:pPr algn="{align}"' + (' rtl="1"/>' if self.rtl else "/>"),
            f'<a:rPr lang="{self.deck.language}" sz="{round(self.footer_size * 100)}" dirty="0">'
            '<a:solidFill><a:schemeClr val="accent6"/></a:solidFill><a:latin typeface="+mj-lt"/></a:rPr>',
        )
        start, end = ("r", "l") if self.rtl else ("l", "r")
        for kind, template in self.footers[layout.name.strip().lower()]:
            element = copy.deepcopy(template)
            element.find(f"{_qn('p:nvSpPr')}/{_qn('p:cNvPr')}").set("id", str(shape_id))
            shape_id += 1
            body = element.find(_qn("p:txBody"))
            for old in body.findall(_qn("a:p")):
                body.remove(old)
            if kind == "ftr":
                text = f"{style[0].format(align=start)}<a:r>{style[1]}<a:t>{_escape(footer)}</a:t></a:r>"
            else:
                field = f'<a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum">{style[1]}<a:t>{number}</a:t></a:fld>'
                text = style[0].format(align=end) + field
            body.append(_element(f"<a:p {NAMESPACES}>{text}</a:p>"))
            tree.append(element)

    @staticmethod
    def footer_placeholders(layout: SlideLayout) -> list[tuple[str, object]]:
        """The layout's footer and slide-number placeholders, emptied of position so slides inherit it."""
        found = []
        for shape in layout.shapes._spTree.iterchildren(_qn("p:sp")):
            ph = shape.find(PH_PATH)
            if ph is not None and ph.get("type") in ("ftr", "sldNum"):
                element = copy.deepcopy(shape)
                spPr = element.find(_qn("p:spPr"))
                for child in list(spPr):
                    spPr.remove(child)
                found.append((ph.get("type"), element))
        return found

    @property
    def rtl(self) -> bool:
        return writing(self.deck.language).rtl

    @property
    def footer_size(self) -> float:
        return self.geometry.footer.size if self.geometry.footer else 10

