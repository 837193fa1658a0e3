"""Rebuilding: unchanged outputs are reused, changed sources re-render, parallel builds match."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course_builder.build import build_course
from course_builder.load import load_course
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
    assert sorted(again.reused) == sorted(f"northwind/{f}" for f in FORMATS) or len(again.reused) == len(FORMATS)
    assert [o.sha256 for o in again.outputs] == [o["sha256"] for o in before]


def test_editing_a_module_re_renders_the_outputs_that_contain_it(built: tuple[Path, Path]) -> None:
    course, out = built
    module = sorted((course / "modules").glob("*.md"))[0]
    module.write_text(module.read_text(encoding="utf-8").replace("## ", "## Edited: ", 1), encoding="utf-8")
    again = build(course, out)
    assert again.reused == []


def test_a_changed_build_option_re_renders(built: tuple[Path, Path]) -> None:
    course, out = built
    again = build(course, out, options=BuildOptions(source_date_epoch=1700000000, sco="single"))
    assert again.reused == []


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
