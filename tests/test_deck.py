"""Stage one of the slide deck: which slides a course makes and how their text is measured to fit.

No file is written here: these tests read the typed deck that `targets/slides/` serialises,
made from the presenter view as the slides target makes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from deck_facts import CONTINUED, overflowing_module, write_course
from PIL import Image

from course_builder.deck import (
    CONTENT,
    DEFAULT_GEOMETRY,
    Deck,
    Para,
    Picture,
    Slide,
    TextMetrics,
    build_deck,
)
from course_builder.load import load_course
from course_builder.markup import Run, to_text
from course_builder.model import Activity, Brand, Course, FacilitatorNote, Quiz, Steps
from course_builder.targets.base import BuildOptions
from course_builder.targets.slides import SlidesTarget
from course_builder.views import view_for


def make_course(tmp_path: Path, body: str) -> Course:
    return load_course(write_course(tmp_path / "course", body)).course


def deck_of(course: Course, brand: Brand | None = None) -> Deck:
    """The typed deck as the slides target makes it: from the presenter view."""
    return build_deck(view_for(course, "presenter"), brand or course.brand)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sample_deck(sample) -> Deck:
    return deck_of(sample.course)


def every_text_box(slide: Slide):
    yield from slide.placeholders.values()
    yield from (shape.text for shape in slide.shapes if getattr(shape, "text", None) is not None)


def it_fits(metrics: TextMetrics, slide: Slide) -> None:
    for box in every_text_box(slide):
        assert metrics.fits(box.paras, box.frame), (slide.title, [p.text[:40] for p in box.paras])
    title = DEFAULT_GEOMETRY.frame(slide.layout, "title")
    assert metrics.fits([Para((Run(slide.title),), slide.title_size, "heading", bold=True, spacing=0.9)], title), slide.title


def test_the_sample_deck_opens_and_closes_the_day_and_each_module(sample, sample_deck: Deck) -> None:
    kinds = [slide.kind for slide in sample_deck.slides]
    assert kinds[:2] == ["title", "agenda"] and kinds[-1] == "closing"
    assert kinds.count("module") == len(sample.course.modules)
    assert kinds.count("takeaways") == len(sample.course.modules)


def test_continuation_slides_count_up_to_their_total(sample_deck: Deck) -> None:
    titles = [s.title for s in sample_deck.slides]
    for index, title in enumerate(titles):
        match = CONTINUED.search(title)
        if match and match.group(1) != match.group(2):
            following = CONTINUED.search(titles[index + 1])
            assert following and int(following.group(1)) == int(match.group(1)) + 1, (title, titles[index + 1])


def test_every_text_box_of_the_sample_deck_holds_no_more_lines_than_fit(sample, sample_deck: Deck) -> None:
    metrics = TextMetrics.for_brand(sample.course.brand)
    for slide in sample_deck.slides:
        it_fits(metrics, slide)


OVERFLOWING_KINDS = ("prose", "step", "concept", "questions", "reflection", "activity", "quiz", "quote", "case", "takeaways")


def test_a_deck_made_to_overflow_splits_or_shortens_every_block_and_every_box_still_fits(tmp_path: Path) -> None:
    course = make_course(tmp_path, overflowing_module())
    deck = deck_of(course)
    metrics = TextMetrics.for_brand(course.brand)
    for kind in OVERFLOWING_KINDS:
        slides = [s for s in deck.slides if s.kind == kind]
        continued = any(CONTINUED.search(s.title) for s in slides)
        shortened = any("in full: " in s.notes_text.lower() for s in slides)
        assert continued or shortened, f"nothing of the {kind} block overflowed: the test proves nothing for it"
    for slide in deck.slides:
        it_fits(metrics, slide)


def test_it_splits_a_long_list_onto_a_continuation_slide(tmp_path: Path) -> None:
    items = "\n".join(
        f"- Takeaway number {n}, long enough to wrap onto a second line on any slide of this deck." for n in range(30)
    )
    course = make_course(tmp_path, f"## Wrap up\n\n::: {{.takeaways}}\n{items}\n:::\n")
    deck = deck_of(course)
    pages = [s for s in deck.slides if s.kind == "takeaways"]
    assert len(pages) > 1
    assert [s.title for s in pages] == [f"Key takeaways: Welcome ({n}/{len(pages)})" for n in range(1, len(pages) + 1)]
    shown = [p.text for s in pages for p in s.placeholders["body"].paras]
    assert shown == [f"Takeaway number {n}, long enough to wrap onto a second line on any slide of this deck." for n in range(30)]
    metrics = TextMetrics.for_brand(course.brand)
    assert all(metrics.fits(s.placeholders["body"].paras, s.placeholders["body"].frame) for s in pages)


def test_it_measures_text_with_the_font_not_by_counting_characters(sample) -> None:
    metrics = TextMetrics.for_brand(sample.course.brand)
    narrow = Para((Run("il " * 60),), 20)
    wide = Para((Run("WM " * 60),), 20)
    assert len(narrow.text) == len(wide.text)
    assert metrics.lines(wide, 600) > 2 * metrics.lines(narrow, 600)
    bold = Para((Run("word " * 40, bold=True),), 20)
    regular = Para((Run("word " * 40),), 20)
    assert metrics.run_width(bold.text, bold.runs[0], bold) > metrics.run_width(regular.text, regular.runs[0], regular)


def test_it_measures_with_the_brands_own_font_files(sample) -> None:
    brand = sample.course.brand
    assert brand.fonts.body.files, "the sample brand ships its body font"
    own = TextMetrics.for_brand(brand)
    fallback = TextMetrics.for_brand(
        brand.model_copy(
            update={"fonts": brand.fonts.model_copy(update={"body": brand.fonts.body.model_copy(update={"files": ()})})}
        )
    )
    assert own.family("body") == brand.fonts.body.family and fallback.family("body") == "Noto Sans"
    para = Para((Run("Leadership is a relationship, built one conversation at a time."),), 20)
    assert own.run_width(para.text, para.runs[0], para) != fallback.run_width(para.text, para.runs[0], para)


def test_long_prose_shows_whole_key_sentences_within_the_word_budget_and_the_notes_keep_it_whole(tmp_path: Path) -> None:
    sentence = "This sentence explains the idea at length so the paragraph runs long."
    long = " ".join([sentence] * 6)
    course = make_course(
        tmp_path, f"## Why it matters\n\nA short start. {long}\n\n**Lead-in.** Short second point.\n\nThird point.\n"
    )
    slides = [s for s in deck_of(course).slides if s.kind == "prose"]
    shown = [[p.text for p in s.placeholders["body"].paras] for s in slides]
    # A short first sentence brings the next; a bold lead-in is never shown alone; no slide holds more than 40 words.
    assert shown == [[f"A short start. {sentence}", "Lead-in. Short second point.", "Third point."]]
    assert long in slides[0].notes_text


def test_a_slide_never_shows_more_than_the_word_budget_unless_one_paragraph_is_longer(tmp_path: Path) -> None:
    paragraphs = "\n\n".join(f"Point {n} says one thing in a sentence of about thirteen words here." for n in range(9))
    course = make_course(tmp_path, f"## Many points\n\n{paragraphs}\n")
    slides = [s for s in deck_of(course).slides if s.kind == "prose"]
    assert len(slides) == 3
    assert all(sum(len(p.text.split()) for p in s.placeholders["body"].paras) <= 40 for s in slides)


def test_a_paragraph_taller_than_a_slide_is_cut_between_lines(sample) -> None:
    metrics = TextMetrics.for_brand(sample.course.brand)
    frame = DEFAULT_GEOMETRY.frame(CONTENT, "body")
    para = Para((Run("A long sentence that keeps going and going. " * 60),), 20)
    pages = metrics.paginate([para], frame)
    assert len(pages) > 1
    assert " ".join(p.text for page in pages for p in page).split() == para.text.split()
    assert all(metrics.fits(page, frame) for page in pages)


def test_few_concepts_make_a_grid_and_many_make_one_slide_each(tmp_path: Path) -> None:
    few = "\n".join(f"### Idea {n}\nIdea {n} explained." for n in range(3))
    many = "\n".join(f"### Thing {n}\nThing {n} explained." for n in range(8))
    course = make_course(
        tmp_path, f'## Ideas\n\n::: {{.concepts title="Few"}}\n{few}\n:::\n\n::: {{.concepts title="Many"}}\n{many}\n:::\n'
    )
    deck = deck_of(course)
    grid = next(s for s in deck.slides if s.kind == "grid")
    assert grid.title == "Few" and len([s for s in grid.shapes if s.fill == "bg2"]) == 3
    assert [s.title for s in deck.slides if s.kind == "concept"] == [f"Thing {n}" for n in range(8)]


def test_steps_make_an_overview_and_one_slide_per_step(sample, sample_deck: Deck) -> None:
    deck = sample_deck
    steps = next(b for m in sample.course.modules for b in m.blocks if isinstance(b, Steps))
    overview = next(s for s in deck.slides if s.kind == "steps")
    assert [p.text for p in overview.placeholders["body"].paras][-len(steps.items) :] == [s.name for s in steps.items]
    assert [s.title for s in deck.slides if s.kind == "step"] == [f"{s.number}. {s.name}" for s in steps.items]


def test_closed_and_open_questions_start_level_row_by_row(sample, sample_deck: Deck) -> None:
    metrics = TextMetrics.for_brand(sample.course.brand)
    for slide in (s for s in sample_deck.slides if s.layout == "Comparison"):
        left, right = slide.placeholders["left"], slide.placeholders["right"]
        assert len(left.paras) == len(right.paras)

        def tops(box):
            y, result = 0.0, []
            for i, para in enumerate(box.paras):
                y += 0 if i == 0 else para.space_before
                result.append(round(y, 3))
                y += metrics.lines(para, box.frame.inner.w) * metrics.line_height(para)
            return result

        assert tops(left) == tops(right)


def test_quiz_answers_and_facilitator_notes_stay_off_the_slide_face(sample, sample_deck: Deck) -> None:
    deck = sample_deck
    faces = " ".join(p.text for s in deck.slides for box in every_text_box(s) for p in box.paras)
    notes = " ".join(s.notes_text for s in deck.slides)
    for module in sample.course.modules:
        for block in module.blocks:
            if isinstance(block, FacilitatorNote):
                assert to_text(block.markdown) not in faces and to_text(block.markdown) in notes
            if isinstance(block, Activity) and block.facilitator:
                assert to_text(block.facilitator) not in faces and to_text(block.facilitator) in notes
            if isinstance(block, Quiz):
                for question in block.questions:
                    for option in question.options:
                        if option.feedback:
                            assert to_text(option.feedback) not in faces and to_text(option.feedback) in notes
    assert "Answer:" not in faces


@pytest.mark.parametrize("kind", ["reflection", "activity"])
def test_timed_blocks_show_their_minutes_on_the_slide(sample_deck: Deck, kind: str) -> None:
    for slide in (s for s in sample_deck.slides if s.kind == kind):
        badge = " ".join(p.text for shape in slide.shapes if getattr(shape, "text", None) for p in shape.text.paras)
        assert re.search(r"\b\d+\b", badge) and "min" in badge, slide.title


def test_every_slide_has_a_title_and_every_slide_has_notes(sample_deck: Deck) -> None:
    for slide in sample_deck.slides:
        assert slide.title.strip()
        assert slide.notes_text.strip(), slide.title


def test_the_agenda_shows_clock_times(sample, sample_deck: Deck) -> None:
    agenda = next(s for s in sample_deck.slides if s.kind == "agenda")
    clocks = ["".join(r.text for r in p.label) for p in agenda.placeholders["body"].paras]
    assert clocks[0].startswith(f"{sample.course.settings.workshop.start:%H:%M}")
    assert all(re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", clock) for clock in clocks)


def unshown_image_warnings(course: Course) -> list[str]:
    target = SlidesTarget()
    problems = target.check(view_for(course, target.audience), course.brand, BuildOptions())
    return [p.message for p in problems if "not the picture" in p.message]


def test_an_svg_picture_without_a_png_is_described_instead_of_shown_and_check_says_so(tmp_path: Path) -> None:
    course = make_course(tmp_path, "## A picture\n\n![Three circles in a row](../assets/circles.svg)\n")
    svg = course.root / "assets" / "circles.svg"
    deck = deck_of(course)
    slide = next(s for s in deck.slides if s.kind == "figure")
    assert not any(isinstance(shape, Picture) for shape in slide.shapes)
    assert [p.text for shape in slide.shapes if shape.text for p in shape.text.paras] == ["Three circles in a row"]
    assert [svg.name in message for message in unshown_image_warnings(course)] == [True]
    Image.new("RGB", (300, 100), "white").save(svg.with_suffix(".png"))
    course = load_course(course.root).course  # the loader decides which file each output shows
    picture = next(s for s in deck_of(course).slides if s.kind == "figure").shapes[0]
    assert isinstance(picture, Picture) and picture.file == svg.with_suffix(".png")
    assert picture.box.w / picture.box.h == pytest.approx(3)
    assert unshown_image_warnings(course) == []


def test_every_block_kind_names_a_deck_method_that_makes_its_slides() -> None:
    from course_builder.blocks import BLOCK_KINDS
    from course_builder.deck.block_slides import ModuleSlides

    shown = 0
    for kind in BLOCK_KINDS.values():
        method = kind.renderers["slides"]  # declared for every kind; None: the deck deliberately shows none
        assert method is None or callable(getattr(ModuleSlides, method, None)), kind.name
        shown += method is not None
    assert shown >= 12


def test_speaker_notes_come_from_the_facilitators_blocks_not_the_rooms(sample, sample_deck: Deck) -> None:
    """The room's quiz has no answers and the room's activity no facilitator note: the notes still carry both."""
    room = view_for(sample.course, "presenter")
    room_blocks = [b for m in room.modules for b in m.blocks]
    assert not any(isinstance(b, FacilitatorNote) for b in room_blocks)
    assert not any(o.correct or o.feedback for b in room_blocks if isinstance(b, Quiz) for q in b.questions for o in q.options)
    notes = " ".join(s.notes_text for s in sample_deck.slides)
    assert notes.count("Answer: ") == sum(len(b.questions) for b in room_blocks if isinstance(b, Quiz))
    assert "Answer: \n" not in notes and not notes.rstrip().endswith("Answer:")


def test_every_slide_title_is_unique(sample_deck: Deck) -> None:
    """Screen readers and PowerPoint's outline tell slides apart by their titles."""
    titles = [s.title for s in sample_deck.slides]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)


