"""Shared fixtures: the bundled sample course, loaded once and built once per format."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from course_builder.build import BuildReport, build_course
from course_builder.load import LoadedCourse, load_course
from course_builder.targets import BuildOptions

if TYPE_CHECKING:
    from lms.harness import Guard
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "content"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample() -> LoadedCourse:
    return load_course(SAMPLE)


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample course, for tests that edit it."""
    target = tmp_path / "course"
    shutil.copytree(SAMPLE, target)
    return target


class SampleBuilds:
    """Builds the sample course once per format per test session and remembers the folder."""

    def __init__(self, root: Path):
        self.root = root
        self.reports: dict[str, BuildReport] = {}

    def build(self, fmt: str, **options: object) -> Path:
        key = fmt + "".join(f"-{k}={v}" for k, v in sorted(options.items()))
        out = self.root / key
        if key not in self.reports:
            self.reports[key] = build_course(
                load_course(SAMPLE), out, (fmt,), options=BuildOptions(source_date_epoch=1700000000, **options)
            )  # type: ignore[arg-type]
        return out


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory: pytest.TempPathFactory) -> SampleBuilds:
    return SampleBuilds(tmp_path_factory.mktemp("sample-builds"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, started once for a test module."""
    from lms.harness import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def guard() -> Iterator[Guard]:
    """Watches one page: the test fails if it asked another host or the browser reported an error."""
    from lms.harness import Guard

    watch = Guard()
    yield watch
    assert watch.outside_requests == [], "the course asked a host other than this machine"
    assert watch.errors == [], "the browser reported errors"
