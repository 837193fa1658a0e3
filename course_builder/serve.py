"""`course-builder serve`: the web course in a browser, rebuilt and reloaded whenever a file is saved.

One process, three parts:

- a watcher thread (watchfiles) that rebuilds the web course after each save, one build at a
  time, and records either the new build or the course's problems (`check`'s messages, with
  file and line);
- a small HTTP server from the standard library, on loopback by default, that serves the
  preview page, the built web course, and a stream of server-sent events telling the page
  when a new build is ready or what is wrong;
- the preview page (`templates/preview/preview.html.j2`), which shows the web course in a frame,
  reloads it when told to, and lists the problems until they are fixed, each linked to the
  author's editor when it has a URL scheme (`editor_links.py`).

After each good build, the workbook, guide, handouts and slides of one module (the one the
author picked in the page, else the last module saved) are rendered as page images in a process
of their own (`module_preview.py`), so the web preview never waits for them; what that build
warns about is listed beside its pages.

A course in several languages (course.yaml's `languages:`, or a `translations/<lang>.xlf`) is
previewed in the language picked in the page: the web course, the mock LMS's packages and the
module's pages are made from the course as that language's build sees it, and its missing and
stale units are listed with the other problems, as `check` lists them. The page's choices are
kept here, not in the page, so they hold across reloads.

The page's own words (tabs, pickers, status, the mock LMS panel) are in the course's own language,
from the labels' catalogues, and the page runs right to left when that language does. They stay in
it when another language is picked: the author who writes the course reads the page, and picking the
Arabic translation to look at it must not turn the controls into a language they may not read, nor
mirror them under the mouse. The course shown (and its module titles in the pickers) is in the language
picked. `check`'s problems are English by design, and shown left to right.

The build goes into a temporary folder (or `--out`); nothing else is written, and the temporary
folder is removed when the server stops.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import mimetypes
import multiprocessing
import shutil
import signal
import tempfile
import threading
import time
import webbrowser
import zipfile
from collections.abc import Callable, Iterator, Set
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import jinja2

from course_builder.editor_links import editor_link
from course_builder.errors import CourseError, Problem
from course_builder.labels import SOURCE_LANGUAGE, labels_for
from course_builder.load.module_cache import ModuleCache
from course_builder.module_preview import (
    RENDER_STEPS,
    RenderedOutput,
    remove_unshown_pages,
    render_module,
    start_renderer,
)
from course_builder.proof import THUMB_NAME
from course_builder.resources import data_dir, templates_dir
from course_builder.writing import writing

if TYPE_CHECKING:
    from course_builder.load import LoadedCourse
    from course_builder.model import Course

KEEPALIVE_SECONDS = 15.0  # a comment on the event stream, so a closed tab is noticed and its thread ends
DEBOUNCE_MS = 150  # an editor's save is often several writes; build once they have settled
LMS_FORMATS = ("scorm12", "scorm2004")
MAX_CHOICE_BYTES = 4096  # a module id or a language code, in JSON
STAND_IN_LMS = data_dir() / "preview" / "scorm-again.min.js"  # see data/preview/SOURCES.md


@dataclass
class PreviewState:
    """What the page shows: the latest build, or why there is none. Changes wake every open page."""

    generation: int = 0  # goes up with every successful build; the page reloads its frame when it does
    building: bool = False
    problems: list[dict[str, object]] = field(default_factory=list)
    seconds: float | None = None  # how long the last build took
    stopping: bool = False
    printed: dict[str, object] | None = None  # the print and deck previews of the module being edited
    choices: dict[str, object] | None = None  # the modules and languages the page offers, and which are chosen
    changed: threading.Condition = field(default_factory=threading.Condition)

    def as_json(self) -> str:
        ok = not any(p["severity"] == "error" for p in self.problems)
        shown = {"generation": self.generation, "building": self.building, "ok": ok, "problems": self.problems}
        return json.dumps(shown | {"seconds": self.seconds, "print": self.printed, "choices": self.choices})

    def update(self, **values: object) -> None:
        with self.changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.changed.notify_all()


def problem_as_dict(problem: Problem, root: Path, editor: str = "none") -> dict[str, object]:
    return {
        "severity": problem.severity,
        "where": problem.where(root),
        "line": problem.line,
        "message": problem.message,
        "hint": problem.hint,
        "link": editor_link(editor, problem.file, problem.line),
    }


def warning_as_dict(text: str, root: Path, editor: str = "none") -> dict[str, object]:
    """A warning of the build report (the course's, the brand's and the web course's), as the page shows it."""
    from course_builder.proof import read_warning

    warning = read_warning(text, root)
    head, _, hint = text.partition("\n")
    return {
        "severity": "warning",
        "where": head.split(": warning: ", 1)[0],
        "line": warning.line,
        "message": warning.message,
        "hint": hint.strip().removeprefix("fix: ") or None,
        "link": editor_link(editor, warning.file, warning.line),
    }


def course_languages(course: Course) -> list[str]:
    """The languages the course can be previewed in: its own, course.yaml's `languages:`, then each translation file's."""
    from course_builder.translation.apply import TRANSLATIONS_FOLDER
    from course_builder.translation.languages import canonical_language

    files = sorted(p.stem for p in (course.root / TRANSLATIONS_FOLDER).glob("*.xlf"))
    return list(dict.fromkeys([course.settings.language, *course.settings.languages,
                               *(f for f in files if canonical_language(f) == f)]))


def language_choice(language: str) -> dict[str, str]:
    """A language as the picker offers it: its name in itself (`Deutsch (de)`), and how its text runs."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language, sep="-").get_display_name(language) or language
    except (ValueError, UnknownLocaleError):  # the pseudo-language
        name = language
    return {"code": language, "label": f"{name} ({language})", "dir": writing(language).direction}


class ModulePreviews:
    """Renders the print and deck previews of one module at a time, in a process of its own, and shows them in `state`.

    `ask` only records what to render; the newest request wins, so a burst of saves (or of picks
    in the page) renders once more at the end rather than once each. Each step (the workbook; the
    guide and handouts; the slides) is shown as soon as it is drawn, with what its build warned
    about; the next begins unless a newer request is waiting.
    """

    def __init__(self, folder: Path, state: PreviewState, editor: str = "none"):
        self.folder = folder
        self.state = state
        self.editor = editor
        self.language = SOURCE_LANGUAGE  # of the notes shown instead of pages: the page's own language
        self.wanted: tuple[Course, str, str] | None = None
        self.rendered: dict[str, RenderedOutput] = {}  # format → the pages shown now (changed under `wake`)
        # What each step's folder was last built for: its build cache knows the course's files, not which module or language.
        self.built: dict[tuple[str, ...], tuple[str, str]] = {}
        self.wake = threading.Condition()
        self.stopping = False
        # spawn: a clean process (forking one with server threads running is unsafe); it stays up, so it starts once.
        self.renderer = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"), initializer=start_renderer)
        self.thread = threading.Thread(target=self.run, name="course-builder-print-preview", daemon=True)
        self.thread.start()

    def ask(self, course: Course, module_id: str, why: str) -> None:
        """Render the module `module_id` of `course`; `why` it is that one: "chosen" in the page, "saved" last, or "first".

        The pane names the module at once, marked as rendering, even while a step of the one before
        (the slides, say) is still being drawn: the author sees their pick was taken.
        """
        with self.wake:
            self.wanted = (course, module_id, why)
            self.announce(course, module_id, why)
            self.wake.notify()

    def stop(self) -> None:
        with self.wake:
            self.stopping = True
            self.wake.notify()
        self.renderer.shutdown(wait=True, cancel_futures=True)  # a render in progress ends before its folder goes
        self.thread.join(timeout=60)

    def next_request(self) -> tuple[Course, str, str] | None:
        with self.wake:
            while self.wanted is None and not self.stopping:
                self.wake.wait()
            wanted, self.wanted = self.wanted, None
            return None if self.stopping else wanted

    def announce(self, course: Course, module_id: str, why: str) -> tuple[dict[str, object], dict[str, RenderedOutput],
                                                                         dict[str, str]]:
        """Show `module_id` as rendering; what is shown: the module, the pages kept meanwhile and each output's status."""
        module = course.module(module_id)
        if (self.state.printed or {}).get("module_id") != module_id:
            self.rendered = {}
        # The pages shown before stay, marked as rendering, until the new ones are drawn: no blank pane on each save.
        rendered = dict(self.rendered)
        status = {fmt: "rendering" for step in RENDER_STEPS for fmt in step}
        language = course.settings.language
        about = {"module_id": module_id, "module": module.title, "file": module.source.relative_to(course.root).as_posix(),
                 "why": why, "language": language, "dir": writing(language).direction}
        self.show(about, rendered, status, course.root)
        return about, rendered, status

    def run(self) -> None:
        while (request := self.next_request()) is not None:
            course, module_id, why = request
            with self.wake:
                about, rendered, status = self.announce(course, module_id, why)
            for formats in RENDER_STEPS:
                if self.wanted is not None or self.stopping:
                    break  # a newer request: its render comes first; what is left is rendered with it
                outputs = self.render(course, module_id, formats)
                with self.wake:
                    if self.wanted is not None:
                        break  # the pane already names the newer request: these pages are no longer asked for
                    for output in outputs:
                        rendered[output.format], status[output.format] = output, "done"
                    self.show(about, rendered, status, course.root)
                    self.rendered = dict(rendered)  # what the pane shows, kept by a request for the same module
            with self.wake:
                remove_unshown_pages(self.folder, {page for output in self.rendered.values() for page in output.pages})

    def show(self, about: dict[str, object], rendered: dict[str, RenderedOutput], status: dict[str, str], root: Path) -> None:
        outputs = []
        for fmt, state in status.items():
            output = rendered.get(fmt, RenderedOutput(fmt))
            warnings = [warning_as_dict(text, root, self.editor) for text in output.warnings]
            outputs.append(output.as_dict(state) | {"warnings": warnings})
        self.state.update(printed=about | {"outputs": outputs})

    def render(self, course: Course, module_id: str, formats: tuple[str, ...]) -> list[RenderedOutput]:
        from course_builder.build import source_date_epoch

        labels = labels_for(self.language)
        wanted = (module_id, course.settings.language)
        same = self.built.pop(formats, None) == wanted  # a render that fails leaves its folder unknown
        try:
            job = self.renderer.submit(render_module, course, module_id, formats, self.folder, source_date_epoch(), same,
                                       self.language)
            done = job.result()
            self.built[formats] = wanted
            return done
        except CourseError as err:  # check's message, in English as everywhere
            note = labels.gettext("Could not be rendered: %(problem)s", problem=err.problems[0].describe(course.root))
        except BrokenProcessPool:
            note = labels.gettext("The preview is stopping.")
        except Exception as err:  # a bug in course-builder: say so in the pane, keep the web preview going
            note = labels.gettext("course-builder failed unexpectedly (%(error)s); this is a bug in course-builder",
                                  error=f"{type(err).__name__}: {err}")
        return [RenderedOutput(f, note=note) for f in formats]


class Previewer:
    """Builds the web course of `root` into `out` and keeps `state` up to date."""

    def __init__(self, root: Path, out: Path, editor: str = "none", previews: bool = True):
        self.root = root.resolve()
        self.out = out
        self.editor = editor
        self.state = PreviewState()
        self.title = self.root.name  # the course's title once it has been read
        self.page_language = SOURCE_LANGUAGE  # the language of the page's own words: the course's, once it has been read
        self.loaded: LoadedCourse | None = None  # the latest course that built
        self.packages: dict[str, tuple[int, Path]] = {}  # format → (generation, zip) of the mock LMS's packages
        self.packaging = threading.Lock()
        self.modules = ModuleCache(skip=(out,))  # modules unchanged since the last save are not read again
        self.previews = ModulePreviews(out / "module-preview", self.state, editor) if previews else None
        self.editing: str | None = None  # the id of the module last saved: the one the print previews show unless…
        self.pinned: str | None = None  # …the author picked one in the page, which stays until they pick "follow my saves"
        self.languages: list[str] = []  # the languages the course can be previewed in, the course's own first
        self.language: str | None = None  # the one picked in the page; None: the course's own
        self.building = threading.Lock()  # a save and a pick of language both rebuild: one build at a time

    @property
    def web(self) -> Path:
        return self.folder_of(self.loaded.course) / "web" if self.loaded else self.out / "web"

    def folder_of(self, course: Course) -> Path:
        """Where the web course and packages of `course` are built: `out`, or for a translation `out/<language>` as in `build`.

        Each language keeps its own build cache: the cache knows the course's files, and a change of language leaves them be.
        """
        language = course.settings.language
        return self.out if language == self.languages[0] else self.out / language

    def rebuild(self, saved: Set[Path] = frozenset()) -> None:
        with self.building:
            self.build_web(saved)

    def build_web(self, saved: Set[Path]) -> None:
        from course_builder.build import build_course, source_date_epoch
        from course_builder.load import load_course
        from course_builder.targets import BuildOptions
        from course_builder.translation.build import in_language

        self.state.update(building=True)
        started = time.perf_counter()
        try:
            source = load_course(self.root, self.modules)
            self.title = source.course.title
            self.page_language = source.course.settings.language
            if self.previews is not None:
                self.previews.language = self.page_language
            self.languages = course_languages(source.course)
            language = self.language if self.language in self.languages else source.course.settings.language
            loaded = in_language(source, language)
            course = loaded.course
            # Only the default brand and the chosen language: one web course in the frame, at out/web (out/de/web…).
            options = BuildOptions(source_date_epoch=source_date_epoch())
            report = build_course(loaded, self.folder_of(course), ("web",), (course.brand,), options)
            self.loaded = loaded
        except CourseError as err:
            problems = [problem_as_dict(p, self.root, self.editor) for p in err.problems]
            self.state.update(building=False, problems=problems, seconds=None)
            return
        except Exception as err:  # a bug in course-builder: say so in the page, keep serving the last good build
            message = f"course-builder failed unexpectedly ({type(err).__name__}: {err})"
            bug = Problem(None, None, message, "this is a bug in course-builder, not a problem in your course")
            self.state.update(building=False, problems=[problem_as_dict(bug, self.root, self.editor)], seconds=None)
            return
        self.state.update(
            building=False,
            generation=self.state.generation + 1,
            problems=[warning_as_dict(text, self.root, self.editor) for text in report.warnings],
            seconds=round(time.perf_counter() - started, 2),
        )
        self.preview_module(course, saved)

    def preview_module(self, course: Course, saved: Set[Path]) -> None:
        """Ask for the print previews of the module picked in the page, else the one saved last, else the first."""
        by_file = {m.source.resolve(): m.id for m in course.modules}
        just_saved = next((by_file[p] for p in saved if p in by_file), None)
        if just_saved is not None:
            self.editing = just_saved
        elif self.editing not in by_file.values():  # none saved yet, or the one saved is gone from the course
            self.editing = None
        if self.pinned not in by_file.values():  # the module picked is gone from the course: follow the saves again
            self.pinned = None
        self.state.update(choices=self.choices(course))
        if self.previews is None:
            return
        if self.pinned is not None:
            self.previews.ask(course, self.pinned, "chosen")
        else:
            self.previews.ask(course, self.editing or course.modules[0].id, "saved" if self.editing else "first")

    def choices(self, course: Course) -> dict[str, object]:
        """What the page's pickers offer: the modules (titled in the language shown) and, if more than one, the languages."""
        modules = [{"id": m.id, "title": m.title, "file": m.source.relative_to(course.root).as_posix()} for m in course.modules]
        languages = [language_choice(code) for code in self.languages] if len(self.languages) > 1 else []
        shown = language_choice(course.settings.language)
        return {"modules": modules, "module": self.pinned, "languages": languages, "language": shown["code"], "dir": shown["dir"]}

    def choose_module(self, module_id: str | None) -> bool:
        """The author picked a module in the page (None: follow the saves); False if the course has no such module."""
        with self.building:  # the course it is picked from is the one the latest build made
            loaded = self.loaded
            if loaded is None or (module_id is not None and module_id not in {m.id for m in loaded.course.modules}):
                return False
            self.pinned = module_id
            self.preview_module(loaded.course, frozenset())
            return True

    def choose_language(self, language: str) -> bool:
        """The author picked a language in the page: build the web course in it; False if the course has no such language."""
        if language not in self.languages:
            return False
        self.language = language
        self.rebuild()
        return True

    def package(self, fmt: str) -> Path | None:
        """The SCORM package of the latest good build, made when the mock LMS first asks for it.

        Made on demand, not after every save, so the web preview's rebuild stays as quick as it can be.
        """
        from course_builder.build import build_course, source_date_epoch
        from course_builder.targets import BuildOptions

        with self.packaging:
            generation, loaded = self.state.generation, self.loaded
            made = self.packages.get(fmt)
            if made is not None and made[0] == generation:
                return made[1]
            if loaded is None:
                return None
            folder = self.folder_of(loaded.course) / "lms"
            options = BuildOptions(source_date_epoch=source_date_epoch())
            report = build_course(loaded, folder, (fmt,), (loaded.course.brand,), options)
            self.packages[fmt] = (generation, folder / report.outputs[0].path)
            return self.packages[fmt][1]

    def watch(self, stop: threading.Event) -> None:
        """Rebuild after every batch of saves until `stop` is set."""
        import watchfiles

        out = self.out.resolve()

        def is_source(change: watchfiles.Change, path: str) -> bool:
            return watchfiles.DefaultFilter()(change, path) and not Path(path).resolve().is_relative_to(out)

        saves = watchfiles.watch(self.root, watch_filter=is_source, debounce=DEBOUNCE_MS, stop_event=stop, raise_interrupt=False)
        for changes in saves:
            self.rebuild({Path(path).resolve() for _, path in changes})


def preview_page(title: str, language: str = SOURCE_LANGUAGE) -> bytes:
    """The preview page of the course `title`, its own words in `language` (see the module's docstring)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "preview"), autoescape=True, undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    labels = labels_for(language)
    environment.install_gettext_translations(labels.translations, newstyle=True)  # type: ignore[attr-defined]
    page = environment.get_template("preview.html.j2").render(
        title=title, language=language, direction=writing(language).direction,
        plural_rule=labels.plural_rule, plural_samples=labels.plural_samples,
    )
    return page.encode("utf-8")


def handler_for(previewer: Previewer, page: Callable[[], bytes]) -> type[BaseHTTPRequestHandler]:
    class PreviewHandler(BaseHTTPRequestHandler):
        server_version = "course-builder"

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == "/":
                self.send_body(page(), "text/html; charset=utf-8")
            elif path == "/state":
                self.send_body(previewer.state.as_json().encode(), "application/json")
            elif path == "/events":
                self.stream_events()
            elif path.startswith("/course/"):
                self.send_course_file(path.removeprefix("/course/") or "index.html")
            elif path.startswith("/pages/"):
                self.send_page_image(path.removeprefix("/pages/"))
            elif path == "/lms/scorm-again.min.js":
                self.send_body(STAND_IN_LMS.read_bytes(), "text/javascript")
            elif path.startswith("/lms/") and path.count("/") >= 3 and path.split("/")[2] in LMS_FORMATS:
                _, _, fmt, name = path.split("/", 3)
                self.send_package_file(fmt, name)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def do_POST(self) -> None:
            """`/choose`: the page's pickers, `{"module": id or null}` or `{"language": code}`.

            Only JSON is taken: a page from another site cannot send it without asking first (a CORS
            preflight, which this server does not answer), so it cannot change what the author sees.
            """
            if urlsplit(self.path).path != "/choose" or self.headers.get_content_type() != "application/json":
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
                asked = json.loads(self.rfile.read(min(length, MAX_CHOICE_BYTES)))
            except ValueError:
                asked = None
            if isinstance(asked, dict) and "module" in asked:
                done = previewer.choose_module(str(asked["module"]) if asked["module"] else None)
            elif isinstance(asked, dict) and "language" in asked:
                done = previewer.choose_language(str(asked["language"]))
            else:
                done = False
            if not done:
                self.send_error(HTTPStatus.BAD_REQUEST, "no such module or language in the course")
                return
            self.send_response(HTTPStatus.NO_CONTENT)
            self.end_headers()

        def send_body(self, body: bytes, content_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")  # every reload shows the latest build
            self.end_headers()
            self.wfile.write(body)

        def send_course_file(self, relative: str) -> None:
            web = previewer.web.resolve()
            file = (web / relative).resolve()
            if not file.is_relative_to(web) or not file.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self.send_body(file.read_bytes(), content_type)

        def send_page_image(self, name: str) -> None:
            """A page of the print and deck previews; only the names the renderer gives its pictures are served."""
            file = previewer.out / "module-preview" / "pages" / name
            if THUMB_NAME.match(name) is None or not file.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self.send_body(file.read_bytes(), "image/png")

        def send_package_file(self, fmt: str, name: str) -> None:
            """A file of the SCORM package, read from its zip; `scos.json`: its SCOs, as the LMS's menu lists them."""
            try:
                package = previewer.package(fmt)
            except CourseError:
                package = None
            if package is None:
                self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "the course has no good build yet")
                return
            with zipfile.ZipFile(package) as archive:
                if name == "scos.json":
                    scos = launch_pages(archive.read("imsmanifest.xml"))
                    self.send_body(json.dumps(scos).encode(), "application/json")
                elif name in archive.namelist():
                    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                    self.send_body(archive.read(name), content_type)
                else:
                    self.send_error(HTTPStatus.NOT_FOUND)

        def stream_events(self) -> None:
            """Server-sent events: the state now, then again each time it changes."""
            state = previewer.state
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                sent = None
                while not state.stopping:
                    with state.changed:
                        now = state.as_json()
                        if now == sent:
                            state.changed.wait(KEEPALIVE_SECONDS)
                            now = state.as_json()
                    message = f"data: {now}\n\n" if now != sent else ": still here\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    sent = now
            except (BrokenPipeError, ConnectionResetError):
                return  # the page was closed or reloaded

        def log_message(self, format: str, *args: object) -> None:
            return  # requests are not news to the author

    return PreviewHandler


