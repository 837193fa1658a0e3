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
    assert "OK" in result.stdout and "modules" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_defaults_to_the_repos_sample_course() -> None:
    result = run("check", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Leading" in result.stdout or "OK" in result.stdout


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


# ---------------------------------------------------------------- conventions a coach and a script can rely on

COMMANDS = ["init", "check", "build", "serve", "validate", "translate", "schema", "doctor"]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_fits_eighty_columns_with_whole_sentences_and_an_example(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "course_builder", *command, "--help"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "80"}, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    assert "Example:" in result.stdout
    cut = [line for line in lines if line.rstrip().endswith("...") and not line.startswith("Usage:")]
    assert not cut, cut  # Click cuts a description too long for its column with '...'


def test_commands_are_listed_in_the_order_a_course_is_made() -> None:
    listing = CliRunner().invoke(main, ["--help"]).output.split("Commands:")[1]
    shown = [line.split()[0] for line in listing.splitlines() if line.strip()]
    assert shown == COMMANDS


def test_init_takes_its_answers_as_options_and_hints_at_the_next_step(tmp_path: Path) -> None:
    folder = tmp_path / "globex-onboarding"
    result = run("init", str(folder), "--minimal", "--title", "Onboarding: week one", "--organisation", "Globex Coaching",
                 "--language", "de")
    assert result.returncode == 0, result.stderr
    assert "Created" in result.stdout and "next:" in result.stderr
    assert "nothing was changed" not in result.stdout + result.stderr
    course = (folder / "course.yaml").read_text(encoding="utf-8")
    assert 'title: "Onboarding: week one"' in course and 'language: "de"' in course
    assert 'id: "globex-onboarding"' in course and "Globex Coaching" in course


def test_init_asks_for_title_organisation_and_language_in_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import course_builder.cli

    monkeypatch.setattr(course_builder.cli, "stdin_is_terminal", lambda: True)  # CliRunner's input is not a terminal
    result = CliRunner().invoke(main, ["init", "--minimal", str(tmp_path / "c")], input="Team talks\nInitech\nfr\n")
    assert result.exit_code == 0, result.output
    assert "Course title" in result.output and "Organisation" in result.output
    course = (tmp_path / "c" / "course.yaml").read_text(encoding="utf-8")
    assert 'title: "Team talks"' in course and 'language: "fr"' in course and "Initech" in course


def test_check_says_its_result_on_stdout_in_the_singular_and_hints_at_build(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    result = run("check", str(tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    assert "1 module," in result.stdout and "0 warnings" in result.stdout
    assert "next: course-builder build" in result.stderr
    assert "nothing was changed" not in result.stdout + result.stderr


def test_a_failed_check_does_not_talk_about_an_output_folder(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    (tmp_path / "c" / "course.yaml").write_text("title: [\n", encoding="utf-8")
    result = run("check", str(tmp_path / "c"))
    assert result.returncode == 1
    assert "1 error." in result.stderr and "output folder" not in result.stderr


def test_check_json_is_one_document_on_stdout_with_every_problem(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    module = tmp_path / "c" / "modules" / "01-welcome.md"
    module.write_text(module.read_text(encoding="utf-8").replace(".reflection", ".reflektion"), encoding="utf-8")
    result = run("check", str(tmp_path / "c"), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["errors"] == 1
    (problem,) = report["problems"]
    assert problem["file"] == "modules/01-welcome.md" and problem["line"] == 13 and "reflection" in problem["fix"]


def test_a_rebuild_with_nothing_to_do_says_so_instead_of_built(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    out = tmp_path / "out"
    first = run("build", str(tmp_path / "c"), "--out", str(out), "--format", "web")
    assert first.returncode == 0, first.stderr
    assert "Built 1 output into" in first.stdout and f"{out / 'web'}  (" in first.stdout
    assert "next:" in first.stderr
    again = run("build", str(tmp_path / "c"), "--out", str(out), "--format", "web", "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["reused"] and report["outputs"][0]["format"] == "web"
    quiet = run("build", str(tmp_path / "c"), "--out", str(out), "--format", "web")
    assert "Nothing to rebuild: 1 output unchanged" in quiet.stdout and "Built" not in quiet.stdout


def test_paper_size_is_not_case_sensitive(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    result = CliRunner().invoke(main, ["check", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert CliRunner().invoke(main, ["build", str(tmp_path / "c"), "--paper", "Letter", "--help"]).exit_code == 0


# ---------------------------------------------------------------- brand files where coaches keep them


def brand_naming(logo: str) -> str:
    return f'name: Globex Corporation\nlogo: {logo}\ncolors:\n  primary: "#6A1B4D"\n'


def test_a_brand_in_a_subfolder_may_use_the_courses_shared_assets(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    course = tmp_path / "c"
    (course / "clients").mkdir()
    (course / "assets" / "globex.png").write_bytes((REPO / "content" / "assets" / "logo.png").read_bytes())
    (course / "clients" / "globex.yaml").write_text(brand_naming("../assets/globex.png"), encoding="utf-8")
    result = run("check", ".", "--brand", "clients/globex.yaml", cwd=course)  # relative to where the command runs
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_a_brand_kept_outside_the_course_may_use_its_own_files_and_the_courses(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    logo = (REPO / "content" / "assets" / "logo.png").read_bytes()
    (tmp_path / "c" / "assets" / "globex.png").write_bytes(logo)
    clients = tmp_path / "clients"
    clients.mkdir()
    (clients / "own.png").write_bytes(logo)
    (clients / "uses-own.yaml").write_text(brand_naming("own.png"), encoding="utf-8")
    (clients / "uses-course.yaml").write_text(brand_naming("../c/assets/globex.png"), encoding="utf-8")
    for brand in ("uses-own.yaml", "uses-course.yaml"):
        result = run("check", "c", "--brand", f"clients/{brand}", cwd=tmp_path)
        assert result.returncode == 0, result.stderr


def test_a_brand_path_that_leaves_both_folders_is_still_refused(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    (tmp_path / "c" / "clients").mkdir()
    (tmp_path / "secret.png").write_bytes((REPO / "content" / "assets" / "logo.png").read_bytes())
    (tmp_path / "c" / "clients" / "globex.yaml").write_text(brand_naming("../../secret.png"), encoding="utf-8")
    result = run("check", ".", "--brand", "clients/globex.yaml", cwd=tmp_path / "c")
    assert result.returncode == 1
    assert "clients/globex.yaml:2" in result.stderr and "points outside the course folder" in result.stderr


def test_check_verbose_says_what_was_checked_and_quiet_says_nothing_when_all_is_well(tmp_path: Path) -> None:
    assert run("init", "--minimal", str(tmp_path / "c")).returncode == 0
    verbose = run("check", str(tmp_path / "c"), "--verbose")
    assert "checked " in verbose.stderr and "scorm2004" in verbose.stderr and "for 1 brand: My Organisation" in verbose.stderr
    quiet = run("check", str(tmp_path / "c"), "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
