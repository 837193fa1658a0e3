"""Reading a course folder into the typed model, with every problem located.

`load_course` is the one entry point: it reads course.yaml, the brand file(s), every
module and the course's own templates, collects all errors of the whole course, and raises
`CourseError` if there are any. Warnings come back beside the course so `check` and `build`
can print them. Every file the loader opens is resolved and checked to lie inside the
course folder first; nothing is fetched from the network and nothing is run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from course_builder.errors import CourseError, Problem, Problems
from course_builder.load.accessibility import check_accessibility
from course_builder.load.assets import check_font, check_image, check_pptx_template, raster_of
from course_builder.load.course_checks import check_course_craft
from course_builder.load.images import with_images
from course_builder.load.markdown_module import check_yaml_text, read_module
from course_builder.load.module_cache import ModuleCache, ModuleKey, text_sha256
from course_builder.load.participants import load_participants
from course_builder.load.paths import PathRefused, missing, missing_file_hint, resolve_inside
from course_builder.load.safety import REMOTE_HINT, remote_references_in_css, remote_references_in_html
from course_builder.load.yaml_source import YamlDocument, read_yaml, validate_into
from course_builder.model import Brand, Course, CourseSettings, Module
from course_builder.resources import sample_course_dir
from course_builder.skeleton import SAMPLE_ID, SAMPLE_ORGANISATION
from course_builder.targets import available_targets, closest_target

COURSE_FILE = "course.yaml"
MAX_TEXT_BYTES = 10_000_000
BRAND_FILE_ROLES = {"logo": "logo", "fonts": "font file", "pptx_template": "slide template"}
SCRIPT_IN_TEMPLATE = re.compile(r"<script\b|\son[a-z]+\s*=", re.I)
TEMPLATE_SUFFIXES = (".html", ".htm", ".j2", ".jinja", ".css", ".xml", ".svg")


@dataclass
class LoadedCourse:
    course: Course
    warnings: list[Problem] = field(default_factory=list)


def read_text(file: Path, problems: Problems, referenced_from: tuple[Path, int | None] | None = None) -> str | None:
    """The file as UTF-8 text (a byte-order mark is dropped), or None with the problem recorded.

    A file that cannot be opened is reported where it is named (`referenced_from`), if given.
    """
    try:
        size = file.stat().st_size
        data = file.read_bytes() if size <= MAX_TEXT_BYTES else b""
    except OSError as err:
        where, at = referenced_from or (file, None)
        problems.error(where, at, f"cannot read '{file.name}': {err.strerror}", "check that the file exists and is not protected")
        return None
    if size > MAX_TEXT_BYTES:
        problems.error(
            file,
            None,
            f"the file is {size // 1_000_000} MB, far more than a course file holds",
            "check that this is the file you meant",
        )
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        at = data[: err.start].count(b"\n") + 1
        problems.error(
            file, at, "the file is not saved as UTF-8 text", "open it in your editor and save it again with the encoding 'UTF-8'"
        )
        return None
    if "\x00" in text:
        problems.error(
            file,
            text[: text.index("\x00")].count("\n") + 1,
            "the file holds binary data, not text",
            "check that this is the file you meant",
        )
        return None
    return text


@dataclass
class Settings:
    """course.yaml validated, with the document kept so later errors can name its lines."""

    values: CourseSettings
    document: YamlDocument

    def line(self, *loc: str | int) -> int:
        return self.document.line(loc)


def load_settings(folder: Path, problems: Problems) -> Settings | None:
    file = folder / COURSE_FILE
    if not file.is_file():
        problems.error(
            file,
            None,
            f"there is no {COURSE_FILE} in {folder}",
            "run the command in a course folder, or create one with 'course-builder init DIR'",
        )
        return None
    text = read_text(file, problems)
    document = read_yaml(text, file, problems) if text is not None else None
    if document is None:
        return None
    check_yaml_text(document, problems)
    values = validate_into(CourseSettings, document, problems, COURSE_FILE)
    if values is None:
        return None
    if not values.modules:
        problems.error(
            file, document.line(("modules",)), "the course has no modules", "list at least one module file under 'modules:'"
        )
    check_outputs(values, document, problems)
    return Settings(values, document)


def check_outputs(values: CourseSettings, document: YamlDocument, problems: Problems) -> None:
    """Every name under `outputs:` is a target in the registry (built in, or installed through its entry points)."""
    for index, name in enumerate(values.outputs):
        if name not in available_targets():
            near = closest_target(name)
            hint = f"did you mean '{near}'?" if near else f"the outputs are: {', '.join(available_targets())}"
            problems.error(document.file, document.line(("outputs", index)), f"there is no output called '{name}'", hint)


def load_brand(
    file: Path,
    root: Path,
    problems: Problems,
    referenced_from: tuple[Path, int | None] | None = None,
    course_root: Path | None = None,
) -> Brand | None:
    """Read a brand file; its logo, fonts and template must lie inside `root` (or `course_root`, when given)."""
    if not file.is_file():
        where, line = referenced_from or (file, None)
        problems.error(
            where,
            line,
            f"the brand file '{file.name}' does not exist",
            "check the file name, or create it (see docs/authoring.md)",
        )
        return None
    text = read_text(file, problems)
    document = read_yaml(text, file, problems) if text is not None else None
    if document is None:
        return None
    check_yaml_text(document, problems)
    if isinstance(document.data, dict) and "id" not in document.data:
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in file.stem)
        document.data["id"] = stem if stem[:1].isalpha() else f"brand-{stem}"
    brand = validate_into(Brand, document, problems, file.name)
    if brand is None:
        return None
    resolved: dict[str, object] = {"source": file, "logo_raster": None}

    def resolve(value: Path | None, key: tuple[str | int, ...]) -> Path | None:
        if value is None:
            return None
        line, column = document.position(key)
        written = str(document.value(key, value))
        try:
            path = resolve_inside(root, file.parent, written)
        except PathRefused as err:
            try:  # a brand kept outside the course may still name the course's shared assets/
                path = resolve_inside(course_root or root, file.parent, written)
            except PathRefused:
                problems.error(file, line, f"the {BRAND_FILE_ROLES[str(key[0])]} {err}", err.hint, column)
                return None
        if not path.is_file():
            problems.error(
                file,
                line,
                f"the file '{written}' {missing(path)}",
                missing_file_hint(str(value), path, f"the folder of {file.name}"),
                column,
            )
            return None
        return path

    if brand.logo is not None:
        logo = resolve(brand.logo, ("logo",))
        if logo is not None and not check_image(logo, problems, file, document.line(("logo",))):
            logo = None
        resolved["logo"] = logo
        logo_root = root if logo is None or logo.is_relative_to(root.resolve()) else course_root or root
        resolved["logo_raster"] = logo and raster_of(logo, logo_root, problems, file, document.line(("logo",)))
    fonts = {}
    for role in ("heading", "body"):
        font = getattr(brand.fonts, role)
        files = []
        for i, font_file in enumerate(font.files):
            path = resolve(font_file, ("fonts", role, "files", i))
            if path is not None and check_font(path, problems, file, document.line(("fonts", role, "files", i))):
                files.append(path)
        fonts[role] = font.model_copy(update={"files": tuple(files)})
    resolved["fonts"] = brand.fonts.model_copy(update=fonts)
    if brand.pptx_template is not None:
        template = resolve(brand.pptx_template, ("pptx_template",))
        if template is not None and not check_pptx_template(template, problems, file, document.line(("pptx_template",))):
            template = None
        resolved["pptx_template"] = template
    return brand.model_copy(update=resolved)


def load_modules(settings: Settings, root: Path, problems: Problems, cache: ModuleCache | None = None) -> list[Module]:
    modules = []
    allow_html = settings.values.allow_html
    assets = cache.start_load(root) if cache is not None else ""
    course_file = root / COURSE_FILE
    listed: dict[Path, int] = {}
    for index, written in enumerate(settings.values.modules):
        line = settings.line("modules", index)
        try:
            path = resolve_inside(root, root, written)
        except PathRefused as err:
            problems.error(course_file, line, f"the module {err}", err.hint)
            continue
        if path in listed:
            problems.error(
                course_file, line, f"the module file '{written}' is listed twice", f"remove this line or line {listed[path]}"
            )
            continue
        listed[path] = line
        if not path.is_file():
            problems.error(
                course_file,
                line,
                f"the module file '{written}' {missing(path)}",
                missing_file_hint(str(written), path, "the course folder"),
            )
            continue
        text = read_text(path, problems, (course_file, line))
        if text is None:
            continue

        def read(found: Problems, path: Path = path, text: str = text) -> Module | None:
            module = read_module(path, text, root, found, allow_html)
            return with_images(module, root, found, allow_html) if module is not None else None

        key = ModuleKey(path, text_sha256(text), allow_html, assets)
        module = cache.module(key, problems, read) if cache is not None else read(problems)
        if module is not None:
            modules.append(module)
    warn_about_unlisted_modules(settings, root, set(listed), problems)
    return modules


def warn_about_unlisted_modules(settings: Settings, root: Path, listed: set[Path], problems: Problems) -> None:
    """A module file written but never listed is in no output: usually a line forgotten in course.yaml."""
    folder = root / "modules"
    if not folder.is_dir() or folder.is_symlink():
        return
    for file in sorted(folder.glob("*.md")):
        if file.resolve() not in listed and file.is_file():
            written = file.relative_to(root).as_posix()
            problems.warn(
                root / COURSE_FILE,
                settings.line("modules"),
                f"'{written}' is in the modules folder but not listed under 'modules:', so no output includes it",
                f"add a line '  - {written}' under 'modules:' in course.yaml, or move the file out of modules/",
            )


def front_matter_line(module: Module, key: str) -> int:
    """The line of `key:` in a module's front matter (for errors found after reading it)."""
    lines = module.source.read_text(encoding="utf-8").removeprefix("\ufeff").split("\n")
    return next((n for n, text in enumerate(lines[1:], start=2) if re.match(rf"{key}\s*:", text)), 1)


