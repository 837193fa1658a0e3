"""One run, two clients: every output carries each client's colours, fonts and logo."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from course_builder.build import build_course
from course_builder.load import load_brand_files, load_course
from course_builder.targets import BuildOptions

ACME_PRIMARY = "#7A1F3D"  # wine red: no part of the sample brand's navy palette
ACME_SECONDARY = "#1D5C4F"
FORMATS = ("workbook", "slides", "web")


def write_acme_brand(course: Path) -> Path:
    logo = Image.new("RGB", (600, 200), ACME_PRIMARY)
    logo.paste(Image.new("RGB", (160, 160), "#F2C14E"), (20, 20))
    logo.save(course / "assets" / "acme-logo.png")
    brand = course / "acme.yaml"
    brand.write_text(
        f"""id: acme
name: Acme Industries
logo: assets/acme-logo.png
colors:
  primary: "{ACME_PRIMARY}"
  secondary: "{ACME_SECONDARY}"
  accent: "#8A4B08"
  text: "#222222"
  background: "#FFFFFF"
fonts:
  heading: {{family: Acme Serif, files: [assets/fonts/NotoSerif-Bold.ttf]}}
  body: {{family: Acme Serif, files: [assets/fonts/NotoSerif-Regular.ttf, assets/fonts/NotoSerif-Italic.ttf]}}
