"""Every way an author breaks a course gets a message they can act on, and nothing of theirs is lost.

Each folder in tests/bad_courses/ is a small course with one mistake; cases.yaml says where
the message must point and what it must say. Every case is built with the real command in a
process of its own, into an output folder that already holds the user's files and an earlier
build, which must come out byte for byte unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from course_builder.cli import main

CORPUS = Path(__file__).resolve().parent / "bad_courses"
CASES: dict[str, dict] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
MISTAKES = [name for name, case in CASES.items() if case.get("outcome") not in ("builds", "inert", "warns")]
INERT = [name for name, case in CASES.items() if case.get("outcome") == "inert"]
WARNS = [name for name, case in CASES.items() if case.get("outcome") == "warns"]
PROBLEM_LINE = re.compile(
    r"^(?P<file>\S+?)(?::(?P<line>\d+))?(?::(?P<column>\d+))?: (?P<severity>error|warning): (?P<message>.*)$"
)


def command() -> list[str]:
    """The installed `course-builder` script beside this Python, else the module."""
    script = Path(sys.executable).with_name("course-builder")
    return [str(script)] if script.exists() else [sys.executable, "-m", "course_builder"]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(), *args], capture_output=True, text=True, timeout=300, env=env)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny, valid PNG whose header claims the given size (no pixel data to speak of)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def prepared(name: str, tmp_path: Path) -> Path:
    """A copy of the case, with the files the corpus cannot hold made now."""
    course = tmp_path / name
    shutil.copytree(CORPUS / name, course, symlinks=True)
    setup = CASES[name].get("setup")
    if setup == "huge-png":
        (course / "assets").mkdir(exist_ok=True)
        (course / "assets" / "team.png").write_bytes(png_claiming(50_000, 50_000))
    elif setup == "huge-module":
        (course / "modules" / "01-intro.md").write_text("Text. " * 2_000_000, encoding="utf-8")
    elif setup == "symlink-outside":
        outside = tmp_path / "elsewhere" / "secret.png"
        outside.parent.mkdir()
        outside.write_bytes(png_claiming(4, 4))
        (course / "assets" / "team.png").symlink_to(outside)
    elif setup == "image-fifo":
        (course / "assets").mkdir(exist_ok=True)
        os.mkfifo(course / "assets" / "team.png")
    elif setup == "logo-fifo":
        os.mkfifo(course / "assets" / "logo.png")
    elif setup == "template-symlink-outside":
        outside = tmp_path / "elsewhere" / "site.css"
        outside.parent.mkdir()
        outside.write_text("body { color: black; }\n")
        (course / "templates" / "print" / "workbook.css").symlink_to(outside)
    return course


def earlier_build(tmp_path: Path) -> Path:
    """An output folder holding the user's own notes and the outputs of an earlier build."""
    out = tmp_path / "out"
    (out / "web").mkdir(parents=True)
    (out / "my-notes.txt").write_text("Room 4B, bring the flip chart.\n")
    (out / "workbook.pdf").write_bytes(b"%PDF-1.7 the workbook from last week")
    (out / "web" / "index.html").write_text("<p>last week's web course</p>\n")
    (out / "build-report.json").write_text('{"course": "corpus-course", "outputs": []}\n')
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def problems_in(output: str) -> list[dict[str, str]]:
    """The problems as printed: place, severity, message and the (possibly multi-line) fix."""
    problems: list[dict[str, str]] = []
    for line in output.splitlines():
        match = PROBLEM_LINE.match(line)
        if match:
            problems.append({**match.groupdict(), "fix": ""})
        elif problems and line.startswith("    "):
            problems[-1]["fix"] += line.strip().removeprefix("fix:").strip() + " "
    return problems


def assert_reported(output: str, case: dict, severity: str = "error") -> None:
    wanted = (case["file"], None if case["line"] is None else str(case["line"]))
    found = [p for p in problems_in(output) if p["severity"] == severity and case["says"] in p["message"]]
    assert found, f"no {severity} saying {case['says']!r} in:\n{output}"
    assert any((p["file"], p["line"]) == wanted for p in found), f"expected at {wanted}:\n{output}"
    assert any(case["fix"] in p["fix"] for p in found), f"no fix mentioning {case['fix']!r}:\n{output}"
    if "column" in case:
        assert any(p["column"] == str(case["column"]) for p in found), f"expected column {case['column']}:\n{output}"
    if "errors" in case:  # nothing follows from the mistake: no second, puzzling message
        assert sum(p["severity"] == "error" for p in problems_in(output)) == case["errors"], output


def test_the_corpus_covers_at_least_thirty_mistakes_and_each_folder_has_its_case() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(CASES)
    assert len(MISTAKES) >= 30


@pytest.mark.parametrize("name", MISTAKES)
def test_a_broken_course_fails_with_a_located_message_and_leaves_the_output_folder_alone(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    course = prepared(name, tmp_path)
    out = earlier_build(tmp_path)
    before = snapshot(out)

    result = run_cli("build", str(course), "--out", str(out))

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert_reported(output, case)
    assert snapshot(out) == before


@pytest.mark.parametrize("name", MISTAKES)
def test_check_reports_the_same_mistake_without_an_output_folder(name: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(prepared(name, tmp_path))])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert_reported(result.output, CASES[name])


@pytest.mark.parametrize("name", WARNS)
def test_a_likely_slip_is_a_located_warning_and_fails_only_a_strict_check(name: str, tmp_path: Path) -> None:
    course = prepared(name, tmp_path)
    result = CliRunner().invoke(main, ["check", str(course)])
    assert result.exit_code == 0, result.output
    assert_reported(result.output, CASES[name], severity="warning")
    assert CliRunner().invoke(main, ["check", "--strict", str(course)]).exit_code == 1


