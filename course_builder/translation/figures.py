"""Pictures with words in them, localised: a language's copy of an image replaces the source's in that language's build.

A course folder's `translations/<lang>/` mirrors the course folder: the German copy of
`assets/balance.png` is `translations/de/assets/balance.png`. `localised_figures` returns the
course with every image path (a figure's picture and the PNG its slides show, and each image a
block's Markdown shows) pointing at the language's copy where there is one, so every output
follows without knowing about languages. A copy goes through the same checks as any image
(`load/assets.py`), its problems reported at the line that uses the picture and naming the copy.
A file under `translations/<lang>/` that replaces no picture, or a folder for a language the
course does not build, is a warning: it would otherwise be silently left out.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from course_builder.errors import Problem, Problems
from course_builder.model import Block, Course, Figure, ImageRef, Module

TRANSLATIONS_FOLDER = "translations"


def language_folder(root: Path, language: str) -> Path:
    return root / TRANSLATIONS_FOLDER / language


def localised_path(root: Path, language: str, source: Path) -> Path:
    """Where `language`'s copy of the image `source` goes: `translations/<lang>/` plus its path in the course folder."""
    return language_folder(root, language) / source.relative_to(root.resolve())


def shown_path(path: Path, root: Path) -> str:
    """A path as the author sees it in the course folder (`translations/de/assets/balance.png`)."""
    resolved = root.resolve()
    return path.relative_to(resolved).as_posix() if path.is_relative_to(resolved) else str(path)


class Localiser:
    """One language's copies of the course's images: which are used, and what is wrong with them."""

    def __init__(self, course: Course, language: str):
        self.root, self.language = course.root, language
        self.problems = Problems()
        self.used: set[Path] = set()

    def copy_of(self, source: Path, file: Path, line: int | None) -> Path:
        """The language's checked copy of `source`, or `source` itself when there is none (or it cannot be used)."""
        # Imported here: the command line imports this module, and a rebuild with nothing to do must not load the loader.
        from course_builder.load.assets import check_image
        from course_builder.load.paths import PathRefused, resolve_inside

        copy = localised_path(self.root, self.language, source)
        if not copy.exists() and not copy.is_symlink():
            return source
        self.used.add(copy)
        named = shown_path(copy, self.root)
        try:
            resolved = resolve_inside(self.root, self.root, copy.relative_to(self.root))
        except PathRefused as err:
            self.problems.error(file, line, f"the {self.language} copy of the picture, {named}: {err}", err.hint)
            return source
        checked = Problems()
        usable = check_image(resolved, checked, file, line)
        # The check names the file alone, and the source picture has the same name: say which file it is.
        self.problems.items += [replace(p, message=f"the {self.language} copy of the picture, {named}: {p.message}")
                                for p in checked.items]
        return resolved if usable else source

    def block(self, block: Block) -> Block:
        file, line = block.source.file, block.source.line
        update: dict[str, object] = {}
        images = tuple(ImageRef(src=ref.src, path=self.copy_of(ref.path, file, line)) for ref in block.images)
        if images != block.images:
            update["images"] = images
        if isinstance(block, Figure):
            image = self.copy_of(block.image, file, line)
            raster = block.raster
            if raster == block.image:
                raster = image
            elif raster is not None:  # an SVG's slides show the PNG or JPEG beside it, which has a copy of its own
                raster = self.copy_of(raster, file, line)
                if image != block.image and raster == block.raster:
                    beside = shown_path(localised_path(self.root, self.language, raster), self.root)
                    self.problems.warn(file, line, f"the {self.language} slides show the source's '{raster.name}', "
                                       f"not the {self.language} copy of '{block.image.name}'",
                                       f"put a {self.language} copy of it at {beside}")
            update |= {"image": image, "raster": raster}
        return block.model_copy(update=update) if update else block

    def module(self, module: Module) -> Module:
        sections = tuple(section.model_copy(update={"blocks": tuple(self.block(b) for b in section.blocks)})
                         for section in module.sections)
        return module.model_copy(update={"sections": sections})

    def unused(self) -> list[Problem]:
        """A warning for each file of the language's folder that replaces no picture of the course."""
        folder = language_folder(self.root, self.language)
        return [Problem(file, None, f"{shown_path(file, self.root)} replaces no picture: no module shows "
                        f"'{file.relative_to(folder).as_posix()}'",
                        f"name it as the picture it translates, at the same path under {TRANSLATIONS_FOLDER}/"
                        f"{self.language}/ as the picture has in the course folder, or delete it (a logo is the "
                        "brand's: give a country a brand file of its own)", severity="warning")
                for file in sorted(folder.rglob("*"))
                if file.is_file() and file not in self.used and not file.name.startswith(".")]  # .DS_Store and the like


def localised_figures(course: Course, language: str) -> tuple[Course, list[Problem]]:
    """The course with `language`'s copies of its pictures in place of the source's; the copies' problems."""
    if not language_folder(course.root, language).is_dir():
        return course, []
    localiser = Localiser(course, language)
    modules = tuple(localiser.module(module) for module in course.modules)
    return course.model_copy(update={"modules": modules}), [*localiser.problems.items, *localiser.unused()]


def figure_count(course: Course, language: str) -> tuple[int, int]:
    """How many of the course's figures there are, and how many have a copy for `language`."""
    figures = [block for module in course.modules for block in module.blocks if isinstance(block, Figure)]
    copies = [f for f in figures if localised_path(course.root, language, f.image).is_file()]
    return len(figures), len(copies)


def unbuilt_languages(course: Course, languages: list[str] | tuple[str, ...]) -> list[Problem]:
    """A warning for each `translations/<lang>/` folder that no build uses: a language not built, or the source's own."""
    folder = course.root / TRANSLATIONS_FOLDER
    built = {*languages, *course.settings.languages} - {course.settings.language}
    found = sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in built) if folder.is_dir() else []
    return [unused_folder(path, course.settings.language) for path in found]


def unused_folder(path: Path, source: str) -> Problem:
    name = f"{TRANSLATIONS_FOLDER}/{path.name}/"
    if path.name == source:
        return Problem(path, None, f"{name} holds pictures for '{source}', the language the course is written in: "
                       "they are not used", f"replace the pictures in the course folder itself, or delete {name}",
                       severity="warning")
    return Problem(path, None, f"{name} holds pictures for '{path.name}', a language this course does not build: they "
                   "are not used", f"add {path.name} to `languages:` in course.yaml (or build with --language "
                   f"{path.name}), or delete the folder", severity="warning")
