"""Each problem in the preview links to the author's editor at its line, when the editor is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_builder.editor_links import editor_from_environment, editor_link


@pytest.mark.parametrize(
    ("environment", "editor"),
    [
        ({"VISUAL": "code --wait", "EDITOR": "vim"}, "vscode"),
        ({"EDITOR": "/usr/local/bin/subl -w"}, "sublime"),
        ({"EDITOR": "pycharm"}, "idea"),
        ({"EDITOR": "nano"}, "none"),
        ({}, "none"),
    ],
)
def test_the_editor_comes_from_visual_or_editor_from_visual_or_editor(environment: dict[str, str], editor: str) -> None:
    assert editor_from_environment(environment) == editor


def test_the_links_open_the_file_at_its_line(tmp_path: Path) -> None:
    module = tmp_path / "my course" / "modules" / "02-needs.md"
    where = (tmp_path / "my%20course").as_posix()  # the space is escaped, so the address stays one address
    assert editor_link("vscode", module, 14) == f"vscode://file{where}/modules/02-needs.md:14"
    assert editor_link("idea", module, 3) == f"idea://open?file={where}/modules/02-needs.md&line=3"
    assert editor_link("sublime", module, None) == f"subl://open?url=file://{where}/modules/02-needs.md&line=1"
    assert editor_link("none", module, 14) is None
    assert editor_link("vscode", None, None) is None  # a problem of the course as a whole has no file to open
