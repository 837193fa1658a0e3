"""A user's PowerPoint template: its layouts found by name, its placeholders' boxes, sizes and insets read as frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

from course_builder.deck import CONTENT, LAYOUT_ROLES, Box, Frame, Geometry
from course_builder.errors import CourseError, Problem
from course_builder.model import Brand
from course_builder.targets.slides.ooxml import EMU_PER_POINT

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout


def open_template(brand: Brand) -> Presentation:
    """The user's template as python-pptx opens it, without its example slides."""
    from pptx import Presentation

    assert brand.pptx_template is not None
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
    return presentation


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

