"""handouts.pdf: every card set, worksheet, checklist and tally sheet an activity declares, ready to print.

Read back with pypdf, as a facilitator's printer would get it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from course_builder.build import build_course
from course_builder.load import load_course
from course_builder.skeleton import write_minimal_course
from course_builder.targets import BuildOptions

ACTIVITY = """\
::: {.activity #sort title="Managing or leading?" minutes=15 grouping=small-groups}
Sort the cards into two piles.

::: {.handout #cards title="Behaviour cards" form=cards copies=group}
Cut along the lines.

CARDS
:::

::: {.handout #plan title="My next step" form=worksheet keep=yes lines=3}
### One thing I will start
Something small you can do next week.

### Who will notice
:::

::: {.handout #observe title="Observer checklist" form=checklist copies=trio}
- Asked an open question
- Named what they saw
:::

::: {.handout #tally title="Question tally" form=tally copies=pair columns="Open; Closed"}
- Round one
- Round two
:::

::: {.handout #poster title="Ground rules poster" form=checklist copies=room}
- Phones away
:::
:::
"""
CARDS = [(f"Front {n:02d}", f"Back {n:02d}") for n in range(1, 11)]  # ten cards: two sheets of eight at most


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("handouts") / "course"
    write_minimal_course(folder)
    cards = "\n".join(f"- {front}\n  > {back}" for front, back in CARDS)
    module = folder / "modules" / "01-welcome.md"
    module.write_text(module.read_text(encoding="utf-8") + "\n" + ACTIVITY.replace("CARDS", cards), encoding="utf-8")
    settings = (folder / "course.yaml").read_text(encoding="utf-8")
    settings = settings.replace('  start: "09:00"', '  start: "09:00"\n  participants: 14')
    (folder / "course.yaml").write_text(settings, encoding="utf-8")
    out = folder.parent / "out"
    build_course(load_course(folder), out, ("handouts", "workbook"), options=BuildOptions())
    return out


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def test_the_cover_says_what_to_print_for_the_participant_count(built: Path) -> None:
    cover = page_texts(built / "handouts.pdf")[0]
    assert "What to print for 14 participants" in cover
    assert "Behaviour cards Welcome 4 sets (one per group)" in cover  # 14 people in groups of 4
    assert "My next step Welcome 14 copies (one per participant)" in cover
    assert "Observer checklist Welcome 5 copies (one per trio)" in cover
    assert "Question tally Welcome 7 copies (one per pair)" in cover
    assert "Ground rules poster Welcome 1 copy (for the room)" in cover


def test_cards_come_eight_to_a_sheet_each_followed_by_its_mirrored_backs(built: Path) -> None:
    pages = page_texts(built / "handouts.pdf")
    fronts = [i for i, text in enumerate(pages) if "Front 01" in text or "Front 09" in text]
    assert len(fronts) == 2
    first, second = fronts
    assert all(f"Front {n:02d}" in pages[first] for n in range(1, 9))
    assert all(f"Back {n:02d}" in pages[first + 1] for n in range(1, 9))
    assert "Front 10" in pages[second] and "Back 09" in pages[second + 1]
    # Mirrored: in each row the right-hand card's back comes first.
    backs = re.findall(r"Back (\d\d)", pages[first + 1])
    assert backs[:4] == ["02", "01", "04", "03"]


def test_worksheets_checklists_and_tally_sheets_each_start_a_page(built: Path) -> None:
    pages = page_texts(built / "handouts.pdf")
    for title, inside in [("My next step", "One thing I will start"), ("Observer checklist", "Named what they saw"),
                          ("Question tally", "Round two")]:
        (page,) = [text for text in pages[2:] if f"MANAGING OR LEADING? {title}" in text]  # under where it is used
        assert inside in page
    tally = next(text for text in pages if "Round one" in text)
    assert "What to count Open Closed" in tally


def test_the_contents_and_bookmarks_name_every_handout(built: Path) -> None:
    reader = PdfReader(built / "handouts.pdf")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for title in ("Behaviour cards", "My next step", "Observer checklist", "Question tally", "Ground rules poster"):
        assert title in page_texts(built / "handouts.pdf")[1]
        assert title in titles


def test_the_workbook_prints_only_the_handouts_participants_keep(built: Path) -> None:
    text = " ".join(page_texts(built / "workbook.pdf"))
    assert "My next step" in text and "Who will notice" in text
    assert "Behaviour cards" not in text and "Observer checklist" not in text
