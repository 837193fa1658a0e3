"""The slide deck a facilitator opens: real .pptx files read back with python-pptx and rendered by LibreOffice.

Every structural check runs on three decks, as Pandoc's PPTX tests do: the sample course in the
default brand's design, in a second brand (a coach's yellow and light blue, fonts named without
files), and in a PowerPoint template the test makes. The sample deck's text is compared, slide by
slide, with reviewed outlines in `tests/golden/`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from deck_facts import (
    EPOCH,
    brand_named,
    build_slides,
    coach_brand,
    golden_outline,
    outline,
    overflowing_module,
    slide_text,
    text_shapes,
    write_course,
)
from libreoffice import rendered_as_pdf
from lxml import etree
from PIL import Image, ImageStat
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Pt

from course_builder.contrast import contrast_ratio
from course_builder.deck import LAYOUT_ROLES, TextMetrics
from course_builder.errors import CourseError
from course_builder.load import load_course
from course_builder.markup import to_text
from course_builder.model import Activity, Brand, FacilitatorNote, Figure, Quiz
from course_builder.skeleton import write_minimal_course
from course_builder.targets.base import BuildOptions
from course_builder.targets.slides import SlidesTarget, theme_colors
from course_builder.targets.slides.theme import TEXT_ON_GROUND, replaced_colours
from course_builder.views import view_for

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def make_template(path: Path, rename: dict[str, str] | None = None) -> Path:
    """A user's template: PowerPoint's 4:3 default, title moved and enlarged, one example slide to be dropped."""
    presentation = Presentation()
    for layout in presentation.slide_layouts:
        if rename and layout.name in rename:
            layout.name = rename[layout.name]
    content = next(layout for layout in presentation.slide_layouts if layout.name == "Title and Content")
    title = content.placeholders[0]
    title.left, title.top, title.width, title.height = Pt(36), Pt(20), Pt(648), Pt(100)
    presentation.slides.add_slide(presentation.slide_layouts[0]).shapes.title.text = "Example slide from the template"
    presentation.save(str(path))
    return path


build = build_slides


def check(course, brand: Brand) -> list:
    target = SlidesTarget()
    return target.check(view_for(course, target.audience), brand, BuildOptions(source_date_epoch=EPOCH))


@pytest.fixture(scope="module")
def template_brand(sample, tmp_path_factory: pytest.TempPathFactory) -> Brand:
    template = make_template(tmp_path_factory.mktemp("template") / "client.pptx")
    return sample.course.brand.model_copy(update={"pptx_template": template, "id": "client"})


@pytest.fixture(scope="module", params=["default brand", "second brand", "user template"])
def deck(request, sample, sample_builds, template_brand, tmp_path_factory):
    """(course, brand, opened presentation, path) for the sample in each design."""
    if request.param == "default brand":
        path = sample_builds.build("slides") / "slides.pptx"
        brand = sample.course.brand
    else:
        brand = template_brand if request.param == "user template" else coach_brand(sample.course.brand)
        path = build(sample.course, brand, tmp_path_factory.mktemp("deck"))
    return sample.course, brand, Presentation(str(path)), path


def test_every_slide_has_a_title(deck) -> None:
    _, _, presentation, _ = deck
    for number, slide in enumerate(presentation.slides, start=1):
        assert slide.shapes.title is not None and slide.shapes.title.is_placeholder, number
        assert slide.shapes.title.text_frame.text.strip(), number


def test_every_slide_has_speaker_notes(deck) -> None:
    _, _, presentation, _ = deck
    for slide in presentation.slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), slide.shapes.title.text


def test_no_shape_extends_beyond_the_slide(deck) -> None:
    _, _, presentation, _ = deck
    width, height = presentation.slide_width, presentation.slide_height
    for slide in presentation.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (slide.shapes.title.text, shape.name)
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, (slide.shapes.title.text, shape.name)


def test_no_text_frame_holds_more_lines_than_fit(deck) -> None:
    _, brand, presentation, _ = deck
    metrics = TextMetrics.for_brand(brand)
    checked = 0
    for slide in presentation.slides:
        for shape in text_shapes(slide):
            checked += 1
            height = metrics.height(shape.paras, shape.frame.inner.w)
            assert height <= shape.frame.inner.h, (slide.shapes.title.text, shape.name, height, shape.frame.inner.h)
    assert checked > 3 * len(presentation.slides)


@pytest.mark.parametrize("name", ["default", "coach"])
def test_the_sample_deck_reads_as_its_reviewed_outline(sample, sample_builds, name: str, tmp_path: Path) -> None:
    """Layout, title, text and notes of every slide, against tests/golden (update with tests/update_deck_outlines.py)."""
    brand = brand_named(name, sample.course.brand)
    path = sample_builds.build("slides") / "slides.pptx" if name == "default" else build(sample.course, brand, tmp_path)
    expected = golden_outline(name).read_text(encoding="utf-8")
    assert outline(path) == expected


def test_a_deck_made_to_overflow_keeps_every_text_inside_its_frame_in_the_file(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path / "course", overflowing_module())).course
    presentation = Presentation(str(build(course, course.brand, tmp_path / "out")))
    titles = [slide.shapes.title.text for slide in presentation.slides]
    assert sum(title.endswith(("(2/2)", "(2/3)", "(2/4)", "(2/6)")) for title in titles) >= 5, titles
    metrics = TextMetrics.for_brand(course.brand)
    for slide in presentation.slides:
        for shape in text_shapes(slide):
            height = metrics.height(shape.paras, shape.frame.inner.w)
            assert height <= shape.frame.inner.h, (slide.shapes.title.text, shape.name, height, shape.frame.inner.h)


def test_the_theme_carries_the_brand_colours_and_fonts(deck) -> None:
    _, brand, presentation, _ = deck
    theme = etree.fromstring(
        presentation.slide_master.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        ).blob
    )
    scheme = theme.find(f"{A}themeElements/{A}clrScheme")
    for slot, color in theme_colors(brand).items():
        assert scheme.find(f"{A}{slot}/{A}srgbClr").get("val") == color[1:], slot
    replaced = {name: used for name, _, used in replaced_colours(brand)}
    assert scheme.find(f"{A}dk2/{A}srgbClr").get("val") == replaced.get("primary", brand.colors.primary)[1:]
    assert scheme.find(f"{A}accent3/{A}srgbClr").get("val") == replaced.get("accent", brand.colors.accent)[1:]
    assert bool(replaced) == (brand.colors.secondary == "#FFB81C")  # only the coach's yellow and light blue are replaced
    fonts = theme.find(f"{A}themeElements/{A}fontScheme")
    # A font named without files is replaced by the one the deck was measured with (check warns about it).
    heading, body = (font.family if font.files else "Noto Sans" for font in (brand.fonts.heading, brand.fonts.body))
    assert fonts.find(f"{A}majorFont/{A}latin").get("typeface") == heading
    assert fonts.find(f"{A}minorFont/{A}latin").get("typeface") == body


def test_every_colour_the_deck_sets_text_in_meets_wcag_aa_where_it_sits(deck) -> None:
    """Read from the file's theme: each text slot on the slot it sits on (the slides name only theme slots)."""
    _, _, presentation, _ = deck
    theme = etree.fromstring(
        presentation.slide_master.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        ).blob
    )
    scheme = theme.find(f"{A}themeElements/{A}clrScheme")
    colour = {slot.tag[len(A):]: "#" + slot.find(f"{A}srgbClr").get("val") for slot in scheme}
    for text, ground, what in TEXT_ON_GROUND:
        assert contrast_ratio(colour[text], colour[ground]) >= 4.5, what


