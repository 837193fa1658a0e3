"""`--format scorm12`: the web course as a SCORM 1.2 package, the version every LMS accepts."""

from __future__ import annotations

from course_builder.scorm import SCORM12
from course_builder.scorm.package import ScormTarget


class Scorm12Target(ScormTarget):
    name = "scorm12"
    description = "A SCORM 1.2 package (<course>-scorm12.zip) for any LMS: completion, score, quiz answers, resume."
    render_cost = 2
    version = SCORM12
