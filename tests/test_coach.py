"""A coach's day, as the README tells it: `init`, make the course theirs, brand it for two clients, check, build.

Everything runs through the real command in processes of its own; the outputs are read with
pypdf, python-pptx, lxml and a real browser (Playwright's Chromium opening the files from disk).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from lms.harness import launch_chromium
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright

REPO = Path(__file__).resolve().parent.parent
COACH = "Bright Path Coaching"
SAMPLE_NAMES = ("Northwind", "leading-people")
CLIENTS = {"globex": "Globex Corporation", "initech": "Initech"}


def course_builder(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run([sys.executable, "-m", "course_builder", *args], capture_output=True, text=True, cwd=cwd,
                            env=env, stdin=subprocess.DEVNULL, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The coach's own folder: one course from the sample, a second from the skeleton, both built."""
    home = tmp_path_factory.mktemp("coach")
    course_builder("init", "team-talks", "--title", "Team talks that work", "--organisation", COACH, cwd=home)
    course = home / "team-talks"
    (course / "clients").mkdir()
    for client, name in CLIENTS.items():  # the logos sit in the course's shared assets/, beside the client brands
        shutil.copy(REPO / "content" / "assets" / "logo.png", course / "assets" / f"{client}-logo.png")
        (course / "clients" / f"{client}.yaml").write_text(
            f'id: {client}\nname: {name}\nlogo: ../assets/{client}-logo.png\ncolors:\n  primary: "#6A1B4D"\n'
            f'footer: "For {name} staff"\n',
            encoding="utf-8",
        )
    brands = ["--brand", "clients/globex.yaml", "--brand", "clients/initech.yaml"]
    checked = course_builder("check", ".", *brands, cwd=course)
    assert "OK Team talks that work" in checked.stdout
    course_builder("build", ".", *brands, "--out", "../out", cwd=course)
    course_builder("init", "sales-huddles", "--minimal", cwd=home)
    course_builder("build", "sales-huddles", "--out", "sales-out", "--format", "web", cwd=home)
    return home


def words_in(output: Path) -> str:
    """The text and the author metadata of one output, as tools other than ours read them."""
    from pptx import Presentation
    from pypdf import PdfReader

    if output.suffix == ".pdf":
        reader = PdfReader(output)
        return f"{reader.metadata.get('/Author')}\n" + "\n".join(page.extract_text() for page in reader.pages)
    if output.suffix == ".pptx":
        deck = Presentation(str(output))
        shapes = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
        return f"{deck.core_properties.author}\n" + "\n".join(shapes)
    if output.suffix == ".zip":
        with zipfile.ZipFile(output) as package:
            return "\n".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith((".html", ".xml")))
    return "\n".join(page.read_text(encoding="utf-8") for page in output.rglob("*.html"))


def test_every_output_for_both_clients_names_the_coach_and_none_names_the_sample(coach: Path) -> None:
    for client in CLIENTS:
        folder = coach / "out" / client
        outputs = sorted(p for p in folder.iterdir() if p.suffix in (".pdf", ".pptx", ".zip") or p.name == "web")
        assert {p.name for p in outputs} == {
            "workbook.pdf", "guide.pdf", "handouts.pdf", "slides.pptx", "web",
            f"team-talks-{client}-scorm12.zip", f"team-talks-{client}-scorm2004.zip",
        }
        for output in outputs:
            text = words_in(output)
            assert COACH in text, f"{output} does not name {COACH}"
            for sample in SAMPLE_NAMES:
                assert sample not in text, f"{output} names the sample's {sample!r}"


def test_the_two_clients_packages_have_identifiers_of_their_own(coach: Path) -> None:
    identifiers = set()
    for client in CLIENTS:
        with zipfile.ZipFile(coach / "out" / client / f"team-talks-{client}-scorm2004.zip") as package:
            manifest = package.read("imsmanifest.xml").decode("utf-8")
        identifiers.add(re.search(r'<manifest[^>]* identifier="([^"]+)"', manifest).group(1))
    assert identifiers == {"course-team-talks-globex", "course-team-talks-initech"}


# ---------------------------------------------------------------- one browser, several courses


@pytest.fixture(scope="module")
def profile() -> Iterator[BrowserContext]:
    """One browser profile: every course opened from disk shares its local storage, as a learner's would."""
    with sync_playwright() as playwright:
        browser: Browser = launch_chromium(playwright)
        context = browser.new_context()
        yield context
        context.close()
        browser.close()


def reflection_page(web: Path) -> tuple[str, str]:
    """The page holding the course's first reflection, and the reflection's id."""
    document = lxml.html.parse(str(web / "index.html")).getroot()
    box = document.xpath("//*[@data-reflection]")[0]
    page = next(a.get("id") for a in box.iterancestors() if a.tag == "section" and a.get("id"))
    return page, box.get("data-reflection")


def reflection_in(context: BrowserContext, web: Path, write: str | None = None) -> str:
    """Open the course, go to its first reflection, optionally type into it; what the box holds."""
    page_id, reflection = reflection_page(web)
    page = context.new_page()
    page.goto((web / "index.html").as_uri())
    page.locator(f'[data-page-link="{page_id}"]').first.click()
    box = page.locator(f'[data-reflection="{reflection}"]')
    box.wait_for()
    if write is not None:
        box.fill(write)
        box.blur()
        expect(page.locator("[data-saving]")).to_contain_text("saved in this browser")
    held = box.input_value()
    page.close()
    return held


def test_two_courses_and_two_brands_of_one_keep_separate_progress_in_one_browser(coach: Path,
                                                                              profile: BrowserContext) -> None:
    globex, initech = coach / "out" / "globex" / "web", coach / "out" / "initech" / "web"
    other_course = coach / "sales-out" / "web"

    reflection_in(profile, globex, write="Globex: ask the team first.")
    assert reflection_in(profile, initech) == "", "the other client's version of the course shows Globex's answer"
    assert reflection_in(profile, other_course) == "", "another course made with init shows Globex's answer"
    reflection_in(profile, other_course, write="Huddles start on time.")

    assert reflection_in(profile, globex) == "Globex: ask the team first."
    assert reflection_in(profile, other_course) == "Huddles start on time."
    assert reflection_in(profile, initech) == ""
