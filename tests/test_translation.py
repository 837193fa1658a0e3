"""One course in many languages: export, a translator's tool, import, translated builds, stale units, pseudo-language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader
from translate.storage.pypo import pofile
from translate.storage.xliff2 import Xliff2File

from course_builder.cli import main
from course_builder.load import load_course
from course_builder.targets import BuildOptions
from course_builder.translation.apply import coverage, translated, translation_path
from course_builder.translation.build import build_languages
from course_builder.translation.inline import Code
from course_builder.translation.pseudo import pseudo_pieces
from course_builder.translation.units import course_units
from course_builder.translation.xliff import XLIFF_NS, Translated, read_xliff, schema_problems, write_xliff

X = f"{{{XLIFF_NS}}}"

# A small German catalogue of our own, by unit id: what a translator would send back for these units.
GERMAN = {
    "course.title": "Menschen führen, nicht nur Arbeit",
    "five-basic-needs.title": "Die fünf menschlichen Grundbedürfnisse",
    # The source holds a bold span: the translation keeps its paired code around other words.
    "five-basic-needs.introduction.prose-1.markdown": (
        "Wer will, dass Menschen mitziehen, muss verstehen, was sie bewegt. Die Linse stammt aus der ",
        ("pc", "1", "Wahltheorie des Psychiaters Dr. William Glasser"),
        ", der alles Verhalten als Versuch sah, wenige angeborene Bedürfnisse zu stillen.",
    ),
}


def export(course: Path, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / ("export" + (".po" if "po" in extra else ".xlf"))
    result = CliRunner().invoke(main, ["translate", "export", str(course), "--to", "de", "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def fill_xliff(document: Path, catalogue: dict[str, tuple | str]) -> None:
    """Write targets into an exported file with lxml, as a translation tool does: text and the source's codes."""
    tree = etree.parse(str(document))
    for unit in tree.iter(f"{X}unit"):
        if unit.get("id") not in catalogue:
            continue
        segment = unit.find(f"{X}segment")
        target = etree.SubElement(segment, f"{X}target")
        parts = catalogue[unit.get("id")]
        parts = (parts,) if isinstance(parts, str) else parts
        for part in parts:
            if isinstance(part, str):
                if len(target):
                    target[-1].tail = (target[-1].tail or "") + part
                else:
                    target.text = (target.text or "") + part
            else:
                etree.SubElement(target, f"{X}pc", id=part[1]).text = part[2]
        segment.set("state", "translated")
    tree.write(str(document), xml_declaration=True, encoding="UTF-8")


def run_import(course: Path, file: Path) -> str:
    result = CliRunner().invoke(main, ["translate", "import", str(course), str(file)])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_unit_has_a_unique_id_and_the_inline_markup_becomes_codes(sample) -> None:
    units = course_units(sample.course)
    assert len(units) > 300
    assert len({u.id for u in units}) == len(units)
    intro = next(u for u in units if u.id == "five-basic-needs.introduction.prose-1.markdown")
    assert [(c.kind, c.markup) for c in intro.pieces if isinstance(c, Code)] == [("start", "**"), ("end", "**")]
    assert "**" not in intro.text
    debrief = [u for u in units if ".debrief." in u.id]
    assert debrief and all(u.notes()[0].endswith("shown in: Web course, SCORM, Slides, Guide") for u in debrief)
    facilitator = [u for u in units if u.context.kind == "facilitator"]
    assert facilitator and all(u.notes()[0].endswith("shown in: Guide") for u in facilitator)
    assert any(u.max_chars == 250 for u in units if u.context.kind == "quiz")


def test_the_export_is_valid_xliff_2_1(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    assert schema_problems(document) == []
    root = etree.parse(str(document)).getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "en", "de")


