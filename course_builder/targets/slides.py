"""The slide deck (PPTX): stage two, the typed deck from `course_builder.deck` written with python-pptx.

The brand reaches the deck through the theme and the slide master, not by painting shapes:
the theme's colour slots and fonts are set from the brand, the master and its layouts carry
the logo and the accents, and every text or panel refers to theme slots (tx2, accent3…), so a
facilitator who changes the theme in PowerPoint changes the whole deck.

Without a template, the branded master is built from python-pptx's default template: 16:9,
the layouts the deck uses, placed as `deck.DEFAULT_GEOMETRY` says. With `brand.pptx_template`,
the user's own layouts and placeholders are used (found by PowerPoint's layout names and the
placeholder idx model) and the deck is measured against their boxes.
"""

from __future__ import annotations

import copy
import io
import re
import struct
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from course_builder.contrast import contrast_ratio, mix, text_colour_on
from course_builder.deck import (
    CONTENT,
    DEFAULT_GEOMETRY,
    LAYOUT_ROLES,
    SECTION,
    TITLE_SLIDE,
    Box,
    Deck,
    DeckBuilder,
    Frame,
    Geometry,
    Panel,
    Para,
    Picture,
    Slide,
    TextMetrics,
    build_deck,
    raster_image,
)
from course_builder.errors import CourseError, Problem
from course_builder.markup import Run
from course_builder.model import Brand, Course
from course_builder.targets.base import BuildOptions, Target, atomic_file

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout

EMU_PER_POINT = 12700
DOS_TIMESTAMP = (0, (0 << 9) | (1 << 5) | 1)  # 00:00:00 on 1980-01-01, as (time, date) in zip's DOS format
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def emu(points: float) -> int:
    return round(points * EMU_PER_POINT)


class SlidesTarget(Target):
    name = "slides"
    description = "Slide deck with speaker notes (PPTX), in the brand's theme"

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        return ["slides.pptx"]

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        presentation, geometry = self.open_presentation(brand)
        deck = build_deck(course, brand, geometry)
        for image in deck.unshown_images:
            self.warnings.append(
                Problem(
                    image,
                    None,
                    f"the deck shows the description of {image.name}, not the picture: "
                    f"presentation programs do not all show {image.suffix.lstrip('.').upper()} images",
                    f"put a PNG of it beside it as {image.with_suffix('.png').name}",
                    severity="warning",
                )
            )
        DeckWriter(presentation, deck, geometry).write()
        set_properties(presentation, course, options)
        final = out / "slides.pptx"
        with atomic_file(final) as temporary:
            temporary.write_bytes(deterministic_zip(presentation))
        return [final]

    def open_presentation(self, brand: Brand) -> tuple[Presentation, Geometry]:
        """The user's template with its own geometry, or the default template turned into the branded design."""
        from pptx import Presentation

        if brand.pptx_template:
            try:
                presentation = Presentation(str(brand.pptx_template))
            except Exception as error:  # python-pptx raises several types for files that are not decks
                raise CourseError.single(
                    brand.source,
                    None,
                    f"cannot open the PowerPoint template {brand.pptx_template}: {error}",
                    "save the template from PowerPoint or LibreOffice as .pptx",
                ) from None
            remove_slides(presentation)
            geometry = template_geometry(presentation, brand)
        else:
            presentation = Presentation()
            geometry = DEFAULT_GEOMETRY
            BrandedMaster(presentation, brand, geometry, self.warnings).build()
        apply_theme(presentation, brand)
        return presentation, geometry


# ---------------------------------------------------------------- theme


def theme_colors(brand: Brand) -> dict[str, str]:
    """The brand's colours in the theme's twelve slots; derived tints fill the slots a brand does not name."""
    c = brand.colors
    return {
        "dk1": c.text,
        "lt1": c.background,
        "dk2": c.primary,
        "lt2": mix(c.primary, c.background, 0.9),  # card and panel backgrounds
        "accent1": c.primary,
        "accent2": c.secondary,
        "accent3": c.accent,
        "accent4": mix(c.accent, "#FFFFFF", 0.6),  # accent that reads on the primary colour
        "accent5": mix(c.secondary, c.background, 0.85),
        "accent6": mix(c.text, c.background, 0.35),  # muted text
        "hlink": c.secondary,
        "folHlink": c.primary,
    }


