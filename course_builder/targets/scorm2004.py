"""`--format scorm2004`: the web course as a SCORM 2004 4th Edition package, with pass/fail and sequencing."""

from __future__ import annotations

from course_builder.scorm import SCORM2004
from course_builder.scorm.package import ScormTarget


class Scorm2004Target(ScormTarget):
    name = "scorm2004"
    description = ("A SCORM 2004 4th Edition package (<course>-scorm2004.zip): completion and pass/fail tracked apart, "
                   "more room for saved progress.")
    render_cost = 3
    version = SCORM2004