def test_translate_toolkit_reads_and_writes_the_file_without_loss(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    fill_xliff(document, GERMAN)
    ours = read_xliff(document)
    store = Xliff2File.parsefile(str(document))
    units = {u.getid(): u for u in store.units}
    assert set(units) == set(ours.unit_lines)
    assert units["course.title"].target == GERMAN["course.title"]
    # A change made in translate-toolkit reaches us; everything else comes back as it was, still valid.
    units["five-basic-needs.title"].target = "Fünf Grundbedürfnisse"
    units["five-basic-needs.title"].marktranslated()
    rewritten = tmp_path / "rewritten.xlf"
    rewritten.write_bytes(bytes(store))
    assert schema_problems(rewritten) == []
    again = read_xliff(rewritten)
    assert again.unit_lines.keys() == ours.unit_lines.keys()
    assert again.units["five-basic-needs.title"].pieces == ("Fünf Grundbedürfnisse",)
    for unit_id, found in ours.units.items():
        if unit_id != "five-basic-needs.title":
            assert (again.units[unit_id].pieces, again.units[unit_id].fingerprint) == (found.pieces, found.fingerprint)


def test_german_round_trip_builds_the_web_course_and_workbook_in_german(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    fill_xliff(document, GERMAN)
    output = run_import(course_copy, document)
    assert "Imported 3 units" in output
    assert translation_path(load_course(course_copy).course, "de").is_file()

    loaded = load_course(course_copy)
    german, fallbacks = translated(loaded.course, "de")
    assert german.settings.language == "de"
    assert german.title == GERMAN["course.title"]
    intro = german.module("five-basic-needs").sections[0].blocks[0].markdown
    assert intro.startswith("Wer will, dass Menschen mitziehen")
    assert "**Wahltheorie des Psychiaters Dr. William Glasser**" in intro
    assert len(fallbacks) == len(course_units(loaded.course)) - 3
    assert all(p.severity == "warning" and p.file and p.line for p in fallbacks)

    out = tmp_path / "build"
    reports = build_languages(loaded, out, ["de"], formats=("web", "workbook"), options=BuildOptions(source_date_epoch=1))
    assert any("no de translation for unit" in w for w in reports["de"].warnings)
    index = (out / "de" / "web" / "index.html").read_text(encoding="utf-8")
    web_text = " ".join(p.read_text(encoding="utf-8") for p in (out / "de" / "web").rglob("*.html"))
    assert GERMAN["course.title"] in web_text and "Wahltheorie des Psychiaters" in web_text
    assert 'lang="de"' in index
    workbook = next((out / "de").glob("*workbook*.pdf"))
    # German words break at their syllables across lines: join them again to search.
    pdf_text = " ".join(page.extract_text() for page in PdfReader(workbook).pages).replace("\u2010\n", "")
    assert "Die fünf menschlichen Grundbedürfnisse" in pdf_text
    assert "Wahltheorie" in pdf_text


def test_editing_one_sentence_makes_exactly_that_unit_stale_in_every_language(course_copy: Path) -> None:
    course = load_course(course_copy).course
    units = course_units(course)
    for language in ("de", "fr"):  # every unit translated (machine-made: the pseudo-language's text)
        done = {u.id: Translated(pseudo_pieces(u.pieces), u.fingerprint) for u in units}
        path = translation_path(course, language)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(write_xliff(units, "en", language, done, course.id, course.root))
    assert coverage(course, ["de", "fr"])[0] == []

    module = course_copy / "modules" / "02-five-basic-needs.md"
    text = module.read_text(encoding="utf-8")
    sentence = "The aim is a\npractical lens, not a lecture on psychology."
    assert sentence in text
    module.write_text(text.replace(sentence, "The aim is a\nlens to use tomorrow, not a lecture."), encoding="utf-8")

    problems, counts = coverage(load_course(course_copy).course, ["de", "fr"])
    assert [(c.language, c.stale, c.missing) for c in counts] == [("de", 1, 0), ("fr", 1, 0)]
    assert len(problems) == 2
    for problem in problems:
        assert "five-basic-needs.introduction.facilitator-1.markdown.p2 is stale" in problem.message
        assert problem.file == load_course(course_copy).course.module("five-basic-needs").source
        assert problem.line == 23  # where that paragraph starts


def test_the_pseudo_language_lengthens_and_accents_every_string_and_keeps_its_codes(sample) -> None:
    course, problems = translated(sample.course, "qps")
    assert problems == []
    assert course.settings.language == "qps"
    before, after = course_units(sample.course), {u.id: u for u in course_units(course)}
    assert set(after) == {u.id for u in before}
    for unit in before:
        pseudo = after[unit.id]
        assert [c.markup for c in pseudo.pieces if isinstance(c, Code)] == [c.markup for c in unit.pieces if isinstance(c, Code)]
        assert len(pseudo.text) >= 1.35 * len(unit.text) - 2
    assert "Ñååméé ţĥéé fîîvéé bååšîîç ĥûûmååñ ñééééđš" in course.module("five-basic-needs").objectives[0]


def test_a_po_file_comes_back_with_its_tags(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path, "--format", "po")
    store = pofile(document.read_bytes())
    entry = next(u for u in store.units if u.getcontext() == "five-basic-needs.introduction.prose-1.markdown")
    assert "<1>choice theory of the psychiatrist Dr. William Glasser</1>" in entry.source
    entry.target = "Die Linse stammt aus der <1>Wahltheorie von Dr. William Glasser</1>."
    document.write_bytes(bytes(store))
    run_import(course_copy, document)
    german, _ = translated(load_course(course_copy).course, "de")
    intro = german.module("five-basic-needs").sections[0].blocks[0].markdown
    assert intro == "Die Linse stammt aus der **Wahltheorie von Dr. William Glasser**."


def test_import_names_the_line_of_a_unit_the_course_does_not_have(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    fill_xliff(document, GERMAN)
    text = document.read_text(encoding="utf-8")
    text = text.replace('unit id="five-basic-needs.title"', 'unit id="five-basic-needs.old-title"')
    document.write_text(text, encoding="utf-8")
    line = text[: text.index("five-basic-needs.old-title")].count("\n") + 1
    output = run_import(course_copy, document)
    assert f"export.xlf:{line}" in output and "five-basic-needs.old-title is not in the course" in output


def test_a_translation_that_breaks_the_tags_is_refused_and_the_source_text_kept(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    fill_xliff(document, {"five-basic-needs.introduction.prose-1.markdown": ("Ohne ", ("pc", "7", "fremdes"), " Tag.")})
    output = run_import(course_copy, document)
    assert "does not keep the source's tags" in output
    german, _ = translated(load_course(course_copy).course, "de")
    assert german.module("five-basic-needs").sections[0].blocks[0].markdown.startswith("If you want people")


@pytest.mark.parametrize("language", ["en", "qps"])
def test_export_refuses_a_language_that_needs_no_file(course_copy: Path, language: str) -> None:
    result = CliRunner().invoke(main, ["translate", "export", str(course_copy), "--to", language])
    assert result.exit_code == 1
    assert "needs no translation file" in result.output


def test_the_schema_rejects_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlf"
    broken.write_text(f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="en"><file id="f"/></xliff>', encoding="utf-8")
    assert schema_problems(broken)


def test_the_bundled_schema_is_the_oasis_one() -> None:
    schema = Path(__file__).resolve().parent.parent / "course_builder" / "data" / "xliff-2.1" / "xliff_core_2.0.xsd"
    assert "XLIFF Version 2.1" in schema.read_text(encoding="utf-8")[:400]


def test_languages_in_course_yaml_build_each_language_into_its_own_folder(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    fill_xliff(document, GERMAN)
    run_import(course_copy, document)
    with (course_copy / "course.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("languages: [en, de, qps]\n")
    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", str(course_copy), "--out", str(out), "--format", "web"])
    assert result.exit_code == 0, result.output
    titles = {lang: (out / lang / "web" / "index.html").read_text(encoding="utf-8") for lang in ("en", "de", "qps")}
    assert "Leading People, Not Just Work" in titles["en"] and 'lang="en"' in titles["en"]
    assert GERMAN["course.title"] in titles["de"] and 'lang="de"' in titles["de"]
    assert "Ĺééååđîîñĝ Pééööpļéé, Ñööţ Ĵûûšţ Ŵööŕķ" in titles["qps"]
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert sorted(o["path"] for o in report["outputs"]) == ["de/web", "en/web", "qps/web"]
    assert any("no de translation for unit course.subtitle" in w for w in report["warnings"])
    assert any("more de units are missing or stale" in w for w in report["warnings"])  # the first ten named, the rest counted


def test_a_language_with_no_file_yet_gives_one_warning(sample) -> None:
    course, problems = translated(sample.course, "fr")
    assert course.settings.language == "fr" and course.title == sample.course.title
    assert len(problems) == 1 and "there is no fr translation yet" in problems[0].message


TRICKY = """Intro with **bold *nested* words**, a [link](https://example.org/a_b "Its title"), `code` and ``a `tick` ``.
A second line with a hard break\\
and an ![icon](../assets/icon.png "Icon") plus <https://example.org> and 3 * 4 = 12 & more_words_here.

- First item *with emphasis*
  continued on a lazy line
- 1\\. not a list

> Quoted **words**
> over two lines

## Heading ##

| Name | What *it* is |
|---|---|
| One | The ~~first~~ cell |

1. Numbered [item](https://example.org)
"""


def test_a_translation_identical_to_the_source_gives_back_markdown_that_renders_the_same() -> None:
    from course_builder.markup import course_parser
    from course_builder.translation.inline import markdown_leaves, replace_leaves, to_markdown

    leaves = markdown_leaves(TRICKY)
    assert len(leaves) == 10
    rewritten = replace_leaves(TRICKY, {n: to_markdown(leaf.pieces) for n, leaf in enumerate(leaves)}, leaves)
    render = course_parser(html=False).render
    assert " ".join(render(rewritten).split()) == " ".join(render(TRICKY).split())
    assert [leaf.pieces for leaf in markdown_leaves(rewritten)] == [leaf.pieces for leaf in leaves]


def test_every_markdown_field_of_the_sample_survives_a_round_trip(course_copy: Path) -> None:
    from course_builder.markup import course_parser
    from course_builder.translation.inline import Code as InlineCode

    course = load_course(course_copy).course
    units = course_units(course)
    # What a tool sends back for an untouched unit: the same words, and codes without their markup.
    identity = {u.id: Translated(tuple(p if isinstance(p, str) else InlineCode(p.id, "", p.kind, "") for p in u.pieces),
                                 u.fingerprint) for u in units}
    path = translation_path(course, "xx")
    path.parent.mkdir()
    path.write_bytes(write_xliff(units, "en", "xx", identity, course.id, course.root))
    same, problems = translated(course, "xx")
    assert problems == []
    render = course_parser(html=False).render
    for before, after in zip(course.modules, same.modules, strict=True):
        for a, b in zip(before.blocks, after.blocks, strict=True):
            for name in ("markdown", "instructions", "intro", "prompt", "text"):
                if isinstance(getattr(a, name, None), str):
                    assert " ".join(render(getattr(b, name)).split()) == " ".join(render(getattr(a, name)).split())


def test_a_new_export_carries_the_finished_units_and_status_counts_them(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    fill_xliff(document, GERMAN)
    run_import(course_copy, document)
    again = tmp_path / "again.xlf"
    result = CliRunner().invoke(main, ["translate", "export", str(course_copy), "--to", "de", "--out", str(again)])
    assert "3 already translated" in result.output
    assert read_xliff(again).units["course.title"].pieces == (GERMAN["course.title"],)
    assert schema_problems(again) == []
    total = len(course_units(load_course(course_copy).course))
    status = CliRunner().invoke(main, ["translate", "status", str(course_copy)])
    assert status.exit_code == 0
    assert f"3 translated, 0 stale, {total - 3} missing of {total} units" in " ".join(status.output.split())


def test_a_tool_that_drops_the_fingerprint_still_gets_stale_units_right(course_copy: Path, tmp_path: Path) -> None:
    document = export(course_copy, tmp_path)
    fill_xliff(document, GERMAN)
    tree = etree.parse(str(document))
    for unit in tree.iter(f"{X}unit"):
        unit.attrib.pop("{urn:course-builder:translation:1}fingerprint")
    tree.write(str(document), xml_declaration=True, encoding="UTF-8")
    run_import(course_copy, document)
    assert [c.translated for c in coverage(load_course(course_copy).course, ["de"])[1]] == [3]
    yaml = course_copy / "course.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("Not Just Work", "Not Only Work"), encoding="utf-8")
    problems, counts = coverage(load_course(course_copy).course, ["de"])
    assert (counts[0].translated, counts[0].stale) == (2, 1)
    assert any("unit course.title is stale" in p.message and p.file == yaml and p.line == 2 for p in problems)


def test_languages_refuse_to_build_into_the_course_folder(course_copy: Path) -> None:
    with (course_copy / "course.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("languages: [en, qps]\n")
    result = CliRunner().invoke(main, ["build", str(course_copy), "--out", str(course_copy), "--format", "web"])
    assert result.exit_code == 1
    assert "is the course folder itself" in result.output
    assert not (course_copy / "en").exists()


NOT_TRANSLATED = {
    "ImageRef": {"src"}, "Break": {"after"}, "Section": {"id"}, "Module": {"id"},
    "CourseSettings": {"id", "version", "language", "languages", "authors", "outputs"},
    "Font": {"family"}, "Colors": {"primary", "secondary", "accent", "text", "background"},
    # A brand belongs to the organisation, not to the course: its name, footer and contact stay as the brand file has them.
    "Brand": {"id", "name", "footer", "contact"},
    "Reflection": {"id"}, "Handout": {"id"}, "Activity": {"id"}, "Quiz": {"id"}, "QuizQuestion": {"id"}, "QuizOption": {"id"},
    "ModuleFrontMatter": {"id", "title", "objectives", "summary"},  # the loader's schema: read into Module
    "LmsSettings": {"preset"},
    # People's names are theirs in every language.
    "WorkshopSettings": {"facilitator"}, "Participant": {"name", "organisation", "email"},
}
"""Text fields of the model a translator does not see, and why: a new text field must be added to the units or here."""


def test_every_text_field_of_the_model_is_translated_or_deliberately_not() -> None:
    import inspect

    from pydantic import BaseModel

    import course_builder.model as model
    from course_builder.translation import units as declared

    covered = {cls.__name__: {name for name, _ in fields} for cls, fields in declared.FIELDS.items()}
    covered["CourseSettings"] = {name for name, _ in declared.COURSE_FIELDS}
    covered["WorkshopSettings"] = {name for name, _ in declared.WORKSHOP_FIELDS}
    covered["Module"] = {name for name, _ in declared.FRONT_MATTER_FIELDS}
    covered["Section"] = {"title"}
    untranslated = []
    for name, cls in vars(model).items():
        if inspect.isclass(cls) and issubclass(cls, BaseModel) and cls.__module__ == model.__name__:
            for field, info in cls.model_fields.items():
                if "str" in str(info.annotation) and field not in covered.get(name, set()) | NOT_TRANSLATED.get(name, set()):
                    untranslated.append(f"{name}.{field}")
    assert untranslated == []


def test_the_guides_preparation_texts_are_units_for_the_facilitator(sample) -> None:
    units = {u.id: u for u in course_units(sample.course)}
    for unit_id in ("course.workshop.room", "course.workshop.joining", "course.workshop.prework", "course.workshop.equipment.1"):
        assert units[unit_id].notes()[0].endswith("shown in: Guide")
        assert units[unit_id].context.line > 1
