"""Languages on the command line: `build --language`, `check --language`, folders per brand and language, coverage."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_builder.cli import main
from course_builder.load import load_course
from course_builder.translation.apply import SHOWN_UNITS, translation_path
from course_builder.translation.pseudo import pseudo_pieces
from course_builder.translation.units import course_units
from course_builder.translation.xliff import Translated, write_xliff


def translate(course_dir: Path, language: str, share: float = 1.0) -> int:
    """Store a machine-made translation (the pseudo-language's text) of the first `share` of the course's units."""
    course = load_course(course_dir).course
    units = course_units(course)
    done = {u.id: Translated(pseudo_pieces(u.pieces), u.fingerprint) for u in units[: round(len(units) * share)]}
    path = translation_path(course, language)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(write_xliff(units, course.settings.language, language, done, course.id, course.root))
    return len(units)


def figures_of(course_dir: Path) -> int:
    return sum(1 for module in load_course(course_dir).course.modules for block in module.blocks if block.kind == "figure")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def report_paths(out: Path) -> list[str]:
    return sorted(o["path"] for o in json.loads((out / "build-report.json").read_text(encoding="utf-8"))["outputs"])


def test_language_builds_only_the_languages_asked_for_each_into_its_folder(course_copy: Path, tmp_path: Path) -> None:
    translate(course_copy, "de")
    out = tmp_path / "out"
    code, output = run("build", course_copy, "--out", out, "--format", "web", "--language", "de,qps")
    assert code == 0, output
    assert report_paths(out) == ["de/web", "qps/web"]
    assert 'lang="de"' in (out / "de" / "web" / "index.html").read_text(encoding="utf-8")
    assert 'lang="qps"' in (out / "qps" / "web" / "index.html").read_text(encoding="utf-8")
    assert not (out / "en").exists() and not (out / "web").exists()

    code, output = run("build", course_copy, "--out", out, "--format", "web", "--language", "qps", "--language", "qps")
    assert code == 0, output
    assert report_paths(out) == ["qps/web"]


@pytest.mark.parametrize(("typed", "meant"), [("german", "de (German)"), ("pt-PR", "pt-BR"), ("fre", "fr (French)"),
                                              ("qsp", "qps (the pseudo-language)")])
@pytest.mark.parametrize("command", ["build", "check", "translate export"])
def test_an_unknown_language_code_is_a_command_line_error_that_says_what_was_meant(
        course_copy: Path, tmp_path: Path, command: str, typed: str, meant: str) -> None:
    out = tmp_path / "out"
    code, output = run(*{"build": ["build", course_copy, "--language", f"de,{typed}", "--out", out],
                         "check": ["check", course_copy, "--language", f"de,{typed}"],
                         "translate export": ["translate", "export", course_copy, "--to", typed, "--out", out]}[command])
    assert code == 2
    assert f"'{typed}' is not a language code; did you mean" in output and meant in output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_language_without_a_translation_file_says_how_to_make_one(course_copy: Path, tmp_path: Path, command: str) -> None:
    code, output = run(command, course_copy, "--language", "fr", *(["--out", tmp_path / "out"] * (command == "build")))
    assert code == 1
    text = " ".join(output.split())
    assert "translations/fr.xlf: error: there is no fr translation of this course yet" in text
    assert f"course-builder translate export {course_copy.name} --to fr" in text
    assert not (tmp_path / "out").exists()


def test_with_several_brands_each_brand_holds_its_languages(course_copy: Path, tmp_path: Path) -> None:
    translate(course_copy, "de")
    acme = course_copy / "acme.yaml"
    acme.write_text((course_copy / "brand.yaml").read_text(encoding="utf-8").replace("id: northwind", "id: acme"),
                    encoding="utf-8")
    out = tmp_path / "out"
    code, output = run("build", course_copy, "--out", out, "--format", "web", "--language", "de,qps",
                       "--brand", course_copy / "brand.yaml", "--brand", acme)
    assert code == 0, output
    assert report_paths(out) == ["acme/de/web", "acme/qps/web", "northwind/de/web", "northwind/qps/web"]
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert all(o["path"].startswith(o["brand"] + "/") for o in report["outputs"])
    for folder in ("acme/de", "northwind/qps"):
        assert (out / folder / "web" / "index.html").is_file()
        assert (out / folder / "build-report.json").is_file()


def test_check_reports_each_languages_coverage_and_names_the_units_left(course_copy: Path) -> None:
    total = translate(course_copy, "de")
    translate(course_copy, "fr", share=0.5)
    code, output = run("check", course_copy, "--language", "de,fr", "--json")
    assert code == 0, output
    report = json.loads(output)
    missing = total - round(total * 0.5)
    no_copies = {"figures": figures_of(course_copy), "localised_figures": 0}  # no picture has a copy in translations/
    assert report["languages"] == {"de": {"units": total, "translated": total, "stale": 0, "missing": 0, **no_copies},
                                   "fr": {"units": total, "translated": total - missing, "stale": 0, "missing": missing,
                                          **no_copies}}
    unit_warnings = [p for p in report["problems"] if "translation for unit" in p["message"]]
    assert len(unit_warnings) == missing  # once per unit, whatever the number of outputs and brands
    assert all(p["file"].startswith("modules/") or p["file"] == "course.yaml" for p in unit_warnings)
    assert all(p["line"] and re.match(r"no fr translation for unit [\w.-]+; the source text is used", p["message"])
               for p in unit_warnings)

    code, output = run("check", course_copy, "--language", "de,fr")
    assert code == 0, output
    text = " ".join(output.split())
    assert "de 100.0 % " in text and f"{total} translated, 0 stale, 0 missing of {total} units" in text
    share = 100 * (total - missing) / total
    assert f"fr {share:.1f} % {total - missing} translated, 0 stale, {missing} missing of {total} units" in text
    assert text.count("warning: no fr translation for unit") == SHOWN_UNITS  # the rest summed up, with where to see them
    assert f"… and {missing - SHOWN_UNITS} more fr units are missing or stale" in text
    assert f"translate status {course_copy.name} --language fr -v" in text


def test_editing_one_sentence_makes_exactly_that_unit_stale_in_check_for_every_language(course_copy: Path,
                                                                                        tmp_path: Path) -> None:
    for language in ("de", "fr"):
        translate(course_copy, language)
    course_yaml = course_copy / "course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8") + "languages: [en, de, fr]\n", encoding="utf-8")
    code, output = run("check", course_copy, "--json")
    assert code == 0, output
    assert not [p for p in json.loads(output)["problems"] if "translation" in p["message"]]

    module = course_copy / "modules" / "02-five-basic-needs.md"
    text = module.read_text(encoding="utf-8")
    sentence = "The aim is a\npractical lens, not a lecture on psychology."
    assert text.count(sentence) == 1
    module.write_text(text.replace(sentence, "The aim is a\nlens to use tomorrow, not a lecture."), encoding="utf-8")

    code, output = run("check", course_copy, "--json")
    assert code == 0, output
    report = json.loads(output)
    total = len(course_units(load_course(course_copy).course))
    assert report["languages"] == {lang: {"units": total, "translated": total - 1, "stale": 1, "missing": 0,
                                          "figures": figures_of(course_copy), "localised_figures": 0}
                                   for lang in ("de", "fr")}
    translation_warnings = [(p["file"], p["line"], p["message"].split(":")[0]) for p in report["problems"]
                            if "translation" in p["message"]]
    unit = "five-basic-needs.introduction.facilitator-1.markdown.p2"
    assert translation_warnings == [("modules/02-five-basic-needs.md", 23, f"the {lang} translation of unit {unit} is stale")
                                    for lang in ("de", "fr")]

    code, output = run("check", course_copy)  # as a person reads it
    text = " ".join(output.split())
    assert text.count(f"translation of unit {unit} is stale") == 2
    assert f"de {100 * (total - 1) / total:.1f} % {total - 1} translated, 1 stale, 0 missing of {total} units" in text

    out = tmp_path / "out"  # a build warns of the same units, and of no other
    code, output = run("build", course_copy, "--out", out, "--format", "web")
    assert code == 0, output
    warnings = json.loads((out / "build-report.json").read_text(encoding="utf-8"))["warnings"]
    assert [w.split(": warning: ")[1].split(":")[0] for w in warnings if "translation" in w] == [
        f"the {lang} translation of unit {unit} is stale" for lang in ("de", "fr")]


def test_a_second_build_of_the_same_languages_says_which_outputs_it_kept(course_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for expected in ("Built 2 outputs", "Nothing to rebuild: 2 outputs unchanged"):
        code, output = run("build", course_copy, "--out", out, "--format", "web", "--format", "gift", "--language", "qps")
        assert code == 0, output
        assert expected in " ".join(output.split())
    assert output.count("(unchanged)") == 2
