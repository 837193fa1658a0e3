"""The Jinja2 environment every HTML-based target renders through.

One ordered search path: the course's own `templates/` first, then the built-in ones, so a
course overrides a single part with `{% extends %}`. Undefined variables are errors, and
template errors come back as CourseError naming the template file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from course_builder.errors import CourseError
from course_builder.labels import labels_of
from course_builder.markup import ImageUrl, to_html, to_text
from course_builder.model import Course
from course_builder.resources import templates_dir


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, so `serve`, which builds after every save, compiles each template once.

    Jinja checks each entry against its template's source (a checksum), so an edited course
    template is compiled again. Only the sandboxed environments below use it: the sandbox compiles differently.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def template_environment(
    course: Course, image_url: ImageUrl | None = None, extra_filters: dict[str, Callable[..., Any]] | None = None
) -> jinja2.Environment:
    built_in = jinja2.FileSystemLoader(str(templates_dir()))
    # The course's templates shadow the built-in ones by name; "builtin/<name>" always reaches the
    # built-in original, so a course template can `{% extends "builtin/print/workbook.html" %}`
    # and replace one block instead of copying the whole file.
    loaders: list[jinja2.BaseLoader] = [built_in, jinja2.PrefixLoader({"builtin": built_in})]
    if course.templates_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(course.templates_dir)))
    # A course's own templates come with the course, from whoever wrote it: the sandbox keeps them
    # to presentation (no reaching through attributes into Python to run code).
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=COMPILED,
    )
    # Fixed labels come from the course language's catalogue: {{ _("Contents") }}, {% trans %}.
    labels = labels_of(course)
    env.install_gettext_translations(labels.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["labels"] = labels
    allow_html = course.settings.allow_html

    def markdown(text: str | None, block: Any = None, inline: bool = False) -> str:
        # Images come only from what the loader resolved for this block; a template that leaves
        # the block out shows text without images, and no template can name a file of its own.
        if not text:
            return ""
        images = {ref.src: ref.path for ref in getattr(block, "images", ())}
        return to_html(text, images, image_url, inline=inline, allow_html=allow_html)

    env.filters["markdown"] = markdown
    env.filters["md_inline"] = lambda text, block=None: markdown(text, block, inline=True)
    env.filters["plain"] = lambda text: to_text(text or "")
    env.filters.update(extra_filters or {})
    return env


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render a template; Jinja errors become a CourseError naming the template and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as err:
        raise CourseError.single(
            Path(err.filename or err.name or name),
            err.lineno,
            f"template error: {err.message}",
            "fix the template syntax ({{ }}, {% %})",
        ) from None
    except jinja2.TemplateNotFound as err:
        raise CourseError.single(
            None, None, f"template '{err.name}' not found", "check the name in {% extends %} or {% include %}"
        ) from None
    except jinja2.UndefinedError as err:
        frame = _template_frame(err)
        raise CourseError.single(
            frame[0], frame[1], f"template error: {err.message}", "check the variable name against docs/theming.md"
        ) from None
    except jinja2.exceptions.SecurityError as err:
        frame = _template_frame(err)
        raise CourseError.single(
            frame[0], frame[1], f"template error: {err}", "templates may only show the course; remove what reaches into Python"
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as err:
        # The sandbox's own limits (a range too big to loop over) end here too. In a course's own
        # template that is the author's to fix; in a built-in one it is a bug, reported as such.
        frame = _template_frame(err)
        if frame[0] is None or frame[0].resolve().is_relative_to(templates_dir().resolve()):
            raise
        raise CourseError.single(
            frame[0], frame[1], f"template error: {err}", "this template of the course fails when it runs: fix it or remove it"
        ) from None


def _template_frame(err: BaseException) -> tuple[Path | None, int | None]:
    tb = err.__traceback__
    found: tuple[Path | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".css", ".jinja")):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
