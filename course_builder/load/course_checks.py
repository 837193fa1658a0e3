"""Checks on how a course will run in the room and how fairly its quizzes test.

Nothing here stops a build: a course can be sound and still tire its group or let learners
pass by pattern. These are warnings an experienced designer would give an author:

- the workshop runs longer than two hours without a break (people stop taking anything in);
- in a module's quiz the correct option sits at the same position in every question, or is
  the longest option every time, so a learner can answer by pattern instead of understanding.

A module whose timed activities and reflections need more minutes than its duration is
warned about by the facilitator guide, which plans each module's time (targets/guide.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from course_builder.errors import Problems
from course_builder.model import Module, Quiz, QuizQuestion

if TYPE_CHECKING:
    from course_builder.load import Settings

LONGEST_STRETCH = 120
"""Minutes a group can work before it needs a break."""

FEWEST_FOR_A_PATTERN = 3
"""Questions needed before "every time" is a pattern rather than chance."""

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_course_craft(settings: Settings, modules: list[Module], problems: Problems) -> None:
    """Warn about long stretches without a break and about quizzes that can be passed by pattern."""
    check_breaks(settings, modules, problems)
    for module in modules:
        check_quiz_cues(module, problems)


def check_breaks(settings: Settings, modules: list[Module], problems: Problems) -> None:
    """Each run of modules between two breaks (or the start and the end of the day) fits two hours."""
    workshop = settings.values.workshop
    break_after = {brk.after for brk in workshop.breaks}
    clock = datetime.combine(datetime(2000, 1, 1), workshop.start)
    stretch: list[Module] = []
    stretch_start, warned = clock, False
    for index, module in enumerate(modules):
        stretch.append(module)
        clock += timedelta(minutes=module.duration)
        minutes = sum(m.duration for m in stretch)
        if minutes > LONGEST_STRETCH and not warned:
            warned = True
            fix = (
                f"add a break to 'workshop: breaks:' with 'after: {stretch[-2].id}'"
                if len(stretch) > 1
                else f"split '{module.id}' into two modules and add a break between them"
            )
            problems.warn(
                settings.document.file,
                settings.line("modules", index),
                f"the workshop runs {minutes} minutes without a break, from {stretch_start:%H:%M} to {clock:%H:%M}",
                f"people need a break at least every {LONGEST_STRETCH} minutes: {fix}",
            )
        if module.id in break_after:
            minutes_of_breaks = sum(brk.minutes for brk in workshop.breaks if brk.after == module.id)
            clock += timedelta(minutes=minutes_of_breaks)
            stretch, stretch_start, warned = [], clock, False


def check_quiz_cues(module: Module, problems: Problems) -> None:
    """A module's choice questions: the right answer neither always in one place nor always the longest."""
    quizzes = module.quizzes
    if not quizzes:
        return
    choice = [q for q in questions_of(quizzes) if q.type != "truefalse"]
    firsts = {first_correct(q) for q in choice}
    if len(choice) >= FEWEST_FOR_A_PATTERN and len(firsts) == 1:
        letter = LETTERS[firsts.pop()]
        problems.warn(
            quizzes[0].source.file,
            quizzes[0].source.line,
            f"in all {len(choice)} choice questions of '{module.title}', the first correct option is option {letter}",
            "learners notice where the answer sits: move the correct option to another position in some questions",
        )
    single = [q for q in choice if q.type == "single"]
    if len(single) >= FEWEST_FOR_A_PATTERN and all(correct_is_longest(q) for q in single):
        problems.warn(
            quizzes[0].source.file,
            quizzes[0].source.line,
            f"in all {len(single)} single-choice questions of '{module.title}', the correct option is the longest",
            "learners learn to pick the longest answer: make some wrong options as full and specific as the right one,"
            " or shorten the right one",
        )


def questions_of(quizzes: list[Quiz]) -> list[QuizQuestion]:
    return [question for quiz in quizzes for question in quiz.questions]


def first_correct(question: QuizQuestion) -> int:
    return next(index for index, option in enumerate(question.options) if option.correct)


def correct_is_longest(question: QuizQuestion) -> bool:
    """True when the one correct option is longer than every wrong one."""
    right = len(question.correct_options[0].text)
    return all(right > len(option.text) for option in question.options if not option.correct)
