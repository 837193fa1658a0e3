"""`lms: preset:` in course.yaml: each LMS gets the formats, SCO layout and manifest it needs.

Each preset's packages are built from the sample course and opened as an LMS would: the zip is
checked with `validate_package` (the official schemas plus what LMSs refuse), and its manifest or
cmi5.xml is read for the preset's quirks.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from course_builder.build import build_course, selected_formats, target_problems
from course_builder.errors import CourseError
from course_builder.load import load_course
from course_builder.scorm.presets import LMS_FORMATS, PACKAGE_FORMATS, PRESETS
from course_builder.scorm.validate import validate_package
from course_builder.targets import BUILT_IN, BuildOptions


def with_settings(course_copy: Path, lms: str, outputs: bool = False) -> Path:
    """The sample course with its `lms:` block replaced by `lms`, and without `outputs:` unless kept."""
    settings = course_copy / "course.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"^lms:\n(  .*\n)+", "lms:\n" + "".join(f"  {line}\n" for line in lms.splitlines()), text, flags=re.M)
    if not outputs:
        text = re.sub(r"^outputs: .*\n", "", text, flags=re.M)
    settings.write_text(text, encoding="utf-8")
    return course_copy


def manifest_of(package: Path) -> etree._Element:
    with zipfile.ZipFile(package) as archive:
        return etree.fromstring(archive.read("imsmanifest.xml"))


def items_of(manifest: etree._Element) -> list[etree._Element]:
    return list(manifest.iter("{*}item"))


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_builds_packages_that_validate_and_carry_its_quirks(name: str, course_copy: Path, tmp_path: Path) -> None:
    preset = PRESETS[name]
    loaded = load_course(with_settings(course_copy, f"preset: {name}\ncompletion: pages-and-quiz"))
    course = loaded.course
    chosen = selected_formats(course, ())
    assert [f for f in chosen if f in LMS_FORMATS] == sorted(preset.formats, key=chosen.index)
    assert {f for f in chosen if f not in LMS_FORMATS} == {f for f in BUILT_IN if f not in LMS_FORMATS}
    assert course.settings.lms.sco == preset.sco

    packages = [f for f in preset.formats if f in PACKAGE_FORMATS]
    options = BuildOptions(source_date_epoch=1700000000)
    assert not [p for p in target_problems(course, packages, (course.brand,), options) if "preset" in p.message]
    build_course(loaded, tmp_path / "out", tuple(packages), options=options)
    expected_scos = 1 if preset.sco == "single" else len(course.modules)
    for fmt in packages:
        package = tmp_path / "out" / f"{course.id}-{fmt}.zip"
        assert [p.describe() for p in validate_package(package)] == []
        if fmt == "cmi5":
            with zipfile.ZipFile(package) as archive:
                structure = etree.fromstring(archive.read("cmi5.xml"))
            assert len(list(structure.iter("{*}au"))) == expected_scos
            continue
        items = items_of(manifest_of(package))
        assert len(items) == expected_scos
        assert all(item.get("isvisible") == ("true" if preset.write_isvisible else None) for item in items)
        masteryscores = [m.text for m in manifest_of(package).iter("{*}masteryscore")]
        if fmt == "scorm12":
            # With pages-and-quiz, an LMS whose score overrides the status must get no pass mark of its own.
            assert masteryscores == ([] if preset.score_overrides_status_12 else ["80"] * len(masteryscores))
            assert preset.score_overrides_status_12 or masteryscores


def test_moodle_keeps_the_mastery_score_when_the_score_alone_decides(course_copy: Path, tmp_path: Path) -> None:
    loaded = load_course(with_settings(course_copy, "preset: moodle\ncompletion: quiz"))
    course = loaded.course
    build_course(loaded, tmp_path / "out", ("scorm12",), options=BuildOptions(source_date_epoch=1700000000))
    manifest = manifest_of(tmp_path / "out" / f"{course.id}-scorm12.zip")
    with_quiz = [m for m in course.modules if m.quizzes]
    assert with_quiz
    assert [m.text for m in manifest.iter("{*}masteryscore")] == ["80"] * len(with_quiz)


def test_settings_written_in_course_yaml_win_over_the_preset(course_copy: Path) -> None:
    course = load_course(with_settings(course_copy, "preset: openedx\nsco: per-module", outputs=True)).course
    assert course.settings.lms.sco == "per-module"
    assert selected_formats(course, ()) == selected_formats(course, tuple(course.settings.outputs))
    assert "scorm12" in selected_formats(course, ())  # course.yaml's outputs, though Open edX gets SCORM 2004

    warnings = target_problems(course, ["scorm12", "scorm2004"], (course.brand,), BuildOptions())
    messages = [p.message for p in warnings if p.severity == "warning"]
    assert any("Open edX launches only the first SCO" in m for m in messages)
    assert any("Open edX takes SCORM 2004, not SCORM 1.2" in m for m in messages)
    single = target_problems(course, ["scorm2004"], (course.brand,), BuildOptions(sco="single"))
    assert not [p for p in single if "first SCO" in p.message], "--sco single on the command line wins over course.yaml"


def test_a_misspelled_preset_is_refused_with_the_line_and_a_suggestion(course_copy: Path) -> None:
    with pytest.raises(CourseError) as error:
        load_course(with_settings(course_copy, "preset: moodel"))
    [problem] = error.value.problems
    assert problem.file.name == "course.yaml"
    lines = (course_copy / "course.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].strip() == "preset: moodel"
    assert "'moodel' is not an LMS preset" in problem.message
    assert problem.hint == "did you mean 'moodle'?"


def test_docs_give_every_preset_its_own_section_saying_where_its_steps_come_from() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "lms.md").read_text(encoding="utf-8")
    sections = {s.partition("\n")[0]: s for s in re.split(r"^## ", docs, flags=re.M)[1:]}
    for preset in PRESETS.values():
        [section] = [body for title, body in sections.items() if preset.title in title]
        assert f"`lms: preset: {preset.name}`" in section
        assert re.search(r"[Tt]aken\s+from\s.*?documentation", section, re.S), f"{preset.title}: where do the steps come from?"
        assert f"| `{preset.name}` |" in docs, f"{preset.name} is missing from the table of LMSs"
