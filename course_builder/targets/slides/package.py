"""The .pptx file: document properties and a package that repeats byte for byte."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

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
