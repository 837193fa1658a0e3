"""The sample course as IMS Common Cartridge 1.1 (Moodle) and 1.3 (Canvas), opened as those LMSs open it.

The cartridges are read with lxml against IMS's own schemas and the Schematron rules IMS embeds in
them (bundled in course_builder/data/cc-schemas/, loaded here directly, not through our
validator), and with the acceptance rules of Moodle's CC 1.1 import (backup/converter/imscc11/lib.php
and backup/cc/entity11.quiz.class.php), restated below where they are used.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree, html, isoschematron

from course_builder.build import build_course
from course_builder.cli import main
from course_builder.load import LoadedCourse, load_course
from course_builder.markup import to_text
from course_builder.model import Activity, FacilitatorNote
from course_builder.targets import BuildOptions
from tests.conftest import SAMPLE

SCHEMAS = Path(__file__).resolve().parent.parent / "course_builder" / "data" / "cc-schemas" / "cc11"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = {"cc11": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1", "cc13": "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"}
ASSESSMENT = {"cc11": "imsqti_xmlv1p2/imscc_xmlv1p1/assessment", "cc13": "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"}
VERSIONS = ("cc11", "cc13")
PARSER = etree.XMLParser(no_network=True, resolve_entities=False)


@pytest.fixture(scope="module")
def cartridges(sample_builds: Any, sample: LoadedCourse) -> dict[str, Path]:
    return {v: sample_builds.build(v) / f"{sample.course.id}-{v}.imscc" for v in VERSIONS}


def manifest(cartridge: Path) -> etree._Element:
    with zipfile.ZipFile(cartridge) as archive:
        return etree.fromstring(archive.read("imsmanifest.xml"), PARSER)


def assessments(cartridge: Path, version: str) -> dict[str, etree._Element]:
    """Each assessment resource's QTI file, parsed, by the resource's identifier."""
    root = manifest(cartridge)
    with zipfile.ZipFile(cartridge) as archive:
        return {
            resource.get("identifier"): etree.fromstring(archive.read(resource.find(f"{{{CP[version]}}}file").get("href")),
                                                         PARSER)
            for resource in root.iter(f"{{{CP[version]}}}resource") if resource.get("type") == ASSESSMENT[version]
        }


def official(xsd: str) -> tuple[etree.XMLSchema, isoschematron.Schematron]:
    document = etree.parse(str(SCHEMAS / xsd), PARSER)
    return etree.XMLSchema(document), isoschematron.Schematron(document, validate_schema=False)


def assert_valid(root: etree._Element, xsd: str) -> None:
    schema, rules = official(xsd)
    assert schema.validate(etree.ElementTree(root)), schema.error_log
    assert rules.validate(etree.ElementTree(root)), rules.error_log


# ---------------------------------------------------------------- the official schemas


def test_the_cc11_manifest_is_valid_against_ims_schema_and_rules(cartridges: dict[str, Path]) -> None:
    assert_valid(manifest(cartridges["cc11"]), "ccv1p1_imscp_v1p2_v1p0.xsd")


def test_the_official_rules_do_catch_a_broken_manifest(cartridges: dict[str, Path]) -> None:
    root = manifest(cartridges["cc11"])
    page = next(r for r in root.iter(f"{{{CP['cc11']}}}resource") if r.get("href"))
    page.set("href", "elsewhere.html")  # IMS rule 10b: a resource starts at one of its own files
    schema, rules = official("ccv1p1_imscp_v1p2_v1p0.xsd")
    assert schema.validate(etree.ElementTree(root))
    assert not rules.validate(etree.ElementTree(root))
    assert "RULE 10b" in str(rules.error_log)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_quiz_is_valid_against_the_cc_qti_profile_and_its_rules(cartridges: dict[str, Path], version: str) -> None:
    quizzes = assessments(cartridges[version], version)
    assert quizzes
    for root in quizzes.values():
        assert_valid(root, "ccv1p1_qtiasiv1p2p1_v1p0.xsd")


def test_the_cc13_manifest_names_the_13_profile(cartridges: dict[str, Path]) -> None:
    root = manifest(cartridges["cc13"])
    assert etree.QName(root).namespace == CP["cc13"]
    assert root.findtext(f"{{{CP['cc13']}}}metadata/{{{CP['cc13']}}}schemaversion") == "1.3.0"
    assert "ccv1p3_imscp_v1p2_v1p0.xsd" in root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")


# ---------------------------------------------------------------- what Moodle's import checks


def test_moodle_recognises_the_cc11_cartridge(cartridges: dict[str, Path]) -> None:
    """imscc11 detect_format: the manifest's first 1024 bytes, lower-cased, without blanks and quotes, hold the namespace."""
    with zipfile.ZipFile(cartridges["cc11"]) as archive:
        snippet = archive.read("imsmanifest.xml")[:1024].decode("utf-8").lower()
    snippet = re.sub(r"\s*", "", snippet).replace("'", "").replace('"', "")
    assert "xmlns=http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" in snippet


