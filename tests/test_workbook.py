"""The participant workbook PDF, read the way a participant, a printer and a screen reader would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdf_facts import PdfFacts, squash

from course_builder.build import build_course
from course_builder.load import LoadedCourse, load_course
from course_builder.markup import paragraphs, to_text
from course_builder.model import FacilitatorNote, Figure
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions

MULTILINE = 1 << 12  # PDF text field flag: the field takes several lines


@pytest.fixture(scope="module")
def workbook(sample_builds) -> PdfFacts:
    return PdfFacts(sample_builds.build("workbook") / "workbook.pdf")


def snippets(markdown: str) -> list[str]:
    """Distinctive pieces of a text (each paragraph's start) as they appear in extracted PDF text,
    where list numbers and bullets are drawn, not written."""
    texts = [squash("".join(run.text for run in paragraph.runs)) for paragraph in paragraphs(markdown)]
    return [text[:60] for text in texts if len(text) >= 25]


def facilitator_only_texts(loaded: LoadedCourse) -> list[str]:
    texts: list[str] = []
    for module in loaded.course.modules:
        for block in module.blocks_of("facilitator"):
            assert isinstance(block, FacilitatorNote)
            texts += snippets(block.markdown)
        for activity in module.activities:
            texts += snippets(activity.facilitator or "")
            texts += [squash(to_text(question)) for question in activity.debrief]
    return texts


def test_it_has_a_cover_contents_every_module_and_an_action_plan(workbook: PdfFacts, sample: LoadedCourse):
    modules = sample.course.modules
    assert len(modules) + 3 <= len(workbook.reader.pages) <= 20 * len(modules)
    assert sample.course.title in workbook.page_texts[0]
    assert "PARTICIPANT WORKBOOK" in workbook.page_texts[0]
    assert workbook.page_texts[1].startswith("Contents")
    assert workbook.page_texts[-1].startswith("My 30-day leadership plan")  # the plan the closing activity asks for


def test_the_action_plan_is_the_plan_activitys_five_part_worksheet_as_fillable_fields(workbook: PdfFacts):
    last = workbook.page_texts[-1]
    parts = ["The gap I want to close", "The needs involved, and for whom", "Three actions, each with a date",
             "Feedback I will ask for, from whom and when", "How I will know in 30 days"]
    assert [last.find(part) for part in parts] == sorted(last.find(part) for part in parts) and last.find(parts[0]) > -1
    assert "What I will stop doing" not in workbook.text  # the generic start/stop/continue sheet is gone
    fields = workbook.reader.get_fields()
    assert fields["leadership-plan-three-actions-each-with-a-date"]["/TU"] == (
        "My 30-day leadership plan: Three actions, each with a date"
    )
    assert workbook.contents_number("My 30-day leadership plan") == len(workbook.reader.pages)


def test_every_module_and_section_is_a_bookmark(workbook: PdfFacts, sample: LoadedCourse):
    outline = [(level, title) for level, title, _ in workbook.outline()]
    for module in sample.course.modules:
        assert (1, module.title) in outline
        for section in module.sections:
            if section.title:
                assert (2, section.title) in outline


def test_contents_page_numbers_are_the_pages_where_modules_start(workbook: PdfFacts, sample: LoadedCourse):
    starts = {title: page for level, title, page in workbook.outline() if level == 1}
    for module in sample.course.modules:
        page = starts[module.title]
        assert workbook.contents_number(module.title) == page
        assert workbook.page_texts[page - 1].startswith(f"MODULE {sample.course.modules.index(module) + 1}")
        assert module.title in workbook.page_texts[page - 1]


def test_every_module_title_is_in_the_text_in_workshop_order(workbook: PdfFacts, sample: LoadedCourse):
    body = " ".join(workbook.page_texts[2:])  # after the cover and contents
    openers = [f"MODULE {n} {module.duration} MINUTES {module.title}" for n, module in enumerate(sample.course.modules, 1)]
    positions = [body.find(opener) for opener in openers]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_every_reflection_and_activity_is_a_fillable_field_named_after_its_block(workbook: PdfFacts, sample: LoadedCourse):
    expected = {"participant-name"}
    for module in sample.course.modules:
        expected |= {f"reflection-{block.id}" for block in module.reflections}
        expected |= {f"activity-{block.id}" for block in module.activities}
        kept = [handout for block in module.activities for handout in block.handouts if handout.keep]
        for handout in kept:
            expected |= {f"{handout.id}-{'-'.join(re.findall('[a-z0-9]+', f.label.lower()))}" for f in handout.fields}
    fields = workbook.reader.get_fields()
    assert set(fields) == expected
    for name, field in fields.items():
        assert field["/FT"] == "/Tx"
        assert field["/TU"], f"{name} has no label for screen readers"
        if name != "participant-name":
            assert field["/Ff"] & MULTILINE


def test_quiz_answers_and_facilitator_material_stay_out_of_the_workbook(workbook: PdfFacts, sample: LoadedCourse):
    hidden = facilitator_only_texts(sample)
    for module in sample.course.modules:
        for quiz in module.quizzes:
            for question in quiz.questions:
                assert squash(to_text(question.prompt))[:50] in workbook.text
                for option in question.options:
                    hidden += snippets(option.feedback or "")
    assert len(hidden) > 10
    leaked = [text for text in hidden if text in workbook.text]
    assert leaked == []
    # The same way of looking does find what participants are meant to see.
    activities = [activity for module in sample.course.modules for activity in module.activities]
    shown = [text for activity in activities for text in snippets(activity.instructions)]
    assert shown
    assert [text for text in shown if text not in workbook.text] == []


def test_brand_fonts_are_embedded(workbook: PdfFacts, sample: LoadedCourse):
    fonts = workbook.fonts()
    for role in (sample.course.brand.fonts.heading, sample.course.brand.fonts.body):
        assert any(role.family.replace(" ", "-") in name for name in fonts), (role.family, fonts)
    assert all(fonts.values()), [name for name, embedded in fonts.items() if not embedded]


def test_it_carries_title_author_subject_language_and_pdf_ua(workbook: PdfFacts, sample: LoadedCourse):
    info = workbook.reader.metadata
    assert info.title == f"{sample.course.title}: Participant workbook"
    assert info.author == ", ".join(sample.course.settings.authors)
    assert sample.course.title in info.subject
    catalog = workbook.reader.trailer["/Root"]
    assert catalog["/Lang"] == sample.course.settings.language
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()


def test_it_is_tagged_and_images_carry_their_alt_text(workbook: PdfFacts, sample: LoadedCourse):
    catalog = workbook.reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    alts = workbook.structure_alt_texts()
    figures = [block for module in sample.course.modules for block in module.blocks if isinstance(block, Figure)]
    assert figures
    for figure in figures:
        assert figure.alt in alts
    assert f"{sample.course.brand.name} logo" in alts


def test_paper_can_be_a4_or_us_letter(workbook: PdfFacts, sample_builds):
    letter = PdfFacts(sample_builds.build("workbook", paper="letter") / "workbook.pdf")
    assert workbook.page_size_mm() == (210.0, 297.0)
    assert letter.page_size_mm() == (215.9, 279.4)


def test_two_builds_with_the_same_source_date_are_byte_identical(workbook: PdfFacts, sample_dir: Path, tmp_path: Path):
    options = BuildOptions(source_date_epoch=1700000000)
    again = build_course(load_course(sample_dir), tmp_path / "again", ("workbook",), options=options)
    assert (tmp_path / "again" / "workbook.pdf").read_bytes() == workbook.path.read_bytes()
    assert again.warnings == []
    assert workbook.reader.metadata["/CreationDate"].startswith("D:20231114")


def test_it_refuses_files_outside_the_course_and_never_reaches_the_network(tmp_path: Path):
    course = tmp_path / "course"
    write_minimal_course(course)
    (course / "templates" / "print" / "blocks").mkdir(parents=True)
    # The loader already refuses web addresses written in a template; these are put together
    # while rendering, so only the renderer's URL fetcher stands between them and the outside.
    (course / "templates" / "print" / "blocks" / "prose.html").write_text(
        """<img src="{{ 'https:' ~ '//example.org/tracker.png' }}" alt="remote">"""
        """<img src="{{ 'file:' ~ '///etc/hostname' }}" alt="outside">"""
        '<div class="prose">{{ block.markdown|markdown(block) }}</div>'
    )
    report = build_course(load_course(course), tmp_path / "out", ("workbook",), options=BuildOptions(source_date_epoch=0))
    refused = [warning for warning in report.warnings if "refused" in warning]
    assert any("https://example.org/tracker.png" in warning for warning in refused)
    assert any("/etc/hostname" in warning for warning in refused)
    assert (tmp_path / "out" / "workbook.pdf").exists()


def test_a_course_without_logo_or_fonts_uses_the_bundled_font_and_its_own_name(tmp_path: Path):
    course = tmp_path / "course"
    write_minimal_course(course)
    loaded = load_course(course)
    build_course(loaded, tmp_path / "out", ("workbook",), options=BuildOptions(source_date_epoch=0))
    minimal = PdfFacts(tmp_path / "out" / "workbook.pdf")
    assert loaded.course.brand.name in minimal.page_texts[0]
    assert all("Noto-Sans" in name for name in minimal.fonts())
    assert all(minimal.fonts().values())
