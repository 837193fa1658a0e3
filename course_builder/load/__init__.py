"""Reading a course folder into the typed model, with every problem located.

`load_course` is the one entry point: it reads course.yaml, the brand file(s) and every
module, collects all errors of the whole course, and raises `CourseError` if there are any.
Warnings come back beside the course so `check` and `build` can print them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from course_builder.errors import CourseError, Problem, Problems
from course_builder.load.assets import check_font, check_image
from course_builder.load.markdown_module import read_module
from course_builder.load.paths import PathRefused, resolve_inside
from course_builder.load.yaml_source import read_yaml, validate_into
from course_builder.model import Brand, Course, CourseSettings, Module

COURSE_FILE = "course.yaml"


@dataclass
class LoadedCourse:
    course: Course
    warnings: list[Problem] = field(default_factory=list)


def read_text(file: Path, problems: Problems) -> str | None:
    try:
        data = file.read_bytes()
    except OSError as err:
        problems.error(file, None, f"cannot read the file: {err.strerror}")
        return None
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.error(file, line, "the file is not saved as UTF-8 text", "save it again as 'UTF-8' in your editor")
        return None


def load_settings(folder: Path, problems: Problems) -> CourseSettings | None:
    file = folder / COURSE_FILE
    if not file.is_file():
        problems.error(
            file, None, f"there is no {COURSE_FILE} in {folder}",
            "run the command in a course folder, or create one with 'course-builder init DIR'",
        )
        return None
    text = read_text(file, problems)
    if text is None:
        return None
    document = read_yaml(text, file, problems)
    if document is None:
        return None
    settings = validate_into(CourseSettings, document, problems, COURSE_FILE)
    if settings is not None and not settings.modules:
        line, _ = document.position(("modules",))
        problems.error(file, line, "the course has no modules", "list at least one module file under 'modules:'")
    return settings


def load_brand(file: Path, root: Path, problems: Problems, referenced_from: tuple[Path, int] | None = None) -> Brand | None:
    """Read a brand file; its logo, fonts and template must lie inside the course folder."""
    if not file.is_file():
        where, line = referenced_from or (file, None)
        problems.error(where, line, f"the brand file '{file.name}' does not exist", "check the file name, or create it (see docs/authoring.md)")
        return None
    text = read_text(file, problems)
    document = read_yaml(text, file, problems) if text is not None else None
    if document is None:
        return None
    if isinstance(document.data, dict) and "id" not in document.data:
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in file.stem)
        document.data["id"] = stem if stem[:1].isalpha() else f"brand-{stem}"
    brand = validate_into(Brand, document, problems, file.name)
    if brand is None:
        return None
    resolved: dict[str, object] = {"source": file}

    def resolve(value: Path | None, key: tuple[str | int, ...]) -> Path | None:
        if value is None:
            return None
        line, column = document.position(key)
        try:
            path = resolve_inside(root, file.parent, value)
        except PathRefused as err:
            problems.error(file, line, str(err), err.hint, column)
            return None
        if not path.is_file():
            problems.error(file, line, f"the file '{value}' does not exist", "check the path; it is read relative to the brand file", column)
            return None
        return path

    if brand.logo is not None:
        logo = resolve(brand.logo, ("logo",))
        if logo is not None:
            check_image(logo, problems, file, document.position(("logo",))[0])
        resolved["logo"] = logo
    fonts = {}
    for role in ("heading", "body"):
        font = getattr(brand.fonts, role)
        files = []
        for i, font_file in enumerate(font.files):
            path = resolve(font_file, ("fonts", role, "files", i))
            if path is not None and check_font(path, problems, file, document.position(("fonts", role, "files", i))[0]):
                files.append(path)
        fonts[role] = font.model_copy(update={"files": tuple(files)})
    resolved["fonts"] = brand.fonts.model_copy(update=fonts)
    if brand.pptx_template is not None:
        resolved["pptx_template"] = resolve(brand.pptx_template, ("pptx_template",))
    return brand.model_copy(update=resolved)


def load_modules(settings: CourseSettings, root: Path, problems: Problems) -> list[Module]:
    modules = []
    course_file = root / COURSE_FILE
    for index, written in enumerate(settings.modules):
        try:
            path = resolve_inside(root, root, written)
        except PathRefused as err:
            problems.error(course_file, None, f"module {err}", err.hint)
            continue
        if not path.is_file():
            problems.error(course_file, None, f"the module file '{written}' (module {index + 1}) does not exist", "check the file name under 'modules:' in course.yaml")
            continue
        module = read_module(path, root, problems, settings.allow_html)
        if module is not None:
            modules.append(module)
    return modules


def check_course_rules(settings: CourseSettings, modules: list[Module], root: Path, problems: Problems) -> None:
    """Rules that span modules: unique ids, breaks after real modules, objectives covered."""
    course_file = root / COURSE_FILE
    for module_id, count in Counter(m.id for m in modules).items():
        if count > 1:
            files = [m.source for m in modules if m.id == module_id]
            for file in files[1:]:
                problems.error(file, 2, f"the module id '{module_id}' is used by {count} modules", f"give each module its own id (also used by {files[0].name})")
    seen: dict[str, Path] = {}
    for module in modules:
        for block in module.blocks:
            ids = [(block.id, block.source)] if hasattr(block, "id") else []
            if block.kind == "quiz":
                ids += [(q.id, q.source) for q in block.questions]
            for item_id, source in ids:
                if item_id in seen:
                    problems.error(source.file, source.line, f"the id '{item_id}' is used twice", f"ids must be unique in the course; the other one is in {seen[item_id].name}")
                seen[item_id] = source.file
    module_ids = {m.id for m in modules}
    for brk in settings.workshop.breaks:
        if modules and brk.after not in module_ids:
            problems.error(course_file, None, f"the break '{brk.title}' follows '{brk.after}', which is not a module id", f"use one of: {', '.join(sorted(module_ids))}")
    for module in modules:
        if not module.objectives:
            problems.warn(module.source, 2, f"module '{module.title}' has no learning objectives", "add 'objectives:' with a list to the front matter")
        covered = {q.objective for quiz in module.quizzes for q in quiz.questions}
        for number, objective in enumerate(module.objectives, start=1):
            if module.quizzes and number not in covered:
                problems.warn(module.source, 2, f"objective {number} ('{objective[:50]}') is not checked by any quiz question", f"tag a question with {{objective={number}}} on the line above its heading")


def load_course(folder: Path) -> LoadedCourse:
    """Read and validate a whole course folder. Raises CourseError listing every error."""
    root = folder.resolve()
    problems = Problems()
    settings = load_settings(root, problems)
    if settings is None:
        raise CourseError(problems.errors or [Problem(root / COURSE_FILE, None, "cannot read course.yaml")])
    brand = load_brand(resolve_or_report(root, settings.brand, problems), root, problems, (root / COURSE_FILE, None))
    extra = [load_brand(resolve_or_report(root, b, problems), root, problems, (root / COURSE_FILE, None)) for b in settings.brands]
    modules = load_modules(settings, root, problems)
    check_course_rules(settings, modules, root, problems)
    problems.raise_if_errors()
    assert brand is not None
    course = Course(settings=settings, modules=tuple(modules), brand=brand, extra_brands=tuple(b for b in extra if b is not None), root=root)
    return LoadedCourse(course, problems.warnings)


def resolve_or_report(root: Path, written: Path, problems: Problems) -> Path:
    try:
        return resolve_inside(root, root, written)
    except PathRefused as err:
        problems.error(root / COURSE_FILE, None, str(err), err.hint)
        return root / "__refused__"


def load_brand_files(files: tuple[Path, ...], root: Path) -> tuple[Brand, ...]:
    """Brands named on the command line; their files may live outside the course folder."""
    problems = Problems()
    brands = [load_brand(Path(f).resolve(), Path(f).resolve().parent, problems) for f in files]
    problems.raise_if_errors()
    return tuple(b for b in brands if b is not None)
