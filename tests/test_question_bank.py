"""The knowledge checks as GIFT and Moodle XML question banks, read back by a parser we did not write and by the formats' rules.

The GIFT file is parsed by gift-pegjs (the npm package of the PEG.js GIFT grammar that editors such
as the VS Code GIFT extension use, installed by tests/js/package.json). It is also read by the rules
of Moodle's own import code (`question/format/gift/format.php`: how it splits answers, reads weights
and the two true/false feedbacks, unescapes), which the reader below follows. No Moodle XML parser
from outside Moodle exists, so that file is read by Moodle's XML format documentation. Each
question read back must equal the question in the course.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from course_builder.load import LoadedCourse
from course_builder.markup import to_text
from course_builder.model import QuizQuestion
from course_builder.targets.question_bank import MOODLE_GRADES

UNESCAPE = re.compile(r"\\([~=#{}:\\])")


def bank(sample_builds: Any, sample: LoadedCourse, fmt: str, suffix: str) -> Path:
    return sample_builds.build(fmt) / f"{sample.course.id}-questions{suffix}"


def course_questions(sample: LoadedCourse) -> dict[str, tuple[str, QuizQuestion]]:
    """Every question of the course by id, with the module title it belongs to."""
    return {q.id: (m.title, q) for m in sample.course.modules for quiz in m.quizzes for q in quiz.questions}


def plain(markdown: str | None) -> str:
    return " ".join(to_text(markdown or "").split())


# ---------------------------------------------------------------- GIFT, read as Moodle reads it


def split_unescaped(text: str, separator: str) -> list[str]:
    return re.split(r"(?<!\\)" + re.escape(separator), text)


def read_gift(text: str) -> list[dict[str, Any]]:
    questions, category = [], None
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.strip().splitlines() if not line.startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            category = lines[0][len("$CATEGORY:"):].strip()
            continue
        source = " ".join(line.strip() for line in lines)
        match = re.fullmatch(r"::(.+?)(?<!\\)::(\[\w+\])?(.*?)(?<!\\)\{(.*)(?<!\\)\}", source)
        assert match, f"not a GIFT question: {source[:80]}"
        name, _, prompt, answers = match.groups()
        questions.append({"category": category, "name": UNESCAPE.sub(r"\1", name), "prompt": UNESCAPE.sub(r"\1", prompt.strip()),
                          "answers": answers.strip()})
    return questions


def gift_answers(answers: str) -> tuple[str, list[tuple[float, str, str]]]:
    """('truefalse'|'single'|'multiple', [(weight, text, feedback)]) by Moodle's rules."""
    check = split_unescaped(answers, "#")[0].strip()
    if "~" not in answers and check in ("T", "TRUE", "F", "FALSE"):
        _, wrong, right = split_unescaped(answers, "#")
        value = check in ("T", "TRUE")
        return "truefalse", [(1, str(value).lower(), UNESCAPE.sub(r"\1", right)),
                             (0, str(not value).lower(), UNESCAPE.sub(r"\1", wrong))]
    kind = "single" if re.search(r"(?<!\\)=", answers) else "multiple"
    parsed = []
    for answer in split_unescaped(answers.replace("=", "~="), "~")[1:]:
        answer = answer.strip()
        if answer.startswith("\\"):  # an escaped "=" split above: not an answer of its own
            continue
        weight = 1.0 if answer.startswith("=") else 0.0
        answer = answer.lstrip("=")
        found = re.match(r"%(-?[0-9.]+)%", answer)
        if found:
            weight, answer = float(found.group(1)) / 100, answer[found.end():]
        text, *comments = split_unescaped(answer, "#")
        feedback = "#".join(comments)
        parsed.append((weight, UNESCAPE.sub(r"\1", text).strip(), UNESCAPE.sub(r"\1", feedback).strip()))
    return kind, parsed


def test_every_question_reads_back_from_gift_with_its_answers_weights_and_feedback(sample_builds: Any,
                                                                                     sample: LoadedCourse) -> None:
    text = bank(sample_builds, sample, "gift", ".gift.txt").read_text(encoding="utf-8")
    read = read_gift(text)
    expected = course_questions(sample)
    assert [q["name"] for q in read] == list(expected)
    for question in read:
        module_title, original = expected[question["name"]]
        assert question["category"] == f"$course$/top/{sample.course.settings.title}/{module_title}"
        assert question["prompt"] == plain(original.prompt)
        kind, answers = gift_answers(question["answers"])
        assert kind == original.type
        if kind == "truefalse":
            right = original.correct_options[0]
            wrong = next(o for o in original.options if not o.correct)
            assert answers == [(1, plain(right.text).lower(), plain(right.feedback)),
                               (0, plain(wrong.text).lower(), plain(wrong.feedback))]
            continue
        assert [(text, feedback) for _, text, feedback in answers] == [
            (plain(o.text), plain(o.feedback)) for o in original.options]
        weights = [weight for weight, _, _ in answers]
        assert sum(w for w in weights if w > 0) == pytest.approx(1, abs=1e-4)
        assert all((w > 0) == o.correct for w, o in zip(weights, original.options, strict=True))
        if kind == "multiple":
            assert {f"{w * 100:.5f}".rstrip("0").rstrip(".") for w in weights if w > 0} <= set(MOODLE_GRADES.values())
            assert all(w == -1 for w, o in zip(weights, original.options, strict=True) if not o.correct)


