"""`course-builder init` makes a course of the author's own: nothing of the sample's identity stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course_builder.load import load_course
from course_builder.resources import sample_course_dir
from course_builder.skeleton import SAMPLE_ID, SAMPLE_ORGANISATION, NewCourse, course_id_for, start_course

COACH = NewCourse(title="Leading at Acme", organisation="Acme Coaching: People & Teams", language="de")


@pytest.mark.parametrize("minimal", [False, True], ids=["from the sample", "minimal"])
def test_a_new_course_checks_clean_and_carries_the_authors_identity(tmp_path: Path, minimal: bool) -> None:
    folder = tmp_path / "Acme Leaders 2027"
    start_course(folder, COACH, minimal=minimal)
    loaded = load_course(folder)
    assert loaded.warnings == []
    course = loaded.course
    assert (course.id, course.title, course.settings.language) == ("acme-leaders-2027", "Leading at Acme", "de")
    assert course.settings.authors == ("Acme Coaching: People & Teams",)
    assert (course.brand.id, course.brand.name) == ("acme-coaching-people-teams", "Acme Coaching: People & Teams")
    assert course.brand.logo is None


def test_nothing_in_a_course_made_from_the_sample_names_the_sample(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    start_course(folder, COACH, minimal=False)
    for file in folder.rglob("*"):
        if file.is_file() and file.suffix in (".md", ".yaml", ".svg", ".txt"):
            text = file.read_text(encoding="utf-8")
            assert SAMPLE_ORGANISATION not in text and "Northwind" not in text, file
            assert SAMPLE_ID not in text, file


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Acme Leaders 2027", "acme-leaders-2027"), ("Équipe été", "equipe-ete"), ("2027 plan", "course-2027-plan"),
     ("???", "my-course")],
)
def test_the_course_id_comes_from_the_folder_name(name: str, expected: str) -> None:
    assert course_id_for(Path(name)) == expected


def test_check_warns_about_a_course_copied_from_the_sample_by_hand(tmp_path: Path) -> None:
    copy = tmp_path / "copied"
    shutil.copytree(sample_course_dir(), copy)
    warnings = [f"{w.line}: {w.message}" for w in load_course(copy).warnings]
    assert "1: the course id 'leading-people' is the sample workshop's" in warnings
    assert "7: the authors are the sample workshop's ('Northwind Leadership Academy')" in warnings


def test_the_bundled_sample_itself_checks_clean() -> None:
    assert load_course(sample_course_dir()).warnings == []