def check_course_rules(settings: Settings, modules: list[Module], root: Path, problems: Problems) -> None:
    """Rules that span modules: unique ids, breaks after real modules, objectives covered, breaks and quiz cues."""
    course_file = root / COURSE_FILE
    first_of: dict[str, Module] = {}
    for module in modules:
        if module.id in first_of:
            other = first_of[module.id]
            problems.error(
                module.source,
                front_matter_line(module, "id"),
                f"the module id '{module.id}' is already used by {other.source.name}",
                f"give each module its own id (the other is on line {front_matter_line(other, 'id')} of {other.source.name})",
            )
        first_of.setdefault(module.id, module)
    seen: dict[str, tuple[Path, int]] = {}
    # A module that repeats another's id repeats its generated block ids too; one message is enough.
    for module in first_of.values():
        for block in module.blocks:
            ids = [(block.id, block.source)] if hasattr(block, "id") else []
            if block.kind == "quiz":
                ids += [(q.id, q.source) for q in block.questions]
            for item_id, source in ids:
                if item_id in seen:
                    other_file, other_line = seen[item_id]
                    problems.error(
                        source.file,
                        source.line,
                        f"the id '{item_id}' is used twice",
                        f"ids must be unique in the course; the other one is at {other_file.name}:{other_line}",
                    )
                seen.setdefault(item_id, (source.file, source.line))
    module_ids = [m.id for m in modules]
    # A module that could not be read has no id here; its own error says why, and a break after it is not wrong.
    every_module_read = len(modules) == len(settings.values.modules)
    for index, brk in enumerate(settings.values.workshop.breaks):
        if modules and every_module_read and brk.after not in module_ids:
            problems.error(
                course_file,
                settings.line("workshop", "breaks", index, "after"),
                f"the break '{brk.title}' follows '{brk.after}', which is not a module id",
                f"use one of: {', '.join(module_ids)}",
            )
    for module in modules:
        if not module.objectives:
            problems.warn(
                module.source,
                2,
                f"module '{module.title}' has no learning objectives",
                "add 'objectives:' with a list to the front matter",
            )
        covered = {q.objective for quiz in module.quizzes for q in quiz.questions}
        for number, objective in enumerate(module.objectives, start=1):
            if module.quizzes and number not in covered:
                problems.warn(
                    module.source,
                    front_matter_line(module, "objectives"),
                    f"objective {number} ('{objective[:50]}') is not checked by any quiz question",
                    f"tag a question with {{objective={number}}} on the line above its heading",
                )
    check_course_craft(settings, modules, problems)
    check_accessibility(modules, problems, settings.values.allow_html)