def apply_theme(presentation: Presentation, brand: Brand) -> None:
    """Write the brand's colours and fonts into the theme of the deck's slide master."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import qn

    theme_part = presentation.slide_master.part.part_related_by(RT.THEME)
    theme = parse_xml(theme_part.blob)
    theme.set("name", brand.name)
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    scheme.set("name", brand.name)
    for slot, color in theme_colors(brand).items():
        holder = scheme.find(qn(f"a:{slot}"))
        for child in list(holder):
            holder.remove(child)
        holder.append(
            parse_xml(f'<a:srgbClr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" val="{color[1:]}"/>')
        )
    metrics = TextMetrics.for_brand(brand)
    fonts = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    fonts.set("name", brand.name)
    fonts.find(f"{qn('a:majorFont')}/{qn('a:latin')}").set("typeface", metrics.family("heading"))
    fonts.find(f"{qn('a:minorFont')}/{qn('a:latin')}").set("typeface", metrics.family("body"))
    theme_part._blob = _xml_bytes(theme)


def _xml_bytes(element) -> bytes:
    from lxml import etree

    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------- templates


def remove_slides(presentation: Presentation) -> None:
    """A template may hold example slides; the deck starts without them."""
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def layout_by_name(presentation: Presentation) -> dict[str, SlideLayout]:
    return {layout.name.strip().lower(): layout for layout in presentation.slide_layouts}


def role_placeholders(layout: SlideLayout) -> tuple[object | None, list]:
    """A layout's title placeholder and its other text placeholders in reading order (by column, then top)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    title = None
    others = []
    for placeholder in layout.placeholders:
        kind = placeholder.placeholder_format.type
        if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE):
            title = placeholder
        elif kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE):
            others.append(placeholder)
    others.sort(key=lambda p: (round(p.left / 914400 * 2), p.top))  # half-inch columns, then top to bottom
    return title, others


def footer_placeholder(layout: SlideLayout):
    from pptx.enum.shapes import PP_PLACEHOLDER

    return next((p for p in layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.FOOTER), None)


def template_geometry(presentation: Presentation, brand: Brand) -> Geometry:
    """The frames of a user's template, read from its layouts by name and its placeholders in reading order."""
    layouts = layout_by_name(presentation)
    problems = []
    frames: dict[str, dict[str, Frame]] = {}
    for name, roles in LAYOUT_ROLES.items():
        layout = layouts.get(name.lower())
        if layout is None:
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"the PowerPoint template {brand.pptx_template} has no layout called '{name}'",
                    f"the deck uses the layouts {', '.join(LAYOUT_ROLES)}; its layouts are: "
                    f"{', '.join(layout.name for layout in presentation.slide_layouts)}",
                )
            )
            continue
        title, others = role_placeholders(layout)
        if title is None or len(others) < len(roles):
            problems.append(
                Problem(
                    brand.source,
                    None,
                    f"the layout '{name}' in {brand.pptx_template} needs a title and {len(roles)} text placeholder(s)",
                    "restore the layout's placeholders in the template's slide master view",
                )
            )
            continue
        frames[name] = {"title": placeholder_frame(title, "heading", presentation)}
        for role, placeholder in zip(roles, others, strict=False):
            frames[name][role] = placeholder_frame(placeholder, "heading" if role.endswith("heading") else "body", presentation)
    if problems:
        raise CourseError(problems)
    footer = footer_placeholder(layouts[CONTENT.lower()])
    return Geometry(
        width=presentation.slide_width / EMU_PER_POINT,
        height=presentation.slide_height / EMU_PER_POINT,
        frames=frames,
        footer=placeholder_frame(footer, "heading", presentation) if footer is not None else None,
    )


def placeholder_frame(placeholder, font: str, presentation: Presentation) -> Frame:
    box = Box(
        placeholder.left / EMU_PER_POINT,
        placeholder.top / EMU_PER_POINT,
        placeholder.width / EMU_PER_POINT,
        placeholder.height / EMU_PER_POINT,
    )
    return Frame(box, inherited_size(placeholder, presentation), font, inherited_insets(placeholder, presentation))  # type: ignore[arg-type]


def _master_counterpart(placeholder, presentation: Presentation):
    """The master placeholder a layout placeholder inherits from: same type, text kinds from the master's body."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    kind = placeholder.placeholder_format.type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
        kind = PP_PLACEHOLDER.TITLE
    elif kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE):
        kind = PP_PLACEHOLDER.BODY
    return next((p for p in presentation.slide_master.placeholders if p.placeholder_format.type == kind), None)


def inherited_size(placeholder, presentation: Presentation) -> float:
    """The point size a placeholder's first-level text inherits: layout, then master placeholder, then master text styles."""
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.oxml.ns import qn

    path = f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}"
    for shape in (placeholder, _master_counterpart(placeholder, presentation)):
        if shape is not None:
            found = shape._element.find(path)
            if found is not None and found.get("sz"):
                return int(found.get("sz")) / 100
    kind = placeholder.placeholder_format.type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
        style = "p:titleStyle"
    elif kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE):
        style = "p:bodyStyle"
    else:
        style = "p:otherStyle"
    found = presentation.slide_master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    return int(found.get("sz")) / 100 if found is not None and found.get("sz") else 18.0


