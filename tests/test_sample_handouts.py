"""The sample course's handouts.pdf, read back as the facilitator printing for tomorrow would."""

from __future__ import annotations

import pytest
from pdf_facts import PdfFacts, squash

from course_builder.load import LoadedCourse
from course_builder.markup import to_text
from course_builder.model import Handout


@pytest.fixture(scope="module")
def handouts(sample_builds) -> PdfFacts:
    return PdfFacts(sample_builds.build("handouts") / "handouts.pdf")


def sample_handouts(sample: LoadedCourse) -> list[Handout]:
    return [handout for module in sample.course.modules for activity in module.activities for handout in activity.handouts]


def test_every_activity_that_needs_paper_has_its_handout(sample: LoadedCourse):
    needing = {"manage-or-lead", "needs-map", "rewrite-the-request", "coaching-practice", "action-plan", "closing-round"}
    with_handouts = {activity.id for module in sample.course.modules for activity in module.activities if activity.handouts}
    assert needing <= with_handouts
    forms = {handout.form for handout in sample_handouts(sample)}
    assert forms == {"cards", "worksheet", "tally"}


def test_each_handout_is_a_bookmark_and_its_contents_are_printed(handouts: PdfFacts, sample: LoadedCourse):
    titles = [title for _, title, _ in handouts.outline()]
    for handout in sample_handouts(sample):
        assert handout.title in titles
        for item in handout.items:
            assert squash(to_text(item.text)) in handouts.text
            if item.back:
                assert squash(to_text(item.back)) in handouts.text
        for field in handout.fields:
            assert field.label in handouts.text


def test_the_cover_fits_the_whole_print_list(handouts: PdfFacts, sample: LoadedCourse):
    cover = handouts.page_texts[0]
    assert f"What to print for {sample.course.settings.workshop.participants} participants" in cover
    for handout in sample_handouts(sample):
        assert handout.title in cover
    assert handouts.page_texts[1].startswith("Contents")


def test_the_sorting_cards_are_all_eighteen_and_the_question_cards_have_their_open_versions_behind(
    handouts: PdfFacts, sample: LoadedCourse
):
    cards = next(handout for handout in sample_handouts(sample) if handout.id == "sorting-cards")
    assert len(cards.items) == 18
    assert all(squash(to_text(item.text)) in handouts.text for item in cards.items)
    sorting = [text for text in handouts.page_texts if "Sorting cards" in text and "Built the quarterly budget" in text]
    assert len(sorting) == 1
    fronts = next(i for i, text in enumerate(handouts.page_texts) if "Closed: Have you finished the proposal?" in text)
    assert "Open: Where have you got to with the proposal, and what is left?" in handouts.page_texts[fronts + 1]
    assert "Backs of the cards on the page before" in handouts.page_texts[fronts + 1]
