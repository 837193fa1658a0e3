"""Rebuilding: unchanged outputs are reused, changed sources re-render what shows them, parallel builds match."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from course_builder.build import BuildReport, build_course
from course_builder.cli import main
from course_builder.load import load_course
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions

FORMATS = ("web", "slides")
OPTIONS = BuildOptions(source_date_epoch=1700000000)


def build(course: Path, out: Path, **kwargs: object):
    return build_course(load_course(course), out, FORMATS, options=kwargs.pop("options", OPTIONS), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def built(course_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    first = build(course_copy, out)
    assert first.reused == []
    return course_copy, out


def test_a_rebuild_without_changes_reuses_every_output(built: tuple[Path, Path]) -> None:
    course, out = built
    before = json.loads((out / "build-report.json").read_text())["outputs"]
    again = build(course, out)
    assert rendered(again) == set()
    assert sorted(key.split("/")[1] for key in again.reused) == sorted(FORMATS)
    assert [o.sha256 for o in again.outputs] == [o["sha256"] for o in before]


def test_editing_a_module_re_renders_the_outputs_that_contain_it(built: tuple[Path, Path]) -> None:
    course, out = built
    module = sorted((course / "modules").glob("*.md"))[0]
    module.write_text(module.read_text(encoding="utf-8").replace("## ", "## Edited: ", 1), encoding="utf-8")
    again = build(course, out)
    assert again.reused == []


def test_a_changed_date_re_renders_every_output(built: tuple[Path, Path]) -> None:
    course, out = built
    again = build(course, out, options=BuildOptions(source_date_epoch=1800000000))
    assert again.reused == []


def test_an_option_re_renders_only_the_targets_that_read_it(minimal: Path, tmp_path: Path) -> None:
    out, formats = tmp_path / "out", ("workbook", "web", "scorm12")
    first = build_course(load_course(minimal), out, formats, options=OPTIONS)
    assert first.reused == []
    sco = build_course(load_course(minimal), out, formats, options=BuildOptions(source_date_epoch=1700000000, sco="single"))
    assert rendered(sco) == {"scorm12"}
    paper = build_course(load_course(minimal), out, formats,
                         options=BuildOptions(source_date_epoch=1700000000, sco="single", paper="letter"))
    assert rendered(paper) == {"workbook"}


def test_a_deleted_output_is_rebuilt_and_the_others_reused(built: tuple[Path, Path]) -> None:
    course, out = built
    report = json.loads((out / "build-report.json").read_text())
    web = next(o for o in report["outputs"] if o["format"] == "web")
    shutil.rmtree(out / web["path"])
    again = build(course, out)
    assert [key.split("/")[1] for key in again.reused] == ["slides"]
    assert (out / web["path"]).is_dir()


def test_no_cache_re_renders_everything(built: tuple[Path, Path]) -> None:
    course, out = built
    assert build(course, out, use_cache=False).reused == []


def test_two_processes_build_the_same_files_as_one(course_copy: Path, tmp_path: Path) -> None:
    one = build(course_copy, tmp_path / "one")
    two = build(course_copy, tmp_path / "two", options=BuildOptions(source_date_epoch=1700000000, jobs=2))
    assert {(o.format, o.sha256) for o in one.outputs} == {(o.format, o.sha256) for o in two.outputs}


def rendered(report: BuildReport) -> set[str]:
    """The formats this build laid out again (the rest it kept from the last build)."""
    return {key.split("/", 1)[1] for key in report.timings if key not in report.reused}


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    write_minimal_course(course)
    return course


def test_a_facilitator_note_edit_keeps_the_workbook_and_re_renders_the_guide_and_deck(minimal: Path, tmp_path: Path) -> None:
    formats = ("workbook", "guide", "slides")
    build_course(load_course(minimal), tmp_path / "out", formats, options=OPTIONS)
    edit(minimal / "modules" / "01-welcome.md", "Keep time: five minutes each.", "Keep time: four minutes each.")
    again = build_course(load_course(minimal), tmp_path / "out", formats, options=OPTIONS)
    assert rendered(again) == {"guide", "slides"}
    assert [key.split("/")[1] for key in again.reused] == ["workbook"]


def test_a_parallel_build_also_keeps_a_pdf_whose_content_did_not_change(minimal: Path, tmp_path: Path) -> None:
    formats, parallel = ("workbook", "guide"), BuildOptions(source_date_epoch=1700000000, jobs=2)
    build_course(load_course(minimal), tmp_path / "out", formats, options=parallel)
    edit(minimal / "modules" / "01-welcome.md", "Keep time: five minutes each.", "Keep time: four minutes each.")
    again = build_course(load_course(minimal), tmp_path / "out", formats, options=parallel)
    assert rendered(again) == {"guide"}


def test_an_edit_to_the_reading_keeps_the_guide_and_re_renders_the_workbook(minimal: Path, tmp_path: Path) -> None:
    formats = ("workbook", "guide")
    build_course(load_course(minimal), tmp_path / "out", formats, options=OPTIONS)
    # The guide shows each paragraph's first sentence as a key point, so the edit is to a later one.
    edit(minimal / "modules" / "01-welcome.md", "Write your content in Markdown.", "Write your content in Markdown. Be brief.")
    again = build_course(load_course(minimal), tmp_path / "out", formats, options=OPTIONS)
    assert rendered(again) == {"workbook"}


def test_a_changed_picture_re_renders_the_workbook_though_its_html_is_the_same(minimal: Path, tmp_path: Path) -> None:
    picture = minimal / "assets" / "chart.png"
    Image.new("RGB", (40, 20), "navy").save(picture)
    edit(minimal / "modules" / "01-welcome.md", "Write your content in Markdown.", "![A chart](../assets/chart.png)")
    build_course(load_course(minimal), tmp_path / "out", ("workbook",), options=OPTIONS)
    Image.new("RGB", (40, 20), "orange").save(picture)
    again = build_course(load_course(minimal), tmp_path / "out", ("workbook",), options=OPTIONS)
    assert rendered(again) == {"workbook"}


def test_a_build_with_no_cache_is_remembered_by_the_next_build(built: tuple[Path, Path]) -> None:
    course, out = built
    build(course, out, use_cache=False)
    assert rendered(build(course, out)) == set()


def test_a_rebuild_without_changes_through_the_command_parses_nothing(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = ["build", str(minimal), "--out", str(out), "--format", "web", "-q"]
    script = (
        "import sys\n"
        "from course_builder.cli import main\n"
        f"main({command!r}, standalone_mode=False)\n"
        "print('loader used' if 'course_builder.load' in sys.modules else 'loader not used')\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "loader used"
    assert again.stdout.strip() == "loader not used"
    report = json.loads((out / "build-report.json").read_text())
    assert [key.split("/")[1] for key in report["reused"]] == ["web"]


def test_a_rebuild_after_an_edit_through_the_command_builds_again(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = ["build", str(minimal), "--out", str(out), "--format", "web", "-q"]
    assert CliRunner().invoke(main, command).exit_code == 0
    edit(minimal / "modules" / "01-welcome.md", "Write your content in Markdown.", "Write it in Markdown.")
    assert CliRunner().invoke(main, command).exit_code == 0
    report = json.loads((out / "build-report.json").read_text())
    assert report["reused"] == []
    assert "Write it in Markdown." in (out / "web" / "index.html").read_text(encoding="utf-8")


def test_a_changed_brand_file_outside_the_course_folder_is_noticed(minimal: Path, tmp_path: Path) -> None:
    brand = tmp_path / "client" / "brand.yaml"
    brand.parent.mkdir()
    brand.write_text('name: Client\ncolors: {primary: "#204060", secondary: "#206040", accent: "#A04000"}\n', encoding="utf-8")
    out = tmp_path / "out"
    command = ["build", str(minimal), "--out", str(out), "--format", "web", "--brand", str(brand), "-q"]
    assert CliRunner().invoke(main, command).exit_code == 0
    assert CliRunner().invoke(main, command).exit_code == 0
    assert [key.split("/")[1] for key in json.loads((out / "build-report.json").read_text())["reused"]] == ["web"]
    edit(brand, "#204060", "#603020")
    assert CliRunner().invoke(main, command).exit_code == 0
    assert json.loads((out / "build-report.json").read_text())["reused"] == []
    assert "#603020" in (out / "web" / "assets" / "css" / "theme.css").read_text(encoding="utf-8")
