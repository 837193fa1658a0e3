"""The `imsmanifest.xml` of a SCORM 1.2 or SCORM 2004 4th Edition package of a web course.

The manifest is a table of contents for the LMS: one organization (the course) with one item
per SCO, one resource per SCO naming its start page, and one shared asset resource listing
every other file, on which each SCO depends. Identifiers derive from the course id and the web
course's SCO identifiers (themselves from the module ids), so re-uploading a new build updates
the course in the LMS instead of creating another; their prefixes (course-, org-, sco-,
resource-, assets-) keep them apart.

The course's LMS preset (`lms: preset:`, see `scorm.presets`) adds what that LMS needs: items
written visible for an LMS that lists only those, and no SCORM 1.2 mastery score where the LMS would
let the score alone decide a status the course's completion rule must also decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from lxml import etree

from course_builder.model import Course
from course_builder.scorm import SCORM2004, XSI, ScormVersion
from course_builder.scorm.presets import LmsPreset, preset_named
from course_builder.targets.web import Sco, WebCourse


def manifest_xml(course: Course, web: WebCourse, version: ScormVersion, identity: str | None = None) -> bytes:
    """The manifest for the web course `web` (written for `version`'s runtime), as UTF-8 XML.

    `identity` (the course id, with the brand's for a client's package) names the package to the LMS.
    """
    identity = identity or course.id
    nsmap = {prefix or None: uri for prefix, uri in version.namespaces.items()} | {"xsi": XSI}
    root = etree.Element(_cp(version, "manifest"), nsmap=nsmap, identifier=f"course-{identity}",
                         version=course.settings.version)
    root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{uri} {file}" for uri, file in version.schema_files.items()))

    metadata = etree.SubElement(root, _cp(version, "metadata"))
    etree.SubElement(metadata, _cp(version, "schema")).text = "ADL SCORM"
    etree.SubElement(metadata, _cp(version, "schemaversion")).text = version.schemaversion

    organizations = etree.SubElement(root, _cp(version, "organizations"), default=f"org-{identity}")
    organization = etree.SubElement(organizations, _cp(version, "organization"), identifier=f"org-{identity}")
    etree.SubElement(organization, _cp(version, "title")).text = course.title
    questions = {sco.identifier: _quiz_questions(course, sco) for sco in web.scos}
    preset = preset_named(course.settings.lms.preset)
    for sco in web.scos:
        item = _add_item(organization, course, sco, version, questions[sco.identifier], sum(questions.values()),
                         masteryscore_12=not _score_would_override_status(course, preset))
        if preset is not None and preset.write_isvisible:
            item.set("isvisible", "true")
    if version is SCORM2004:
        _add_course_sequencing(organization)

    shared = f"assets-{course.id}"
    launch_files = {_launch_file(sco) for sco in web.scos}
    shared_files = [file for file in web.files if file not in launch_files]
    resources = etree.SubElement(root, _cp(version, "resources"))
    for sco in web.scos:
        resource = _resource(resources, version, f"resource-{sco.identifier}", "sco", [_launch_file(sco)], _launch_file(sco))
        if shared_files:
            etree.SubElement(resource, _cp(version, "dependency"), identifierref=shared)
    if shared_files:
        _resource(resources, version, shared, "asset", shared_files)
    # Written by hand: lxml's declaration uses single quotes, which some old LMS parsers reject.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _cp(version: ScormVersion, local: str) -> str:
    return f"{{{version.cp}}}{local}"


def _ns(version: ScormVersion, prefix: str, local: str) -> str:
    return f"{{{version.namespaces[prefix]}}}{local}"


def _launch_file(sco: Sco) -> str:
    return sco.href.partition("?")[0]


def _quiz_questions(course: Course, sco: Sco) -> int:
    return sum(len(quiz.questions) for module_id in sco.module_ids for quiz in course.module(module_id).quizzes)


def _score_would_override_status(course: Course, preset: LmsPreset | None) -> bool:
    """True where an LMS would pass a 1.2 learner on the score alone, though the course also asks for every page.

    Without adlcp:masteryscore such an LMS has no pass mark to apply, and the course applies its
    own (`mastery_score`, from the page's configuration) to the status it reports.
    """
    return preset is not None and preset.score_overrides_status_12 and course.settings.lms.completion == "pages-and-quiz"


def _add_item(organization: etree._Element, course: Course, sco: Sco, version: ScormVersion, questions: int,
              all_questions: int, masteryscore_12: bool) -> etree._Element:
    item = etree.SubElement(organization, _cp(version, "item"), identifier=sco.identifier,
                            identifierref=f"resource-{sco.identifier}")
    _, question_mark, query = sco.href.partition("?")
    if question_mark:
        # The LMS appends an item's parameters to its resource's start page when it launches the SCO.
        item.set("parameters", f"?{query}")
    etree.SubElement(item, _cp(version, "title")).text = sco.title
    mastery = course.settings.lms.mastery_score
    if version is SCORM2004:
        _add_item_sequencing(item, mastery / 100 if questions else None, questions / all_questions if all_questions else 0.0)
    elif questions and masteryscore_12:
        # SCORM 1.2 hands this to the SCO as cmi.student_data.mastery_score.
        etree.SubElement(item, _ns(version, "adlcp", "masteryscore")).text = str(mastery)
    return item


def _add_item_sequencing(item: etree._Element, passing_score: float | None, weight: float) -> None:
    """One SCO's tracking rules: the SCO itself reports completion and success.

    A SCO with a quiz is passed at the mastery score (the LMS hands it to the SCO as
    cmi.scaled_passing_score) and weighs in the course score by its share of the questions;
    a SCO without one counts towards completion only.
    """
    sequencing = etree.SubElement(item, _ns(SCORM2004, "imsss", "sequencing"))
    rollup = etree.SubElement(sequencing, _ns(SCORM2004, "imsss", "rollupRules"), objectiveMeasureWeight=f"{weight:.4f}")
    if passing_score is None:
        rollup.set("rollupObjectiveSatisfied", "false")
    else:
        objectives = etree.SubElement(sequencing, _ns(SCORM2004, "imsss", "objectives"))
        primary = etree.SubElement(objectives, _ns(SCORM2004, "imsss", "primaryObjective"), satisfiedByMeasure="true")
        etree.SubElement(primary, _ns(SCORM2004, "imsss", "minNormalizedMeasure")).text = f"{passing_score:.4f}"
    etree.SubElement(sequencing, _ns(SCORM2004, "imsss", "deliveryControls"), completionSetByContent="true",
                     objectiveSetByContent="true")


def _add_course_sequencing(organization: etree._Element) -> None:
    """Learners may open SCOs from the LMS's menu and move through them with its Next and Previous.

    The default rollup then makes the course complete when every SCO is, and passed when every
    SCO with a quiz is passed.
    """
    sequencing = etree.SubElement(organization, _ns(SCORM2004, "imsss", "sequencing"))
    etree.SubElement(sequencing, _ns(SCORM2004, "imsss", "controlMode"), choice="true", flow="true")


def _resource(parent: etree._Element, version: ScormVersion, identifier: str, scorm_type: str, files: Iterable[str],
              href: str | None = None) -> etree._Element:
    resource = etree.SubElement(parent, _cp(version, "resource"), identifier=identifier, type="webcontent")
    resource.set(_ns(version, "adlcp", version.scorm_type_attribute), scorm_type)
    if href is not None:
        resource.set("href", quote(href))
    for file in files:
        etree.SubElement(resource, _cp(version, "file"), href=quote(file))
    return resource
