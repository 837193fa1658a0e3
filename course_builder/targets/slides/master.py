"""The branded default design: python-pptx's default template made into the brand's 16:9 master and layouts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from course_builder.contrast import contrast_ratio, text_colour_on
from course_builder.deck import CONTENT, LAYOUT_ROLES, SECTION, TITLE_SLIDE, Box, Frame, Geometry
from course_builder.model import Brand
from course_builder.targets.slides.ooxml import NAMESPACES, _element, _fill, _qn, emu, picture_element, rectangle
from course_builder.targets.slides.template import role_placeholders

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout


class BrandedMaster:
    """python-pptx's default template made into the brand's 16:9 master and the six layouts the deck uses."""

    def __init__(self, presentation: Presentation, brand: Brand, geometry: Geometry, rtl: bool = False):
        self.presentation = presentation
        self.brand = brand
        self.geometry = geometry
        self.rtl = rtl  # a right-to-left language: every box mirrored across the slide's middle
        colors = brand.colors
        # Text on the primary colour: the background colour when it reads there, else near-black or white.
        self.on_primary = (
            "bg1"
            if contrast_ratio(colors.background, colors.primary) >= 4.5
            else ("tx1" if text_colour_on(colors.primary, [colors.text]) == colors.text else "bg1")
        )

    def build(self) -> None:
        p = self.presentation
        p.slide_width, p.slide_height = emu(self.geometry.width), emu(self.geometry.height)
        for layout in list(p.slide_layouts):
            if layout.name not in LAYOUT_ROLES:
                p.slide_layouts.remove(layout)
        self.master()
        for layout in p.slide_layouts:
            self.layout(layout)

    def master(self) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER

        master = self.presentation.slide_master
        content = self.geometry.frames[CONTENT]
        for placeholder in list(master.placeholders):
            kind = placeholder.placeholder_format.type
            if kind == PP_PLACEHOLDER.TITLE:
                self.place(placeholder, content["title"], anchor="t")
            elif kind == PP_PLACEHOLDER.BODY:
                self.place(placeholder, content["body"], anchor="t")
            elif kind == PP_PLACEHOLDER.FOOTER and self.geometry.footer:
                self.place(placeholder, self.geometry.footer, anchor="ctr", color="accent6", font="+mj-lt")
            elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
                number = Frame(Box(self.geometry.width - 60 - 40, 500, 40, 20), 10, "body", (0, 0, 0, 0))
                self.place(placeholder, number, anchor="ctr", color="accent6", font="+mj-lt", align="r")
            else:
                placeholder._element.getparent().remove(placeholder._element)
        master._element.find(_qn("p:txStyles")).getparent().replace(master._element.find(_qn("p:txStyles")), self.text_styles())
        tree = master.shapes._spTree
        tree.append(rectangle(900, "Accent", self.side(Box(60, 24, 44, 5)), "accent3"))
        tree.append(rectangle(901, "Footer rule", self.side(Box(60, 492, self.geometry.width - 120, 0.75)), "lt2"))
        logo = brand_logo(self.brand)
        if logo is not None:
            height = 22.0
            width = min(logo.width / logo.height * height, 160)
            self.add_picture(
                master.part,
                tree,
                902,
                logo,
                Box(self.geometry.width - 60 - 60 - 14 - width, 499, width, width * logo.height / logo.width),
            )

    def text_styles(self):
        from pptx.oxml import parse_xml

        levels = "".join(
            f'<a:lvl{n}pPr marL="{emu(18 * n)}" indent="{-emu(18)}">'
            '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{600 if n == 1 else 400}"/></a:spcBef>'
            '<a:buClr><a:schemeClr val="accent3"/></a:buClr><a:buFont typeface="+mn-lt"/>'
            f'<a:buChar char="{"•" if n % 2 else "–"}"/>'
            f'<a:defRPr sz="{max(2000 - 200 * (n - 1), 1200)}">{_fill("tx1")}<a:latin typeface="+mn-lt"/></a:defRPr>'
            f"</a:lvl{n}pPr>"
            for n in range(1, 10)
        )
        title = self.geometry.frames[CONTENT]["title"].size
        return parse_xml(
            f"<p:txStyles {NAMESPACES}>"
            '<p:titleStyle><a:lvl1pPr algn="l"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
            '<a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>'
            f'<a:defRPr sz="{round(title * 100)}" b="1">{_fill("tx2")}<a:latin typeface="+mj-lt"/></a:defRPr>'
            "</a:lvl1pPr></p:titleStyle>"
            f"<p:bodyStyle>{levels}</p:bodyStyle>"
            f'<p:otherStyle><a:lvl1pPr><a:defRPr sz="1800">{_fill("tx1")}<a:latin typeface="+mn-lt"/></a:defRPr>'
            "</a:lvl1pPr></p:otherStyle></p:txStyles>"
        )

    def layout(self, layout: SlideLayout) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER

        frames = self.geometry.frames[layout.name]
        title, others = role_placeholders(layout)
        for placeholder in list(layout.placeholders):
            if placeholder.placeholder_format.type == PP_PLACEHOLDER.DATE:
                placeholder._element.getparent().remove(placeholder._element)
        dark = layout.name in (TITLE_SLIDE, SECTION)
        if title is not None:
            self.place(title, frames["title"], anchor="b" if dark else "t", color=self.on_primary if dark else None)
        for role, placeholder in zip(LAYOUT_ROLES[layout.name], others, strict=False):
            self.place(placeholder, frames[role], anchor="t", color=self.on_primary if dark else None, plain=True)
        for placeholder in others[len(LAYOUT_ROLES[layout.name]) :]:
            placeholder._element.getparent().remove(placeholder._element)
        if dark:
            self.dark_layout(layout)

    def dark_layout(self, layout: SlideLayout) -> None:
        """Title and section slides: the primary colour carries them, with the accent and (title slide) the logo."""
        layout._element.set("showMasterSp", "0")
        tree = layout.shapes._spTree
        title = self.geometry.frames[layout.name]["title"].box
        if layout.name == TITLE_SLIDE:
            panel = Box(0, 0, title.right + 40, self.geometry.height)
            tree.insert(2, rectangle(900, "Brand panel", self.side(panel), "tx2"))
            logo = brand_logo(self.brand)
            if logo is not None:
                space = Box(panel.right + 40, 0, self.geometry.width - panel.right - 80, self.geometry.height)
                width = min(space.w, logo.width / logo.height * 90)
                height = width * logo.height / logo.width
                self.add_picture(
                    layout.part, tree, 902, logo, Box(space.x + (space.w - width) / 2, (space.h - height) / 2, width, height)
                )
        else:
            background = _element(f"<p:bg {NAMESPACES}><p:bgPr>{_fill('tx2')}<a:effectLst/></p:bgPr></p:bg>")
            layout._element.cSld.insert(0, background)
        accent = Box(title.x, title.bottom + 6, 56, 5)  # between title and text
        tree.append(rectangle(901, "Accent", self.side(accent), "accent4"))

    def place(
        self,
        placeholder,
        frame: Frame,
        anchor: str,
        color: str | None = None,
        plain: bool = False,
        font: str | None = None,
        align: str = "l",
    ) -> None:
        """Put a placeholder where the design says, with its insets, anchor and (on dark layouts) text colour."""
        from pptx.oxml import parse_xml

        box = self.side(frame.box)
        placeholder.left, placeholder.top, placeholder.width, placeholder.height = emu(box.x), emu(box.y), emu(box.w), emu(box.h)
        body = placeholder._element.find(f"{_qn('p:txBody')}/{_qn('a:bodyPr')}")
        left, top, right, bottom = frame.insets
        if self.rtl:
            left, right, align = right, left, {"l": "r", "r": "l"}.get(align, align)
        for key, value in (("lIns", left), ("tIns", top), ("rIns", right), ("bIns", bottom)):
            body.set(key, str(emu(value)))
        body.set("anchor", anchor)
        body.set("wrap", "square")
        for child in list(body):
            body.remove(child)
        list_style = placeholder._element.find(f"{_qn('p:txBody')}/{_qn('a:lstStyle')}")
        fill = _fill(color) if color else ""
        typeface = f'<a:latin typeface="{font}"/>' if font else ""
        bullet = "<a:buNone/>" if plain else ""
        direction = ' rtl="1"' if self.rtl else ""
        new_style = parse_xml(
            f'<a:lstStyle {NAMESPACES}><a:lvl1pPr marL="0" indent="0" algn="{align}"{direction}>{bullet}'
            f'<a:defRPr sz="{round(frame.size * 100)}">{fill}{typeface}</a:defRPr></a:lvl1pPr></a:lstStyle>'
        )
        list_style.getparent().replace(list_style, new_style)

    def add_picture(self, part, tree, shape_id: int, image: LogoImage, box: Box) -> None:
        _, rId = part.get_or_add_image_part(str(image.file))
        tree.append(picture_element(shape_id, "Logo", self.brand.name, rId, self.side(box)))

    def side(self, box: Box) -> Box:
        """Where a box of the design goes: as designed, or mirrored for a right-to-left language."""
        return Box(self.geometry.width - box.x - box.w, box.y, box.w, box.h) if self.rtl else box


# ---------------------------------------------------------------- images


class LogoImage:
    def __init__(self, file: Path):
        from PIL import Image

        self.file = file
        with Image.open(file) as image:
            self.width, self.height = image.size


def brand_logo(brand: Brand) -> LogoImage | None:
    """The logo as a picture every presentation program shows, or None (`checks.logo_problems` says why)."""
    return LogoImage(brand.logo_raster) if brand.logo_raster is not None else None
