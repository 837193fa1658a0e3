"""A course from someone else cannot make the outputs run code, read files outside it, or hang the build.

Each test builds a real course with the real command and looks at what a learner's browser,
a presentation program or a PDF reader would get (see docs/security.md).
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from course_builder.cli import main
from course_builder.skeleton import write_minimal_course


def command() -> list[str]:
    script = Path(sys.executable).with_name("course-builder")
    return [str(script)] if script.exists() else [sys.executable, "-m", "course_builder"]


def build(course: Path, out: Path, *formats: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    args = [arg for name in formats for arg in ("--format", name)]
    return subprocess.run(
        [*command(), "build", str(course), "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )


def png(colour: tuple[int, int, int], size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def warnings_of(output: str) -> set[str]:
    """Warnings about the course's own files (the brand's contrast checks belong to the targets' checks)."""
    return {line for line in output.splitlines() if ": warning: " in line and not line.startswith("brand.yaml")}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    (folder / "assets").mkdir(exist_ok=True)
    return folder


def add_to_module(course: Path, markdown: str) -> Path:
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text(encoding="utf-8") + "\n" + markdown, encoding="utf-8")
    return module


def every_byte_of(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in folder.rglob("*") if p.is_file()]


# ---------------------------------------------------------------- issue 11: images resolved once, at load


def test_a_template_calling_markdown_without_its_block_shows_no_image_and_reads_nothing_outside(
    course: Path, tmp_path: Path
) -> None:
    inside, outside = png((0, 128, 0)), png((200, 0, 0), (9, 9))
    (course / "assets" / "team.png").write_bytes(inside)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "team.png").write_bytes(outside)  # ../assets/team.png seen from the course folder
    add_to_module(course, "## The team\n\nWho we are.\n\n![The team at work](../assets/team.png)\n\nAfter the picture.\n")
    prose = course / "templates" / "web" / "blocks" / "prose.html.j2"
    prose.parent.mkdir(parents=True)
    prose.write_text(
        '<div class="prose">{{ block.markdown | markdown(block) }}</div>\n'
        '<div class="loose">{{ "![x](../assets/team.png) and ![y](../../etc/passwd)" | markdown }}</div>\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"

    checked = CliRunner().invoke(main, ["check", str(course)])
    built = build(course, out, "web", "scorm2004")

    assert built.returncode == 0, built.stderr
    assert checked.exit_code == 0, checked.output
    assert warnings_of(checked.output) == warnings_of(built.stdout + built.stderr)
    images = {p.name: p.read_bytes() for p in (out / "web" / "assets" / "images").iterdir()}
    assert images == {"team.png": inside}
    assert not any(outside in data for data in every_byte_of(out))
    page = (out / "web" / "index.html").read_text(encoding="utf-8")
    assert page.count('src="assets/images/team.png"') == 1
    assert "../assets/team.png" not in page and "etc/passwd" not in page


def test_a_raw_html_image_is_shown_from_the_resolution_made_at_load(course: Path, tmp_path: Path) -> None:
    (course / "course.yaml").write_text(
        (course / "course.yaml").read_text(encoding="utf-8") + "allow_html: true\n", encoding="utf-8"
    )
    (course / "assets" / "chart.png").write_bytes(png((0, 0, 200)))
    add_to_module(course, '## Chart\n\n<p>The chart: <img src="../assets/chart.png" alt="Sales by month"></p>\n')

    built = build(course, tmp_path / "out", "web")

    assert built.returncode == 0, built.stderr
    page = (tmp_path / "out" / "web" / "index.html").read_text(encoding="utf-8")
    assert '<img src="assets/images/chart.png" alt="Sales by month">' in page