def inherited_insets(placeholder, presentation: Presentation) -> tuple[float, float, float, float]:
    from pptx.oxml.ns import qn

    defaults = {"lIns": 91440, "tIns": 45720, "rIns": 91440, "bIns": 45720}
    values = {}
    for shape in (_master_counterpart(placeholder, presentation), placeholder):
        body = shape._element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") if shape is not None else None
        if body is not None:
            values.update({k: int(v) for k, v in body.attrib.items() if k in defaults})
    merged = {**defaults, **values}
    return tuple(merged[k] / EMU_PER_POINT for k in ("lIns", "tIns", "rIns", "bIns"))  # type: ignore[return-value]


# ---------------------------------------------------------------- the branded default master


class BrandedMaster:
    """python-pptx's default template made into the brand's 16:9 master and the six layouts the deck uses."""

    def __init__(self, presentation: Presentation, brand: Brand, geometry: Geometry, warnings: list[Problem]):
        self.presentation = presentation
        self.brand = brand
        self.geometry = geometry
        self.warnings = warnings
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
        tree.append(rectangle(900, "Accent", Box(60, 24, 44, 5), "accent3"))
        tree.append(rectangle(901, "Footer rule", Box(60, 492, self.geometry.width - 120, 0.75), "lt2"))
        logo = brand_logo(self.brand, self.warnings)
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
            tree.insert(2, rectangle(900, "Brand panel", panel, "tx2"))
            logo = brand_logo(self.brand, self.warnings)
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
        tree.append(rectangle(901, "Accent", Box(title.x, title.bottom + 6, 56, 5), "accent4"))  # between title and text

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

        box = frame.box
        placeholder.left, placeholder.top, placeholder.width, placeholder.height = emu(box.x), emu(box.y), emu(box.w), emu(box.h)
        body = placeholder._element.find(f"{_qn('p:txBody')}/{_qn('a:bodyPr')}")
        left, top, right, bottom = frame.insets
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
        new_style = parse_xml(
            f'<a:lstStyle {NAMESPACES}><a:lvl1pPr marL="0" indent="0" algn="{align}">{bullet}'
            f'<a:defRPr sz="{round(frame.size * 100)}">{fill}{typeface}</a:defRPr></a:lvl1pPr></a:lstStyle>'
        )
        list_style.getparent().replace(list_style, new_style)

    def add_picture(self, part, tree, shape_id: int, image: LogoImage, box: Box) -> None:
        _, rId = part.get_or_add_image_part(str(image.file))
        tree.append(picture_element(shape_id, "Logo", self.brand.name, rId, box))


# ---------------------------------------------------------------- images


class LogoImage:
    def __init__(self, file: Path):
        from PIL import Image

        self.file = file
        with Image.open(file) as image:
            self.width, self.height = image.size


def brand_logo(brand: Brand, warnings: list[Problem]) -> LogoImage | None:
    if brand.logo is None:
        return None
    file = raster_image(brand.logo)
    if file is None:
        message = (
            f"the deck shows no logo: {brand.logo.name} is not a PNG or JPEG, "
            f"and presentation programs do not all show {brand.logo.suffix.lstrip('.').upper()} images"
        )
        problem = Problem(
            brand.source,
            None,
            message,
            f"put a PNG of the logo beside it as {brand.logo.with_suffix('.png').name}",
            severity="warning",
        )
        if problem not in warnings:
            warnings.append(problem)
        return None
    return LogoImage(file)


# ---------------------------------------------------------------- XML pieces

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = f'xmlns:a="{A}" xmlns:p="{P}" xmlns:r="{R}"'


SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # the field id PowerPoint gives slide numbers
PH_PATH = f"{{{P}}}nvSpPr/{{{P}}}nvPr/{{{P}}}ph"


def _qn(tag: str) -> str:
    from pptx.oxml.ns import qn

    return qn(tag)


def _element(xml: str):
    from pptx.oxml import parse_xml

    return parse_xml(xml)


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(CONTROL_CHARACTERS.sub("", text), {'"': "&quot;"})


def _fill(slot: str) -> str:
    return f'<a:solidFill><a:schemeClr val="{slot}"/></a:solidFill>'


