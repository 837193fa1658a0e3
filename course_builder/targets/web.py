"""The web course: static HTML that works opened from disk and inside an LMS.

Each SCO is one HTML document that holds all of its pages (one per `##` section). Moving
between pages shows and hides sections instead of loading another document, because a new
document would end the LMS session the SCO opened. The SCORM targets call `write_web_course`
with their LMS version; `WebTarget` is `--format web`: the whole course in one `index.html`
that keeps the learner's progress in the browser.

Everything the pages need (scripts, styles, fonts, images) is copied into the output, so the
course never asks another host for anything. The web course and the packages receive the
learner's view (`course_builder.views`): facilitator notes are not in it, so no template can
show them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import jinja2
from markupsafe import Markup

from course_builder.blocks import Audience
from course_builder.brand_check import brand_warnings, fonts_without_files
from course_builder.contrast import AA_LARGE, AA_TEXT, contrast_ratio, extreme_on, mix, readable_shade, text_colour_on
from course_builder.errors import Problem
from course_builder.fonts import FontFace, brand_faces, family_stack
from course_builder.labels import Labels, labels_of
from course_builder.markup import to_text
from course_builder.model import Block, Brand, Module, QuizQuestion, Reflection
from course_builder.resources import data_dir
from course_builder.scorm import ANSWER_LETTERS, SUSPEND_DATA_LIMITS
from course_builder.svg import inert_svg
from course_builder.targets.base import BuildOptions, Target, atomic_directory
from course_builder.templating import render_template, template_environment
from course_builder.views import CourseView
from course_builder.writing import Writing, writing

Lms = Literal["none", "scorm12", "scorm2004"]
ScoMode = Literal["per-module", "single"]

REFLECTION_MAX_LENGTH = 2000
"""The longest reflection answer a learner can type when the LMS has room for it."""
REFLECTION_MIN_LENGTH = 280
"""Reflection answers are never cut shorter than this to fit suspend data; the SCORM targets warn instead."""
RUNTIME = data_dir() / "runtime"
"""tracking.js, and one file per SCORM version with that version's data-model names (a package gets only its own)."""
FEEDBACK_COLOURS = {"good": "#1E7B34", "bad": "#B3261E"}
"""Right and wrong in quiz feedback: the usual green and red, darkened if the brand's background needs it."""
FONT_FORMATS = {".ttf": "truetype", ".otf": "opentype", ".woff": "woff", ".woff2": "woff2"}


@dataclass(frozen=True)
class Sco:
    """One launchable unit of the course, as the SCORM manifest lists it."""

    identifier: str
    title: str
    href: str
    module_ids: tuple[str, ...]


@dataclass(frozen=True)
class WebCourse:
    """What `write_web_course` wrote: every file (sorted, posix, relative) and the SCOs to launch."""

    files: tuple[str, ...]
    scos: tuple[Sco, ...]


@dataclass(frozen=True)
class Page:
    """One screen: the course cover, a module's opening page, or one `##` section."""

    id: str
    anchor: str
    title: str
    module: Module | None
    blocks: tuple[Block, ...]
    kind: Literal["cover", "module", "section"]


@dataclass(frozen=True)
class Document:
    """One HTML file: the pages of one SCO."""

    sco: Sco
    modules: tuple[Module, ...]
    pages: tuple[Page, ...]

    @property
    def questions(self) -> list[QuizQuestion]:
        return [q for m in self.modules for quiz in m.quizzes for q in quiz.questions]

    @property
    def reflections(self) -> list[Reflection]:
        return [r for m in self.modules for r in m.reflections]

    @property
    def structure(self) -> str:
        """A short fingerprint of the page list: saved progress from another version is not mapped onto the wrong pages."""
        return hashlib.sha256("\n".join(p.id for p in self.pages).encode()).hexdigest()[:6]


# ---------------------------------------------------------------- which pages go in which document


