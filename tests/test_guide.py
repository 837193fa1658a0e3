"""The facilitator guide PDF, read the way a facilitator preparing the day would."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_facts import PdfFacts, squash

from course_builder.agenda import workshop_agenda
from course_builder.build import build_course
from course_builder.load import LoadedCourse, load_course
from course_builder.markup import paragraphs, to_text
from course_builder.model import FacilitatorNote, Figure
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions


@pytest.fixture(scope="module")
def guide(sample_builds) -> PdfFacts:
    return PdfFacts(sample_builds.build("guide") / "guide.pdf")


def opening(markdown: str) -> str:
    """The start of a text as it appears in extracted PDF text (list numbers and bullets aside)."""
    return squash(" ".join("".join(run.text for run in paragraph.runs) for paragraph in paragraphs(markdown)))[:60]


def test_it_has_a_cover_contents_agenda_materials_and_every_module(guide: PdfFacts, sample: LoadedCourse):
    modules = sample.course.modules
    assert len(modules) + 4 <= len(guide.reader.pages) <= 20 * len(modules)
    assert sample.course.title in guide.page_texts[0]
    assert "FACILITATOR GUIDE" in guide.page_texts[0]
    assert guide.page_texts[1].startswith("Contents")
    outline = [(level, title) for level, title, _ in guide.outline()]
    assert outline[1:3] == [(1, "Workshop agenda"), (1, "Materials checklist")]
    for module in modules:
        assert (1, module.title) in outline


def test_contents_page_numbers_are_the_pages_where_modules_start(guide: PdfFacts, sample: LoadedCourse):
    starts = {title: page for level, title, page in guide.outline() if level == 1}
    for number, module in enumerate(sample.course.modules, start=1):
        page = starts[module.title]
        assert guide.contents_number(module.title) == page
        assert guide.page_texts[page - 1].startswith(f"MODULE {number}")


def test_the_agenda_gives_clock_times_for_modules_and_breaks(guide: PdfFacts, sample: LoadedCourse):
    agenda_page = next(text for text in guide.page_texts if text.startswith("Workshop agenda"))
    items = workshop_agenda(sample.course)
    assert any(item.kind == "break" for item in items)
    positions = [agenda_page.find(f"{item.clock} ") for item in items]
    assert -1 not in positions
    assert positions == sorted(positions)
    for item in items:
        assert item.title in agenda_page


def test_each_module_opens_with_its_clock_time_timing_and_materials(guide: PdfFacts, sample: LoadedCourse):
    starts = {title: page for level, title, page in guide.outline() if level == 1}
    clocks = {item.module.id: item.clock for item in workshop_agenda(sample.course) if item.module}
    for module in sample.course.modules:
        opener = guide.page_texts[starts[module.title] - 1]
        assert f"TIMING · {clocks[module.id]}" in opener
        assert f"Total {module.duration} min" in opener
        for activity in module.activities:
            assert f"{activity.title} {activity.minutes} min" in opener
            for material in activity.materials:
                assert squash(material) in opener


def test_the_materials_checklist_lists_everything_the_activities_need(guide: PdfFacts, sample: LoadedCourse):
    checklist = next(text for text in guide.page_texts if text.startswith("Materials checklist"))
    activities = [activity for module in sample.course.modules for activity in module.activities]
    materials = {material for activity in activities for material in activity.materials}
    assert materials
    for material in materials:
        assert squash(material) in checklist


def test_it_holds_facilitator_notes_activities_debriefs_and_reflection_prompts(guide: PdfFacts, sample: LoadedCourse):
    expected: list[str] = []
    for module in sample.course.modules:
        for block in module.blocks:
            if isinstance(block, FacilitatorNote):
                expected.append(opening(block.markdown))
        for activity in module.activities:
            expected += [opening(activity.instructions), opening(activity.facilitator or "")]
            expected += [squash(to_text(question)) for question in activity.debrief]
        expected += [opening(reflection.prompt) for reflection in module.reflections]
    missing = [text for text in expected if text not in guide.text]
    assert missing == []


def test_the_answer_key_marks_correct_options_and_gives_every_feedback(guide: PdfFacts, sample: LoadedCourse):
    for module in sample.course.modules:
        for quiz in module.quizzes:
            for question in quiz.questions:
                for option in question.options:
                    verdict = "CORRECT" if option.correct else "WRONG"
                    assert f"{verdict} {squash(to_text(option.text))[:40]}" in guide.text
                    if option.feedback:
                        assert opening(option.feedback) in guide.text


def test_participant_reading_stays_in_the_workbook(guide: PdfFacts, sample: LoadedCourse):
    figures = [block for module in sample.course.modules for block in module.blocks if isinstance(block, Figure)]
    assert figures
    assert all(figure.alt not in guide.structure_alt_texts() for figure in figures)


def test_it_is_tagged_pdf_ua_with_metadata_and_embedded_fonts(guide: PdfFacts, sample: LoadedCourse):
    info = guide.reader.metadata
    assert info.title == f"{sample.course.title}: Facilitator guide"
    assert info.author and info.subject
    catalog = guide.reader.trailer["/Root"]
    assert catalog["/Lang"] == sample.course.settings.language
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()
    assert all(guide.fonts().values())
    assert "/AcroForm" not in catalog  # nothing to fill in: the guide is for reading
    assert guide.page_size_mm() == (210.0, 297.0)  # the course's paper


def test_two_builds_with_the_same_source_date_are_byte_identical(guide: PdfFacts, sample_dir: Path, tmp_path: Path):
    build_course(load_course(sample_dir), tmp_path / "again", ("guide",), options=BuildOptions(source_date_epoch=1700000000))
    assert (tmp_path / "again" / "guide.pdf").read_bytes() == guide.path.read_bytes()


def test_it_warns_when_a_modules_activities_need_more_time_than_it_has(tmp_path: Path):
    course = tmp_path / "course"
    write_minimal_course(course)
    module = next((course / "modules").glob("*.md"))
    module.write_text(module.read_text().replace("duration: 30", "duration: 5"))
    report = build_course(load_course(course), tmp_path / "out", ("guide",), options=BuildOptions(source_date_epoch=0))
    assert any("take 13 minutes; the module lasts 5" in warning for warning in report.warnings)
    assert (tmp_path / "out" / "guide.pdf").exists()