def _xfrm(box: Box) -> str:
    return f'<a:xfrm><a:off x="{emu(box.x)}" y="{emu(box.y)}"/><a:ext cx="{emu(box.w)}" cy="{emu(box.h)}"/></a:xfrm>'


def rectangle(shape_id: int, name: str, box: Box, fill: str):
    """A plain filled rectangle in a theme colour: the master's accents and panels."""
    return _element(
        f'<p:sp {NAMESPACES}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{_xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(fill)}<a:ln><a:noFill/></a:ln></p:spPr>'
        "</p:sp>"
    )


def picture_element(shape_id: int, name: str, alt: str, rId: str, box: Box):
    """A picture that keeps its aspect (the box already does) and carries alt text in cNvPr/@descr."""
    return _element(
        f'<p:pic {NAMESPACES}><p:nvPicPr><p:cNvPr id="{shape_id}" name="{_escape(name)}" descr="{_escape(alt)}"/>'
        '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:embed="{rId}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        f'<p:spPr>{_xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


PRESETS = {"rectangle": "rect", "rounded": "roundRect", "oval": "ellipse"}
ANCHORS = {"top": "t", "middle": "ctr", "bottom": "b"}


def shape_element(shape_id: int, name: str, panel: Panel):
    """A panel: a filled shape (or a bare text box) whose text sits in the panel's text frame."""
    fill = "<a:noFill/>" if panel.fill == "none" else f'<a:solidFill><a:schemeClr val="{panel.fill}"/></a:solidFill>'
    geometry = PRESETS[panel.shape]
    adjust = '<a:gd name="adj" fmla="val 6000"/>' if panel.shape == "rounded" else ""
    text = panel.text
    if text is not None:
        frame = text.frame
        left = frame.box.x - panel.box.x + frame.insets[0]
        top = frame.box.y - panel.box.y + frame.insets[1]
        right = panel.box.right - frame.box.right + frame.insets[2]
        bottom = panel.box.bottom - frame.box.bottom + frame.insets[3]
        body = (
            f'<p:txBody><a:bodyPr wrap="square" lIns="{emu(left)}" tIns="{emu(top)}" rIns="{emu(right)}" bIns="{emu(bottom)}" '
            f'anchor="{ANCHORS[text.anchor]}" rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/><a:p/></p:txBody>'
        )
    else:
        body = ""
    box_flag = ' txBox="1"' if panel.fill == "none" else ""
    return _element(
        f'<p:sp {NAMESPACES}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_escape(name)}"/>'
        f"<p:cNvSpPr{box_flag}/><p:nvPr/></p:nvSpPr>"
        f'<p:spPr>{_xfrm(panel.box)}<a:prstGeom prst="{geometry}"><a:avLst>{adjust}</a:avLst></a:prstGeom>'
        f"{fill}<a:ln><a:noFill/></a:ln></p:spPr>"
        f"{body}</p:sp>"
    )


BULLET_TYPES = {"number": "arabicPeriod", "letter": "alphaUcPeriod"}


def paragraph_element(para: Para, language: str, link: Callable[[str], str]):
    """One paragraph with everything it needs to set as measured: size, spacing, indent and marker."""
    hanging = para.bullet is not None or bool(para.label)
    hang = (para.indent if para.hang is None else para.hang) if hanging else 0
    attributes = f'marL="{emu(para.indent)}" indent="{-emu(hang)}" algn="{"ctr" if para.align == "center" else "l"}"'
    parts = [
        f'<a:lnSpc><a:spcPct val="{round(para.spacing * 100000)}"/></a:lnSpc>',
        f'<a:spcBef><a:spcPts val="{round(para.space_before * 100)}"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>',
    ]
    if para.bullet is None:
        parts.append("<a:buNone/>")
    else:
        parts.append('<a:buClr><a:schemeClr val="accent3"/></a:buClr><a:buSzPct val="100000"/>')
        if para.bullet.kind == "char":
            parts.append(f'<a:buFont typeface="+mn-lt"/><a:buChar char="{_escape(para.bullet.char)}"/>')
        else:
            parts.append(
                f'<a:buFont typeface="+mj-lt"/><a:buAutoNum type="{BULLET_TYPES[para.bullet.kind]}" '
                f'startAt="{para.bullet.start}"/>'
            )
    if para.label:
        parts.append(f'<a:tabLst><a:tab pos="{emu(para.indent)}" algn="l"/></a:tabLst>')
    # A label (an agenda's clock) is set bold in the accent colour, then a tab to the indent.
    runs = [
        *((run, "accent3", True) for run in para.label),
        *([(Run("\t"), None, False)] if para.label else []),
        *((run, para.color, para.bold or run.bold) for run in para.runs if run.text),
    ]
    xml = [f"<a:p {NAMESPACES}><a:pPr {attributes}>{''.join(parts)}</a:pPr>"]
    size = round(para.size * 100)
    typeface = "+mj-lt" if para.font == "heading" else "+mn-lt"
    for run, color_slot, bold in runs:
        flags = f' b="{1 if bold else 0}"' + (' i="1"' if run.italic else "")
        color = f'<a:solidFill><a:schemeClr val="{color_slot}"/></a:solidFill>' if color_slot else ""
        target = (
            f'<a:hlinkClick r:id="{link(run.href)}"/>'
            if run.href and run.href.startswith(("http://", "https://", "mailto:"))
            else ""
        )
        xml.append(
            f'<a:r><a:rPr lang="{language}" sz="{size}"{flags} dirty="0">{color}<a:latin typeface="{typeface}"/>{target}'
            f"</a:rPr><a:t>{_escape(run.text)}</a:t></a:r>"
        )
    xml.append(f'<a:endParaRPr lang="{language}" sz="{size}" dirty="0"/></a:p>')
    return _element("".join(xml))


# ---------------------------------------------------------------- writing slides


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
            else:
                element = shape_element(next_id + offset, f"{slide.kind.title()} {offset + 1}", shape)
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
                for line in CONTROL_CHARACTERS.sub("", text).split("\n"):
                    run = f'<a:r><a:rPr lang="{self.deck.language}" dirty="0"/><a:t>{_escape(line)}</a:t></a:r>' if line else ""
                    body.append(_element(f"<a:p {NAMESPACES}>{run}</a:p>"))
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
        style = (
            '<a:pPr algn="{align}"/>',
            f'<a:rPr lang="{self.deck.language}" sz="{round(self.footer_size * 100)}" dirty="0">'
            '<a:solidFill><a:schemeClr val="accent6"/></a:solidFill><a:latin typeface="+mj-lt"/></a:rPr>',
        )
        for kind, template in self.footers[layout.name.strip().lower()]:
            element = copy.deepcopy(template)
            element.find(f"{_qn('p:nvSpPr')}/{_qn('p:cNvPr')}").set("id", str(shape_id))
            shape_id += 1
            body = element.find(_qn("p:txBody"))
            for old in body.findall(_qn("a:p")):
                body.remove(old)
            if kind == "ftr":
                text = f"{style[0].format(align='l')}<a:r>{style[1]}<a:t>{_escape(footer)}</a:t></a:r>"
            else:
                field = f'<a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum">{style[1]}<a:t>{number}</a:t></a:fld>'
                text = style[0].format(align="r") + field
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
    def footer_size(self) -> float:
        return self.geometry.footer.size if self.geometry.footer else 10


# ---------------------------------------------------------------- properties and the file


def set_properties(presentation: Presentation, course: Course, options: BuildOptions) -> None:
    """Document properties; dates come from SOURCE_DATE_EPOCH when it is set, so builds repeat byte for byte."""
    moment = (
        datetime.fromtimestamp(options.source_date_epoch, UTC)
        if options.source_date_epoch is not None
        else datetime.now(UTC).replace(microsecond=0)
    )
    properties = presentation.core_properties
    properties.title = course.title
    properties.subject = course.settings.subtitle or ""
    properties.author = ", ".join(course.settings.authors)
    properties.last_modified_by = "course-builder"
    properties.language = course.settings.language
    properties.keywords = course.id
    properties.revision = 1
    properties.created = moment.replace(tzinfo=None)
    properties.modified = moment.replace(tzinfo=None)


def deterministic_zip(presentation: Presentation) -> bytes:
    """The saved package with every zip entry's time set to 1980-01-01, the only thing that varies between saves.

    python-pptx stamps entries with the current time; the entries, their order and their
    compressed bytes are otherwise the same on every save. The times are rewritten in place
    (local headers and central directory) rather than by compressing everything a second time.
    """
    raw = io.BytesIO()
    presentation.save(raw)
    data = bytearray(raw.getvalue())
    end = data.rindex(b"PK\x05\x06")
    entries, directory = struct.unpack_from("<HxxxxI", data, end + 10)
    position = directory
    for _ in range(entries):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        (local,) = struct.unpack_from("<I", data, position + 42)
        struct.pack_into("<HH", data, position + 12, *DOS_TIMESTAMP)
        struct.pack_into("<HH", data, local + 10, *DOS_TIMESTAMP)
        position += 46 + name_length + extra_length + comment_length
    return bytes(data)
