"""The facilitator guide PDF, read the way a facilitator preparing the day would."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdf_facts import PdfFacts, squash
from pptx import Presentation

from course_builder.agenda import workshop_agenda
from course_builder.build import build_course
from course_builder.cli import main
from course_builder.load import LoadedCourse, load_course
from course_builder.markup import paragraphs, to_text
from course_builder.model import (
    Activity,
    Case,
    Concepts,
    Course,
    FacilitatorNote,
    Figure,
    Handout,
    Prose,
    Questions,
    Quote,
    Reflection,
    Steps,
    Takeaways,
)
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions
from course_builder.views import view_for


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
    assert outline[1:4] == [(1, "Workshop agenda"), (1, "Run sheet"), (1, "Preparation")]
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


def test_each_module_opens_with_its_segments_clock_times_handouts_and_materials(guide: PdfFacts, sample: LoadedCourse):
    starts = {title: page for level, title, page in guide.outline() if level == 1}
    agenda = {item.module.id: item for item in workshop_agenda(sample.course) if item.module}
    for module in sample.course.modules:
        opener = guide.page_texts[starts[module.title] - 1]
        assert f"TIMING · {agenda[module.id].clock}" in opener
        assert f"Total {module.duration} min" in opener
        assert f"{agenda[module.id].start:%H:%M} " in opener  # the first segment starts with the module
        for activity in module.activities:
            assert activity.title in opener
            for handout in activity.handouts:
                assert handout.title in opener
            for material in activity.materials:
                assert squash(material) in opener


def preparation_text(guide: PdfFacts) -> str:
    first = next(i for i, text in enumerate(guide.page_texts) if text.startswith("Preparation"))
    module_1 = next(i for i, text in enumerate(guide.page_texts) if text.startswith("MODULE 1"))
    return " ".join(guide.page_texts[first:module_1])


def copies_for(handout: Handout, participants: int, group_size: int) -> int:
    """Worked out here from the handout's `copies`, not by the code under test."""
    share = {"participant": 1, "pair": 2, "trio": 3, "group": group_size}.get(handout.copies)
    return 1 if share is None else -(-participants // share)


def assert_each_handout_has_its_quantity(preparation: str, course: Course) -> None:
    workshop = course.settings.workshop
    handouts = [handout for module in course.modules for activity in module.activities for handout in activity.handouts]
    assert len(handouts) >= 8
    for handout in handouts:
        quantity = copies_for(handout, workshop.participants, workshop.group_size)
        unit = ("set" if quantity == 1 else "sets") if handout.form == "cards" else ("copy" if quantity == 1 else "copies")
        assert re.search(re.escape(handout.title) + r".{0,90}? " + f"{quantity} {unit} ", preparation), handout.title


def test_preparation_lists_every_handout_with_its_copies_and_every_material(guide: PdfFacts, sample: LoadedCourse):
    preparation = preparation_text(guide)
    workshop = sample.course.settings.workshop
    assert f"For {workshop.participants} participants" in preparation
    assert f"Participant workbook All day {workshop.participants} copies" in preparation
    assert_each_handout_has_its_quantity(preparation, sample.course)
    activities = [activity for module in sample.course.modules for activity in module.activities]
    materials = {material for activity in activities for material in activity.materials}
    assert materials
    for material in materials:
        assert squash(material) in preparation
    for text in (workshop.joining, workshop.prework, workshop.room, *workshop.equipment):
        assert text and squash(text) in preparation


def test_the_copies_follow_the_participant_count_in_course_yaml(course_copy: Path, tmp_path: Path):
    settings = course_copy / "course.yaml"
    text = settings.read_text().replace("participants: 12", "participants: 17")
    settings.write_text(text.replace("group_size: 4", "group_size: 5"))
    loaded = load_course(course_copy)
    build_course(loaded, tmp_path / "out", ("guide",), options=BuildOptions(source_date_epoch=0))
    guide = PdfFacts(tmp_path / "out" / "guide.pdf")
    preparation = preparation_text(guide)
    assert "For 17 participants" in preparation
    assert_each_handout_has_its_quantity(preparation, loaded.course)
    assert "4 sets (one per group)" in preparation  # 17 people in groups of 5: four groups


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


def first_sentence(text: str) -> str:
    """Up to the first full stop, question or exclamation mark followed by a capital (or the end)."""
    match = re.search(r"^.+?[.!?][”’\")]*(?=\s+[“‘\"(]?[A-Z]|$)", text)
    return match.group(0) if match else text


def needed_sentences(course: Course) -> list[str]:
    """What a facilitator needs of the participants' material to teach it without the workbook.

    From the reading (prose): the first sentence of every paragraph, and of every list item
    its bold lead or, without one, its first sentence. Every figure's caption, every quote, every
    case in full, every step's name and the first sentence of its explanation, every concept's
    name and the first sentence of its description, every coaching question, every takeaway,
    every reflection prompt, and the first sentence of each paragraph or item of every
    activity's instructions.
    """
    def firsts(markdown: str) -> list[str]:
        found = []
        for paragraph in paragraphs(markdown):
            runs = [run for run in paragraph.runs if run.text.strip()]
            if paragraph.kind in ("bullet", "numbered") and runs and runs[0].bold:
                found.append(runs[0].text.strip())
            elif runs:
                found.append(first_sentence(" ".join("".join(run.text for run in runs).split())))
        return found

    view = view_for(course, "participant")
    needed: list[str] = []
    for block in (block for module in view.modules for block in module.blocks):
        if isinstance(block, Prose):
            needed += firsts(block.markdown)
        elif isinstance(block, Figure):
            needed.append(block.caption or "")
        elif isinstance(block, Quote | Case):
            whole = paragraphs(block.text if isinstance(block, Quote) else block.markdown)
            needed += ["".join(run.text for run in paragraph.runs) for paragraph in whole]
        elif isinstance(block, Steps):
            needed += [item for step in block.items for item in (step.name, *firsts(step.explanation)[:1])]
        elif isinstance(block, Concepts):
            needed += [item for concept in block.items for item in (concept.name, *firsts(concept.description)[:1])]
        elif isinstance(block, Questions):
            needed += [squash(to_text(q.closed or q.open)) for q in block.items]
        elif isinstance(block, Takeaways):
            needed += [squash(to_text(item)) for item in block.items]
        elif isinstance(block, Reflection):
            needed += firsts(block.prompt)
        elif isinstance(block, Activity):
            needed += firsts(block.instructions)
    return [squash(text) for text in needed if text.strip()]


def test_every_sentence_a_facilitator_needs_of_the_reading_is_in_the_guide(guide: PdfFacts, sample: LoadedCourse):
    needed = needed_sentences(sample.course)
    assert len(needed) > 200
    missing = [sentence for sentence in needed if sentence not in guide.text]
    assert missing == []
    assert "in their workbook" not in guide.text  # never a pointer instead of the content


def test_figures_and_quotes_are_shown_in_the_guide(guide: PdfFacts, sample: LoadedCourse):
    figures = [block for module in sample.course.modules for block in module.blocks if isinstance(block, Figure)]
    assert figures
    assert all(figure.alt in guide.structure_alt_texts() for figure in figures)


def run_sheet_text(guide: PdfFacts) -> str:
    first = next(i for i, text in enumerate(guide.page_texts) if text.startswith("Run sheet"))
    preparation = next(i for i, text in enumerate(guide.page_texts) if text.startswith("Preparation"))
    return " ".join(guide.page_texts[first:preparation])


def test_the_run_sheets_clock_times_run_without_gaps_and_match_the_agenda(guide: PdfFacts, sample: LoadedCourse):
    sheet = run_sheet_text(guide)
    spans = re.findall(r"(\d\d:\d\d)–(\d\d:\d\d) (\d+) ", sheet)
    assert len(spans) > 30  # segment by segment, not module by module
    assert all(start == previous_end for (_, previous_end, _), (start, _, _) in itertools.pairwise(spans))
    for start, end, minutes in spans:
        length = (datetime.strptime(end, "%H:%M") - datetime.strptime(start, "%H:%M")).seconds // 60
        assert length == int(minutes)
    starts, ends = {start for start, _, _ in spans}, {end for _, end, _ in spans}
    for item in workshop_agenda(sample.course):
        assert f"{item.start:%H:%M}" in starts and f"{item.end:%H:%M}" in ends
        if item.kind == "break":
            assert f"{item.clock} {item.minutes} {item.title}" in sheet
    assert spans[0][0] == f"{workshop_agenda(sample.course)[0].start:%H:%M}"
    assert spans[-1][1] == f"{workshop_agenda(sample.course)[-1].end:%H:%M}"


def test_the_run_sheet_names_each_activity_with_its_grouping_and_handouts(guide: PdfFacts, sample: LoadedCourse):
    sheet = run_sheet_text(guide)
    for module in sample.course.modules:
        for activity in module.activities:
            assert f"{activity.title} ({activity.grouping.replace('-', ' ')})" in sheet
            for handout in activity.handouts:
                assert handout.title in sheet


def test_the_footer_and_the_objectives_speak_to_the_facilitator(guide: PdfFacts, sample: LoadedCourse):
    brand_footer = squash(sample.course.brand.footer)
    assert "For workshop participants" in brand_footer  # the sample brand's footer is the participants'
    for text in guide.page_texts[1:]:
        assert brand_footer not in text
        assert "Facilitator guide: not for participants" in text
    assert "For workshop participants" not in guide.text
    assert "IN THIS MODULE YOU WILL" not in guide.text
    assert guide.text.count("BY THE END OF THIS MODULE, PARTICIPANTS CAN") == len(sample.course.modules)


def test_sections_carry_cues_from_the_notes_and_a_transition_onward(guide: PdfFacts, sample: LoadedCourse):
    asked = "Think of the best and the worst service you had as a customer this year. What made the difference?"
    assert f"ASK Ask “{asked}”" in guide.text
    assert "DRAW OUT Draw out that the leaders’ actions are small and personal" in guide.text
    assert "Next: Able is not the same as willing." in guide.text
    breaks = [item for item in workshop_agenda(sample.course) if item.kind == "break"]
    for item in breaks:
        assert f"Next: {item.title}, {item.clock}." in guide.text


def test_a_german_courses_notes_give_cues_by_their_german_lead_words(tmp_path: Path):
    course = tmp_path / "course"
    write_minimal_course(course)
    (course / "course.yaml").write_text((course / "course.yaml").read_text().replace("language: en", "language: de"))
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text().replace("Write your content in Markdown.\n", (
        "Write your content in Markdown.\n\n::: {.facilitator}\n"
        "Fragen Sie die Gruppe, was sie überrascht hat. Sagen Sie, dass es keine falschen Antworten gibt. "
        "Sammeln Sie die Hoffnungen auf dem Flipchart. Achten Sie auf die Zeit.\n:::\n")))
    build_course(load_course(course), tmp_path / "out", ("guide",), options=BuildOptions(source_date_epoch=0))
    text = PdfFacts(tmp_path / "out" / "guide.pdf").text
    cues = text[text.index("Fragen Sie die Gruppe") - 7:]
    assert cues.startswith("FRAGEN Fragen Sie die Gruppe")
    assert "Sagen Sie, dass es keine falschen Antworten gibt." in cues
    assert "Sammeln Sie die Hoffnungen auf dem Flipchart." in cues
    cue_list = cues[: cues.index("Sammeln Sie die Hoffnungen auf dem Flipchart.")]
    assert "Achten Sie auf die Zeit." not in cue_list  # not something to say, ask or draw out


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


