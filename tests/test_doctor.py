"""`course-builder doctor` tells a coach whether their machine can build, in their platform's terms."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from course_builder.doctor import FIXES, Finding, diagnose, fix_for


def run_doctor(path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path, "COLUMNS": "200"}
    command = [sys.executable, "-m", "course_builder", "doctor"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_on_this_machine_everything_needed_is_found() -> None:
    findings = {f.name: f for f in diagnose()}
    assert [findings[name].status for name in ("Python", "PDF engine", "Fonts")] == ["ok", "ok", "ok"]
    assert "WeasyPrint" in findings["PDF engine"].detail


def test_without_libreoffice_it_says_what_that_means_and_still_reports_ready(tmp_path: Path) -> None:
    result = run_doctor(str(tmp_path))  # an empty PATH: no soffice anywhere
    assert result.returncode == 0, result.stderr
    assert "LibreOffice: not found: every output still builds" in result.stdout
    assert "to install:" in result.stdout
    assert "Ready" in result.stdout


def test_every_fix_is_written_for_each_platform() -> None:
    for fixes in FIXES.values():
        assert set(fixes) == {"linux", "macos", "windows"}
    assert fix_for(Finding("Pango", "missing", "", "pango"), "macos") == "brew install pango"