def launch_pages(manifest: bytes) -> list[dict[str, str]]:
    """Each SCO of a package's manifest: its title and launch page, in the manifest's order."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(manifest)

    def local(element: ElementTree.Element) -> str:
        return element.tag.rsplit("}", 1)[-1]

    hrefs = {r.get("identifier"): r.get("href") for r in root.iter() if local(r) == "resource" and r.get("href")}
    scos = []
    for item in (e for e in root.iter() if local(e) == "item" and e.get("identifierref") in hrefs):
        title = next((t.text or "" for t in item if local(t) == "title"), "")
        scos.append({"title": title, "href": str(hrefs[item.get("identifierref")])})
    return scos


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@contextlib.contextmanager
def build_folder(out: Path | None) -> Iterator[Path]:
    """`out` if given (kept afterwards), else a temporary folder removed when the server stops."""
    if out is not None:
        yield out
        return
    folder = Path(tempfile.mkdtemp(prefix="course-builder-serve-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def serve_course(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    out: Path | None = None,
    open_browser: bool = False,
    say: Callable[[str], None] = print,
    editor: str = "none",
    previews: bool = True,
) -> None:
    """Serve the live preview of the course at `root` until Ctrl-C (or SIGTERM)."""
    if not (root / "course.yaml").is_file():
        raise CourseError.single(root / "course.yaml", None, f"there is no course.yaml in {root}",
                                 "run the command in a course folder, or name one: course-builder serve my-course")
    with build_folder(out) as folder:
        previewer = Previewer(root, folder, editor, previews)
        say("Building the web course…")
        previewer.rebuild()

        def page() -> bytes:  # made at each request: the course's title and language, once they have been read
            return preview_page(previewer.title, previewer.page_language)

        try:
            server = ThreadingHTTPServer((host, port), handler_for(previewer, page))
        except OSError as err:
            raise CourseError.single(None, None, f"cannot listen on {host}:{port}: {err.strerror}",
                                     "choose another port with --port, or --port 0 for any free one") from None
        stop = threading.Event()
        watcher = threading.Thread(target=previewer.watch, args=(stop,), name="course-builder-watch", daemon=True)
        watcher.start()
        url = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_address[1]}/"
        if not is_loopback(host):
            say(f"Listening on {host}: other computers on the network can see this preview.")
        say(f"Preview at {url}  (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)
        previous = signal.signal(signal.SIGTERM, stop_on_sigterm)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            say("Stopping the preview…")
        finally:
            signal.signal(signal.SIGTERM, previous)
            stop.set()
            previewer.state.update(stopping=True)  # open event streams end, so their threads do
            server.server_close()
            watcher.join(timeout=60)  # let a build in progress finish before its folder goes
            if previewer.previews is not None:
                previewer.previews.stop()


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