def test_check_warns_when_a_modules_timing_line_does_not_add_up_to_its_duration(course_copy: Path):
    module = course_copy / "modules" / "05-your-leadership-plan.md"
    module.write_text(module.read_text().replace("closing round and evaluation 15.", "closing round and evaluation 25."))
    result = CliRunner().invoke(main, ["check", str(course_copy)])
    assert "the timing line of 'Your leadership plan' adds up to 70 minutes; the module lasts 60" in result.output
    assert "05-your-leadership-plan.md:1" in result.output


def test_check_is_silent_on_the_sample_whose_timing_lines_add_up(sample_dir: Path):
    result = CliRunner().invoke(main, ["check", str(sample_dir)])
    assert result.exit_code == 0 and "0 warnings" in result.output


def test_every_section_names_the_slides_that_show_it_in_the_deck_of_the_same_build(
    guide: PdfFacts, sample: LoadedCourse, sample_builds
) -> None:
    deck = Presentation(str(sample_builds.build("slides") / "slides.pptx"))
    titles = [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in deck.slides]
    text = squash(guide.text)
    listed = []
    for module in sample.course.modules:
        for section in (s for s in module.sections if s.title):
            found = re.search(re.escape(section.title) + r" Slides? (\d+)(?:–(\d+))?", text)
            assert found, f"no slides named for '{section.title}'"
            first, last = int(found.group(1)), int(found.group(2) or found.group(1))
            assert titles[first - 1].startswith(section.title), (section.title, titles[first - 1])
            listed.append((first, last))
    # The sections' slides follow one another through the deck without overlapping.
    assert all(a_last < b_first for (_, a_last), (b_first, _) in itertools.pairwise(listed))
    assert listed[-1][1] < len(titles)