def test_colours_come_from_the_theme_not_from_painted_shapes(deck) -> None:
    path = deck[3]
    with zipfile.ZipFile(path) as package:
        slides = [n for n in package.namelist() if n.startswith("ppt/slides/slide")]
        assert slides and not any(b"srgbClr" in package.read(n) for n in slides)


def test_facilitator_notes_and_quiz_answers_never_appear_on_a_slide(deck) -> None:
    course, _, presentation, _ = deck
    faces = " ".join(slide_text(slide) for slide in presentation.slides)
    notes = " ".join(slide.notes_slide.notes_text_frame.text for slide in presentation.slides)
    secrets = []
    for block in (b for module in course.modules for b in module.blocks):
        if isinstance(block, FacilitatorNote):
            secrets.append(to_text(block.markdown))
        if isinstance(block, Activity) and block.facilitator:
            secrets.append(to_text(block.facilitator))
        if isinstance(block, Quiz):
            secrets += [to_text(o.feedback) for q in block.questions for o in q.options if o.feedback]
    assert secrets
    for secret in secrets:
        assert secret not in faces and secret in notes


def test_images_keep_their_aspect_ratio_and_carry_alt_text(deck) -> None:
    course, _, presentation, _ = deck
    figures = {b.alt: b for module in course.modules for b in module.blocks if isinstance(b, Figure)}
    seen = 0
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.shape_type == 13:  # picture
                alt = shape._element.nvPicPr.cNvPr.get("descr")
                assert alt in figures
                with Image.open(figures[alt].image) as image:
                    assert shape.width / shape.height == pytest.approx(image.width / image.height, rel=0.01)
                seen += 1
    assert seen == len(figures) > 0


