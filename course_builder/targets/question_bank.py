"""`--format gift` and `--format moodle-xml`: the course's knowledge checks as a question bank an LMS imports.

Moodle imports both (Question bank › Import); GIFT is plain text an author can also read and edit,
Moodle XML keeps formatting (HTML) and the feedback of every answer. Each module's questions go
into a category of their own, named after the course and the module, so a teacher can build a
quiz per module or draw random questions from the whole course.

The scoring follows Moodle's rules: one right answer earns 100%; with several right answers each
earns an equal share (a grade Moodle offers: 50%, 33.33333%, 25%…) and each wrong one costs
100%, so ticking everything scores nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from course_builder.blocks import Audience
from course_builder.errors import Problem
from course_builder.markup import to_html, to_text
from course_builder.model import Brand, Course, Module, QuizQuestion
from course_builder.targets.base import BuildOptions, Target, atomic_file

MOODLE_GRADES = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571", 8: "12.5",
                 9: "11.11111", 10: "10"}
"""The share of each right answer when a question has n of them, spelled as Moodle's list of grades spells it."""
GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def module_questions(course: Course) -> Iterator[tuple[Module, list[QuizQuestion]]]:
    for module in course.modules:
        questions = [q for quiz in module.quizzes for q in quiz.questions]
        if questions:
            yield module, questions


def category(course: Course, module: Module) -> str:
    # A "/" would open a sub-category in both formats.
    return "/".join(title.replace("/", "-") for title in (course.settings.title, module.title))


def right_share(question: QuizQuestion) -> str:
    return MOODLE_GRADES[len(question.correct_options)]


# ---------------------------------------------------------------- GIFT


def gift_escape(text: str) -> str:
    """GIFT's special characters with a backslash; line breaks as spaces (a blank line ends a question)."""
    return GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def gift_text(markdown: str) -> str:
    return gift_escape(to_text(markdown))


def gift_question(question: QuizQuestion) -> str:
    head = f"::{gift_escape(question.id)}::[plain]{gift_text(question.prompt)}"
    if question.type == "truefalse":
        right = question.correct_options[0]
        wrong = next(o for o in question.options if not o.correct)
        value = "TRUE" if to_text(right.text).strip().lower() == "true" else "FALSE"
        # GIFT's true/false feedback: first for the wrong answer, then for the right one.
        feedback = "".join(f"#{gift_text(o.feedback or '')}" for o in (wrong, right))
        return f"{head} {{{value}{feedback}}}"
    answers = []
    for option in question.options:
        if question.type == "single":
            mark = "=" if option.correct else "~"
        else:
            mark = f"~%{right_share(question)}%" if option.correct else "~%-100%"
        feedback = f"#{gift_text(option.feedback)}" if option.feedback else ""
        answers.append(f"\t{mark}{gift_text(option.text)}{feedback}")
    return head + " {\n" + "\n".join(answers) + "\n}"


def gift_bank(course: Course) -> str:
    parts = [f"// {course.settings.title}: knowledge checks, made by course-builder. Import in Moodle as GIFT."]
    for module, questions in module_questions(course):
        # Moodle reads the rest of a $CATEGORY line as it stands: no escapes there.
        parts.append(f"$CATEGORY: $course$/top/{' '.join(category(course, module).split())}")
        parts += [gift_question(question) for question in questions]
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- Moodle XML


def _text(parent: etree._Element, tag: str, html: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, format="html", **attributes)
    etree.SubElement(element, "text").text = etree.CDATA(html) if html else ""
    return element


def _plain(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def moodle_question(quiz: etree._Element, question: QuizQuestion) -> None:
    kind = "truefalse" if question.type == "truefalse" else "multichoice"
    element = etree.SubElement(quiz, "question", type=kind)
    etree.SubElement(etree.SubElement(element, "name"), "text").text = question.id
    _text(element, "questiontext", str(to_html(question.prompt)))
    _text(element, "generalfeedback", "")
    _plain(element, "defaultgrade", "1")
    _plain(element, "penalty", "1" if kind == "truefalse" else "0.3333333")
    _plain(element, "hidden", "0")
    _plain(element, "idnumber", question.id)
    if kind == "multichoice":
        _plain(element, "single", "true" if question.type == "single" else "false")
        _plain(element, "shuffleanswers", "true")
        _plain(element, "answernumbering", "abc")
    for option in question.options:
        if kind == "truefalse":
            fraction, text = ("100" if option.correct else "0"), to_text(option.text).strip().lower()
            answer = etree.SubElement(element, "answer", fraction=fraction, format="moodle_auto_format")
            etree.SubElement(answer, "text").text = text
        else:
            fraction = ("100" if question.type == "single" else right_share(question)) if option.correct else (
                "0" if question.type == "single" else "-100")
            answer = _text(element, "answer", str(to_html(option.text, inline=True)), fraction=fraction)
        _text(answer, "feedback", str(to_html(option.feedback)) if option.feedback else "")


def moodle_xml_bank(course: Course) -> bytes:
    quiz = etree.Element("quiz")
    quiz.append(etree.Comment(f" {course.settings.title}: knowledge checks, made by course-builder "))
    for module, questions in module_questions(course):
        holder = etree.SubElement(quiz, "question", type="category")
        etree.SubElement(etree.SubElement(holder, "category"), "text").text = f"$course$/top/{category(course, module)}"
        for question in questions:
            moodle_question(quiz, question)
    return etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- the targets


class _QuestionBankTarget(Target):
    audience = Audience.LEARNER
    suffix: str

    def outputs(self, course: Course, brand: Brand) -> list[str]:
        return [f"{course.id}-questions{self.suffix}"]

    def render(self, course: Course) -> bytes:
        raise NotImplementedError

    def check(self, course: Course, brand: Brand, options: BuildOptions) -> list[Problem]:
        return [
            Problem(question.source.file, question.source.line,
                    f"the question has {len(question.correct_options)} right answers; Moodle's grades give each a share "
                    f"only up to {max(MOODLE_GRADES)}", "split it into two questions")
            for _, questions in module_questions(course) for question in questions
            if len(question.correct_options) not in MOODLE_GRADES
        ]

    def build(self, course: Course, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        final = out / self.outputs(course, brand)[0]
        with atomic_file(final) as temporary:
            temporary.write_bytes(self.render(course))
        return [final]


class GiftTarget(_QuestionBankTarget):
    name = "gift"
    description = "The knowledge checks as a GIFT question bank (<course>-questions.gift.txt), one category per module."
    suffix = ".gift.txt"

    def render(self, course: Course) -> bytes:
        return gift_bank(course).encode("utf-8")


class MoodleXmlTarget(_QuestionBankTarget):
    name = "moodle-xml"
    description = "The knowledge checks as a Moodle XML question bank (<course>-questions.xml), with every answer's feedback."
    suffix = ".xml"

    def render(self, course: Course) -> bytes:
        return moodle_xml_bank(course)
