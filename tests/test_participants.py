"""participants.csv: a named workbook and a certificate of attendance for each person.

Read back with pypdf, as the facilitator printing them would check them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from course_builder.build import build_course
from course_builder.load import load_course
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions

PEOPLE = 'name,organisation,email\nAda Lovelace,Analytical Ltd,ada@example.org\nJosé Núñez,,\n"Hopper, Grace",Navy,\n'


def course_with(tmp_path: Path, participants: bytes) -> Path:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    (folder / "participants.csv").write_bytes(participants)
    settings = (folder / "course.yaml").read_text(encoding="utf-8")
    settings = settings.replace('  start: "09:00"', '  start: "09:00"\n  date: "2027-03-18"\n  facilitator: Sam Rivera')
    (folder / "course.yaml").write_text(settings, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = course_with(tmp_path_factory.mktemp("participants"), PEOPLE.encode("utf-8"))
    out = folder.parent / "out"
    build_course(load_course(folder), out, ("workbook", "certificates"), options=BuildOptions(source_date_epoch=1700000000))
    return out


def test_each_participant_gets_a_workbook_with_their_name_on_the_cover_and_in_its_title(built: Path) -> None:
    files = sorted(p.name for p in (built / "workbooks").iterdir())
    assert files == ["ada-lovelace.pdf", "hopper-grace.pdf", "jose-nunez.pdf"]
    reader = PdfReader(built / "workbooks" / "jose-nunez.pdf")
    assert reader.get_fields()["participant-name"]["/V"] == "José Núñez"
    assert reader.metadata.title.endswith("José Núñez")
    assert "José Núñez" in reader.xmp_metadata.dc_title["x-default"]
    assert len(reader.pages) == len(PdfReader(built / "workbook.pdf").pages)
    assert PdfReader(built / "workbook.pdf").get_fields()["participant-name"].get("/V") in (None, "")


def test_certificates_come_as_one_file_to_print_and_one_per_person(built: Path) -> None:
    merged = [" ".join(page.extract_text().split()) for page in PdfReader(built / "certificates.pdf").pages]
    assert len(merged) == 3
    assert "Certificate of attendance" in merged[0] and "Ada Lovelace" in merged[0] and "Analytical Ltd" in merged[0]
    for text in merged:
        assert "My course" in text and "18 March 2027" in text and "30 minutes" in text and "Sam Rivera" in text
    alone = " ".join(PdfReader(built / "certificates" / "hopper-grace.pdf").pages[0].extract_text().split())
    assert "Hopper, Grace" in alone and len(PdfReader(built / "certificates" / "hopper-grace.pdf").pages) == 1


def run_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "course_builder", "check", str(folder)], capture_output=True, text=True,
                          timeout=120)


def test_a_row_without_a_name_is_named_by_its_line(tmp_path: Path) -> None:
    result = run_check(course_with(tmp_path, b"name,email\nAda Lovelace,a@example.org\n,b@example.org\n"))
    assert result.returncode == 1
    assert "participants.csv:3: error: this row has no name" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_saved_in_another_encoding_is_named_by_its_line(tmp_path: Path) -> None:
    result = run_check(course_with(tmp_path, "name\nAda Lovelace\nJosé Núñez\n".encode("latin-1")))
    assert result.returncode == 1
    assert "participants.csv:3: error: this line is not UTF-8 text" in result.stderr
    assert "CSV UTF-8" in result.stderr


def test_the_same_person_twice_is_refused(tmp_path: Path) -> None:
    result = run_check(course_with(tmp_path, b"name\nAda Lovelace\nAda Lovelace\n"))
    assert "participants.csv:3: error: 'Ada Lovelace' is listed twice (also on line 2)" in result.stderr
