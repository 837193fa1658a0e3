"""`pip install .` gives a working tool anywhere: templates, sample course and data ship in the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_templates_sample_course_fonts_and_schemas(tmp_path: Path) -> None:
    # --no-build-isolation: the build backend is a test dependency, so nothing is fetched.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("course_builder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "course_builder/sample/course.yaml" in names
    assert any(n.startswith("course_builder/sample/modules/") for n in names)
    assert any(n.startswith("course_builder/templates/") for n in names)
    assert "course_builder/data/fonts/NotoSans-Regular.ttf" in names
    assert "course_builder/data/fonts/OFL.txt" in names
    assert any(n.startswith("course_builder/data/scorm-schemas/") and n.endswith(".xsd") for n in names)
    assert not any("__pycache__" in n or n.startswith("course_builder/sample/build/") for n in names)
