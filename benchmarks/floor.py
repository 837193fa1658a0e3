"""The floor: the renderers alone writing what a full build writes, in one process.

    python benchmarks/floor.py INPUTS OUT

INPUTS is a folder `benchmarks/run.py` prepares from a course (untimed): the workbook's and
guide's final HTML, the deck's slides as JSON, and the bytes of the web course and of both
SCORM packages. This script imports nothing of course-builder: it is WeasyPrint's
`write_pdf` on that HTML, a plain python-pptx script writing the same slides and notes, and
writing the same files and zips. It prints the seconds each part took as JSON.
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from pathlib import Path

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "pdf_forms": True, "pdf_identifier": True}


def write_pdfs(inputs: Path, out: Path) -> None:
    from weasyprint import HTML

    meta = json.loads((inputs / "print.json").read_text(encoding="utf-8"))
    for name in ("workbook", "guide"):
        html = (inputs / f"{name}.html").read_text(encoding="utf-8")
        HTML(string=html, base_url=meta["base_url"]).write_pdf(out / f"{name}.pdf", **PDF_OPTIONS)


def write_deck(inputs: Path, out: Path) -> None:
    """What a plain python-pptx script does: add each slide, fill its placeholders, add shapes and notes."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    deck = json.loads((inputs / "deck.json").read_text(encoding="utf-8"))
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Pt(deck["width"]), Pt(deck["height"])
    layouts = {layout.name: layout for layout in presentation.slide_layouts}
    for spec in deck["slides"]:
        slide = presentation.slides.add_slide(layouts[spec["layout"]])
        slide.shapes.title.text = spec["title"]
        placeholders = [p for p in slide.placeholders if p.placeholder_format.idx != 0]
        for placeholder, paras in zip(placeholders, spec["placeholders"], strict=False):
            fill_text(placeholder.text_frame, paras, Pt)
        for shape in spec["shapes"]:
            x, y, w, h = (Pt(v) for v in shape["box"])
            if "picture" in shape:
                slide.shapes.add_picture(shape["picture"], x, y, w, h)
            else:
                panel = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, w, h)
                fill_text(panel.text_frame, shape["paras"], Pt)
        slide.notes_slide.notes_text_frame.text = spec["notes"]
    presentation.save(out / "slides.pptx")


def fill_text(frame, paras: list[dict], points) -> None:
    for i, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        for text, bold, italic in para["runs"]:
            run = paragraph.add_run()
            run.text = text
            run.font.size = points(para["size"])
            run.font.bold = bold
            run.font.italic = italic


def write_web(inputs: Path, out: Path) -> None:
    """The web course's files written out, and each SCORM package's files zipped as the build zips them."""
    for source in sorted((inputs / "web").rglob("*")):
        if source.is_file():
            target = out / "web" / source.relative_to(inputs / "web")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    for package in sorted((inputs / "packages").iterdir()):
        with zipfile.ZipFile(out / f"{package.name}.zip", "w") as archive:
            for source in sorted(p for p in package.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(source.relative_to(package).as_posix(), date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, source.read_bytes(), compresslevel=9)


def main() -> None:
    inputs, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    seconds = {}
    for name, part in (("pdf", write_pdfs), ("slides", write_deck), ("web", write_web)):
        started = time.perf_counter()
        part(inputs, out)  # each part's imports count: a build pays them too
        seconds[name] = round(time.perf_counter() - started, 3)
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