@pytest.mark.parametrize("version", VERSIONS)
def test_every_file_the_manifest_names_is_in_the_zip(cartridges: dict[str, Path], version: str) -> None:
    root = manifest(cartridges[version])
    with zipfile.ZipFile(cartridges[version]) as archive:
        names = set(archive.namelist())
    hrefs = [f.get("href") for f in root.iter(f"{{{CP[version]}}}file")]
    assert len(hrefs) > 10
    assert not [href for href in hrefs if href not in names]
    resources = {r.get("identifier") for r in root.iter(f"{{{CP[version]}}}resource")}
    references = [item.get("identifierref") for item in root.iter(f"{{{CP[version]}}}item") if item.get("identifierref")]
    assert references and set(references) <= resources


@pytest.mark.parametrize("version", VERSIONS)
def test_the_outline_follows_the_modules_and_the_metadata_names_course_and_language(
        cartridges: dict[str, Path], sample: LoadedCourse, version: str) -> None:
    cp = f"{{{CP[version]}}}"
    root = manifest(cartridges[version])
    top = root.find(f"{cp}organizations/{cp}organization/{cp}item")
    folders = [item for item in top.findall(f"{cp}item") if item.get("identifierref") is None]
    assert [f.findtext(f"{cp}title") for f in folders] == [m.title for m in sample.course.modules]
    lom = f"{{http://ltsc.ieee.org/xsd/imscc{'v1p1' if version == 'cc11' else 'v1p3'}/LOM/manifest}}"
    general = root.find(f"{cp}metadata/{lom}lom/{lom}general")
    title = general.find(f"{lom}title/{lom}string")
    assert (title.text, title.get("language")) == (sample.course.settings.title, sample.course.settings.language)
    assert general.findtext(f"{lom}language") == sample.course.settings.language


# ---------------------------------------------------------------- the quizzes, read as Moodle reads them


@pytest.mark.parametrize("version", VERSIONS)
def test_each_module_quiz_holds_the_modules_questions_scored_and_with_their_feedback(
        cartridges: dict[str, Path], sample: LoadedCourse, version: str) -> None:
    quizzes = assessments(cartridges[version], version)
    ns = {"q": QTI}
    for module in sample.course.modules:
        questions = [q for quiz in module.quizzes for q in quiz.questions]
        if not questions:
            continue
        items = quizzes[f"quiz-{module.id}"].findall(".//q:section/q:item", ns)
        assert len(items) == len(questions)
        for item, question in zip(items, questions, strict=True):
            labels = item.findall(".//q:response_lid/q:render_choice/q:response_label", ns)
            assert [plain_html(label.findtext(".//q:mattext", namespaces=ns)) for label in labels] == [
                plain(o.text) for o in question.options]
            letter = {o.id: label.get("ident") for o, label in zip(question.options, labels, strict=True)}
            # Moodle: the correct answers are the varequals of the condition that sets SCORE to 100.
            scored = item.xpath("q:resprocessing/q:respcondition[q:setvar[@varname='SCORE'][.='100']]", namespaces=ns)
            assert len(scored) == 1
            chosen = {v.text for v in scored[0].xpath("q:conditionvar//q:varequal[not(ancestor::q:not)]", namespaces=ns)}
            assert chosen == {letter[o.id] for o in question.correct_options}
            for option in question.options:
                # Moodle (get_feedback): a choice's feedback is what every condition whose first
                # conditionvar/varequal names the choice links to.
                links = [d.get("linkrefid") for c in item.xpath("q:resprocessing/q:respcondition", namespaces=ns)
                         if c.findtext("q:conditionvar/q:varequal", namespaces=ns) == letter[option.id]
                         for d in c.findall("q:displayfeedback", ns)]
                shown = [plain_html(item.findtext(f"q:itemfeedback[@ident='{link}']//q:mattext", namespaces=ns))
                         for link in links]
                assert shown == ([plain(option.feedback)] if option.feedback else [])


