"""A build is all or nothing: a failed or killed build leaves the earlier outputs and report byte for byte,
and the next build clears what the killed one left behind."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from course_builder.skeleton import write_minimal_course

REPO = Path(__file__).resolve().parent.parent


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "course_builder", *args]


ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
       "SOURCE_DATE_EPOCH": "1700000000"}


def snapshot(out: Path) -> dict[str, str]:
    """Every file the user sees in the output folder (hidden bookkeeping aside), with its SHA-256."""
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(out).parts)
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob(".*") if p.name.startswith(".staging-") or p.name.endswith((".part", ".old")))


def build(course: Path, out: Path, *formats: str) -> subprocess.CompletedProcess[str]:
    args = [a for f in formats for a in ("--format", f)]
    return subprocess.run(command("build", str(course), "--out", str(out), *args), capture_output=True, text=True, env=ENV,
                          timeout=600)


def edit_the_module(course: Path) -> None:
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text().replace("Write your content in Markdown.", "Edited since the last build."))


def test_a_target_failing_late_leaves_every_earlier_output_and_the_report_as_they_were(tmp_path: Path) -> None:
    course, out = tmp_path / "course", tmp_path / "out"
    write_minimal_course(course)
    assert build(course, out).returncode == 0
    before = snapshot(out)
    assert {"workbook.pdf", "guide.pdf", "slides.pptx", "build-report.json", "web/index.html"} <= set(before)

    edit_the_module(course)
    # Passes every check, but the web course's stylesheet template fails while the packages render,
    # after the workbook and the guide have been laid out.
    (course / "templates" / "web").mkdir(parents=True)
    (course / "templates" / "web" / "theme.css.j2").write_text("body {\n  color: {{ palette.no_such_colour.shade }};\n}\n")
    failed = build(course, out)
    assert failed.returncode == 1, failed.stderr
    assert "theme.css.j2" in failed.stderr and "Traceback" not in failed.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_killed_build_changes_nothing_and_the_next_build_clears_its_leftovers(tmp_path: Path) -> None:
    course, out = tmp_path / "course", tmp_path / "out"
    write_minimal_course(course)
    assert build(course, out, "workbook", "guide").returncode == 0
    before = snapshot(out)

    edit_the_module(course)
    running = subprocess.Popen(command("build", str(course), "--out", str(out), "--format", "workbook", "--format", "guide"),
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        staged = None
        while staged is None and running.poll() is None:  # until the new workbook is finished, in the staging folder
            staged = next(out.glob(".staging-*/workbook.pdf"), None)
            time.sleep(0.02)
        assert staged is not None, "the build ended before the workbook was staged"
        running.send_signal(signal.SIGKILL)
    finally:
        running.wait()
    assert running.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    assert leftovers(out)  # the killed build's staging folder

    again = build(course, out, "workbook", "guide")
    assert again.returncode == 0, again.stderr
    assert leftovers(out) == []
    assert snapshot(out)["workbook.pdf"] != before["workbook.pdf"]  # the edit is in the reading, which the guide leaves out


def test_a_terminated_build_removes_its_staging_folder_itself(tmp_path: Path) -> None:
    course, out = tmp_path / "course", tmp_path / "out"
    write_minimal_course(course)
    assert build(course, out, "workbook", "guide").returncode == 0
    before = snapshot(out)
    edit_the_module(course)
    # The facilitator's note too, so both PDFs are laid out again: the signal lands while the second renders.
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text().replace("Keep time: five minutes each.", "Keep time: four minutes each."))
    running = subprocess.Popen(command("build", str(course), "--out", str(out), "--format", "workbook", "--format", "guide"),
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        staged = None
        while staged is None and running.poll() is None:
            staged = next(out.glob(".staging-*/*.pdf"), None)
            time.sleep(0.02)
        assert staged is not None, "the build ended before the first PDF was staged"
        running.send_signal(signal.SIGTERM)
    finally:
        _, stderr = running.communicate()
    assert running.returncode == 130, stderr
    assert "Interrupted: outputs from earlier builds are kept as they were." in stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_killed_build_is_cleared_by_a_next_build_with_nothing_to_do(tmp_path: Path) -> None:
    course, out = tmp_path / "course", tmp_path / "out"
    write_minimal_course(course)
    assert build(course, out, "web").returncode == 0
    before = snapshot(out)
    (out / ".staging-4242-0123456789ab" / "web").mkdir(parents=True)  # as a build killed before it wrote anything leaves it
    again = build(course, out, "web")
    assert again.returncode == 0 and "(unchanged)" in again.stdout
    assert leftovers(out) == []
    assert snapshot(out).keys() == before.keys()


def test_leftovers_of_older_builds_beside_the_outputs_are_removed(tmp_path: Path) -> None:
    course, out = tmp_path / "course", tmp_path / "out"
    write_minimal_course(course)
    assert build(course, out, "web").returncode == 0
    (out / ".build-report.json.4242-0123456789ab.part").write_text("{")
    (out / ".staging-4242-0123456789ab" / "web").mkdir(parents=True)
    set_aside = out / ".web.4242-0123456789ab.old"
    os.replace(out / "web", set_aside)  # killed between setting the old web course aside and moving the new one in
    edit_the_module(course)
    assert build(course, out, "web").returncode == 0
    assert leftovers(out) == []
    assert (out / "web" / "index.html").is_file()