def warn_about_sample_identity(settings: Settings, root: Path, problems: Problems) -> None:
    """A course copied from the sample by hand keeps its id and authors: LMS identifiers and saved progress would clash."""
    if root.resolve() == sample_course_dir().resolve():
        return
    values = settings.values
    if values.id == SAMPLE_ID:
        problems.warn(
            root / COURSE_FILE,
            settings.line("id"),
            f"the course id '{SAMPLE_ID}' is the sample workshop's",
            "give the course an id of its own: LMS packages and learners' saved progress are told apart by it",
        )
    if SAMPLE_ORGANISATION in values.authors:
        problems.warn(
            root / COURSE_FILE,
            settings.line("authors"),
            f"the authors are the sample workshop's ('{SAMPLE_ORGANISATION}')",
            "write your own name or organisation under 'authors:'",
        )


def check_templates(root: Path, problems: Problems) -> None:
    """The course's own templates: inside the folder, valid Jinja, nothing fetched from the web.

    Templates are rendered in Jinja's sandbox, so they cannot run code; here they are only
    read, so `check` reports their mistakes before a build does.
    """
    folder = root / "templates"
    if not folder.is_dir():
        return
    try:
        resolve_inside(root, root, "templates")
    except PathRefused as err:
        problems.error(folder, None, f"the templates folder {err}", err.hint)
        return
    for path in sorted(folder.rglob("*")):
        try:
            resolve_inside(root, path.parent, path.name)
        except PathRefused as err:
            problems.error(path, None, f"the template {err}", err.hint)
            continue
        if not path.is_file() or path.suffix.lower() not in TEMPLATE_SUFFIXES:
            continue
        text = read_text(path, problems)
        if text is None:
            continue
        for line, url in remote_references_in_css(text) + remote_references_in_html(text):
            problems.error(path, line, f"'{url}' is a web address; the build never downloads anything", REMOTE_HINT)
        if script := SCRIPT_IN_TEMPLATE.search(text):
            problems.warn(
                path,
                text.count("\n", 0, script.start()) + 1,
                "this template adds a script to the pages it makes",
                "if you did not write this template, have it reviewed before the course reaches learners",
            )
        try:
            jinja2.Environment().parse(text)
        except jinja2.TemplateSyntaxError as err:
            problems.error(path, err.lineno, f"template error: {err.message}", "fix the template syntax ({{ ... }}, {% ... %})")


