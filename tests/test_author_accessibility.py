"""`check` (and so `build`) warns an author, at the line they typed, about what makes a course hard to use without sight."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.load import load_course
from course_builder.skeleton import write_minimal_course

REPO = Path(__file__).resolve().parent.parent
PICTURE = REPO / "content" / "assets" / "balance.png"
FRONT = "---\nid: basics\ntitle: Basics\nduration: 30\nobjectives:\n  - Know the basics.\n---\n\n"
FIRST_BODY_LINE = FRONT.count("\n") + 1


def course_with(tmp_path: Path, body: str, images: tuple[str, ...] = (), allow_html: bool = False) -> Path:
    """A one-module course whose module body is `body` (starting on line 9), with copies of a picture under `images` names."""
    folder = tmp_path / "course"
    write_minimal_course(folder)
    (folder / "modules" / "01-welcome.md").write_text(FRONT + textwrap.dedent(body), encoding="utf-8")
    for name in images:
        shutil.copy(PICTURE, folder / "assets" / name)
    if allow_html:
        with open(folder / "course.yaml", "a", encoding="utf-8") as course_yaml:
            course_yaml.write("allow_html: true\n")
    return folder


def warnings_of(folder: Path) -> list[str]:
    return [f"{w.where(folder)}: {w.message} | {w.hint}" for w in load_course(folder).warnings]


def test_the_sample_course_draws_no_accessibility_warning(sample_dir: Path) -> None:
    assert [w.describe() for w in load_course(sample_dir).warnings] == []


@pytest.mark.parametrize(
    ("alt", "said"),
    [
        ("IMG_2031.jpg", "is a file name ('IMG_2031.jpg')"),
        ("logo.png", "is a file name ('logo.png')"),
        ("DSC 0042", "is a file name ('DSC 0042')"),
        ("Team photo", None),
        ("A team", None),
        ("image", "('image') says nothing about the image"),
        ("An image.", "('An image.') says nothing about the image"),
        ("picture of", "('picture of') says nothing about the image"),
        ("team", "is a file name ('team')"),
    ],
)
def test_alt_text_that_is_a_file_name_or_says_nothing_is_flagged_at_its_line(tmp_path: Path, alt: str, said: str) -> None:
    body = f"## Who we are\n\nSome words first.\n\n![{alt}](../assets/team.png)\n"
    warnings = warnings_of(course_with(tmp_path, body, ("team.png",)))
    if said is None:
        assert warnings == []
        return
    (warning,) = warnings
    assert warning.startswith(f"modules/01-welcome.md:{FIRST_BODY_LINE + 4}: the alt text of 'team.png' {said}")
    assert "describe what the image shows" in warning


def test_alt_text_opening_with_picture_of_is_told_to_start_with_what_it_shows(tmp_path: Path) -> None:
    body = "## Who we are\n\n![Picture of the team at the summer offsite](../assets/team.png)\n"
    (warning,) = warnings_of(course_with(tmp_path, body, ("team.png",)))
    assert warning.startswith(f"modules/01-welcome.md:{FIRST_BODY_LINE + 2}: the alt text of 'team.png' starts with 'Picture of'")
    assert "start with what it shows" in warning


def test_missing_alt_text_is_told_once(tmp_path: Path) -> None:
    body = "## Who we are\n\n![](../assets/team.png)\n"
    (warning,) = warnings_of(course_with(tmp_path, body, ("team.png",)))
    assert warning.startswith(f"modules/01-welcome.md:{FIRST_BODY_LINE + 2}: the image '../assets/team.png' has no alt text")


def test_an_html_image_without_alt_is_flagged_when_html_is_allowed(tmp_path: Path) -> None:
    body = '## Who we are\n\nText.\n\n<p><img src="../assets/team.png"></p>\n'
    warnings = warnings_of(course_with(tmp_path, body, ("team.png",), allow_html=True))
    assert f"modules/01-welcome.md:{FIRST_BODY_LINE + 4}: the <img> 'team.png' has no alt attribute" in [
        w.split(" | ")[0] for w in warnings
    ]


@pytest.mark.parametrize(
    ("name", "alt", "word"),
    [
        ("Screenshot 2024-03-01.png", "The settings dialog of the rota tool", "screenshot"),
        ("slide3.png", "The agenda for the afternoon", "slide"),
        ("agenda.jpg", "Scanned handout with the agenda for the day", "Scanned"),
    ],
)
def test_a_raster_image_whose_name_or_alt_says_it_holds_text_is_flagged_as_a_picture_of_text(
    tmp_path: Path, name: str, alt: str, word: str
) -> None:
    body = f"## Agenda\n\n![{alt}](<../assets/{name}>)\n"
    (warning,) = warnings_of(course_with(tmp_path, body, (name,)))
    assert warning.startswith(f"modules/01-welcome.md:{FIRST_BODY_LINE + 2}: '{name}' looks like a picture of text")
    assert f"says '{word}'" in warning
    assert "write the text in Markdown" in warning and "only reads the name and alt text" in warning


def test_a_skipped_heading_level_is_flagged_at_the_heading_but_quiz_questions_are_not(tmp_path: Path) -> None:
    body = """\
        ## Section

        Text.

        #### Too deep

        Text.

        ### Fine again

        ::: {.quiz}
        {objective=1}
        ### Which is right?
        - [x] This
        - [ ] That
        :::
        """
    (warning,) = warnings_of(course_with(tmp_path, body))
    assert warning.startswith(
        f"modules/01-welcome.md:{FIRST_BODY_LINE + 4}: the heading '#### Too deep' skips a level: it follows a level-2 heading"
    )
    assert "use ### here" in warning


def test_a_module_that_opens_with_a_level_three_heading_skips_level_two(tmp_path: Path) -> None:
    (warning,) = warnings_of(course_with(tmp_path, "### Straight in\n\nText.\n"))
    assert f"01-welcome.md:{FIRST_BODY_LINE}: the heading '### Straight in' skips a level: it follows a level-1" in warning


@pytest.mark.parametrize("text", ["click here", "Here", "read more", "link", "More info."])
def test_link_text_that_does_not_say_where_it_leads_is_flagged_at_its_line(tmp_path: Path, text: str) -> None:
    body = f"## Further reading\n\nThe guide is online.\nFor the checklist [{text}](https://example.org/checklist).\n"
    (warning,) = warnings_of(course_with(tmp_path, body))
    assert warning.startswith(
        f"modules/01-welcome.md:{FIRST_BODY_LINE + 3}: the link text '{text}' does not say where the link leads"
    )
    assert "name the destination" in warning


@pytest.mark.parametrize("written", ["<https://example.org/checklist>", "[www.example.org](https://www.example.org)"])
def test_a_bare_web_address_as_link_text_is_flagged(tmp_path: Path, written: str) -> None:
    body = f"## Further reading\n\nSee {written} for the checklist.\n"
    (warning,) = warnings_of(course_with(tmp_path, body))
    assert warning.startswith(f"modules/01-welcome.md:{FIRST_BODY_LINE + 2}: the link text is a bare web address")


def test_link_text_that_names_its_destination_passes(tmp_path: Path) -> None:
    body = "## Further reading\n\nUse [the feedback checklist](https://example.org/checklist) after each session.\n"
    assert warnings_of(course_with(tmp_path, body)) == []


def test_check_prints_the_warnings_with_file_and_line_and_succeeds(tmp_path: Path) -> None:
    body = "## Further reading\n\n[Click here](https://example.org) for more.\n\n#### Deep\n"
    folder = course_with(tmp_path, body)
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"modules/01-welcome.md:{FIRST_BODY_LINE + 2}: warning: the link text 'Click here'" in result.output
    assert f"modules/01-welcome.md:{FIRST_BODY_LINE + 4}: warning: the heading '#### Deep' skips a level" in result.output
