"""The imsmanifest.xml an LMS reads: version, items, files, identifiers and tracking rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from course_builder.load import LoadedCourse
from course_builder.model import Course, Module, Quiz
from course_builder.scorm import SCORM12, SCORM2004, ScormVersion
from course_builder.scorm.manifest import manifest_xml
from course_builder.scorm.validate import manifest_schema
from course_builder.targets.web import Sco, WebCourse, write_web_course
from course_builder.views import view_for

IMSSS = SCORM2004.namespaces["imsss"]
VERSIONS = {"scorm12": SCORM12, "scorm2004": SCORM2004}


def manifest_of(course: Course, folder: Path, lms: str, sco: str = "per-module") -> tuple[etree._Element, WebCourse]:
    """The parsed manifest of the real web course written for `lms`."""
    folder.mkdir()
    web = write_web_course(view_for(course, "learner"), course.brand, folder, lms=lms, sco=sco)  # type: ignore[arg-type]
    return etree.fromstring(manifest_xml(course, web, VERSIONS[lms])), web


def find(root: etree._Element, version: ScormVersion, path: str) -> list[etree._Element]:
    return root.findall(path, namespaces={"cp": version.cp, "adlcp": version.adlcp, "imsss": IMSSS})


def without_quizzes(module: Module) -> Module:
    sections = [s.model_copy(update={"blocks": tuple(b for b in s.blocks if not isinstance(b, Quiz))}) for s in module.sections]
    return module.model_copy(update={"sections": tuple(sections)})


@pytest.mark.parametrize("lms", ["scorm12", "scorm2004"])
def test_the_manifest_names_its_scorm_version_before_anything_else(sample: LoadedCourse, tmp_path: Path, lms: str) -> None:
    root, _ = manifest_of(sample.course, tmp_path / "web", lms)
    version = VERSIONS[lms]
    metadata = find(root, version, "cp:metadata")[0]
    first_two = [(etree.QName(c).localname, c.text) for c in metadata][:2]
    assert first_two == [("schema", "ADL SCORM"), ("schemaversion", version.schemaversion)]
    assert root.index(metadata) == 0


@pytest.mark.parametrize("lms", ["scorm12", "scorm2004"])
def test_the_manifest_is_valid_against_the_official_schema(sample: LoadedCourse, tmp_path: Path, lms: str) -> None:
    root, _ = manifest_of(sample.course, tmp_path / "web", lms)
    schema = manifest_schema(VERSIONS[lms].schema_folder)
    assert schema.validate(etree.ElementTree(root)), schema.error_log


@pytest.mark.parametrize("lms", ["scorm12", "scorm2004"])
@pytest.mark.parametrize("sco", ["per-module", "single"])
def test_every_file_of_the_web_course_is_listed_exactly_once(sample: LoadedCourse, tmp_path: Path, lms: str, sco: str) -> None:
    root, web = manifest_of(sample.course, tmp_path / "web", lms, sco)
    listed = [f.get("href") for f in find(root, VERSIONS[lms], ".//cp:file")]
    assert sorted(listed) == sorted(web.files)
    assert len(listed) == len(set(listed))


def test_each_module_is_one_sco_named_after_its_module_id(sample: LoadedCourse, tmp_path: Path) -> None:
    course = sample.course
    root, _ = manifest_of(course, tmp_path / "web", "scorm2004")
    items = find(root, SCORM2004, "cp:organizations/cp:organization/cp:item")
    assert [i.get("identifier") for i in items] == [f"sco-{m.id}" for m in course.modules]
    assert [i.findtext(f"{{{SCORM2004.cp}}}title") for i in items] == [m.title for m in course.modules]
    for item in items:
        resource = find(root, SCORM2004, f"cp:resources/cp:resource[@identifier='{item.get('identifierref')}']")[0]
        assert resource.get(f"{{{SCORM2004.adlcp}}}scormType") == "sco"
        assert (tmp_path / "web" / resource.get("href")).is_file()


def test_a_single_sco_course_is_one_item_for_the_whole_course(sample: LoadedCourse, tmp_path: Path) -> None:
    course = sample.course
    root, _ = manifest_of(course, tmp_path / "web", "scorm12", sco="single")
    items = find(root, SCORM12, ".//cp:item")
    assert [(i.get("identifier"), i.findtext(f"{{{SCORM12.cp}}}title")) for i in items] == [(f"sco-{course.id}", course.title)]
    scos = find(root, SCORM12, "cp:resources/cp:resource[@adlcp:scormtype='sco']")
    assert [r.get("href") for r in scos] == ["index.html"]


def test_identifiers_stay_the_same_when_the_course_is_edited(sample: LoadedCourse, tmp_path: Path) -> None:
    """Re-uploading a new build must update the course in the LMS, not add a second one."""
    course = sample.course
    edited = course.model_copy(update={"settings": course.settings.model_copy(update={"title": "A new title", "version": "2.0"})})

    def identifiers(course: Course, folder: Path) -> list[str]:
        root, _ = manifest_of(course, folder, "scorm2004")
        return [e.get("identifier") for e in root.iter() if e.get("identifier")]

    assert identifiers(course, tmp_path / "a") == identifiers(edited, tmp_path / "b")


def test_scorm12_gives_the_mastery_score_to_modules_with_a_quiz_only(sample: LoadedCourse, tmp_path: Path) -> None:
    course = sample.course
    first, *rest = course.modules
    assert first.quizzes, "the sample's first module should have a quiz"
    course = course.model_copy(update={"modules": (without_quizzes(first), *rest)})
    root, _ = manifest_of(course, tmp_path / "web", "scorm12")
    mastery = {i.get("identifier"): i.findtext(f"{{{SCORM12.adlcp}}}masteryscore") for i in find(root, SCORM12, ".//cp:item")}
    assert mastery[f"sco-{first.id}"] is None
    assert {mastery[f"sco-{m.id}"] for m in rest if m.quizzes} == {str(course.settings.lms.mastery_score)}


def test_scorm2004_passes_quiz_modules_at_the_mastery_score_weighed_by_questions(sample: LoadedCourse, tmp_path: Path) -> None:
    course = sample.course
    first, *rest = course.modules
    course = course.model_copy(update={"modules": (without_quizzes(first), *rest)})
    root, _ = manifest_of(course, tmp_path / "web", "scorm2004")
    questions = {m.id: sum(len(q.questions) for q in m.quizzes) for m in course.modules}
    for module in course.modules:
        sequencing = find(root, SCORM2004, f".//cp:item[@identifier='sco-{module.id}']/imsss:sequencing")[0]
        rollup = sequencing.find("imsss:rollupRules", {"imsss": IMSSS})
        share = questions[module.id] / sum(questions.values())
        assert float(rollup.get("objectiveMeasureWeight")) == pytest.approx(share, abs=1e-4)
        passing = sequencing.findtext(".//imsss:primaryObjective[@satisfiedByMeasure='true']/imsss:minNormalizedMeasure",
                                      namespaces={"imsss": IMSSS})
        if questions[module.id]:
            assert float(passing) == course.settings.lms.mastery_score / 100
        else:
            assert passing is None and rollup.get("rollupObjectiveSatisfied") == "false"
        delivery = sequencing.find("imsss:deliveryControls", {"imsss": IMSSS})
        assert (delivery.get("completionSetByContent"), delivery.get("objectiveSetByContent")) == ("true", "true")


def test_scorm2004_lets_learners_move_between_modules_with_the_lms_menu_and_buttons(sample: LoadedCourse, tmp_path: Path) -> None:
    root, _ = manifest_of(sample.course, tmp_path / "web", "scorm2004")
    control = find(root, SCORM2004, "cp:organizations/cp:organization/imsss:sequencing/imsss:controlMode")[0]
    assert (control.get("choice"), control.get("flow")) == ("true", "true")


def test_launch_parameters_go_on_the_item_and_the_resource_names_the_file(sample: LoadedCourse) -> None:
    course = sample.course
    module = course.modules[0]
    web = WebCourse(files=("app.html", "app.js"), scos=(Sco("sco-one", "One", "app.html?part=one", (module.id,)),))
    root = etree.fromstring(manifest_xml(course, web, SCORM2004))
    item = find(root, SCORM2004, ".//cp:item")[0]
    resource = find(root, SCORM2004, f"cp:resources/cp:resource[@identifier='{item.get('identifierref')}']")[0]
    assert (item.get("parameters"), resource.get("href")) == ("?part=one", "app.html")

