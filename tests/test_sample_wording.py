"""The sample course is written in our own words: no run of 8 words is shared with its source articles.

The articles the sample draws on live outside the repository (`../shared/seeds/` beside the
checkout, or the folder named by COURSE_BUILDER_SEEDS). Every text file of the sample course is
compared with them word by word, ignoring case, punctuation and typographic quotes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE

RUN = 8
WORD = re.compile(r"[a-z0-9]+")


def seeds_folder() -> Path | None:
    named = os.environ.get("COURSE_BUILDER_SEEDS")
    folder = Path(named) if named else REPO.parent / "shared" / "seeds"
    return folder if folder.is_dir() else None


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "").replace("'", ""))


def runs(text: str) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + RUN]) for i in range(len(found) - RUN + 1)}


def shared_runs(source_texts: list[str], ours: str) -> set[str]:
    theirs = set().union(*(runs(text) for text in source_texts))
    return {" ".join(run) for run in runs(ours) & theirs}


def test_the_check_finds_a_copied_run_of_eight_words() -> None:
    article = "People do not act because you want them to, they act for their own reasons."
    assert shared_runs([article], "Remember: they act because you want them to, said nobody.") == set()
    assert shared_runs([article], "As we said, people do not act because you want them to.") == {
        "people do not act because you want them",
        "do not act because you want them to",
    }


def test_no_sample_file_shares_a_run_of_eight_words_with_the_seed_articles() -> None:
    folder = seeds_folder()
    if folder is None:
        pytest.skip("the seed articles are not beside this checkout; set COURSE_BUILDER_SEEDS to their folder")
    articles = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]
    assert articles, f"no .txt articles in {folder}"
    files = sorted(p for p in SAMPLE.rglob("*") if p.suffix in {".md", ".yaml"})
    copied = {str(p.relative_to(SAMPLE)): sorted(shared_runs(articles, p.read_text(encoding="utf-8"))) for p in files}
    assert {name: found for name, found in copied.items() if found} == {}
