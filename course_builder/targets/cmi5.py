"""`--format cmi5`: the web course as a cmi5 package, one assignable unit (AU) per module or one for the course.

A cmi5 LMS launches an AU's URL with its LRS endpoint, a one-time token URL, the learner and the
registration in the query string; the AU reports to the LRS in xAPI statements. Our AU is a small
launch page (`au/<page>.html`) that runs `cmi5.js`: it does the cmi5 handshake, then offers the
course page, shown in a frame, the same SCORM 2004 API the SCORM packages talk to, and turns what
the page records into cmi5 statements. The course pages are therefore the SCORM 2004 web course
exactly as `write_web_course` writes it, and the tracking code is the one the SCORM tests play.

`cmi5.xml` (the course structure) is validated against the official schema before the zip is
written, with the check `course-builder validate` runs on any cmi5 package.
"""

from __future__ import annotations

import html
import tempfile
from decimal import Decimal
from pathlib import Path

from lxml import etree

from course_builder.blocks import Audience
from course_builder.errors import Problem
from course_builder.labels import Labels, labels_of
from course_builder.model import Brand, Course
from course_builder.resources import data_dir
from course_builder.scorm.package import preset_problems, write_checked_package
from course_builder.scorm.validate import CMI5_NS, CMI5_STRUCTURE
from course_builder.targets.base import BuildOptions, Target
from course_builder.targets.web import Sco, _json_for_script, web_course_problems, write_web_course
from course_builder.writing import writing

RUNTIME = data_dir() / "runtime" / "cmi5.js"
LAUNCH_FOLDER = "au"
MOVE_ON = {"pages": "Completed", "quiz": "Passed", "pages-and-quiz": "CompletedAndPassed"}
"""course.yaml's `lms: completion` as cmi5's moveOn: what the LMS waits for before the AU counts as done."""


def course_iri(course: Course) -> str:
    """The course's IRI: stable across builds and versions, so an LMS recognises an updated package."""
    return f"urn:course-builder:{course.id}"


def au_iri(course: Course, sco: Sco) -> str:
    return f"{course_iri(course)}:{sco.identifier}"


def has_quiz(course: Course, sco: Sco) -> bool:
    return any(course.module(module_id).quizzes for module_id in sco.module_ids)


def move_on(course: Course, sco: Sco) -> str:
    # Without a quiz there is nothing to pass: seeing the pages is the whole of it.
    return MOVE_ON[course.settings.lms.completion] if has_quiz(course, sco) else "Completed"


def course_structure(course: Course, scos: tuple[Sco, ...]) -> bytes:
    """cmi5.xml: the course, then one AU per SCO of the web course, each launching its page under au/."""
    language = course.settings.language
    root = etree.Element(f"{{{CMI5_NS}}}courseStructure", nsmap={None: CMI5_NS})
    element = etree.SubElement(root, f"{{{CMI5_NS}}}course", id=course_iri(course))
    _text(element, "title", course.settings.title, language)
    _text(element, "description", course.settings.subtitle or course.settings.title, language)
    for sco in scos:
        au = etree.SubElement(root, f"{{{CMI5_NS}}}au", id=au_iri(course, sco), moveOn=move_on(course, sco))
        if has_quiz(course, sco):
            au.set("masteryScore", str(Decimal(course.settings.lms.mastery_score) / 100))
        au.set("launchMethod", "AnyWindow")
        modules = [course.module(module_id) for module_id in sco.module_ids]
        _text(au, "title", sco.title, language)
        _text(au, "description", " ".join(o for m in modules for o in m.objectives) or sco.title, language)
        etree.SubElement(au, f"{{{CMI5_NS}}}url").text = f"{LAUNCH_FOLDER}/{sco.href}"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text(parent: etree._Element, name: str, text: str, language: str) -> None:
    langstring = etree.SubElement(etree.SubElement(parent, f"{{{CMI5_NS}}}{name}"), f"{{{CMI5_NS}}}langstring", lang=language)
    langstring.text = text


def launch_messages(labels: Labels) -> dict[str, str]:
    """What cmi5.js tells the learner about the connection to the platform, in the course's language."""
    _ = labels.gettext
    return {
        "notSent": _("Your progress could not be sent to the learning platform. Keep this window open and check your "
                     "connection."),
        "notSaved": _("Your progress could not be saved on the learning platform. Keep this window open and check your "
                      "connection."),
        "noPlatform": _("This course was not opened from a learning platform, so your progress is kept only in this "
                        "browser."),
        "sessionEnded": _("This session with the learning platform has ended. To go on, open the course again from the "
                          "platform."),
        "notStarted": _("The course could not start its session with the learning platform (%(detail)s). Close this "
                        "window and open the course again from the platform."),
    }


def launch_page(course: Course, sco: Sco) -> str:
    """The AU's launch page: cmi5.js does the handshake, then shows the course page in the frame."""
    title = html.escape(sco.title)
    labels = labels_of(course)
    messages = _json_for_script(launch_messages(labels))
    exit_label = html.escape(labels.gettext("Exit and return to the learning platform"))
    return f"""<!DOCTYPE html>
<html lang="{html.escape(course.settings.language)}" dir="{writing(course.settings.language).direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
html, body {{ margin: 0; height: 100%; font-family: system-ui, sans-serif; }}
body {{ display: flex; flex-direction: column; }}
#cmi5-status {{ margin: 0; padding: 0.5rem 1rem; background: #FFF4CE; color: #3B2F00; }}
#cmi5-status:empty {{ display: none; }}
#cmi5-exit {{ align-self: flex-end; margin: 0.25rem 1rem; padding: 0.4rem 0.9rem; font: inherit; }}
#cmi5-exit[hidden] {{ display: none; }}
iframe {{ flex: 1; width: 100%; border: 0; }}
</style>
<script type="application/json" id="cmi5-messages">{messages}</script>
<script src="../assets/js/cmi5.js" defer></script>
</head>
<body>
<p id="cmi5-status" role="status"></p>
<button id="cmi5-exit" type="button" hidden>{exit_label}</button>
<iframe id="cmi5-course" title="{title}" data-src="../{html.escape(sco.href)}"></iframe>
</body>
</html>
"""


class Cmi5Target(Target):
    name = "cmi5"
    description = ("A cmi5 package (<course>-cmi5.zip): one AU per module (or one for the course) that reports to the "
                   "LMS's learning record store in xAPI statements.")
    audience = Audience.LEARNER
    options_read = frozenset({"sco", "source_date_epoch"})
    render_cost = 2

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        return [f"{course.id}-{self.name}.zip"]

    def check(self, course: Course, brand: Brand, options: BuildOptions) -> list[Problem]:
        problems = web_course_problems(course, brand, "the cmi5 package")
        return problems + preset_problems(course, self.name, options.sco_for(course))

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        final = out / self.outputs(course, brand)[0]
        with tempfile.TemporaryDirectory(prefix="course-builder-cmi5-") as work:
            folder = Path(work)
            web = write_web_course(course, brand, folder, lms="scorm2004", sco=options.sco_for(course))  # type: ignore[arg-type]
            entries: dict[str, bytes | Path] = {name: folder / name for name in web.files}
            entries["assets/js/cmi5.js"] = RUNTIME
            entries.update({f"{LAUNCH_FOLDER}/{sco.href}": launch_page(course, sco).encode("utf-8") for sco in web.scos})
            entries[CMI5_STRUCTURE] = course_structure(course, web.scos)
            write_checked_package(final, entries, options.source_date_epoch, "cmi5 package")
        return [final]

