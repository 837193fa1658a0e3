"""Nothing of the user's is lost, and a course cannot make the build reach the network or run code.

Outputs replace earlier ones only when complete; a crash or Ctrl-C keeps what was there; the
builder refuses output folders that hold sources or files it did not write, and one build at a
time writes into a folder. A loopback server counts every request a build might make.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder import targets
from course_builder.build import LOCK_NAME, REPORT_NAME, build_course
from course_builder.cli import main
from course_builder.conformance import REPORT_HTML
from course_builder.errors import CourseError
from course_builder.load import load_course
from course_builder.model import Brand, Course
from course_builder.proof import PROOF_NAME, THUMBS_DIR
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions, Target
from course_builder.targets.base import atomic_directory, atomic_file

BOOKKEEPING = {REPORT_NAME, REPORT_HTML, LOCK_NAME, ".course-builder-cache.json"}


def command() -> list[str]:
    script = Path(sys.executable).with_name("course-builder")
    return [str(script)] if script.exists() else [sys.executable, "-m", "course_builder"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    return folder


def earlier_build(out: Path, outputs: dict[str, bytes]) -> dict[str, bytes]:
    """An output folder an earlier build wrote, plus the user's own notes; returns its contents."""
    for name, data in outputs.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    (out / "my-notes.txt").write_text("Room 4B, bring the flip chart.\n")
    (out / REPORT_NAME).write_text(json.dumps({"course": "my-course", "outputs": list(outputs)}) + "\n")
    return snapshot(out)


# ---------------------------------------------------------------- targets that fail on purpose


class SteadyTarget(Target):
    name = "steady"
    description = "writes a small file and succeeds"

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        return ["steady.txt"]

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        with atomic_file(out / "steady.txt") as temporary:
            temporary.write_text("new steady output\n")
        return [out / "steady.txt"]


class CrashingTarget(Target):
    name = "crashing"
    description = "crashes halfway through writing its PDF"

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        return ["crashing.pdf"]

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        with atomic_file(out / "crashing.pdf") as temporary:
            temporary.write_bytes(b"%PDF-1.7 half a document")
            raise RuntimeError("the renderer crashed")


class InterruptedTarget(Target):
    name = "interrupted"
    description = "is stopped by Ctrl-C halfway through writing a folder"

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        return ["site"]

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        with atomic_directory(out / "site") as folder:
            (folder / "index.html").write_text("<p>half a site</p>")
            raise KeyboardInterrupt


@pytest.fixture
def failing_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    for target in (SteadyTarget, CrashingTarget, InterruptedTarget):
        monkeypatch.setitem(targets.BUILT_IN, target.name, f"{__name__}:{target.__name__}")


def test_a_crash_in_one_target_keeps_every_previous_output_and_the_report(
    course: Path, tmp_path: Path, failing_targets: None
) -> None:
    out = tmp_path / "out"
    before = earlier_build(out, {"steady.txt": b"old steady output\n", "crashing.pdf": b"%PDF-1.7 last week's guide"})

    with pytest.raises(RuntimeError, match="the renderer crashed"):
        build_course(load_course(course), out, ("steady", "crashing"), use_cache=False)

    after = snapshot(out)
    assert after["crashing.pdf"] == before["crashing.pdf"]
    assert after[REPORT_NAME] == before[REPORT_NAME]
    assert after["my-notes.txt"] == before["my-notes.txt"]
    assert after["steady.txt"] == before["steady.txt"]  # all or nothing: one failed target keeps every earlier output
    assert not [name for name in after if name.endswith(".part") or ".part/" in name]


def test_ctrl_c_in_a_target_keeps_the_previous_folder_and_leaves_no_partial_files(
    course: Path, tmp_path: Path, failing_targets: None
) -> None:
    out = tmp_path / "out"
    before = earlier_build(out, {"site/index.html": b"<p>last week's site</p>"})

    with pytest.raises(KeyboardInterrupt):
        build_course(load_course(course), out, ("interrupted",), use_cache=False)

    assert {k: v for k, v in snapshot(out).items() if k != LOCK_NAME} == before
    assert sorted(p.name for p in out.iterdir()) == sorted([LOCK_NAME, REPORT_NAME, "my-notes.txt", "site"])