JS = Path(__file__).resolve().parent / "js"
GIFT_PEGJS = 'process.stdout.write(JSON.stringify(require("gift-pegjs").parse(require("fs").readFileSync(0, "utf8"))))'


def test_gift_pegjs_parses_every_question_answer_weight_and_feedback(sample_builds: Any, sample: LoadedCourse) -> None:
    text = bank(sample_builds, sample, "gift", ".gift.txt").read_text(encoding="utf-8")
    parsed = json.loads(subprocess.run(["node", "-e", GIFT_PEGJS], input=text, capture_output=True, text=True,
                                       cwd=JS, check=True).stdout)
    expected = course_questions(sample)
    categories = [q["title"] for q in parsed if q["type"] == "Category"]
    assert categories == [f"$course$/top/{sample.course.settings.title}/{m.title}"
                          for m in sample.course.modules if m.quizzes]
    questions = [q for q in parsed if q["type"] != "Category"]
    assert [q["title"] for q in questions] == list(expected)
    for question in questions:
        _, original = expected[question["title"]]
        assert question["stem"] == {"format": "plain", "text": plain(original.prompt)}
        if original.type == "truefalse":
            right = original.correct_options[0]
            wrong = next(o for o in original.options if not o.correct)
            assert question["type"] == "TF"
            assert question["isTrue"] == (plain(right.text).lower() == "true")
            # gift-pegjs names the two feedbacks by position; Moodle shows the first after a wrong answer.
            assert [question["trueFeedback"]["text"], question["falseFeedback"]["text"]] == [
                plain(wrong.feedback), plain(right.feedback)]
            continue
        assert question["type"] == "MC"
        choices = question["choices"]
        assert [(c["text"]["text"], c["feedback"]["text"] if c["feedback"] else "") for c in choices] == [
            (plain(o.text), plain(o.feedback)) for o in original.options]
        if original.type == "single":
            assert [c["isCorrect"] for c in choices] == [o.correct for o in original.options]
        else:
            share = float(MOODLE_GRADES[len(original.correct_options)])
            assert [c["weight"] for c in choices] == [share if o.correct else -100 for o in original.options]


def test_gift_escapes_its_special_characters() -> None:
    from course_builder.targets.question_bank import gift_escape

    assert gift_escape("a = b: {c} ~ d # e \\ f\nnext") == "a \\= b\\: \\{c\\} \\~ d \\# e \\\\ f next"


# ---------------------------------------------------------------- Moodle XML, by its documented structure


def test_every_question_reads_back_from_moodle_xml(sample_builds: Any, sample: LoadedCourse) -> None:
    quiz = etree.parse(str(bank(sample_builds, sample, "moodle-xml", ".xml"))).getroot()
    assert quiz.tag == "quiz"
    expected = course_questions(sample)
    category = None
    seen = []
    for question in quiz.iterchildren("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
            continue
        name = question.findtext("name/text")
        seen.append(name)
        module_title, original = expected[name]
        assert category == f"$course$/top/{sample.course.settings.title}/{module_title}"
        assert question.findtext("idnumber") == original.id
        assert question.find("questiontext").get("format") == "html"
        prompt = etree.fromstring(f"<x>{question.findtext('questiontext/text')}</x>").xpath("string()")
        assert plain(prompt) == plain(original.prompt)
        answers = question.findall("answer")
        fractions = [float(a.get("fraction")) for a in answers]
        if original.type == "truefalse":
            assert question.get("type") == "truefalse"
            right = plain(original.correct_options[0].text).lower()
            assert {a.findtext("text"): float(a.get("fraction")) for a in answers} == {
                right: 100, ("false" if right == "true" else "true"): 0}
            continue
        assert question.get("type") == "multichoice"
        assert question.findtext("single") == ("true" if original.type == "single" else "false")
        assert [plain(a.findtext("text")) for a in answers] == [plain(o.text) for o in original.options]
        assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=1e-3)
        assert all((f > 0) == o.correct for f, o in zip(fractions, original.options, strict=True))
        for answer, option in zip(answers, original.options, strict=True):
            feedback = answer.findtext("feedback/text") or ""
            assert plain(etree.fromstring(f"<x>{feedback}</x>").xpath("string()")) == plain(option.feedback)
    assert seen == list(expected)