def test_the_corpus_course_without_its_mistake_checks_clean(tmp_path: Path) -> None:
    """The cases differ from a good course only by their mistake: the base they share is valid."""
    course = prepared("unknown-block-name", tmp_path)
    module = course / "modules" / "01-intro.md"
    module.write_text(module.read_text(encoding="utf-8").replace("reflektion", "reflection"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(course)])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- content is data


def output_texts(out: Path) -> dict[str, str]:
    """The words a participant sees in each output, by output name."""
    from pptx import Presentation
    from pypdf import PdfReader

    texts: dict[str, str] = {}
    for pdf in out.glob("*.pdf"):
        texts[pdf.name] = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for deck in out.glob("*.pptx"):
        slides = Presentation(str(deck)).slides
        shapes = [shape for slide in slides for shape in slide.shapes if shape.has_text_frame]
        notes = [slide.notes_slide.notes_text_frame.text for slide in slides if slide.has_notes_slide]
        texts[deck.name] = "\n".join([*(shape.text_frame.text for shape in shapes), *notes])
    for folder in (p for p in out.iterdir() if p.is_dir()):
        texts[folder.name] = "\n".join(visible_text(page.read_bytes()) for page in sorted(folder.rglob("*.html")))
    for package in out.glob("*.zip"):
        with zipfile.ZipFile(package) as archive:
            pages = sorted(n for n in archive.namelist() if n.endswith(".html"))
            texts[package.name] = "\n".join(visible_text(archive.read(n)) for n in pages)
    return texts


def visible_text(html: bytes) -> str:
    """What a browser shows of a page: its text without scripts and styles."""
    import lxml.html

    document = lxml.html.document_fromstring(html)
    for element in document.xpath("//script | //style"):
        element.drop_tree()
    return document.text_content()


def test_template_syntax_in_content_is_printed_as_written_in_every_output(tmp_path: Path) -> None:
    case = CASES["jinja-in-content"]
    course = prepared("jinja-in-content", tmp_path)
    out = tmp_path / "out"

    result = run_cli("build", str(course), "--out", str(out), env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert_reported(output, case, severity="warning")
    texts = output_texts(out)
    packages = {"corpus-course-scorm12.zip", "corpus-course-scorm2004.zip"}
    assert {"workbook.pdf", "guide.pdf", "slides.pptx", "web", *packages} <= set(texts), sorted(texts)
    for name, text in texts.items():
        flat = re.sub(r"\s+", " ", text)
        assert re.search(r"\{\{ ?7\*7 ?\}\}", flat), f"{name} does not show '{{{{ 7*7 }}}}' as written"
        assert not re.search(r"(?<![\d.])49(?![\d.])", flat), f"{name} evaluated 7*7"
        assert "againagain" not in flat, f"{name} ran the {{% for %}} loop"


# ---------------------------------------------------------------- hostile content made inert

LIVE_ELEMENTS = {"noscript", "iframe", "object", "embed", "foreignobject", "set", "animate", "textarea"}
# The pages' own favicon is the empty `data:,`; any other data: URL could carry a page.
SCRIPT_URL = re.compile(r"^\s*(javascript:|vbscript:|data:(?!,$))", re.I)


def live_markup(name: str, text: str) -> list[str]:
    """What in a page or drawing could run code: handlers, script URLs, embedded pages, animation, a DTD."""
    import lxml.etree
    import lxml.html

    if name.endswith(".svg"):
        root = lxml.etree.fromstring(text.encode())
        found = ["a DOCTYPE"] if root.getroottree().docinfo.doctype else []
        authored = set(root.iter())
    else:
        root = lxml.html.document_fromstring(text)
        found = []
        # The pages' own frame (the reading-mode <noscript> notice, the cmi5 launch page's frame) is
        # the product's; what the author wrote sits in the page sections.
        authored = set(root.xpath("//*[@data-page]//*"))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = lxml.etree.QName(element).localname.lower()
        if (tag in LIVE_ELEMENTS and element in authored) or (tag == "script" and name.endswith(".svg")):
            found.append(f"<{tag}>")
        for attribute, value in element.attrib.items():
            local = lxml.etree.QName(attribute).localname.lower()
            if local.startswith("on") or (local in ("href", "src", "action", "srcdoc") and SCRIPT_URL.match(value)):
                found.append(f"{tag} {local}={value[:30]}")
    return found


def pages_and_drawings(out: Path) -> dict[str, str]:
    """Every HTML page and SVG drawing in the outputs, packages included, by name."""
    found = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".svg")
    }
    for package in out.glob("*.zip"):
        with zipfile.ZipFile(package) as archive:
            for name in archive.namelist():
                if name.endswith((".html", ".svg")):
                    found[f"{package.name}/{name}"] = archive.read(name).decode("utf-8")
    return found


@pytest.mark.parametrize("name", INERT)
def test_hostile_content_builds_inert_with_a_located_warning(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    out = tmp_path / "out"

    result = run_cli("build", str(prepared(name, tmp_path)), "--out", str(out))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert_reported(output, case, severity="warning")
    checked = CliRunner().invoke(main, ["check", str(tmp_path / name)])
    assert checked.exit_code == 0, checked.output
    assert_reported(checked.output, case, severity="warning")
    pages = pages_and_drawings(out)
    assert {
        "web/index.html",
        "corpus-course-scorm12.zip/module-intro.html",
        "corpus-course-scorm2004.zip/module-intro.html",
    } <= set(pages)
    assert {page: live for page, text in pages.items() if (live := live_markup(page, text))} == {}
