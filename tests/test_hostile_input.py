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


# ---------------------------------------------------------------- reproducible wherever the course lives


def test_the_sample_builds_byte_for_byte_the_same_from_two_folders(sample_dir: Path, tmp_path: Path) -> None:
    import json
    import shutil

    from course_builder.build import LOCK_NAME, REPORT_NAME

    outputs = {}
    for place in ("a", "somewhere/much/deeper/b"):
        course = tmp_path / place / "course"
        shutil.copytree(sample_dir, course)
        result = build(course, tmp_path / place / "out", timeout=900)
        assert result.returncode == 0, result.stderr
        out = tmp_path / place / "out"
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        report = json.loads(files.pop(REPORT_NAME))
        files.pop(LOCK_NAME, None)
        files.pop(".course-builder-cache.json", None)
        outputs[place] = (files, report["outputs"], report["warnings"])

    first, second = outputs.values()
    assert {"workbook.pdf", "guide.pdf", "slides.pptx"} <= set(first[0])
    assert sorted(first[0]) == sorted(second[0])
    assert [name for name in first[0] if first[0][name] != second[0][name]] == []
    assert first[1:] == second[1:]


# ---------------------------------------------------------------- SVGs made inert

HOSTILE_SVG = """<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">
  <title>A green square</title>
  <a xlink:href="https://example.com/away"><rect id="box" width="50" height="50" fill="green"/></a>
  <set attributeName="href" to="javascript:alert(2)"/>
  <animate attributeName="xlink:href" values="javascript:alert(3)"/>
  <foreignObject width="100" height="100"><iframe xmlns="http://www.w3.org/1999/xhtml" srcdoc="x"/></foreignObject>
  <use href="#box" x="50" y="50" filter="url(https://example.com/f.svg#x)"/>
</svg>
"""


def test_an_svg_reaches_the_web_course_and_the_packages_as_drawing_only(course: Path, tmp_path: Path) -> None:
    import zipfile

    from course_builder.svg import inert_svg

    (course / "assets" / "square.svg").write_text(HOSTILE_SVG, encoding="utf-8")
    module = add_to_module(course, "## Shapes\n\n![A green square](../assets/square.svg)\n")
    line = len(module.read_text(encoding="utf-8").splitlines())
    out = tmp_path / "out"

    result = build(course, out, "web", "scorm12")

    assert result.returncode == 0, result.stderr
    warning = next(w for w in warnings_of(result.stdout + result.stderr) if "square.svg" in w)
    assert warning.startswith(f"modules/01-welcome.md:{line}: warning:")
    for removed in ("DOCTYPE", "<set>", "<animate>", "<foreignObject>", "links (<a>)", "'filter'"):
        assert removed in warning, removed
    with zipfile.ZipFile(out / "my-course-scorm12.zip") as package:
        packaged = [package.read(n) for n in package.namelist() if n.endswith(".svg")]
    copies = [p.read_bytes() for p in out.rglob("*.svg")] + packaged
    assert len(copies) == 2
    for data in copies:
        text = data.decode("utf-8")
        for gone in ("javascript", "foreignObject", "iframe", "<set", "<animate", "example.com", "DOCTYPE", "<a "):
            assert gone not in text, gone
        assert '<rect id="box" width="50" height="50" fill="green" />' in text and '<use href="#box"' in text
        assert inert_svg(data) == (data, [])  # already inert: nothing more to take out


def test_an_svg_declaring_entities_is_refused_at_the_line_that_uses_it(course: Path) -> None:
    (course / "assets" / "lol.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&a;&a;</text></svg>\n',
        encoding="utf-8",
    )
    module = add_to_module(course, "## Shapes\n\n![Text](../assets/lol.svg)\n")
    line = len(module.read_text(encoding="utf-8").splitlines())

    result = CliRunner().invoke(main, ["check", str(course)])

    assert result.exit_code == 1
    assert f"modules/01-welcome.md:{line}: error: the SVG 'lol.svg' declares XML entities" in result.output


# ---------------------------------------------------------------- only what the author named


def svg_logo(course: Path) -> None:
    (course / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n', encoding="utf-8"
    )
    brand = course / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "logo: assets/logo.svg\n", encoding="utf-8")


def test_the_png_beside_an_svg_logo_is_used_only_when_it_is_a_regular_file_inside_the_course(
    course: Path, tmp_path: Path
) -> None:
    from course_builder.load import load_course

    svg_logo(course)
    (course / "assets" / "logo.png").write_bytes(png((1, 2, 3)))
    assert load_course(course).course.brand.logo_raster == (course / "assets" / "logo.png").resolve()

    (course / "assets" / "logo.png").unlink()
    secret = tmp_path / "secret.png"
    secret.write_bytes(png((250, 1, 1), (7, 7)))
    (course / "assets" / "logo.png").symlink_to(secret)
    loaded = load_course(course)

    assert loaded.course.brand.logo_raster is None
    assert any("logo.png" in w.message and "outside the course folder" in w.message for w in loaded.warnings)


def test_a_named_pipe_beside_the_logo_is_refused_without_being_opened(course: Path, tmp_path: Path) -> None:
    svg_logo(course)
    os.mkfifo(course / "assets" / "logo.png")

    result = build(course, tmp_path / "out", "slides", timeout=120)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "brand.yaml:" in result.stderr and "'logo.png' is a named pipe, not a file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_named_pipe_named_as_an_image_is_refused_without_being_opened(course: Path) -> None:
    os.mkfifo(course / "assets" / "team.png")
    module = add_to_module(course, "## Team\n\n![The team](../assets/team.png)\n")
    line = len(module.read_text(encoding="utf-8").splitlines())

    result = subprocess.run([*command(), "check", str(course)], capture_output=True, text=True, timeout=120)

    assert result.returncode == 1
    assert f"modules/01-welcome.md:{line}: error: the image '../assets/team.png' is a named pipe" in result.stderr


# ---------------------------------------------------------------- images verified


def damaged_png() -> bytes:
    """Chunks with valid CRCs whose image data is not a zlib stream."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not zlib " * 8) + chunk(b"IEND", b"")


def test_a_png_whose_pixels_cannot_be_decoded_is_an_error_at_the_line_that_uses_it(course: Path) -> None:
    (course / "assets" / "team.png").write_bytes(damaged_png())
    module = add_to_module(course, "## Team\n\nBefore.\n\n![The team](../assets/team.png)\n")
    line = len(module.read_text(encoding="utf-8").splitlines())

    result = CliRunner().invoke(main, ["check", str(course)])

    assert result.exit_code == 1
    assert f"modules/01-welcome.md:{line}: error: 'team.png' is damaged" in result.output


def test_a_damaged_png_is_still_refused_after_the_pdf_renderer_has_loaded(course: Path) -> None:
    """WeasyPrint tells Pillow to accept truncated images when it is imported; the load-time check must not follow."""
    import weasyprint  # noqa: F401

    test_a_png_whose_pixels_cannot_be_decoded_is_an_error_at_the_line_that_uses_it(course)
