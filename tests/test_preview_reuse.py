"""`serve` reuses the modules a save did not touch; what it reports and builds is what a cold `check`/`build` gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from course_builder.build import build_course
from course_builder.errors import CourseError, Problem
from course_builder.load import LoadedCourse, load_course
from course_builder.load.module_cache import ModuleCache
from course_builder.targets import BuildOptions

MODULE = "modules/03-leading-with-alignment.md"


def problems_of(course: Path, cache: ModuleCache | None) -> tuple[LoadedCourse | None, list[Problem]]:
    try:
        loaded = load_course(course, cache)
    except CourseError as err:
        return None, sorted(err.problems + err.warnings, key=repr)
    return loaded, sorted(loaded.warnings, key=repr)


def edit(course: Path, old: str, new: str) -> None:
    module = course / MODULE
    text = module.read_text(encoding="utf-8")
    assert old in text
    module.write_text(text.replace(old, new, 1), encoding="utf-8")


def web_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "web").rglob("*")) if p.is_file()}


def test_a_warm_load_reads_only_the_saved_module_and_reports_what_a_cold_one_does(course_copy: Path, tmp_path: Path) -> None:
    cache = ModuleCache()
    load_course(course_copy, cache)
    modules = len(load_course(course_copy).course.modules)
    assert cache.read == modules

    # A warning in the saved module (an image whose alt text says nothing), then an error, then both fixed.
    saves = [
        ("Think of leadership less as", "![image](../assets/needs-wheel.png)\n\nThink of leadership less as"),
        ("duration:", "duration: seventy\nx-duration:"),
        ("duration: seventy\nx-duration:", "duration:"),
    ]
    for old, new in saves:
        edit(course_copy, old, new)
        warm, warm_problems = problems_of(course_copy, cache)
        assert (cache.read, cache.reused) == (1, modules - 1)
        cold, cold_problems = problems_of(course_copy, None)
        assert warm_problems == cold_problems
        assert (warm is None) == (cold is None)
        if warm is not None and cold is not None:
            assert warm.course == cold.course
    assert any("alt text" in p.message for p in warm_problems)


def test_a_changed_image_rereads_every_module(course_copy: Path) -> None:
    cache = ModuleCache()
    load_course(course_copy, cache)
    image = next((course_copy / "assets").glob("*.png"))
    stat = image.stat()
    os.utime(image, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    load_course(course_copy, cache)
    assert cache.reused == 0


def test_the_web_course_built_from_a_warm_load_is_the_one_a_cold_build_makes(course_copy: Path, tmp_path: Path) -> None:
    cache = ModuleCache()
    options = BuildOptions(source_date_epoch=1_700_000_000)
    warm = load_course(course_copy, cache)
    build_course(warm, tmp_path / "warm", ("web",), (warm.course.brand,), options)
    edit(course_copy, "Think of leadership less as", "Think of leadership, said the heron, less as")
    warm = load_course(course_copy, cache)
    assert cache.reused > 0
    build_course(warm, tmp_path / "warm", ("web",), (warm.course.brand,), options)

    cold_course = tmp_path / "cold-course"
    shutil.copytree(course_copy, cold_course)
    cold = load_course(cold_course)
    build_course(cold, tmp_path / "cold", ("web",), (cold.course.brand,), options)
    warm_web, cold_web = web_files(tmp_path / "warm"), web_files(tmp_path / "cold")
    assert warm_web == cold_web
    assert any(b"said the heron" in text for text in warm_web.values())


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
