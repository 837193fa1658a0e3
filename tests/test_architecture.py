"""The import rules of docs/architecture.md: data flows one way, so imports point one way.

course folder ──load──▶ model ──view──▶ audience view ──target──▶ files

Read statically from the source (every `import` and `from … import`, including the ones made
inside functions), so a rule holds whether or not a code path runs in the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "course_builder"
RENDERERS = ("jinja2", "weasyprint", "pptx", "lxml", "markupsafe")


def imports_of(file: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def modules_under(relative: str) -> list[Path]:
    path = PACKAGE / relative
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def offending(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for file in files:
        for name in sorted(imports_of(file)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{file.relative_to(PACKAGE.parent)} imports {name}")
    return found


def test_the_rules_read_real_imports() -> None:
    """The reader itself: the loader does import the model, and targets do import renderers."""
    assert "course_builder.model" in imports_of(PACKAGE / "load" / "__init__.py")
    assert any(name.startswith("jinja2") for f in modules_under("targets") for name in imports_of(f))


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("model.py", ("course_builder.load", "course_builder.targets", "course_builder.views", "course_builder.blocks",
                      "course_builder.deck", "course_builder.templating", "course_builder.build", *RENDERERS)),
        ("blocks.py", ("course_builder.targets", "course_builder.build", *RENDERERS)),
        ("views.py", ("course_builder.load", "course_builder.targets", "course_builder.build", *RENDERERS)),
        ("targets", ("course_builder.load", "course_builder.cli")),
        ("deck", ("course_builder.load", "course_builder.cli", "course_builder.targets")),
        ("scorm", ("course_builder.load", "course_builder.cli")),
    ],
    ids=["the model knows no loader, view, target or renderer", "the block registry knows no target or renderer",
         "views know no loader or target", "targets never load or re-read sources",
         "the deck model knows no loader and no file writer", "packages never load sources"],
)
def test_imports_point_one_way(layer: str, forbidden: tuple[str, ...]) -> None:
    assert offending(modules_under(layer), forbidden) == []