def plan_documents(course: CourseView, sco: ScoMode) -> list[Document]:
    """One document for the whole course, or one per module."""
    if sco == "single":
        whole = Sco(single_sco_identifier(course), course.title, "index.html", tuple(m.id for m in course.modules))
        return [Document(whole, course.modules, _pages(course, course.modules, cover=True))]
    return [
        Document(Sco(f"sco-{m.id}", m.title, f"module-{m.id}.html", (m.id,)), (m,), _pages(course, (m,), cover=False))
        for m in course.modules
    ]


def single_sco_identifier(course: CourseView) -> str:
    return f"sco-{course.id}"


def _pages(course: CourseView, modules: tuple[Module, ...], *, cover: bool) -> tuple[Page, ...]:
    pages = [Page("start", "cover", course.title, None, (), "cover")] if cover else []
    for module in modules:
        intro = next((s for s in module.sections if s.title is None), None)
        pages.append(Page(module.id, f"m-{module.id}", module.title, module, intro.blocks if intro else (), "module"))
        pages += [
            Page(f"{module.id}/{s.id}", f"m-{module.id}--{s.id}", s.title, module, s.blocks, "section")
            for s in module.sections
            if s.title is not None
        ]
    return tuple(pages)


# ---------------------------------------------------------------- suspend data: what the runtime saves for a SCO


def _record(key: str, value: str) -> str:
    """One field of the saved state; length-prefixed so a reflection never needs escaping (tracking.js reads the same)."""
    return f"{key}={len(value)}:{value}"


