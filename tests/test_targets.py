"""Targets declare themselves: a target installed through the entry-point group is named and built like a built-in
one, and `check` reports exactly what `build` would, for every target and every brand."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.skeleton import write_minimal_course

REPO = Path(__file__).resolve().parent.parent
PROBLEM_LINE = re.compile(r"^(?:\S.*?): (?:error|warning): .*$", re.M)

HELLO_TARGET = '''
from pathlib import Path

from course_builder.errors import Problem
from course_builder.targets import Target


class HelloTarget(Target):
    name = "hello"
    description = "One line per module, for a noticeboard."

    def outputs(self, view, brand):
        return ["hello.txt"]

    def check(self, view, brand, options):
        return [Problem(view.root / "course.yaml", None, "hello checked the course", severity="warning")]

    def build(self, view, brand, out, options):
        lines = [view.title, *(f"{m.title}: {', '.join(b.kind for b in m.blocks)}" for m in view.modules)]
        lines += [b.model_dump_json() for m in view.modules for b in m.blocks]
        (out / "hello.txt").write_text("\\n".join(lines) + "\\n", encoding="utf-8")
        return [out / "hello.txt"]
'''


def command(*args: str, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, with `extra_path` on the Python path as an installed package would be."""
    path = [str(REPO), *([str(extra_path)] if extra_path else []), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "course_builder", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def problem_lines(output: str) -> set[str]:
    return set(PROBLEM_LINE.findall(output))


@pytest.fixture
def installed_target(tmp_path: Path) -> Path:
    """A distribution with one entry point in the `course_builder.targets` group, as pip would install it."""
    site = tmp_path / "site"
    (site / "hello_target-1.0.dist-info").mkdir(parents=True)
    (site / "hello_target.py").write_text(HELLO_TARGET, encoding="utf-8")
    (site / "hello_target-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: hello-target\nVersion: 1.0\n")
    (site / "hello_target-1.0.dist-info" / "entry_points.txt").write_text(
        "[course_builder.targets]\nhello = hello_target:HelloTarget\n"
    )
    return site


def test_a_target_from_the_entry_point_group_is_named_in_course_yaml_checked_and_built(
    installed_target: Path, tmp_path: Path
) -> None:
    course = tmp_path / "course"
    write_minimal_course(course)
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text().replace("outputs: [workbook, guide, slides, web, scorm12, scorm2004]",
                                             "outputs: [web, hello]"))

    assert "there is no output called 'hello'" in command("check", str(course)).stderr  # not installed: refused

    checked = command("check", str(course), extra_path=installed_target)
    assert checked.returncode == 0, checked.stderr
    assert "hello checked the course" in checked.stderr

    built = command("build", str(course), "--out", str(tmp_path / "out"), extra_path=installed_target)
    assert built.returncode == 0, built.stderr
    hello = (tmp_path / "out" / "hello.txt").read_text()
    assert hello.startswith("My course\nWelcome: prose, reflection, activity, quiz, takeaways\n")
    assert "Introduce yourself to a partner" in hello
    assert "Keep time" not in hello  # a target that does not name its audience gets the participant's view
    assert (tmp_path / "out" / "web" / "index.html").is_file()
    assert "hello" in command("build", "--help", extra_path=installed_target).stdout


def test_an_unknown_target_name_in_course_yaml_is_refused_at_its_line(tmp_path: Path) -> None:
    course = tmp_path / "course"
    write_minimal_course(course)
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text().replace("scorm2004]", "scorm2004, Slides, pdf]"))
    result = CliRunner().invoke(main, ["check", str(course)])
    assert result.exit_code == 1
    assert "course.yaml:11: error: there is no output called 'Slides'" in result.output
    assert "did you mean 'slides'?" in result.output
    assert "course.yaml:11: error: there is no output called 'pdf'" in result.output


def several_mistakes(course: Path) -> None:
    """Mistakes that different targets find: a question the web course and packages cannot record, an
    activity longer than its module (guide), colours and a font the brand cannot deliver (print and web)."""
    write_minimal_course(course)
    module = course / "modules" / "01-welcome.md"
    options = "".join(f"- [ ] Option {n}\n  > No.\n" for n in range(40))
    text = module.read_text().replace("minutes=10 grouping=pairs", "minutes=90 grouping=pairs")
    module.write_text(text.replace("- [ ] False\n", "- [ ] False\n" + options))
    (course / "brand.yaml").write_text(
        (course / "brand.yaml").read_text().replace('text: "#1A1A1A"', 'text: "#AAAAAA"')
        + "fonts:\n  heading:\n    family: Brand Sans\n"
    )


def test_check_and_build_report_the_same_problems_of_every_target_in_one_run(tmp_path: Path) -> None:
    course = tmp_path / "course"
    several_mistakes(course)
    checked = command("check", str(course))
    built = command("build", str(course), "--out", str(tmp_path / "out"))
    assert checked.returncode == built.returncode == 1
    found = problem_lines(checked.stderr)
    assert found == problem_lines(built.stderr)
    assert any("error: the question has 42 options; SCORM allows 36" in line for line in found)
    assert any("warning: the timed parts of 'Welcome' take 93 minutes; the module lasts 30" in line for line in found)
    assert any("uses Noto Sans instead" in line for line in found)
    assert any("contrast" in line for line in found)
    assert not (tmp_path / "out").exists() or not any(p.name.endswith(".pdf") for p in (tmp_path / "out").iterdir())


@pytest.mark.parametrize("brand", ["course's own", "second"])
def test_check_reports_every_warning_a_successful_build_reports(brand: str, tmp_path: Path, sample_dir: Path) -> None:
    course = tmp_path / "course"
    write_minimal_course(course)
    brand_args: tuple[str, ...] = ()
    if brand == "second":
        other = tmp_path / "pale.yaml"
        other.write_text('id: pale\nname: Pale\ncolors:\n  primary: "#9FC5E8"\n  text: "#888888"\n'
                         "fonts:\n  body:\n    family: Brand Serif\n")
        brand_args = ("--brand", str(other))
    checked = command("check", str(course), *brand_args)
    built = command("build", str(course), "--out", str(tmp_path / "out"), *brand_args)
    assert checked.returncode == built.returncode == 0, built.stderr
    assert problem_lines(checked.stderr) == problem_lines(built.stderr)
    # The web course's palette warning: the skeleton's own colours need none, the pale brand does.
    assert any("warning: brand colour" in line for line in problem_lines(built.stderr)) == (brand == "second")
    assert any("'Brand Serif' has no font files" in line for line in problem_lines(built.stderr)) == (brand == "second")


def test_the_sample_course_checks_and_builds_with_the_same_problems(tmp_path: Path, sample_dir: Path) -> None:
    checked = command("check", str(sample_dir))
    built = command("build", str(sample_dir), "--out", str(tmp_path / "out"))  # every output the sample lists
    assert checked.returncode == built.returncode == 0, built.stderr
    assert problem_lines(checked.stderr) == problem_lines(built.stderr) == set()
