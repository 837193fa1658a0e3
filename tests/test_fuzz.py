"""Whatever an author's files contain, the loader answers with a CourseError, never a crash.

Hypothesis mutates the sample course's own files (byte flips, lost and doubled lines, stray
':::' fences, random Unicode, random YAML) and generates course.yaml files from scratch. The
only exception allowed out of `load_course` is CourseError, and each of its problems must
name a file and print cleanly.

CI runs FUZZ_EXAMPLES (default 100) examples per test. A longer run:

    FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py -p no:xdist
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_builder.cli import print_problems
from course_builder.errors import CourseError, Problems
from course_builder.load import load_course
from course_builder.load.yaml_source import read_yaml

SAMPLE = Path(__file__).resolve().parent.parent / "content"
SAMPLE_MODULES = sorted((SAMPLE / "modules").glob("*.md"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The same examples on every run, so a run in which nothing loads (or nothing is refused) is a
    # finding about the loader, not bad luck; FUZZ_EXAMPLES explores further.
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Lines an author (or a bad merge) leaves in a module: fences, half-written blocks, quiz marks, YAML.
STRAY_LINES = [
    ":::",
    "::::",
    "::: {.quiz}",
    "::: {.activity title=x minutes=5}",
    "::: {.activity}",
    "::: {.steps",
    "::: {.",
    "::: {#only-an-id}",
    "::: {.reflection minutes=-1}",
    "::: {.needs}",
    "::: {.debrief}",
    "::: {.facilitator}",
    "::: {.reflektion}",
    '::: {.case title="unclosed}',
    "---",
    "```",
    "~~~",
    "- [x]",
    "- [ ]",
    "- [x] True",
    "### ?",
    "###",
    "{objective=9}",
    "{objective=x}",
    "{#dup}",
    "{#}",
    "1. **",
    "1. ",
    "Signs:",
    "Actions:",
    "> ",
    "<script>alert(1)</script>",
    "<img src=x onerror=y>",
    "<!--",
    "![](",
    "![x](../../etc/passwd)",
    "![x](https://example.com/x.png)",
    "![x](../assets/missing.png)",
    "[x]: http://a",
    "| a | b |",
    "|---|",
    "id: again",
    "duration: -5",
    "objectives: [",
    "title: a: b",
    "\t- tab",
    "{{ 7*7 }}",
    "{% for %}",
    "\x00",
    "\ufeff",
    "\u202e",
    "#" * 7,
    # YAML that parses but is not plain settings: impossible dates, cycles, list keys, tags, markup-like text.
    "date: 2024-13-45",
    "start: 25:99",
    "a: &x [*x]",
    "b: &y {k: *y}",
    "? [a, b]\n: c",
    "[x]: y",
    "{a: b}: c",
    "x: !!python/object/apply:os.system [echo]",
    "y: !!binary Zm9v",
    "z: !custom tag",
    "title: '[/bold] [x]'",
    "<<: {title: merged}",
    "big: 1e999",
    "n: .nan",
    "- lone item",
]
YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["09:00", "25:99", "2024-13-45", "brand.yaml", "../x", "/etc/passwd", "https://x", "*", "&a", "!!binary x"]),
)
# Any character but NUL (which makes a file binary; STRAY_LINES has one now and then).
UNICODE = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=12)
COURSE_KEYS = [
    "id",
    "title",
    "subtitle",
    "version",
    "language",
    "audience",
    "authors",
    "brand",
    "brands",
    "modules",
    "outputs",
    "paper",
    "allow_html",
    "lms",
    "workshop",
    "start",
    "breaks",
    "after",
    "minutes",
    "mastery_score",
    "completion",
    "sco",
    "name",
    "logo",
    "colors",
    "primary",
    "fonts",
    "heading",
    "family",
    "files",
]
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(COURSE_KEYS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """`text` after a few of the edits that break real files, and sometimes a few flipped bytes.

    Positions come from a seeded Random: Hypothesis's own integers favour 0, which would break
    the front matter in most examples and leave the blocks below it untested.
    """
    rng = draw(st.randoms(use_true_random=False))
    lines = text.split("\n")
    body = lines.index("---", 1) + 1 if lines[0] == "---" and "---" in lines[1:] else 0
    for _ in range(draw(st.integers(1, 6))):
        at = rng.randint(0 if rng.random() < 0.15 else min(body, len(lines)), len(lines))
        edit = draw(st.sampled_from(["delete", "duplicate", "stray", "unicode", "indent", "yaml", "swap", "truncate"]))
        if edit == "stray":
            lines.insert(at, draw(st.sampled_from(STRAY_LINES)))
        elif edit == "unicode":
            line = lines[at] if at < len(lines) else ""
            cut = rng.randint(0, len(line))
            lines[at : at + 1] = [line[:cut] + draw(UNICODE) + line[cut:]]
        elif edit == "yaml":
            lines.insert(at, yaml.safe_dump(draw(YAML_VALUES), allow_unicode=True).rstrip("\n"))
        elif at < len(lines):
            if edit == "delete":
                del lines[at]
            elif edit == "duplicate":
                lines.insert(at, lines[at])
            elif edit == "indent":
                lines[at] = " " * rng.randint(1, 9) + lines[at]
            elif edit == "swap":
                other = rng.randrange(len(lines))
                lines[at], lines[other] = lines[other], lines[at]
            else:
                lines = lines[:at]
    data = bytearray("\n".join(lines).encode("utf-8"))
    if data and rng.random() < 0.1:
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def module_id(path: Path) -> str:
    return re.search(r"^id: *(\S+)", read(path), re.M).group(1)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course's course.yaml, brand and assets, with one-paragraph stand-ins for its modules."""
    folder = tmp_path_factory.mktemp("fuzz") / "course"
    shutil.copytree(SAMPLE / "assets", folder / "assets")
    (folder / "modules").mkdir()
    for module in SAMPLE_MODULES:
        stand_in = f"---\nid: {module_id(module)}\ntitle: Stand-in\nduration: 10\n---\n\n## Section\n\nText.\n"
        (folder / "modules" / module.name).write_text(stand_in, encoding="utf-8")
    (folder / "modules" / "fuzzed.md").write_text(read(SAMPLE_MODULES[0]), encoding="utf-8")
    return folder