def load_course(folder: Path, cache: ModuleCache | None = None) -> LoadedCourse:
    """Read and validate a whole course folder. Raises CourseError listing every error.

    With a `cache` (kept by `serve` from one load to the next), modules whose inputs have not
    changed are not read again; everything else is, and the result is the same.
    """
    root = folder.resolve()
    problems = Problems()
    settings = load_settings(root, problems)
    if settings is None:
        raise CourseError(problems.errors or [Problem(root / COURSE_FILE, None, "cannot read course.yaml")])
    brand = load_listed_brand(root, settings, problems, ("brand",))
    extra = [load_listed_brand(root, settings, problems, ("brands", i)) for i in range(len(settings.values.brands))]
    check_brand_ids(settings, [brand, *extra], problems)
    modules = load_modules(settings, root, problems, cache)
    check_course_rules(settings, modules, root, problems)
    warn_about_sample_identity(settings, root, problems)
    check_templates(root, problems)
    participants = load_participants(root, problems)
    problems.raise_if_errors()
    assert brand is not None
    course = Course(
        settings=settings.values,
        modules=tuple(modules),
        brand=brand,
        extra_brands=tuple(b for b in extra if b is not None),
        root=root,
        participants=participants,
    )
    return LoadedCourse(course, problems.warnings)


def check_brand_ids(settings: Settings, brands: list[Brand | None], problems: Problems) -> None:
    """Each brand's outputs go to a folder named by its id: two brands with one id would overwrite each other."""
    keys: list[tuple[str | int, ...]] = [("brand",), *(("brands", i) for i in range(len(brands) - 1))]
    first: dict[str, Brand] = {}
    for key, brand in zip(keys, brands, strict=True):
        if brand is None:
            continue
        default_listed_again = key[0] == "brands" and brand.id in first and first[brand.id] is brands[0]
        if default_listed_again and brand.source == brands[0].source:
            continue  # `brand:` also named under `brands:` is one brand, not a clash
        if brand.id in first:
            files = f"{first[brand.id].source.name} and {brand.source.name}" if brand.source else ""
            problems.error(
                settings.document.file,
                settings.line(*key),
                f"two brands have the id '{brand.id}' ({files})",
                "give each brand file its own 'id:', and list each brand file once",
            )
        first.setdefault(brand.id, brand)


def load_listed_brand(root: Path, settings: Settings, problems: Problems, key: tuple[str | int, ...]) -> Brand | None:
    """A brand file named in course.yaml ('brand:' or an item of 'brands:')."""
    written = settings.values.brand if key == ("brand",) else settings.values.brands[int(key[1])]
    line = settings.line(*key)
    try:
        file = resolve_inside(root, root, written)
    except PathRefused as err:
        problems.error(root / COURSE_FILE, line, f"the brand file {err}", err.hint)
        return None
    return load_brand(file, root, problems, (root / COURSE_FILE, line))


def load_brand_files(files: tuple[Path, ...], root: Path) -> tuple[Brand, ...]:
    """Brands named on the command line (relative to where it runs); their own paths are relative to the brand file.

    A brand file kept in the course folder (e.g. clients/globex.yaml) may use anything in that
    folder (`logo: ../assets/globex.png`); one kept elsewhere may use its own folder and the course's.
    """
    problems = Problems()
    course_root = root.resolve()
    brands = []
    for written in files:
        file = Path(written).resolve()
        inside = file.is_relative_to(course_root)
        brands.append(load_brand(file, course_root if inside else file.parent, problems, course_root=course_root))
    problems.raise_if_errors()
    return tuple(b for b in brands if b is not None)
