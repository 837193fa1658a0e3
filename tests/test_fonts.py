"""Brand fonts are read from the font files themselves, not guessed from their names.

A coach lists a family's files in whatever order the folder shows them: an oblique face listed
before the regular one must not slant every paragraph.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from course_builder.build import build_course
from course_builder.cli import main
from course_builder.fonts import clashing_faces, declared_face
from course_builder.load import load_course
from course_builder.model import Font
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions

FS_ITALIC_OR_OBLIQUE = 0x1 | 0x200
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # fonts-dejavu-extra: scripts/install-system-deps.sh --test
OBLIQUE_FIRST = ("DejaVuSans-Oblique.ttf", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def test_weight_and_style_come_from_the_font_tables_whatever_the_file_is_called(tmp_path: Path) -> None:
    renamed = tmp_path / "brand-regular-upright.ttf"
    shutil.copyfile(DEJAVU / "DejaVuSans-BoldOblique.ttf", renamed)
    assert declared_face(renamed) == (700, "italic")
    assert declared_face(DEJAVU / "DejaVuSans-Oblique.ttf") == (400, "italic")
    assert declared_face(DEJAVU / "DejaVuSans-ExtraLight.ttf") == (200, "normal")


def test_two_files_declaring_the_same_face_are_found() -> None:
    font = Font(family="DejaVu Sans", files=(DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSansCondensed.ttf"))
    ((first, second),) = clashing_faces(font)
    assert (first.file.name, second.file.name) == ("DejaVuSans.ttf", "DejaVuSansCondensed.ttf")


@pytest.fixture(scope="module")
def oblique_first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fonts") / "course"
    write_minimal_course(folder)
    fonts = folder / "assets" / "fonts"
    fonts.mkdir(parents=True)
    for name in OBLIQUE_FIRST:
        shutil.copyfile(DEJAVU / name, fonts / name)
    listed = ", ".join(f"assets/fonts/{name}" for name in OBLIQUE_FIRST)
    brand = (folder / "brand.yaml").read_text(encoding="utf-8")
    brand += f"fonts:\n  body:\n    family: DejaVu Sans\n    files: [{listed}]\n"
    (folder / "brand.yaml").write_text(brand, encoding="utf-8")
    out = folder.parent / "out"
    build_course(load_course(folder), out, ("web", "workbook"), options=BuildOptions())
    return out


def test_the_web_course_draws_upright_text_with_the_upright_file(oblique_first_build: Path) -> None:
    css = "\n".join(p.read_text(encoding="utf-8") for p in (oblique_first_build / "web").rglob("*.css"))
    rules = re.findall(r"@font-face\s*{([^}]*)}", css)
    dejavu = {(re.search(r"font-weight:\s*(\d+)", r).group(1), re.search(r"font-style:\s*(\w+)", r).group(1)): r
              for r in rules if '"DejaVu Sans"' in r}
    upright, slanted = dejavu[("400", "normal")], dejavu[("400", "italic")]
    web_fonts = {p.name: p.read_bytes() for p in (oblique_first_build / "web").rglob("*.ttf")}

    def file_of(rule: str) -> bytes:
        name = Path(re.search(r"url\(['\"]?([^'\")]+)", rule).group(1)).name
        return web_fonts[name]

    assert file_of(upright) == (DEJAVU / "DejaVuSans.ttf").read_bytes()
    assert file_of(slanted) == (DEJAVU / "DejaVuSans-Oblique.ttf").read_bytes()


def embedded_faces(pdf: Path) -> dict[str, tuple[str, int]]:
    """Each font the PDF uses, by the name the PDF gives it, with the full name and style bits of the file embedded."""
    faces = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            name = str(font["/BaseFont"]).split("+")[-1]
            faces[name] = (embedded["name"].getDebugName(4), embedded["OS/2"].fsSelection)
    return faces


def test_the_workbook_sets_its_body_text_in_the_upright_face(oblique_first_build: Path) -> None:
    faces = embedded_faces(oblique_first_build / "workbook.pdf")
    assert faces["DejaVu-Sans"][0] == "DejaVu Sans"  # the upright file, not "DejaVu Sans Oblique"
    assert not faces["DejaVu-Sans"][1] & FS_ITALIC_OR_OBLIQUE
    assert faces["DejaVu-Sans-Italic"][0] == "DejaVu Sans Oblique"


def test_check_warns_when_two_listed_files_declare_the_same_face(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    (folder / "assets" / "fonts").mkdir(parents=True)
    for name in ("DejaVuSans.ttf", "DejaVuSansCondensed.ttf"):
        shutil.copyfile(DEJAVU / name, folder / "assets" / "fonts" / name)
    brand = (folder / "brand.yaml").read_text(encoding="utf-8")
    files = "[assets/fonts/DejaVuSans.ttf, assets/fonts/DejaVuSansCondensed.ttf]"
    brand += f"fonts:\n  body:\n    family: DejaVu Sans\n    files: {files}\n"
    (folder / "brand.yaml").write_text(brand, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert "'DejaVuSans.ttf' and 'DejaVuSansCondensed.ttf' both declare weight 400 normal" in result.output


def test_a_font_file_cut_short_after_its_header_is_an_error_at_the_brand_line(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    write_minimal_course(folder)
    (folder / "assets" / "fonts").mkdir(parents=True)
    (folder / "assets" / "fonts" / "Cut.ttf").write_bytes((DEJAVU / "DejaVuSans.ttf").read_bytes()[:4000])
    brand = (folder / "brand.yaml").read_text(encoding="utf-8")
    line = brand.count("\n") + 4
    brand += "fonts:\n  body:\n    family: Cut\n    files: [assets/fonts/Cut.ttf]\n"
    (folder / "brand.yaml").write_text(brand, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 1
    assert f"brand.yaml:{line}: error: the font file 'Cut.ttf' is damaged or cut short" in result.output
