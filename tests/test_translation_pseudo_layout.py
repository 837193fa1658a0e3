"""The pseudo-localised sample (`--language qps`: every string 40 % longer and accented) still fits.

One build of the deck and the PDFs in qps, shared by the module. The deck is measured from
LibreOffice's rendering of it and the PDFs as pdfplumber reads them: text positions from the
renderers, the boxes they must stay in from the .pptx (python-pptx) and from what the PDF
paints (rectangles, rounded cards, table cells), none of it from the builder's own measuring.
"""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from libreoffice import rendered_as_pdf
from pptx import Presentation

from course_builder.cli import main
from course_builder.load import load_course

PDFS = ("workbook", "guide", "handouts")
EMU = 12700  # per point
MM = 72 / 25.4  # points
SLACK = 2.0  # points a glyph's box may stand past its box: renderers' rounding and overhanging accents
PAGE_SIDE = 19 * MM  # the side margins of templates/print/page.css; running header and footer keep to them too
PAGE_EDGE = 5 * MM  # nothing printed this close to the paper's edge, where a printer or a guillotine cuts
PAPER = {"a4": (595, 842), "letter": (612, 792)}  # points


@pytest.fixture(scope="module")
def qps(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("qps") / "out"
    formats = [arg for name in (*PDFS, "slides") for arg in ("--format", name)]
    result = CliRunner().invoke(main, ["build", str(sample_dir), "--out", str(out), "--language", "qps", *formats])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def qps_letter(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook alone on US Letter: wider and shorter than A4, and the PDF with the most kinds of box."""
    out = tmp_path_factory.mktemp("qps-letter") / "out"
    args = ["build", str(sample_dir), "--out", str(out), "--language", "qps", "--paper", "letter", "--format", "workbook"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def test_the_pseudo_localised_build_warns_of_nothing_the_source_does_not(qps: Path, sample_dir: Path) -> None:
    """No slide over its budgets, no text set too small, nothing WeasyPrint complained about."""
    report = json.loads((qps / "build-report.json").read_text(encoding="utf-8"))
    assert sorted(o["path"] for o in report["outputs"]) == sorted(f"qps/{name}.{'pptx' if name == 'slides' else 'pdf'}"
                                                                   for name in (*PDFS, "slides"))
    loaded = load_course(sample_dir)
    assert set(report["warnings"]) <= {w.describe(loaded.course.root) for w in loaded.warnings}


def accented(text: str) -> int:
    return sum(1 for c in text if c in "åéîöûŕšţĥñļķĝŵýđçÅÉÎÖÛŔŠŢĤÑĹĶĜŴÝĐÇ")


@pytest.fixture(scope="module")
def slides_pdf(qps: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_as_pdf(qps / "qps" / "slides.pptx", tmp_path_factory.mktemp("qps-render"))


def text_boxes(slide) -> list[tuple[float, float, float, float]]:
    """Every placeholder, text box and table of a slide, as x0, top, x1, bottom in points."""
    return [(s.left / EMU, s.top / EMU, (s.left + s.width) / EMU, (s.top + s.height) / EMU)
            for s in slide.shapes if s.shape_type != 13 and (s.has_text_frame or getattr(s, "has_table", False))]


def inside(char: dict, box: tuple[float, float, float, float], slack: float) -> bool:
    return (box[0] - slack <= char["x0"] and char["x1"] <= box[2] + slack
            and box[1] - slack <= char["top"] and char["bottom"] <= box[3] + slack)


@pytest.mark.office
def test_every_rendered_character_of_the_qps_deck_is_on_its_slide_and_inside_a_text_box(qps: Path, slides_pdf: Path) -> None:
    presentation = Presentation(str(qps / "qps" / "slides.pptx"))
    off_slide, outside, seen = [], [], ""
    with pdfplumber.open(slides_pdf) as pdf:
        assert len(pdf.pages) == len(presentation.slides)
        for number, (page, slide) in enumerate(zip(pdf.pages, presentation.slides, strict=True), start=1):
            boxes = text_boxes(slide)
            for char in page.chars:
                if not char["text"].strip():
                    continue
                seen += char["text"]
                if not inside(char, (0, 0, page.width, page.height), 0):
                    off_slide.append((number, char["text"]))
                # a glyph's box is the font's whole ascent, above the line it sits on
                elif not any(inside(char, box, max(SLACK, char["size"] * 0.12)) for box in boxes):
                    outside.append((number, char["text"], round(char["x0"]), round(char["top"])))
    assert accented(seen) > 0.15 * len(seen), "the deck is not the pseudo-localised one"
    assert not off_slide, off_slide[:20]
    assert not outside, outside[:20]


def painted_boxes(page) -> list[tuple[float, float, float, float]]:
    """What a PDF page draws around text: filled or stroked rectangles, rounded cards and table cells."""
    shapes = [(s["x0"], s["top"], s["x1"], s["bottom"]) for s in (*page.rects, *page.curves)]
    cells = [cell for table in page.find_tables() for cell in table.cells if cell is not None]
    return [b for b in (*shapes, *cells) if b[2] - b[0] > 20 and b[3] - b[1] > 8]  # not a rule, a bullet or an underline


@pytest.mark.parametrize(("name", "paper"), [*((name, "a4") for name in PDFS), ("workbook", "letter")])
def test_no_text_of_a_qps_pdf_leaves_its_page_margins_or_runs_out_of_its_box(request: pytest.FixtureRequest,
                                                                             name: str, paper: str) -> None:
    build: Path = request.getfixturevalue("qps" if paper == "a4" else "qps_letter")
    beyond_margins, out_of_box, boxed, seen = [], [], 0, ""
    with pdfplumber.open(build / "qps" / f"{name}.pdf") as pdf:
        assert {(round(p.width), round(p.height)) for p in pdf.pages} == {PAPER[paper]}
        for number, page in enumerate(pdf.pages, start=1):
            margins = (PAGE_SIDE, PAGE_EDGE, page.width - PAGE_SIDE, page.height - PAGE_EDGE)
            for char in page.chars:
                if char["text"].strip():
                    seen += char["text"]
                    if not inside(char, margins, 1.0):
                        beyond_margins.append((number, char["text"], round(char["x0"] / MM), round(char["top"] / MM)))
            boxes = painted_boxes(page)
            for word in page.extract_words():
                x, y = word["x0"] + 0.5, (word["top"] + word["bottom"]) / 2
                around = [b for b in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]]
                if not around:
                    continue
                box = min(around, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))  # the cell or card it starts in
                boxed += 1
                if word["x1"] > box[2] + SLACK or word["bottom"] > box[3] + SLACK:
                    out_of_box.append((number, word["text"], round(word["x1"] - box[2], 1), round(word["bottom"] - box[3], 1)))
    assert accented(seen) > 0.15 * len(seen), f"the {name} is not the pseudo-localised one"
    assert boxed > 500, "too few words in cards or cells: the test would prove nothing"
    assert not beyond_margins, beyond_margins[:20]
    assert not out_of_box, out_of_box[:20]
