"""A module's knowledge checks as one QTI 1.2.1 assessment in the Common Cartridge profile.

The profile is small: an assessment of items, each a true/false, single-choice or multiple-choice
question (`cc_profile` in its metadata), one `response_lid` with lettered choices, and response
processing that sets the single outcome SCORE to 100 when the answer is right. Each choice's
feedback is an `itemfeedback` shown through a `displayfeedback` link on the condition that tests
that choice. Moodle's CC import (backup/cc/entity11.quiz.class.php) takes a choice's feedback from
the condition whose first `varequal` names it, and reads the feedback of every condition that
continues (continue="Yes") as the question's general feedback: so a one-answer question puts
the right choice's feedback on its score condition and stops there, and the wrong choices'
conditions stop too. A multiple-response question must carry on past each chosen choice to reach
its score, so there Moodle also shows the choices' feedback together as general feedback.
"""

from __future__ import annotations

from lxml import etree

from course_builder.cartridge import QTI_NS, CartridgeVersion
from course_builder.markup import to_html
from course_builder.model import Module, QuizOption, QuizQuestion
from course_builder.scorm import ANSWER_LETTERS, XSI

RESPONSE = "response1"
PROFILES = {
    "single": "cc.multiple_choice.v0p1",
    "multiple": "cc.multiple_response.v0p1",
    "truefalse": "cc.true_false.v0p1",
}
"""Our question types as the CC profile's question types (`cc_profile` item metadata)."""


def module_questions(module: Module) -> list[QuizQuestion]:
    return [question for quiz in module.quizzes for question in quiz.questions]


def assessment_title(module: Module) -> str:
    titles = list(dict.fromkeys(quiz.title for quiz in module.quizzes))
    return f"{module.title}: {titles[0]}" if len(titles) == 1 else f"{module.title}: knowledge check"


def assessment_xml(module: Module, version: CartridgeVersion) -> bytes:
    """The module's questions as `assessment.xml`, UTF-8."""
    root = etree.Element(_q("questestinterop"), nsmap={None: QTI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI_NS} {version.qti_location}")
    assessment = etree.SubElement(root, _q("assessment"), ident=f"quiz-{module.id}", title=assessment_title(module))
    _metadata(etree.SubElement(assessment, _q("qtimetadata")), {
        "cc_profile": "cc.exam.v0p1",
        "qmd_assessmenttype": "Examination",
        "qmd_scoretype": "Percentage",
        "qmd_feedbackpermitted": "Yes",
        "cc_maxattempts": "unlimited",
    })
    section = etree.SubElement(assessment, _q("section"), ident="root_section")
    for number, question in enumerate(module_questions(module), 1):
        _item(section, question, f"{module.id}-q{number}")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _q(local: str) -> str:
    return f"{{{QTI_NS}}}{local}"


def _metadata(parent: etree._Element, fields: dict[str, str]) -> None:
    for label, entry in fields.items():
        field = etree.SubElement(parent, _q("qtimetadatafield"))
        etree.SubElement(field, _q("fieldlabel")).text = label
        etree.SubElement(field, _q("fieldentry")).text = entry


def _material(parent: etree._Element, markdown: str, *, inline: bool = False) -> None:
    material = etree.SubElement(parent, _q("material"))
    etree.SubElement(material, _q("mattext"), texttype="text/html").text = str(to_html(markdown, inline=inline))


def _item(section: etree._Element, question: QuizQuestion, ident: str) -> None:
    letters = dict(zip((o.id for o in question.options), ANSWER_LETTERS, strict=False))
    item = etree.SubElement(section, _q("item"), ident=ident, title=question.id)
    _metadata(etree.SubElement(etree.SubElement(item, _q("itemmetadata")), _q("qtimetadata")),
              {"cc_profile": PROFILES[question.type]})

    presentation = etree.SubElement(item, _q("presentation"))
    _material(presentation, question.prompt)
    cardinality = "Multiple" if question.type == "multiple" else "Single"
    response = etree.SubElement(presentation, _q("response_lid"), ident=RESPONSE, rcardinality=cardinality)
    choices = etree.SubElement(response, _q("render_choice"))
    for option in question.options:
        _material(etree.SubElement(choices, _q("response_label"), ident=letters[option.id]), option.text, inline=True)

    processing = etree.SubElement(item, _q("resprocessing"))
    outcomes = etree.SubElement(processing, _q("outcomes"))
    etree.SubElement(outcomes, _q("decvar"), varname="SCORE", vartype="Decimal", minvalue="0", maxvalue="100")
    if question.type == "multiple":
        # Several choices can be right at once: each chosen one shows its feedback, then the score is set.
        for option in question.options:
            _feedback_condition(processing, letters[option.id], option, "Yes")
        _score_condition(processing, question, letters)
    else:
        # One choice: the right answer scores and shows its feedback, or the chosen wrong one shows its own.
        right = question.correct_options[0]
        _feedback_link(_score_condition(processing, question, letters), letters[right.id], right)
        for option in question.options:
            if not option.correct:
                _feedback_condition(processing, letters[option.id], option, "No")

    for option in question.options:
        if option.feedback:
            feedback = etree.SubElement(item, _q("itemfeedback"), ident=f"{letters[option.id]}_fb")
            _material(etree.SubElement(feedback, _q("flow_mat")), option.feedback)


def _score_condition(processing: etree._Element, question: QuizQuestion, letters: dict[str, str]) -> etree._Element:
    condition = etree.SubElement(processing, _q("respcondition"), {"continue": "No"})
    _right_answer(etree.SubElement(condition, _q("conditionvar")), question, letters)
    etree.SubElement(condition, _q("setvar"), varname="SCORE", action="Set").text = "100"
    return condition


def _feedback_condition(processing: etree._Element, letter: str, option: QuizOption, carry_on: str) -> None:
    if option.feedback:
        condition = etree.SubElement(processing, _q("respcondition"), {"continue": carry_on})
        _varequal(etree.SubElement(condition, _q("conditionvar")), letter)
        _feedback_link(condition, letter, option)


def _feedback_link(condition: etree._Element, letter: str, option: QuizOption) -> None:
    if option.feedback:
        etree.SubElement(condition, _q("displayfeedback"), feedbacktype="Response", linkrefid=f"{letter}_fb")


def _varequal(parent: etree._Element, letter: str) -> None:
    etree.SubElement(parent, _q("varequal"), respident=RESPONSE).text = letter


def _right_answer(conditionvar: etree._Element, question: QuizQuestion, letters: dict[str, str]) -> None:
    """A single choice: the right letter. Several: every right letter chosen and no wrong one."""
    if question.type != "multiple":
        _varequal(conditionvar, letters[question.correct_options[0].id])
        return
    every = etree.SubElement(conditionvar, _q("and"))
    for option in question.options:
        _varequal(every if option.correct else etree.SubElement(every, _q("not")), letters[option.id])