def restored(folder: Path) -> Path:
    for name in ("course.yaml", "brand.yaml"):
        shutil.copyfile(SAMPLE / name, folder / name)
    return folder


def only_course_errors(folder: Path) -> str:
    """Load the course: success, or a CourseError whose problems all name a file and print."""
    try:
        load_course(folder)
    except CourseError as err:
        assert err.problems
        for problem in err.problems:
            assert problem.file is not None, problem
            assert problem.message and problem.describe(folder)
        print_problems(err.problems, folder)
        return "refused"
    return "loaded"


def fuzz(strategy: st.SearchStrategy, attempt: Callable[[object], str]) -> Counter[str]:
    """Run `attempt` on every generated example and count how each ended.

    A fuzz run in which nothing loads proves nothing about the loader (a broken fixture would
    refuse every example): the tests below require both outcomes.
    """
    outcomes: Counter[str] = Counter()

    @FUZZ
    @given(example=strategy)
    def run(example: object) -> None:
        outcomes[attempt(example)] += 1

    run()
    return outcomes


def test_a_mutated_module_raises_nothing_but_course_error(course: Path) -> None:
    def attempt(source: bytes) -> str:
        restored(course)
        (course / "course.yaml").write_text("id: fuzz\ntitle: Fuzz\nmodules: [modules/fuzzed.md]\n", encoding="utf-8")
        (course / "modules" / "fuzzed.md").write_bytes(source)
        return only_course_errors(course)

    outcomes = fuzz(st.sampled_from(SAMPLE_MODULES).map(read).flatmap(mutated), attempt)
    assert outcomes["loaded"] and outcomes["refused"], outcomes


def test_a_mutated_course_yaml_raises_nothing_but_course_error(course: Path) -> None:
    def attempt(source: bytes) -> str:
        (restored(course) / "course.yaml").write_bytes(source)
        return only_course_errors(course)

    outcomes = fuzz(mutated(read(SAMPLE / "course.yaml")), attempt)
    assert outcomes["loaded"] and outcomes["refused"], outcomes


def test_a_mutated_brand_yaml_raises_nothing_but_course_error(course: Path) -> None:
    def attempt(source: bytes) -> str:
        (restored(course) / "brand.yaml").write_bytes(source)
        return only_course_errors(course)

    outcomes = fuzz(mutated(read(SAMPLE / "brand.yaml")), attempt)
    assert outcomes["loaded"] and outcomes["refused"], outcomes


def test_a_course_yaml_of_random_settings_raises_nothing_but_course_error(course: Path) -> None:
    def attempt(settings_: dict) -> str:
        (restored(course) / "course.yaml").write_text(yaml.safe_dump(settings_, allow_unicode=True), encoding="utf-8")
        return only_course_errors(course)

    # Random settings almost never make a whole course: only refusals are expected, and they must be located.
    outcomes = fuzz(st.dictionaries(st.sampled_from(COURSE_KEYS), YAML_VALUES, max_size=10), attempt)
    assert outcomes["refused"], outcomes


def test_any_text_read_as_yaml_is_data_or_a_located_problem() -> None:
    def attempt(text: str) -> str:
        problems = Problems()
        document = read_yaml(text, Path("course.yaml"), problems)
        assert (document is None) == bool(problems.errors)
        if document is None:
            assert all(p.line is None or p.line >= 1 for p in problems.errors)
            return "refused"
        return "loaded"

    fragments = st.sampled_from([*STRAY_LINES, ":", "- ", "  ", "? ", "&a", "*a", "[", "{"])
    texts = st.text(max_size=300) | st.lists(fragments).map("".join)
    outcomes = fuzz(texts, attempt)
    assert outcomes["loaded"] and outcomes["refused"], outcomes


def test_unusual_characters_in_a_paragraph_do_not_shift_the_blocks_after_it(course: Path) -> None:
    """U+2028, form feeds and the like end a line for Python but not for Markdown."""

    def attempt(noise: str) -> str:
        restored(course)
        (course / "course.yaml").write_text("id: fuzz\ntitle: Fuzz\nmodules: [modules/fuzzed.md]\n", encoding="utf-8")
        front = "---\nid: fuzzed\ntitle: Fuzzed\nduration: 5\n---\n\n"
        module = f"{front}Some {noise} text.\n\n::: {{.reflection}}\nWhat now?\n:::\n"
        (course / "modules" / "fuzzed.md").write_text(module, encoding="utf-8")
        try:
            loaded = load_course(course)
        except CourseError:
            return "refused"
        (reflection,) = loaded.course.modules[0].reflections
        assert reflection.prompt == "What now?"
        return "loaded"

    noise = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"), max_size=40)
    outcomes = fuzz(noise, attempt)
    assert outcomes["loaded"], outcomes
