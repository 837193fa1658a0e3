"""The .pptx file: document properties and a package that repeats byte for byte."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from course_builder.deck import Deck, Panel, Slide, TextBox
from course_builder.reproducible_zip import with_fixed_entry_times
from course_builder.targets.base import BuildOptions
from course_builder.views import CourseView

if TYPE_CHECKING:
    from pptx.presentation import Presentation


def set_properties(presentation: Presentation, view: CourseView, options: BuildOptions) -> None:
    """Document properties; dates come from SOURCE_DATE_EPOCH when it is set, so builds repeat byte for byte."""
    moment = (
        datetime.fromtimestamp(options.source_date_epoch, UTC)
        if options.source_date_epoch is not None
        else datetime.now(UTC).replace(microsecond=0)
    )
    properties = presentation.core_properties
    properties.title = view.title
    properties.subject = view.settings.subtitle or ""
    properties.author = ", ".join(view.settings.authors)
    properties.last_modified_by = "course-builder"
    properties.language = view.settings.language
    properties.keywords = view.id
    properties.revision = 1
    properties.created = moment.replace(tzinfo=None)
    properties.modified = moment.replace(tzinfo=None)



def package_bytes(presentation: Presentation) -> bytes:
    """The saved package, with the entry times python-pptx stamps (the only thing that varies between saves) fixed."""
    saved = io.BytesIO()
    presentation.save(saved)
    return with_fixed_entry_times(saved.getvalue())


SHOW_FORMATS = {(4, 3): "On-screen Show (4:3)", (16, 9): "On-screen Show (16:9)", (16, 10): "On-screen Show (16:10)"}
APP_NAMESPACES = (
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"'
)


def show_format(width: float, height: float) -> str:
    """PowerPoint's name for a slide size, as its Design → Slide Size menu and file properties show it."""
    ratio = next((r for r in SHOW_FORMATS if abs(width / height - r[0] / r[1]) < 0.01), None)
    return SHOW_FORMATS[ratio] if ratio else "Custom"


def set_app_properties(presentation: Presentation, deck: Deck, company: str) -> None:
    """docProps/app.xml as PowerPoint writes it: the slide size's name, slide and notes counts, words and titles.

    python-pptx keeps its template's file, which describes an empty 4:3 deck.
    """
    from xml.sax.saxutils import escape

    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml import parse_xml

    texts = [p.text for slide in deck.slides for box in slide_text_boxes(slide) for p in box.paras]
    words = sum(len(text.split()) for text in texts) + sum(len(slide.title.split()) for slide in deck.slides)
    titles = "".join(f"<vt:lpstr>{escape(slide.title)}</vt:lpstr>" for slide in deck.slides)
    theme = presentation.slide_master.part.part_related_by(RT.THEME)
    theme_name = parse_xml(theme.blob).get("name", "Office Theme")
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties {APP_NAMESPACES}>'
        f"<TotalTime>0</TotalTime><Words>{words}</Words><Application>course-builder</Application>"
        f"<PresentationFormat>{show_format(deck.width, deck.height)}</PresentationFormat>"
        f"<Paragraphs>{len(texts) + len(deck.slides)}</Paragraphs><Slides>{len(deck.slides)}</Slides>"
        f"<Notes>{sum(1 for slide in deck.slides if slide.notes_text)}</Notes><HiddenSlides>0</HiddenSlides>"
        "<MMClips>0</MMClips><ScaleCrop>false</ScaleCrop>"
        '<HeadingPairs><vt:vector size="4" baseType="variant">'
        "<vt:variant><vt:lpstr>Theme</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant>"
        f"<vt:variant><vt:lpstr>Slide Titles</vt:lpstr></vt:variant><vt:variant><vt:i4>{len(deck.slides)}</vt:i4></vt:variant>"
        f'</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{len(deck.slides) + 1}" baseType="lpstr">'
        f"<vt:lpstr>{escape(theme_name)}</vt:lpstr>{titles}</vt:vector></TitlesOfParts>"
        f"<Company>{escape(company)}</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>"
    )
    app = next(part for part in presentation.part.package.iter_parts() if str(part.partname) == "/docProps/app.xml")
    app._blob = xml.encode("utf-8")


def slide_text_boxes(slide: Slide) -> list[TextBox]:
    return [*slide.placeholders.values(), *(s.text for s in slide.shapes if isinstance(s, Panel) and s.text is not None)]
