"""The XML the deck writes itself: shapes, pictures and paragraphs exactly as the deck measured them."""

from __future__ import annotations

import re
from collections.abc import Callable

from course_builder.deck import Box, Panel, Para, Table
from course_builder.markup import Run
from course_builder.writing import writing

EMU_PER_POINT = 12700
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def emu(points: float) -> int:
    return round(points * EMU_PER_POINT)


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


TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


def table_element(shape_id: int, name: str, table: Table, right_to_left: bool = False):
    """A native table (a:tbl) with its cells' text bodies still empty: the header row on the panel colour, thin rules.

    Fills and rules are theme slots, like every panel, so the theme rebrands the table too. Right to
    left, the first column is on the right (the table's own rtl flag).
    """
    rtl = ' rtl="1"' if right_to_left else ""
    line = '<a:ln{side} w="9525"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill></a:ln{side}>'
    rules = "".join(line.format(side=side) for side in ("L", "R", "T", "B"))
    margins = " ".join(f'mar{side}="{emu(table.margin)}"' for side in ("L", "R", "T", "B"))
    rows = ""
    for index, (row, height) in enumerate(zip(table.rows, table.heights, strict=True)):
        fill = _fill("bg2") if index == 0 and table.header else "<a:noFill/>"
        cells = "".join(
            f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p/></a:txBody><a:tcPr {margins}>{rules}{fill}</a:tcPr></a:tc>"
            for _ in row
        )
        rows += f'<a:tr h="{emu(height)}">{cells}</a:tr>'
    grid = "".join(f'<a:gridCol w="{emu(width)}"/>' for width in table.columns)
    box = table.box
    return _element(
        f'<p:graphicFrame {NAMESPACES}><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{_escape(name)}"/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
        f'<p:xfrm><a:off x="{emu(box.x)}" y="{emu(box.y)}"/><a:ext cx="{emu(box.w)}" cy="{emu(box.h)}"/></p:xfrm>'
        f'<a:graphic><a:graphicData uri="{TABLE_URI}"><a:tbl><a:tblPr firstRow="{int(table.header)}" bandRow="0"{rtl}/>'
        f"<a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )


BULLET_TYPES = {"number": "arabicPeriod", "letter": "alphaUcPeriod"}


def paragraph_element(para: Para, language: str, link: Callable[[str], str]):
    """One paragraph with everything it needs to set as measured: size, spacing, indent and marker."""
    hanging = para.bullet is not None or bool(para.label)
    hang = (para.indent if para.hang is None else para.hang) if hanging else 0
    # Right to left, a paragraph starts at the right: rtl="1" and right-aligned. Its margin stays marL, which
    # presentation programs apply on the side an rtl paragraph starts from.
    rtl, slants = writing(language).rtl, writing(language).slants
    start = "r" if rtl else "l"
    align = "ctr" if para.align == "center" else start
    attributes = f'marL="{emu(para.indent)}" indent="{-emu(hang)}" algn="{align}"' + (' rtl="1"' if rtl else "")
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
    if para.label and not rtl:
        parts.append(f'<a:tabLst><a:tab pos="{emu(para.indent)}" algn="l"/></a:tabLst>')
    # A label (an agenda's clock) is set bold in the accent colour, then a tab to the indent. Impress
    # ignores tab stops in right-to-left paragraphs, so there an em space (narrower than the
    # indent's room after the label) keeps the label apart from the text.
    runs = [
        *((run, "accent3", True) for run in para.label),
        *([(Run("\u2003" if rtl else "\t"), None, False)] if para.label else []),
        *((run, para.color, para.bold or run.bold) for run in para.runs if run.text),
    ]
    xml = [f"<a:p {NAMESPACES}><a:pPr {attributes}>{''.join(parts)}</a:pPr>"]
    size = round(para.size * 100)
    typeface = "+mj-lt" if para.font == "heading" else "+mn-lt"
    complex_script = f'<a:cs typeface="{typeface[:-2]}cs"/>' if rtl else ""  # the theme's font for Arabic, Hebrew…
    for run, color_slot, bold in runs:
        flags = f' b="{1 if bold else 0}"' + (' i="1"' if run.italic and slants else "")
        color = f'<a:solidFill><a:schemeClr val="{color_slot}"/></a:solidFill>' if color_slot else ""
        target = (
            f'<a:hlinkClick r:id="{link(run.href)}"/>'
            if run.href and run.href.startswith(("http://", "https://", "mailto:"))
            else ""
        )
        xml.append(
            f'<a:r><a:rPr lang="{language}" sz="{size}"{flags} dirty="0">{color}<a:latin typeface="{typeface}"/>'
            f"{complex_script}{target}"
            f"</a:rPr><a:t>{_escape(run.text)}</a:t></a:r>"
        )
    xml.append(f'<a:endParaRPr lang="{language}" sz="{size}" dirty="0"/></a:p>')
    return _element("".join(xml))