def plain(markdown: str | None) -> str:
    return " ".join(to_text(markdown or "").split())


def plain_html(fragment: str | None) -> str:
    return " ".join(html.fragment_fromstring(fragment or "", create_parent="div").text_content().split())


def test_the_sample_has_feedback_to_carry(sample: LoadedCourse) -> None:
    options = [o for m in sample.course.modules for quiz in m.quizzes for q in quiz.questions for o in q.options]
    assert sum(1 for o in options if o.feedback) > 10


# ---------------------------------------------------------------- what the learner may see


def test_no_facilitator_note_reaches_either_cartridge(cartridges: dict[str, Path], sample: LoadedCourse) -> None:
    """Notes on running the course are the facilitator's alone (blocks.py); debrief questions the
    learner's view keeps on purpose, to close an activity done alone, so they are not looked for here."""
    hidden = []
    for module in sample.course.modules:
        for block in module.blocks:
            if isinstance(block, FacilitatorNote):
                hidden.append(block.markdown)
            elif isinstance(block, Activity) and block.facilitator:
                hidden.append(block.facilitator)
    phrases = [" ".join(plain(text).split()[:8]) for text in hidden]
    assert len(phrases) > 3
    for cartridge in cartridges.values():
        text = cartridge_text(cartridge)
        assert [p for p in phrases if p in text] == []
        # The same reading finds what the learner is meant to see.
        assert plain(sample.course.modules[0].objectives[0]) in text


def cartridge_text(cartridge: Path) -> str:
    """The words of every page and quiz in the cartridge, as a reader (or a screen reader) gets them."""
    words = []
    with zipfile.ZipFile(cartridge) as archive:
        for name in archive.namelist():
            if name.endswith(".html"):
                words.append(html.document_fromstring(archive.read(name)).text_content())
            elif name.endswith("assessment.xml"):
                root = etree.fromstring(archive.read(name), PARSER)
                words += [plain_html(m.text) for m in root.iter(f"{{{QTI}}}mattext")]
    return " ".join(" ".join(words).split())


# ---------------------------------------------------------------- reproducible, and judged by validate


def test_a_rebuild_is_byte_identical(cartridges: dict[str, Path], sample: LoadedCourse, tmp_path: Path) -> None:
    build_course(load_course(SAMPLE), tmp_path, VERSIONS, options=BuildOptions(source_date_epoch=1700000000))
    for version, cartridge in cartridges.items():
        assert (tmp_path / cartridge.name).read_bytes() == cartridge.read_bytes(), version


@pytest.mark.parametrize("version", VERSIONS)
def test_validate_accepts_the_cartridge(cartridges: dict[str, Path], version: str) -> None:
    result = CliRunner().invoke(main, ["validate", "--strict", str(cartridges[version])])
    assert result.exit_code == 0, result.output
    assert "is a valid package" in result.output


def test_validate_rejects_a_cartridge_missing_a_quiz_file_and_names_it(cartridges: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.imscc"
    with zipfile.ZipFile(cartridges["cc11"]) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("quiz-five-basic-needs/"):
                target.writestr(info, source.read(info))
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "quiz-five-basic-needs/assessment.xml' is listed in imsmanifest.xml but is not in the zip" in result.output


def test_validate_reports_a_quiz_that_breaks_the_profile_as_a_finding(cartridges: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.imscc"
    with zipfile.ZipFile(cartridges["cc11"]) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "quiz-five-basic-needs/assessment.xml":
                data = data.replace(b'rcardinality="Multiple"', b'rcardinality="Single"', 1)
            target.writestr(info, data)
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 0, result.output
    assert "RULE 5a" in result.output
    assert CliRunner().invoke(main, ["validate", "--strict", str(broken)]).exit_code == 1