def test_a_title_no_block_makes_unique_is_numbered(tmp_path: Path) -> None:
    course = make_course(tmp_path, "## Same\n\nOne.\n\n## Same\n\nTwo.\n")
    assert [s.title for s in deck_of(course).slides if s.kind == "prose"] == ["Same", "Same (2)"]


def test_each_slides_notes_open_with_a_clock_time_that_moves_on_through_its_module(sample, sample_deck: Deck) -> None:
    from course_builder.agenda import workshop_agenda

    slots = [item for item in workshop_agenda(sample.course) if item.kind == "module"]
    clocks = []
    module = 0
    for slide in sample_deck.slides[2:-1]:  # between the agenda and the closing slide
        module += slide.kind == "module"
        match = re.match(r"At (\d\d:\d\d), (under a minute|\d+ min) for this slide\.", slide.notes[0])
        assert match, slide.title
        clocks.append((module, match.group(1)))
    assert clocks == sorted(clocks)
    for number, slot in enumerate(slots, start=1):
        times = [clock for module, clock in clocks if module == number]
        assert times[0] == f"{slot.start:%H:%M}" and times[-1] < f"{slot.end:%H:%M}", (number, times)


def test_notes_end_with_the_next_slides_title(sample_deck: Deck) -> None:
    for slide, following in zip(sample_deck.slides, sample_deck.slides[1:], strict=False):
        assert slide.notes[-1] == f"Next: {following.title}"


def visible_text(slide: Slide) -> str:
    """The slide's text in reading order, without the decorative quotation mark of quote slides."""
    return " ".join(p.text for box in every_text_box(slide) for p in box.paras if p.text.strip() != "“").strip()


def test_no_slide_ends_inside_a_quotation_or_on_a_colon(sample_deck: Deck, tmp_path: Path) -> None:
    overflowing = deck_of(make_course(tmp_path, overflowing_module()))
    for slide in (*sample_deck.slides, *overflowing.slides):
        text = visible_text(slide)
        assert not text.endswith(":"), (slide.title, text[-80:])
        assert text.count("“") == text.count("”"), (slide.title, text[-80:])


def test_prose_slides_show_at_most_forty_words_unless_one_point_is_longer(sample_deck: Deck) -> None:
    """One point: a paragraph, or a sentence ending in a colon with the first thing it introduces."""
    prose = [s for s in sample_deck.slides if s.kind == "prose"]
    assert prose
    for slide in prose:
        paras = slide.placeholders["body"].paras
        one_point = len(paras) == 1 or (len(paras) == 2 and paras[0].text.endswith(":"))
        assert sum(len(p.text.split()) for p in paras) <= 40 or one_point, slide.title