footer: "Acme Industries · Internal training"
""",
        encoding="utf-8",
    )
    return brand


@pytest.fixture(scope="module")
def two_brands(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    course = tmp_path_factory.mktemp("branded") / "course"
    shutil.copytree(sample_dir, course)
    acme = write_acme_brand(course)
    out = course.parent / "out"
    loaded = load_course(course)
    brands = (loaded.course.brand, *load_brand_files((acme,), course))
    build_course(loaded, out, FORMATS, brands, BuildOptions(source_date_epoch=1700000000))
    return out


def test_each_brand_gets_its_own_folder_and_the_report_lists_both(two_brands: Path) -> None:
    report = json.loads((two_brands / "build-report.json").read_text())
    assert {(o["brand"], o["format"]) for o in report["outputs"]} == {(b, f) for b in ("northwind", "acme") for f in FORMATS}
    assert all(o["path"].startswith(o["brand"] + "/") for o in report["outputs"])


@pytest.mark.parametrize(
    ("brand", "primary", "font"), [("northwind", "#1F3A5F", "Noto Sans"), ("acme", ACME_PRIMARY, "Acme Serif")]
)
def test_the_deck_theme_carries_the_brand_colours_and_fonts(two_brands: Path, brand: str, primary: str, font: str) -> None:
    deck = zipfile.ZipFile(two_brands / brand / "slides.pptx")
    theme = next(
        deck.read(n).decode()
        for n in deck.namelist()
        if re.fullmatch(r"ppt/theme/theme\d+\.xml", n) and b"clrScheme" in deck.read(n)
    )
    accent1 = re.search(r"<a:accent1><a:srgbClr val=\"([0-9A-F]{6})\"", theme).group(1)
    assert "#" + accent1 == primary
    assert f'typeface="{font}"' in theme


@pytest.mark.parametrize(
    ("brand", "primary", "logo"), [("northwind", "#1F3A5F", "logo.svg"), ("acme", ACME_PRIMARY, "acme-logo.png")]
)
def test_the_web_course_css_and_logo_are_the_brands(two_brands: Path, brand: str, primary: str, logo: str) -> None:
    web = two_brands / brand / "web"
    css = "\n".join(p.read_text(encoding="utf-8") for p in web.rglob("*.css"))
    assert re.search(rf"--color-primary:\s*{primary}\s*;", css, re.I)
    logos = [p for p in web.rglob("*") if p.suffix == Path(logo).suffix and p.stem.startswith(Path(logo).stem)]
    assert logos, f"no {logo} in the web course"
    index = (web / "index.html").read_text(encoding="utf-8")
    assert logos[0].name in index


def _share_of_colour(png: Path, colour: str, tolerance: int = 12) -> float:
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    image = Image.open(png).convert("RGB")
    counts = image.getcolors(image.width * image.height)
    close = sum(n for n, p in counts if all(abs(a - b) <= tolerance for a, b in zip(p, target, strict=True)))
    return close / (image.width * image.height)


@pytest.mark.parametrize(
    ("brand", "primary", "other"), [("northwind", "#1F3A5F", ACME_PRIMARY), ("acme", ACME_PRIMARY, "#1F3A5F")]
)
def test_the_workbook_cover_is_painted_in_the_brands_primary_colour(
    two_brands: Path, brand: str, primary: str, other: str, tmp_path: Path
) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(two_brands / brand / "workbook.pdf"), str(tmp_path / "cover")],
        check=True,
    )
    (cover,) = tmp_path.glob("cover*.png")
    assert _share_of_colour(cover, primary) > 0.10
    assert _share_of_colour(cover, other) < 0.01


def test_the_workbook_embeds_the_brands_logo(two_brands: Path) -> None:
    cover = PdfReader(two_brands / "acme" / "workbook.pdf").pages[0]
    sizes = {(image.image.width, image.image.height) for image in cover.images}
    assert (600, 200) in sizes


def test_a_course_template_replaces_one_block_of_the_built_in_workbook(course_copy: Path, tmp_path: Path) -> None:
    override = course_copy / "templates" / "print" / "workbook.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "builtin/print/workbook.html" %}\n'
        '{% block cover %}<section class="cover"><h1>Prepared for Globex</h1><p>{{ course.title }}</p></section>{% endblock %}\n',
        encoding="utf-8",
    )
    build_course(load_course(course_copy), tmp_path / "out", ("workbook",), options=BuildOptions(source_date_epoch=1700000000))
    reader = PdfReader(tmp_path / "out" / "workbook.pdf")
    cover = reader.pages[0].extract_text()
    assert "Prepared for Globex" in cover
    assert "Contents" in reader.pages[1].extract_text()


def test_a_course_template_replaces_a_built_in_part_by_name(course_copy: Path, tmp_path: Path) -> None:
    footer = course_copy / "templates" / "web" / "parts" / "footer.html.j2"
    footer.parent.mkdir(parents=True)
    footer.write_text('<footer class="site-footer"><p>Globex policy: ask your manager first.</p></footer>\n', encoding="utf-8")
    build_course(load_course(course_copy), tmp_path / "out", ("web",), options=BuildOptions(source_date_epoch=1700000000))
    pages = list((tmp_path / "out" / "web").rglob("*.html"))
    assert pages and all("Globex policy: ask your manager first." in p.read_text(encoding="utf-8") for p in pages)


def test_a_broken_course_template_is_reported_with_its_file_and_line(course_copy: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from course_builder.cli import main

    override = course_copy / "templates" / "print" / "parts" / "cover.html"
    override.parent.mkdir(parents=True)
    override.write_text("<section>\n<h1>{{ course.title }</h1>\n</section>\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(course_copy), "--out", str(tmp_path / "out"), "--format", "workbook"])
    assert result.exit_code == 1
    assert "templates/print/parts/cover.html:2" in result.output
    assert "Traceback" not in result.output


def test_a_brands_list_in_course_yaml_builds_each_brand(course_copy: Path, tmp_path: Path) -> None:
    write_acme_brand(course_copy)
    course_yaml = course_copy / "course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8") + "brands: [brand.yaml, acme.yaml]\n", encoding="utf-8")
    report = build_course(
        load_course(course_copy), tmp_path / "out", ("web",), options=BuildOptions(source_date_epoch=1700000000)
    )
    assert sorted(o.path for o in report.outputs) == ["acme/web", "northwind/web"]


def test_the_worked_example_in_the_theming_docs_works(course_copy: Path, tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "theming.md").read_text(encoding="utf-8")
    example = re.search(r"```jinja\n(.*?)```", docs, re.S).group(1)
    template = course_copy / "templates" / "print" / "workbook.html"
    template.parent.mkdir(parents=True)
    template.write_text(example, encoding="utf-8")
    build_course(load_course(course_copy), tmp_path / "out", ("workbook",), options=BuildOptions(source_date_epoch=1700000000))
    pages = [page.extract_text() for page in PdfReader(tmp_path / "out" / "workbook.pdf").pages]
    assert "Prepared for Globex Corporation" in pages[0]
    assert "Globex learning policy" in pages[-1]
    assert any("My action plan" in page for page in pages[-3:-1])
