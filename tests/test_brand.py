"""A brand is checked before anything is built: readable colours, fonts that cover the text."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from course_builder.brand_check import brand_warnings
from course_builder.cli import main
from course_builder.load import load_course
from course_builder.resources import data_dir
from course_builder.skeleton import write_minimal_course


def test_a_failing_colour_pair_is_named_with_its_shortfall(tmp_path: Path) -> None:
    write_minimal_course(tmp_path / "c")
    brand = tmp_path / "c" / "brand.yaml"
    brand.write_text(brand.read_text().replace('text: "#1A1A1A"', 'text: "#AAAAAA"'))
    result = CliRunner().invoke(main, ["check", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert "text #AAAAAA on background #FFFFFF have contrast 2.32:1" in result.output
    assert "below the WCAG AA minimum of 4.5:1 by 2.18" in result.output
    assert CliRunner().invoke(main, ["check", "--strict", str(tmp_path / "c")]).exit_code == 1


def test_a_brand_font_that_lacks_the_courses_characters_is_reported(tmp_path: Path) -> None:
    write_minimal_course(tmp_path / "c")
    shutil.copy(data_dir() / "fonts" / "NotoSans-Regular.ttf", tmp_path / "c" / "assets" / "Brand.ttf")
    brand = tmp_path / "c" / "brand.yaml"
    brand.write_text(brand.read_text() + "fonts:\n  body: {family: Brand Sans, files: [assets/Brand.ttf]}\n")
    module = tmp_path / "c" / "modules" / "01-welcome.md"
    module.write_text(module.read_text().replace("Write your content in Markdown.", "Write your content in Markdown: 漢字."))
    course = load_course(tmp_path / "c").course
    (warning,) = brand_warnings(course, course.brand)
    assert "the body font 'Brand Sans' has no glyphs for 2 characters" in warning.message
    assert warning.file == brand


def test_the_sample_brand_passes_every_check(sample) -> None:
    assert brand_warnings(sample.course, sample.course.brand) == []
