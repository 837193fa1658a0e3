"""A course's own template that fails while it runs is the author's to fix: a message with its file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course_builder.skeleton import write_minimal_course


@pytest.mark.parametrize(
    "body",
    ["{% for i in range(10 ** 9) %}x{% endfor %}", "{{ 1 // 0 }}", "{{ block.markdown[10 ** 6] }}"],
    ids=["a loop over a huge range", "a division by zero", "an index past the end"],
)
def test_a_course_template_that_fails_while_running_names_its_file_and_line(tmp_path: Path, body: str) -> None:
    course = tmp_path / "course"
    write_minimal_course(course)
    template = course / "templates" / "web" / "blocks" / "prose.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text(f"<div>\n{body}\n</div>\n", encoding="utf-8")
    (course / "modules" / "01-welcome.md").write_text(
        "---\nid: welcome\ntitle: Welcome\nduration: 30\n---\n\n## Why\n\nSome prose.\n", encoding="utf-8"
    )
    result = subprocess.run([sys.executable, "-m", "course_builder", "build", str(course), "--out", str(tmp_path / "out"),
                             "--format", "web"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "templates/web/blocks/prose.html.j2:2: error: template error" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
