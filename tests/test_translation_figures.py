"""Pictures with words in them: a language's copy in `translations/<lang>/` replaces the source picture in its build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation

from course_builder.build import LOCK_NAME
from course_builder.cli import main
from course_builder.skeleton import write_minimal_course
from course_builder.translation.xliff import XLIFF_NS

FONT = Path(__file__).parent.parent / "content" / "assets" / "fonts" / "NotoSans-Regular.ttf"
SOURCE = "assets/scale.png"
GERMAN = "translations/de/assets/scale.png"
FIGURE = '![A scale with two pans](../assets/scale.png "Both sides count")'
WORDLESS = "![A plain circle](../assets/circle.png)"


def draw(path: Path, words: str, size: tuple[int, int], background: str) -> None:
    """A diagram with words in it; the two languages' copies differ in size, so a page shows which one it holds."""
    image = Image.new("RGB", size, background)
    ImageDraw.Draw(image).text((24, size[1] // 2 - 24), words, fill="#1a1a1a", font=ImageFont.truetype(str(FONT), 34))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def write_course(folder: Path) -> Path:
    """The minimal course in English and German, with a figure and its German copy, and a figure with no words."""
    write_minimal_course(folder)
    module = folder / "modules" / "01-welcome.md"
    text = module.read_text(encoding="utf-8")
    figures = f"Write your content in Markdown.\n\n{FIGURE}\n\n{WORDLESS}\n"
    module.write_text(text.replace("Write your content in Markdown.\n", figures), encoding="utf-8")
    yaml = folder / "course.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en\n", "language: en\nlanguages: [en, de]\n"),
                    encoding="utf-8")
    draw(folder / SOURCE, "Well run and well led", (480, 240), "#dde8f3")
    draw(folder / GERMAN, "Gut geführt, gut geleitet", (520, 260), "#f3e2c8")
    draw(folder / "assets" / "circle.png", "", (200, 200), "#c8e2f3")
    return folder


def figure_line(course: Path) -> int:
    lines = (course / "modules" / "01-welcome.md").read_text(encoding="utf-8").splitlines()
    return lines.index(FIGURE) + 1


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_course(tmp_path_factory.mktemp("figures") / "course")


@pytest.fixture(scope="module")
def out(course: Path) -> Path:
    out = course.parent / "out"
    code, output = run("build", course, "--out", out, "--format", "workbook", "--format", "web", "--format", "slides")
    assert code == 0, output
    return out


def pixels(path: Path) -> bytes:
    with Image.open(path) as image:
        return image.convert("RGB").tobytes()


def pdf_pictures(pdf: Path) -> list[bytes]:
    """The pixels of every image the PDF embeds."""
    with pikepdf.open(pdf) as document:
        return [pikepdf.PdfImage(obj).as_pil_image().convert("RGB").tobytes() for obj in document.objects
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]


def web_pictures(web: Path) -> dict[str, bytes]:
    """Every image file a page of the web course shows, by the URL it is shown under."""
    sources = {src for page in web.rglob("*.html") for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"',
                                                                          page.read_text(encoding="utf-8"))}
    return {src: (web / src).read_bytes() for src in sources if (web / src).is_file()}


def deck_pictures(pptx: Path) -> list[bytes]:
    return [shape.image.blob for slide in Presentation(str(pptx)).slides for shape in slide.shapes
            if hasattr(shape, "image")]


@pytest.mark.parametrize(("language", "shown", "hidden"), [("de", GERMAN, SOURCE), ("en", SOURCE, GERMAN)])
def test_the_workbook_shows_the_languages_copy_of_the_picture(course: Path, out: Path, language: str, shown: str,
                                                              hidden: str) -> None:
    pictures = pdf_pictures(out / language / "workbook.pdf")
    assert pixels(course / shown) in pictures
    assert pixels(course / hidden) not in pictures


@pytest.mark.parametrize(("language", "shown", "hidden"), [("de", GERMAN, SOURCE), ("en", SOURCE, GERMAN)])
def test_the_web_course_and_the_deck_show_the_languages_copy(course: Path, out: Path, language: str, shown: str,
                                                             hidden: str) -> None:
    web = web_pictures(out / language / "web")
    assert (course / shown).read_bytes() in web.values(), web.keys()
    assert (course / hidden).read_bytes() not in web.values()
    deck = deck_pictures(out / language / "slides.pptx")
    assert (course / shown).read_bytes() in deck
    assert (course / hidden).read_bytes() not in deck


def test_check_counts_the_localised_figures_without_warning_about_the_others(course: Path) -> None:
    code, output = run("check", course)
    assert code == 0, output
    assert "figures: 1 of 2 localised" in output
    assert "circle.png" not in output
    code, output = run("check", course, "--json")
    german = json.loads(output)["languages"]["de"]
    assert (german["figures"], german["localised_figures"]) == (2, 1)


def test_the_export_tells_the_translator_where_the_copy_of_a_picture_goes(course: Path) -> None:
    exported = course.parent / "de.xlf"
    code, output = run("translate", "export", course, "--to", "de", "--out", exported)
    assert code == 0, output
    units = etree.parse(str(exported)).getroot().iterfind(f".//{{{XLIFF_NS}}}unit")
    notes = {unit.get("id"): " ".join(n.text for n in unit.iterfind(f".//{{{XLIFF_NS}}}note")) for unit in units}
    figure = [text for unit_id, text in notes.items() if ".figure-1." in unit_id]
    assert len(figure) == 2 and all(GERMAN in text for text in figure)
    assert not any(GERMAN in text for unit_id, text in notes.items() if ".figure-" not in unit_id)


def test_a_copy_that_is_not_a_picture_stops_the_build_at_the_line_that_uses_it(tmp_path: Path) -> None:
    course = write_course(tmp_path / "course")
    (course / GERMAN).write_text("Gut geführt (the agency sent the words, not the picture)", encoding="utf-8")
    out = tmp_path / "out"
    code, output = run("build", course, "--out", out, "--format", "web")
    assert code == 1, output
    assert f"modules/01-welcome.md:{figure_line(course)}: error: the de copy of the picture, {GERMAN}" in output
    assert "is not an image" in output and "Traceback" not in output
    assert [p for p in out.rglob("*") if p.name != LOCK_NAME] == []


def test_a_copy_that_replaces_no_picture_and_a_language_not_built_are_warnings(tmp_path: Path) -> None:
    course = write_course(tmp_path / "course")
    (course / GERMAN).rename(course / "translations/de/assets/scale-de.png")
    draw(course / "translations/fr/assets/scale.png", "Bien géré, bien mené", (500, 250), "#e2f3c8")
    draw(course / "translations/en/assets/scale.png", "Well led", (500, 250), "#e2f3c8")
    code, output = run("check", course)
    assert code == 0, output
    assert ("translations/de/assets/scale-de.png: warning: translations/de/assets/scale-de.png replaces no picture"
            in output)
    assert "same path under translations/de/ as the picture has in the course folder" in output
    assert "translations/fr: warning: translations/fr/ holds pictures for 'fr', a language this course does not build" in output
    assert "translations/en: warning: translations/en/ holds pictures for 'en', the language the course is written in" in output
    assert "figures: 0 of 2 localised" in output