def test_the_deck_is_16_by_9_in_the_default_design_and_the_templates_size_otherwise(deck) -> None:
    _, brand, presentation, _ = deck
    if brand.pptx_template is None:
        assert presentation.slide_width * 9 == presentation.slide_height * 16
    else:
        assert (presentation.slide_width, presentation.slide_height) == (Pt(720), Pt(540))


def test_a_template_lends_its_layouts_and_placeholders(sample, template_brand, tmp_path: Path) -> None:
    presentation = Presentation(str(build(sample.course, template_brand, tmp_path)))
    template = Presentation(str(template_brand.pptx_template))
    assert [layout.name for layout in presentation.slide_layouts] == [layout.name for layout in template.slide_layouts]
    assert "Example slide from the template" not in " ".join(slide_text(s) for s in presentation.slides)
    used = {slide.slide_layout.name for slide in presentation.slides}
    assert used <= set(LAYOUT_ROLES)
    moved = next(s for s in presentation.slides if s.slide_layout.name == "Title and Content").shapes.title
    assert (moved.top, moved.height) == (Pt(20), Pt(100))  # inherited from the template's layout


def test_a_template_without_a_needed_layout_is_refused_by_check_and_build_with_the_layouts_it_has(
    sample, tmp_path: Path
) -> None:
    template = make_template(tmp_path / "odd.pptx", rename={"Comparison": "Side by side"})
    brand = sample.course.brand.model_copy(update={"pptx_template": template})
    (problem,) = check(sample.course, brand)
    assert problem.severity == "error" and "'Comparison'" in problem.message and "Side by side" in (problem.hint or "")
    with pytest.raises(CourseError) as caught:
        build(sample.course, brand, tmp_path / "out")
    assert caught.value.problems == [problem]
    assert not (tmp_path / "out" / "slides.pptx").exists()


def test_the_sample_brand_gets_no_slides_warnings(sample) -> None:
    assert check(sample.course, sample.course.brand) == []


def test_check_says_which_brand_colours_the_deck_replaced_to_keep_text_readable(sample) -> None:
    brand = coach_brand(sample.course.brand)
    messages = [p.message for p in check(sample.course, brand) if "contrast" in p.message]
    assert len(messages) == 2, messages
    assert "secondary colour #FFB81C" in messages[1] and "the deck uses #8A630F" in messages[1]
    assert "accent colour #00A3E0" in messages[0] and "the deck uses #00729D" in messages[0]
    assert all(p.severity == "warning" for p in check(sample.course, brand))


def test_check_says_what_the_deck_uses_instead_of_a_brand_font_without_files(sample) -> None:
    brand = coach_brand(sample.course.brand)
    fonts = [p for p in check(sample.course, brand) if "font" in p.message]
    assert len(fonts) == 2
    heading, body = fonts
    assert "'Montserrat'" in heading.message and "Noto Sans instead" in heading.message and "files:" in (heading.hint or "")
    assert "'Lato'" in body.message and "Noto Sans instead" in body.message


def test_the_same_sources_give_byte_identical_decks(sample, tmp_path: Path) -> None:
    first = build(sample.course, sample.course.brand, tmp_path / "one").read_bytes()
    second = build(sample.course, sample.course.brand, tmp_path / "two").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core  # SOURCE_DATE_EPOCH 1700000000


def test_the_file_properties_describe_the_deck(deck) -> None:
    """What File → Info and a file manager show: the slide size's name, and how many slides and notes pages."""
    _, brand, presentation, path = deck
    with zipfile.ZipFile(path) as package:
        app = etree.fromstring(package.read("docProps/app.xml"))
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    ratio = presentation.slide_width / presentation.slide_height
    expected = "On-screen Show (16:9)" if abs(ratio - 16 / 9) < 0.01 else "On-screen Show (4:3)"
    assert app.findtext(f"{ns}PresentationFormat") == expected
    assert int(app.findtext(f"{ns}Slides")) == len(presentation.slides) > 50
    assert int(app.findtext(f"{ns}Notes")) == sum(slide.has_notes_slide for slide in presentation.slides)
    assert app.findtext(f"{ns}Company") == brand.name


