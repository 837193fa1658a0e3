"""What a user sees at the command line: help, exit codes, messages, the build report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder import __version__
from course_builder.cli import main

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "course_builder", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("command", [[], ["check"], ["build"], ["init"], ["schema"], ["validate"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output
    assert len(result.output.splitlines()) > 3


def test_version_is_printed() -> None:
    assert __version__ in CliRunner().invoke(main, ["--version"]).output


def test_check_passes_on_the_sample_course(sample_dir: Path) -> None:
    result = run("check", str(sample_dir))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stderr and "modules" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_defaults_to_the_repos_sample_course() -> None:
    result = run("check", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Leading" in result.stderr or "OK" in result.stderr


def test_check_fails_with_file_and_line_and_no_traceback(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", "--minimal", str(tmp_path / "c")]).exit_code == 0
    module = tmp_path / "c" / "modules" / "01-welcome.md"
    module.write_text(module.read_text().replace("{.reflection", "{.reflektion"))
    result = run("check", str(tmp_path / "c"))
    assert result.returncode == 1
    assert "modules/01-welcome.md:13" in result.stderr
    assert "did you mean '.reflection'?" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_strict_check_fails_on_warnings(tmp_path: Path) -> None:
    CliRunner().invoke(main, ["init", "--minimal", str(tmp_path / "c")])
    module = tmp_path / "c" / "modules" / "01-welcome.md"
    module.write_text(
        module.read_text().replace("objectives:\n  - Say what the workshop is for.\n", "").replace("{objective=1}\n", "")
    )
    assert CliRunner().invoke(main, ["check", str(tmp_path / "c")]).exit_code == 0
    strict = CliRunner().invoke(main, ["check", "--strict", str(tmp_path / "c")])
    assert strict.exit_code == 1
    assert strict.output.count("no learning objectives") == 1


def test_usage_errors_exit_with_two(sample_dir: Path) -> None:
    assert CliRunner().invoke(main, ["build", str(sample_dir), "--paper", "a5"]).exit_code == 2


def test_init_copies_the_sample_workshop_which_checks_clean(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "course.yaml").is_file()
    assert CliRunner().invoke(main, ["check", str(tmp_path / "new")]).exit_code == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_schema_describes_the_three_author_files(tmp_path: Path) -> None:
    schemas = json.loads(CliRunner().invoke(main, ["schema"]).output)
    assert set(schemas) == {"course", "brand", "module"}
    assert {"id", "title", "modules", "lms", "workshop"} <= set(schemas["course"]["properties"])
    assert {"name", "logo", "colors", "fonts", "footer"} <= set(schemas["brand"]["properties"])
    assert "source" not in schemas["brand"]["properties"]
    assert {"id", "title", "duration", "objectives"} <= set(schemas["module"]["properties"])
    CliRunner().invoke(main, ["schema", "--out", str(tmp_path)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brand.schema.json", "course.schema.json", "module.schema.json"]


def test_build_writes_outputs_and_a_report_listing_them(tmp_path: Path, sample_dir: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run(
        [sys.executable, "-m", "course_builder", "build", str(sample_dir), "--out", str(out), "--format", "web", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "build-report.json").read_text())
    assert report["course"] == "leading-people"
    (record,) = report["outputs"]
    assert record["format"] == "web"
    assert (out / record["path"]).exists()
    assert len(record["sha256"]) == 64 and record["bytes"] > 0
    assert "web" in "".join(report["timings"])


def test_unknown_format_is_a_usage_error_listing_every_target(sample_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(sample_dir), "--out", str(tmp_path), "--format", "docx"])
    assert result.exit_code == 2
    assert "'docx' is not one of" in result.output
    assert all(name in result.output for name in ("workbook", "guide", "slides", "web", "scorm12", "scorm2004"))
    assert not any(tmp_path.iterdir())


def test_format_names_are_not_case_sensitive(sample_dir: Path, tmp_path: Path) -> None:
    result = run("build", str(sample_dir), "--out", str(tmp_path / "out"), "--format", "WEB", "-q")
    assert result.returncode == 0, result.stderr
    assert [o["format"] for o in json.loads((tmp_path / "out" / "build-report.json").read_text())["outputs"]] == ["web"]


def test_an_output_folder_that_cannot_be_made_is_an_input_output_failure(sample_dir: Path) -> None:
    result = run("build", str(sample_dir), "--out", "/dev/null/out", "--format", "web")
    assert result.returncode == 3, result.stderr
    assert "/dev/null/out" in result.stderr and "Traceback" not in result.stderr


def test_schema_into_a_folder_that_cannot_be_made_is_a_message_not_a_traceback() -> None:
    result = run("schema", "--out", "/dev/null/x")
    assert result.returncode == 3
    assert "Not a directory" in result.stderr and "/dev/null/x" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_misspelt_output_in_course_yaml_gets_did_you_mean(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", "--minimal", str(tmp_path / "c")]).exit_code == 0
    course = tmp_path / "c" / "course.yaml"
    text = course.read_text()
    course.write_text(text.replace("outputs: [workbook, guide", "outputs: [workbok, guide"))
    result = run("check", str(tmp_path / "c"))
    assert result.returncode == 1
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("outputs:"))) + 1
    assert f"course.yaml:{line}" in result.stderr
    assert "there is no output called 'workbok'" in result.stderr and "did you mean 'workbook'?" in result.stderr


def test_check_with_another_brand_runs_every_target_check_for_it(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", "--minimal", str(tmp_path / "c")]).exit_code == 0
    brand = tmp_path / "pale.yaml"  # outside the course folder, as a client's brand often is
    brand.write_text('id: pale\nname: Pale\ncolors:\n  text: "#BBBBBB"\nfonts:\n  heading:\n    family: Brand Sans\n')
    result = run("check", str(tmp_path / "c"), "--brand", str(brand))
    assert result.returncode == 0, result.stderr
    assert "colours text #BBBBBB on background #FFFFFF have contrast" in result.stderr
    assert "the heading font 'Brand Sans' has no font files, so workbook.pdf uses Noto Sans instead" in result.stderr
    assert "so the web course uses Noto Sans instead" in result.stderr
    assert "brand colour text #BBBBBB" in result.stderr  # the web course's own change of colour


def test_a_bug_inside_a_target_is_one_plain_message_with_the_details_in_a_file(
    sample_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    import course_builder.targets as registry

    monkeypatch.setitem(registry.BUILT_IN, "web", "course_builder.no_such_module:Nothing")
    result = CliRunner().invoke(main, ["build", str(sample_dir), "--out", str(tmp_path / "out"), "--format", "web"])
    assert result.exit_code == 4
    assert "internal error" in result.output and "This is a bug, not a problem in your course" in result.output
    assert "Traceback" not in result.output
    log = Path(result.output.split("Details: ")[1].split()[0])
    assert "Traceback" in log.read_text()
    log.unlink()