def test_ctrl_c_during_a_real_pdf_build_keeps_the_previous_workbook(sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = earlier_build(out, {"workbook.pdf": b"%PDF-1.7 last week's workbook"})
    build = subprocess.Popen(
        [*command(), "build", str(sample_dir), "--out", str(out), "--format", "workbook", "--no-cache"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while not list(out.glob(".staging-*/.workbook.pdf.*.part")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert build.poll() is None, "the build ended before it could be interrupted"
    build.send_signal(signal.SIGINT)
    stdout, stderr = build.communicate(timeout=120)

    assert build.returncode == 130, stdout + stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    assert {k: v for k, v in snapshot(out).items() if k != LOCK_NAME} == before


# ---------------------------------------------------------------- where --out may point


def refused_out(case: str, course: Path, tmp_path: Path) -> Path:
    """An output folder that building into would overwrite or delete the author's files."""
    if case == "the course folder":
        return course
    if case == "a link to the course folder":
        (tmp_path / "link").symlink_to(course)
        return tmp_path / "link"
    if case == "the modules folder":
        return course / "modules"
    if case == "a folder inside assets":
        return course / "assets" / "out"
    if case == "the folder holding the course":
        return course.parent
    if case == "another course":
        write_minimal_course(tmp_path / "other")
        return tmp_path / "other"
    assert case == "a folder of the user's Markdown notes"
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "ideas.md").write_text("# Ideas for next time\n")
    return tmp_path / "notes"


@pytest.mark.parametrize(
    "case",
    [
        "the course folder",
        "a link to the course folder",
        "the modules folder",
        "a folder inside assets",
        "the folder holding the course",
        "another course",
        "a folder of the user's Markdown notes",
    ],
)
def test_out_is_refused_where_building_could_touch_sources(case: str, course: Path, tmp_path: Path) -> None:
    out = refused_out(case, course, tmp_path)
    everything = snapshot(tmp_path)

    result = CliRunner().invoke(main, ["build", str(course), "--out", str(out), "--format", "web"])

    assert result.exit_code == 1, result.output
    assert "the output folder" in result.output and "fix:" in result.output
    assert snapshot(tmp_path) == everything


def test_a_file_of_the_users_that_shares_an_outputs_name_is_not_replaced(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    out.mkdir()
    (out / "slides.pptx").write_bytes(b"the deck the facilitator made by hand")

    result = CliRunner().invoke(main, ["build", str(course), "--out", str(out), "--format", "slides"])

    assert result.exit_code == 1, result.output
    assert "slides.pptx already exists and was not written by course-builder" in result.output
    assert snapshot(out) == {"slides.pptx": b"the deck the facilitator made by hand"}


def test_a_build_deletes_nothing_it_did_not_create(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "photos").mkdir(parents=True)
    (out / "photos" / "flipchart.jpg").write_bytes(b"\xff\xd8\xff a photo of the flip chart")
    (out / "attendance.csv").write_text("name,signed\n")
    users = snapshot(out)

    first = CliRunner().invoke(main, ["build", str(course), "--out", str(out), "--format", "web", "--format", "slides"])
    second = CliRunner().invoke(main, ["build", str(course), "--out", str(out), "--format", "web", "--no-cache"])

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    after = snapshot(out)
    assert {name: after[name] for name in users} == users
    written = {o["path"] for o in json.loads((out / REPORT_NAME).read_text())["outputs"]} | {"slides.pptx"} | BOOKKEEPING
    written |= {PROOF_NAME, THUMBS_DIR}  # the proof sheet and its pictures
    assert {name.split("/")[0] for name in after} - {name.split("/")[0] for name in users} <= written


# ---------------------------------------------------------------- one build at a time


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[Path]:
    """An output folder whose lock another build holds right now."""
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_NAME, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield out


def test_a_second_build_into_a_busy_folder_fails_with_a_clear_message(course: Path, held_lock: Path) -> None:
    (held_lock / "slides.pptx").write_bytes(b"the first build's deck, half written")
    before = snapshot(held_lock)

    result = subprocess.run(
        [*command(), "build", str(course), "--out", str(held_lock), "--format", "slides"],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert "another build is writing to" in result.stderr and "fix:" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(held_lock) == before


def test_the_lock_is_released_when_a_build_ends(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_course(load_course(course), out, ("slides",))
    with open(out / LOCK_NAME, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # would raise if the build still held it


def test_the_lock_refuses_a_build_started_in_the_same_process(course: Path, held_lock: Path) -> None:
    with pytest.raises(CourseError, match="another build is writing"):
        build_course(load_course(course), held_lock, ("slides",))


# ---------------------------------------------------------------- no network, no code


class LoopbackServer:
    """A web server on 127.0.0.1 that answers every request and remembers it."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def add_to_module(course: Path, markdown: str) -> Path:
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text(encoding="utf-8") + "\n" + markdown, encoding="utf-8")
    return module


def test_an_image_on_a_web_server_is_refused_at_load_time_and_never_requested(
    course: Path, tmp_path: Path, loopback: LoopbackServer
) -> None:
    add_to_module(course, f"## Pictures\n\n![The team]({loopback.url}/team.png)\n")
    lines = (course / "modules" / "01-welcome.md").read_text(encoding="utf-8").splitlines()

    result = subprocess.run([*command(), "build", str(course), "--out", str(tmp_path / "out")], capture_output=True, text=True)

    assert result.returncode == 1
    assert f"modules/01-welcome.md:{len(lines)}: error: image '{loopback.url}/team.png' is a web address" in result.stderr
    assert loopback.hits == []


def test_a_build_makes_no_request_even_for_urls_a_template_puts_together(
    course: Path, tmp_path: Path, loopback: LoopbackServer
) -> None:
    """Content may link to the web (links are not fetched), and a course template that builds a
    URL at render time, out of the loader's sight, meets the PDF renderer's fetcher."""
    add_to_module(course, f"## Links\n\nSee [our site]({loopback.url}/page) or {loopback.url}/plain.\n")
    host, port = loopback.url.removeprefix("http://").split(":")
    stylesheet = course / "templates" / "print" / "workbook.css"
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text(
        f"@import url(\"{{{{ 'ht' ~ 'tp://{host}:' ~ '{port}' }}}}/import.css\");\n"
        f"body {{ background: url(\"{{{{ 'ht' ~ 'tp://{host}:' ~ '{port}' }}}}/background.png\"); }}\n",
        encoding="utf-8",
    )

    result = subprocess.run(
        [*command(), "build", str(course), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
        timeout=600,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "workbook.pdf").is_file()
    assert loopback.hits == []


def test_the_pdf_fetcher_serves_course_files_and_refuses_the_network_and_the_rest_of_the_disk(
    course: Path, tmp_path: Path, loopback: LoopbackServer
) -> None:
    from course_builder.targets.print_document import CourseFileFetcher

    fetcher = CourseFileFetcher([course])
    assert fetcher.fetch((course / "course.yaml").as_uri()).read().startswith(b"id: my-course")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the course")
    for url in (f"{loopback.url}/x.png", secret.as_uri(), (course / ".." / "secret.txt").as_uri(), "file:///etc/passwd"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert loopback.hits == []


def test_a_course_template_cannot_reach_into_python(course: Path, tmp_path: Path) -> None:
    stylesheet = course / "templates" / "print" / "workbook.css"
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text("body { color: black; }\n/* {{ ''.__class__.__mro__[1].__subclasses__() }} */\n", encoding="utf-8")
    out = tmp_path / "out"

    result = CliRunner().invoke(main, ["build", str(course), "--out", str(out), "--format", "workbook"])

    assert result.exit_code == 1, result.output
    assert "templates/print/workbook.css:2" in result.output and "fix:" in result.output
    assert "Traceback" not in result.output
    assert not list(out.glob("*.pdf"))


def test_a_link_out_of_the_course_folder_is_not_read_even_when_no_file_uses_it(course: Path, tmp_path: Path) -> None:
    from course_builder.cache import folder_fingerprint

    outside = tmp_path / "private.txt"
    outside.write_text("salaries, version 1")
    (course / "assets" / "private.txt").symlink_to(outside)
    out = tmp_path / "out"
    first = folder_fingerprint(course, out)

    outside.write_text("salaries, version 2")

    assert folder_fingerprint(course, out) == first


def test_check_warns_when_a_course_template_adds_a_script(course: Path) -> None:
    page = course / "templates" / "web" / "parts" / "footer.html.j2"
    page.parent.mkdir(parents=True)
    page.write_text("<footer>\n  {{ brand.footer }}\n  <script>track()</script>\n</footer>\n", encoding="utf-8")

    result = CliRunner().invoke(main, ["check", str(course)])

    assert result.exit_code == 0, result.output
    assert "templates/web/parts/footer.html.j2:3: warning: this template adds a script" in result.output