def test_the_logo_sits_on_the_master_taken_from_the_png_beside_an_svg(sample, sample_builds) -> None:
    brand = sample.course.brand
    assert brand.logo is not None and brand.logo.suffix == ".svg"
    presentation = Presentation(str(sample_builds.build("slides") / "slides.pptx"))
    logos = [shape for shape in presentation.slide_master.shapes if shape.shape_type == 13]
    assert len(logos) == 1
    assert logos[0].image.blob == brand.logo.with_suffix(".png").read_bytes()
    assert logos[0]._element.nvPicPr.cNvPr.get("descr") == brand.name
    assert not any(shape.shape_type == 13 for slide in presentation.slides for shape in slide.shapes if "Logo" in shape.name)


def test_an_svg_logo_without_a_png_is_left_out_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    (folder / "assets").mkdir(exist_ok=True)
    (folder / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    brand_file = folder / "brand.yaml"
    brand_file.write_text(brand_file.read_text() + "logo: assets/logo.svg\n")
    course = load_course(folder).course
    path = build(course, course.brand, tmp_path / "out")
    assert not any(shape.shape_type == 13 for shape in Presentation(str(path)).slide_master.shapes)
    assert any("logo.png" in (problem.hint or "") for problem in check(course, course.brand))


# ---------------------------------------------------------------- the deck as LibreOffice renders it
#
# Positions, sizes and colours come from LibreOffice's PDF of the deck, read with pdfplumber; the boxes
# they must stay in come from the .pptx, read with python-pptx. None of it from the deck's own measuring.

EMU = 12700  # per point
SLACK = 2.0  # points a glyph's box may stand past its shape: renderers' rounding and overhanging accents
TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
FOOTER_TYPES = {PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE}
FRAMING_LAYOUTS = {"Title Slide", "Section Header"}
COLUMN_LAYOUTS = {"Two Content", "Comparison"}


@dataclass
class RenderedShape:
    role: str  # title, footer, body, cell, caption, label
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in points
    wide: bool


@dataclass
class RenderedDeck:
    name: str
    pptx: Path
    pdf: Path
    brand: Brand
    course: Path


def rendered_shapes(slide) -> list[RenderedShape]:
    shapes = []
    for shape in slide.shapes:
        if shape.shape_type == 13 or not (shape.has_text_frame or getattr(shape, "has_table", False)):
            continue
        box = (shape.left / EMU, shape.top / EMU, (shape.left + shape.width) / EMU, (shape.top + shape.height) / EMU)
        if shape.is_placeholder:
            kind = shape.placeholder_format.type
            role = "title" if kind in TITLE_TYPES else "footer" if kind in FOOTER_TYPES else "body"
        elif getattr(shape, "has_table", False):
            role = "cell"
        else:
            role = shape.name.split(" ")[0].lower()
        shapes.append(RenderedShape(role, box, shape.width / EMU >= 0.6 * 840))
    return shapes


def is_word(text: str) -> bool:
    """A word as a reader counts it: not a bullet, a dash or an automatic number such as "2." or "B."."""
    return any(c.isalnum() for c in text) and not re.fullmatch(r"[0-9]{1,2}[.)]|[A-Z][.)]", text)


def owner(char: dict, shapes: list[RenderedShape]) -> RenderedShape | None:
    """The smallest shape a glyph sits in, within the slack."""
    slack = max(SLACK, char["size"] * 0.12)  # a glyph's box is the font's whole ascent, above the line it sits on
    inside = [
        s for s in shapes
        if s.box[0] - slack <= char["x0"] and char["x1"] <= s.box[2] + slack
        and s.box[1] - slack <= char["top"] and char["bottom"] <= s.box[3] + slack
    ]
    return min(inside, key=lambda s: (s.box[2] - s.box[0]) * (s.box[3] - s.box[1]), default=None)


def smallest_size(slide_layout: str, shape: RenderedShape, brand: Brand) -> float:
    budgets = brand.slides
    if shape.role == "cell":
        return budgets.column_size
    if shape.role != "body" or slide_layout in FRAMING_LAYOUTS:
        return budgets.caption_size
    return budgets.column_size if slide_layout in COLUMN_LAYOUTS or not shape.wide else budgets.body_size


def rgb(color) -> str | None:
    """A pdfplumber colour as #RRGGBB (gray or RGB), None for patterns and other spaces."""
    if color is None:
        return None
    values = tuple(color) if isinstance(color, (list, tuple)) else (color,)
    if len(values) == 1:
        values = values * 3
    if len(values) != 3 or not all(isinstance(v, (int, float)) for v in values):
        return None
    return "#" + "".join(f"{round(v * 255):02X}" for v in values)


def area(shape: dict) -> float:
    return (shape["x1"] - shape["x0"]) * (shape["bottom"] - shape["top"])


def ground(char: dict, fills: list[dict]) -> str:
    """The colour under a glyph: the smallest filled shape around its centre (of about equal ones the last painted),
    else the white slide."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    under = [(i, f) for i, f in enumerate(fills) if f["x0"] <= x <= f["x1"] and f["top"] <= y <= f["bottom"]]
    best = min(under, key=lambda pair: (round(area(pair[1]) / 100), -pair[0]), default=None)
    return (rgb(best[1]["non_stroking_color"]) if best else None) or "#FFFFFF"


@pytest.fixture(scope="module", params=["sample-default", "second-coach"])
def rendered(request, sample, tmp_path_factory: pytest.TempPathFactory) -> RenderedDeck:
    """One LibreOffice conversion per deck: the sample course in its brand, and a course made to overflow,
    with a table, in the coach's brand (yellow secondary, light-blue accent, fonts named without files)."""
    work = tmp_path_factory.mktemp(request.param)
    if request.param == "sample-default":
        course, brand = sample.course, sample.course.brand
        folder = sample.course.root
    else:
        body = overflowing_module() + "\n## Where effort goes\n\n| | Urgent | Not urgent |\n| --- | --- | --- |\n" \
            "| **Important** | Do it now | Plan it |\n| **Not important** | Hand it over | Drop it |\n"
        folder = write_course(work / "course", body)
        course = load_course(folder).course
        brand = coach_brand(course.brand)
    path = build_slides(course, brand, work / "out")
    return RenderedDeck(request.param, path, rendered_as_pdf(path, work), brand, folder)


def pages_and_slides(rendered: RenderedDeck):
    import pdfplumber

    presentation = Presentation(str(rendered.pptx))
    with pdfplumber.open(rendered.pdf) as pdf:
        assert len(pdf.pages) == len(presentation.slides)
        yield from zip(pdf.pages, presentation.slides, strict=True)


def warned_slides(rendered: RenderedDeck) -> set[int]:
    """The slides `check` names as over a budget: in the course made to overflow, single sentences longer than
    the budget (a 60-word question), which the deck never cuts. The sample course has none."""
    course = load_course(rendered.course).course
    problems = SlidesTarget().check(view_for(course, "presenter"), rendered.brand, BuildOptions())
    return {int(m.group(1)) for p in problems if (m := re.match(r"slide (\d+) ", p.message))}


@pytest.mark.office
def test_rendered_text_stays_in_its_box_and_on_the_slide_within_the_budgets(rendered: RenderedDeck) -> None:
    outside, small, wordy = [], [], []
    warned = warned_slides(rendered)
    assert not warned or rendered.name != "sample-default"
    course = load_course(rendered.course).course
    quizzes = tuple(f"{quiz.title} " for module in course.modules for quiz in module.quizzes)
    for number, (page, slide) in enumerate(pages_and_slides(rendered), start=1):
        shapes = rendered_shapes(slide)
        layout = slide.slide_layout.name
        words = 0
        for char in page.chars:
            if not char["text"].strip():
                continue
            assert char["x0"] >= 0 and char["x1"] <= page.width and char["top"] >= 0 and char["bottom"] <= page.height
            shape = owner(char, shapes)
            if shape is None:
                outside.append((number, char["text"], round(char["x0"]), round(char["top"])))
            elif shape.role not in ("title", "footer") and char["size"] < smallest_size(layout, shape, rendered.brand) - 0.3:
                small.append((number, char["text"], round(char["size"], 1), shape.role))
        quiz = slide.shapes.title.text_frame.text.startswith(quizzes)  # a question is shown with all its options
        if layout not in FRAMING_LAYOUTS and not quiz:
            for shape in shapes:
                if shape.role in ("body", "cell"):
                    x0, top, x1, bottom = shape.box
                    inside = page.crop((max(x0 - SLACK, 0), max(top - SLACK, 0), min(x1 + SLACK, page.width),
                                        min(bottom + SLACK, page.height)))
                    words += sum(1 for w in inside.extract_words() if is_word(w["text"]))
            if words > rendered.brand.slides.words and number not in warned:
                wordy.append((number, slide.shapes.title.text_frame.text, words))
    assert not outside, outside[:20]
    assert not small, small[:20]
    assert not wordy, wordy


@pytest.mark.office
def test_every_rendered_text_colour_meets_wcag_aa_on_what_it_sits_on(rendered: RenderedDeck) -> None:
    failures = []
    for number, (page, _) in enumerate(pages_and_slides(rendered), start=1):
        fills = [f for f in (*page.rects, *page.curves) if f.get("fill") and rgb(f.get("non_stroking_color"))]
        for char in page.chars:
            if not char["text"].strip() or char["text"] in "“”•–":
                continue
            colour = rgb(char["non_stroking_color"])
            if colour is None:
                continue
            large = char["size"] >= 18 or (char["size"] >= 14 and "bold" in char["fontname"].lower())
            ratio = contrast_ratio(colour, ground(char, fills))
            if ratio < (3.0 if large else 4.5):
                failures.append((number, char["text"], colour, ground(char, fills), round(ratio, 2)))
    assert not failures, failures[:20]


@pytest.mark.office
def test_the_rendered_deck_has_unique_titles_alt_text_and_no_text_left_hanging(rendered: RenderedDeck) -> None:
    presentation = Presentation(str(rendered.pptx))
    titles = [slide.shapes.title.text_frame.text for slide in presentation.slides]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
    holders = [*presentation.slides, *presentation.slide_layouts, presentation.slide_master]
    pictures = [shape for holder in holders for shape in holder.shapes if shape.shape_type == 13]
    assert all(p._element.nvPicPr.cNvPr.get("descr", "").strip() for p in pictures)
    for slide, title in zip(presentation.slides, titles, strict=True):
        body = [
            p for shape in slide.shapes
            if shape.has_text_frame
            and shape != slide.shapes.title
            and not shape.name.startswith(("Label", "Footer", "Slide Number"))
            for p in shape.text_frame.paragraphs if p.text.strip()
        ]
        text = " ".join(p.text for p in body).strip()
        assert not text.endswith(":"), (title, text[-80:])
        assert text.count("“") == text.count("”"), (title, text[-80:])
        for p in body:
            runs = [r for r in p.runs if r.text.strip()]
            pPr = p._p.find(qn("a:pPr"))
            marked = pPr is not None and (pPr.find(qn("a:buChar")) is not None or pPr.find(qn("a:buAutoNum")) is not None)
            lead_in_alone = runs and all(r.font.bold for r in runs) and p.text.rstrip().endswith(".") and not marked
            assert not (lead_in_alone and len(body) > 1 and len(p.text.split()) <= 4), (title, p.text)


def test_the_thumbnail_shows_the_title_slide_in_the_brand(deck) -> None:
    _, brand, presentation, path = deck
    with zipfile.ZipFile(path) as package, Image.open(io.BytesIO(package.read("docProps/thumbnail.jpeg"))) as image:
        aspect = presentation.slide_width / presentation.slide_height
        assert image.format == "JPEG" and image.width / image.height == pytest.approx(aspect, rel=0.02)
        assert ImageStat.Stat(image.convert("L")).stddev[0] > 20, "the thumbnail is blank"
        if brand.pptx_template is None:  # the default design: the title on the brand's primary panel
            panel = image.convert("RGB").getpixel((4, 4))
            primary = tuple(int(brand.colors.primary[i : i + 2], 16) for i in (1, 3, 5))
            assert all(abs(a - b) < 24 for a, b in zip(panel, primary, strict=True))


def test_every_sentence_of_the_sample_prose_is_on_a_slide_or_in_its_notes(sample, sample_builds) -> None:
    """What the slides leave out for brevity, the presenter still has: whole, in the speaker notes."""
    import re

    from course_builder.markup import to_text
    from course_builder.views import view_for

    def plain(text: str) -> str:
        return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())

    deck = Presentation(str(sample_builds.build("slides") / "slides.pptx"))
    shown = []
    for slide in deck.slides:
        shown += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        shown += [cell.text for shape in slide.shapes if shape.has_table for row in shape.table.rows for cell in row.cells]
        shown.append(slide.notes_slide.notes_text_frame.text)
    everything = plain(" ".join(shown))
    sentences = [
        sentence
        for module in view_for(sample.course, "presenter").modules
        for block in module.blocks
        if block.kind == "prose"
        for sentence in re.split(r"(?<=[.!?])\s+", plain(to_text(block.markdown)))
        if len(sentence.split()) >= 3
    ]
    assert len(sentences) > 150
    assert [s for s in sentences if s not in everything] == []