def _worst_case_state(document: Document, reflection_length: int) -> str:
    """The longest suspend data the runtime can write: every page seen, every option chosen, every reflection full."""
    pages = len(document.pages)
    seen = "f" * (pages // 4) + (format((1 << (pages % 4)) - 1, "x") if pages % 4 else "")
    parts = [_record("v", "1"), _record("c", document.structure), _record("p", seen), _record("s", "100")]
    for question in document.questions:
        chosen = ANSWER_LETTERS[: len(question.options)] if question.type == "multiple" else "a"
        parts.append(_record(f"q.{question.id}", chosen))
    parts += [_record(f"r.{r.id}", "x" * reflection_length) for r in document.reflections]
    return "".join(parts)


def reflection_max_length(document: Document, lms: Lms) -> int:
    """The longest reflection answer the document accepts: as long as the LMS's suspend data has room for."""
    if lms == "none" or not document.reflections:
        return REFLECTION_MAX_LENGTH
    limit = SUSPEND_DATA_LIMITS[lms]
    low, high = REFLECTION_MIN_LENGTH, REFLECTION_MAX_LENGTH
    while low < high:
        middle = (low + high + 1) // 2
        if len(_worst_case_state(document, middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def suspend_data_worst_case(course: CourseView, sco: Sco, lms: Literal["scorm12", "scorm2004"]) -> int:
    """Characters of cmi.suspend_data the SCO writes at most (all reflections full, all answers given, all pages seen).

    The writer already shortens reflection answers so this fits `SUSPEND_DATA_LIMITS[lms]`, but never below
    `REFLECTION_MIN_LENGTH` characters; when even that does not fit, the result is over the limit and the
    caller should warn.
    """
    for mode in ("per-module", "single"):
        for document in plan_documents(course, mode):
            if document.sco == sco:
                return len(_worst_case_state(document, reflection_max_length(document, lms)))
    raise ValueError(f"{sco.identifier} is not a SCO of course {course.id}")


# ---------------------------------------------------------------- colours people can read


def web_palette(brand: Brand) -> tuple[dict[str, str], list[Problem]]:
    """CSS colour properties for the brand, with text colours moved to shades that meet WCAG AA, and a warning per change."""
    colours = brand.colors
    warnings: list[Problem] = []
    background = colours.background  # black or white text always reaches 4.58:1 on it, whatever it is
    tints = {
        "surface": readable_ground(mix(background, colours.primary, 0.05), background),
        "primary-tint": readable_ground(mix(background, colours.primary, 0.1), background),
        "secondary-tint": readable_ground(mix(background, colours.secondary, 0.1), background),
        "accent-tint": readable_ground(mix(background, colours.accent, 0.12), background),
    }
    grounds = [background, *tints.values()]  # text in any colour may sit on the page or on a tinted panel

    def checked(name: str, value: str, minimum: float, use: str) -> str:
        shade = readable_shade(value, grounds, minimum)
        if shade != value:
            on_page = contrast_ratio(value, background)
            where = (f"a contrast of {on_page:.1f}:1 on the background {background}" if on_page < minimum else
                     f"a contrast of {min(contrast_ratio(value, g) for g in grounds):.1f}:1 on the web course's tinted panels")
            warnings.append(Problem(
                brand.source, None,
                f"brand colour {name} {value} has {where}; WCAG AA needs {minimum:g}:1 for {use}",
                f"the web course uses {shade} instead for {use}; give {name} more contrast in the brand file to keep your own",
                severity="warning",
            ))
        return shade

    text = checked("text", colours.text, AA_TEXT, "body text")
    palette = {
        "background": background,
        **tints,
        "border": mix(background, text, 0.18),
        "text": text,
        "muted": readable_shade(mix(text, background, 0.3), grounds),
        "primary": colours.primary,
        "primary-ink": checked("primary", colours.primary, AA_TEXT, "headings and links"),
        "secondary": colours.secondary,
        "secondary-ink": checked("secondary", colours.secondary, AA_TEXT, "labels"),
        "accent": checked("accent", colours.accent, AA_LARGE, "progress bars and markers"),
        "accent-ink": readable_shade(colours.accent, grounds),
    }
    for name, colour in FEEDBACK_COLOURS.items():
        palette[f"{name}-tint"] = readable_ground(mix(background, colour, 0.08), background)
        palette[name] = readable_shade(colour, [*grounds, palette[f"{name}-tint"]])
    for role in ("primary", "secondary", "accent"):
        palette[f"on-{role}"] = text_colour_on(palette[role], ["#FFFFFF", text])
    return palette, warnings


def readable_ground(ground: str, background: str) -> str:
    """`ground`, or the nearest colour towards `background` on which the text colour that suits the background meets AA.

    A mid-tone brand background leaves little room: tinted panels on it must not take away the last of it.
    """
    extreme = extreme_on([background])
    candidates = [mix(ground, background, step / 10) for step in range(10)]
    return next((c for c in candidates if contrast_ratio(extreme, c) >= AA_TEXT), background)


# ---------------------------------------------------------------- files copied into the output


class Assets:
    """Files the course copies into its output, each under a stable, unique name.

    Only files the loader resolved and checked arrive here (a block's images, the brand's logo
    and fonts); an SVG is written as `inert_svg` leaves it, drawing only.
    """

    def __init__(self) -> None:
        self.sources: dict[str, Path] = {}

    def add(self, source: Path, folder: str) -> str:
        stem, suffix = source.stem, source.suffix.lower()
        name, n = f"{folder}/{stem}{suffix}", 2
        while self.sources.get(name, source) != source:
            name, n = f"{folder}/{stem}-{n}{suffix}", n + 1
        self.sources[name] = source
        return name

    def image(self, source: Path) -> str:
        return self.add(source, "assets/images")

    def copy_into(self, folder: Path) -> None:
        for name, source in self.sources.items():
            destination = folder / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.suffix.lower() == ".svg":
                destination.write_bytes(inert_svg(source.read_bytes())[0])
            else:
                shutil.copyfile(source, destination)


def _one_face_each(brand: Brand, script: Writing) -> list[FontFace]:
    """The brand's faces (and the script's) without a second file for the same family, weight and style (the brand's own wins)."""
    faces: dict[tuple[str, int, str], FontFace] = {}
    for face in brand_faces(brand, script):
        faces.setdefault((face.family, face.weight, face.style), face)
    return list(faces.values())


def _demote_headings(html: str) -> Markup:
    """Author headings move one level down: a section's `###` sits under the page's <h1>, so it becomes <h2>."""
    return Markup(re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, max(2, int(m.group(2)) - 1))}", str(html)))


def _json_for_script(value: object) -> Markup:
    """JSON safe inside a <script> element: no '<' can close it early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# ---------------------------------------------------------------- writing the course


def write_web_course(
    course: CourseView,
    brand: Brand,
    folder: Path,
    *,
    lms: Lms = "none",
    sco: ScoMode = "per-module",
) -> WebCourse:
    """Write the web course into `folder` (which must exist) and return what was written.

    `lms` chooses the tracking: the browser's local storage ("none"), or the SCORM 1.2 or 2004
    API of the LMS. What the author should hear of (colours changed for contrast, too many
    options) is found beforehand, by `web_course_problems`.
    """
    documents = plan_documents(course, sco)
    palette, _ = web_palette(brand)
    assets = Assets()
    env = template_environment(course, image_url=assets.image, extra_filters={"demote_headings": _demote_headings})
    script = env.globals["writing"] = writing(course.settings.language)
    logo = assets.add(brand.logo, "assets") if brand.logo else None
    faces = [(face, assets.add(face.file, "assets/fonts")) for face in _one_face_each(brand, script)]
    written: dict[str, str] = {
        "assets/css/theme.css": render_template(
            env, "web/theme.css.j2", palette=palette, faces=faces, formats=FONT_FORMATS,
            heading_font=family_stack(brand.fonts.heading, script), body_font=family_stack(brand.fonts.body, script),
        ),
        "assets/css/course.css": _template_source(env, "web/course.css"),
        "assets/js/course.js": _template_source(env, "web/course.js"),
        "assets/js/tracking.js": (RUNTIME / "tracking.js").read_text(encoding="utf-8"),
    }
    if lms != "none":
        written[f"assets/js/{lms}.js"] = (RUNTIME / f"{lms}.js").read_text(encoding="utf-8")
    if lms == "none" and sco == "per-module":
        written["index.html"] = render_template(env, "web/home.html.j2", course=course, brand=brand, documents=documents,
                                                logo=logo)
    for document in documents:
        written[document.sco.href] = render_template(
            env, "web/course.html.j2",
            course=course, brand=brand, document=document, logo=logo, lms=lms,
            home="index.html" if lms == "none" and sco == "per-module" else None,
            module_number={m.id: n for n, m in enumerate(course.modules, 1)},
            reflection_length=reflection_max_length(document, lms),
            letters=ANSWER_LETTERS, asset_url=assets.image,
            config=_json_for_script(_runtime_config(course, brand, document, lms)),
        )
    for name, text in written.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    assets.copy_into(folder)
    files = tuple(sorted({*written, *assets.sources}))
    return WebCourse(files=files, scos=tuple(d.sco for d in documents))


def _template_source(env: jinja2.Environment, name: str) -> str:
    """A static file from the template search path, so a course can replace course.css or course.js too."""
    return env.loader.get_source(env, name)[0]


def _runtime_config(course: CourseView, brand: Brand, document: Document, lms: Lms) -> dict[str, object]:
    """What tracking.js and course.js need to know about the SCO, embedded in its page."""
    questions = []
    for module in document.modules:
        for quiz in module.quizzes:
            for question in quiz.questions:
                questions.append({
                    "id": question.id,
                    "type": "true-false" if question.type == "truefalse" else "choice",
                    "letters": ANSWER_LETTERS[: len(question.options)],
                    "optionIds": [o.id for o in question.options],
                    "values": [to_text(o.text).strip().lower() for o in question.options],
                    "correct": "".join(ANSWER_LETTERS[i] for i, o in enumerate(question.options) if o.correct),
                    "objective": f"{module.id}-objective-{question.objective}" if question.objective else None,
                    "description": to_text(question.prompt.partition("\n\n")[0])[:250],
                })
    return {
        "title": document.sco.title,
        "lms": lms,
        # Not versioned: a new release keeps learners' answers; `structure` guards the pages-seen record.
        # The brand is in it: two clients' versions of one course opened in one browser keep apart.
        "storageKey": f"course-builder/{course.id}/{brand.id}/{document.sco.identifier}",
        "structure": document.structure,
        "masteryScore": course.settings.lms.mastery_score,
        "completion": course.settings.lms.completion,
        "pages": [p.id for p in document.pages],
        "questions": questions,
        "reflections": [r.id for r in document.reflections],
        "messages": runtime_messages(labels_of(course)),
    }


def runtime_messages(labels: Labels) -> dict[str, str]:
    """What course.js and tracking.js say while a learner works, in the course's language. The browser
    fills in each `%(name)s` (and writes the percentages in the page's language)."""
    _ = labels.gettext
    return {
        "position": _("Page %(page)s of %(pages)s"),
        "pagesSeenValue": _("%(seen)s of %(pages)s pages seen"),
        "seen": _("(seen)"),
        "savedToRecord": _("Your progress and answers are saved to your learning record."),
        "savedInBrowser": _("Your progress and answers are saved in this browser on this device."),
        "notSavedYet": _("Your latest progress is not saved yet."),
        "pagesLine": _("You have seen %(seen)s of %(pages)s pages."),
        "scorePending": _("Answer every knowledge-check question to get your score (the pass mark is %(mastery)s)."),
        "score": _("Your knowledge-check score is %(score)s (the pass mark is %(mastery)s)."),
        "complete": _("Complete. Well done."),
        "incomplete": _("Not complete yet."),
        "chosenRight": _("Your answer: correct"),
        "chosenWrong": _("Your answer: not correct"),
        "rightAnswer": _("Correct answer"),
        "right": _("Correct."),
        "notQuite": _("Not quite. See the feedback under each option."),
        "quizResult": _("You answered %(right)s of %(count)s correctly (%(percent)s)."),
        "courseScore": _("Your score across the course is %(score)s."),
        "passed": _("That is a pass."),
        "passMark": _("The pass mark is %(mastery)s."),
        "chooseFirst": _("Choose an answer first."),
        "characters": _("%(count)s of %(limit)s characters"),
        "saved": _("Saved."),
        "looking": _("Connecting to your learning system… You can start reading meanwhile."),
        "browserOnly": _("Your learning system could not be reached, so your progress is kept only in this browser on "
                         "this device and will not appear in your learning record. To have it recorded, close this page "
                         "and open the course again from your learning system."),
        "notSaved": _("Your learning system did not save your latest progress, even after several tries. Keep this page "
                      "open: the course tries again each time you move on or answer. If you close it now, your latest "
                      "answers may be lost."),
        "savedAgain": _("Your progress is saved to your learning system again."),
    }


# ---------------------------------------------------------------- what the author hears of before anything is written


def too_many_options(view: CourseView) -> list[Problem]:
    """Choices are recorded as one character each, in SCORM 1.2's answer alphabet (the web course keeps the same)."""
    return [
        Problem(question.source.file, question.source.line,
                f"the question has {len(question.options)} options; SCORM allows {len(ANSWER_LETTERS)}",
                "split it into smaller questions")
        for module in view.modules
        for quiz in module.quizzes
        for question in quiz.questions
        if len(question.options) > len(ANSWER_LETTERS)
    ]


def web_course_problems(view: CourseView, brand: Brand, output: str) -> list[Problem]:
    """What the web course and both packages share: questions it can record, the brand's colours and fonts."""
    return [*too_many_options(view), *brand_warnings(view, brand), *web_palette(brand)[1], *fonts_without_files(brand, output)]


class WebTarget(Target):
    name = "web"
    description = "A web course (web/index.html) that works opened from disk; progress stays in the browser."
    audience = Audience.LEARNER

    def outputs(self, view: CourseView, brand: Brand) -> list[str]:
        return ["web"]

    def check(self, view: CourseView, brand: Brand, options: BuildOptions) -> list[Problem]:
        return web_course_problems(view, brand, "the web course")

    def build(self, view: CourseView, brand: Brand, out: Path, options: BuildOptions) -> list[Path]:
        with atomic_directory(out / "web") as folder:
            write_web_course(view, brand, folder, lms="none", sco="single")
        return [out / "web"]
