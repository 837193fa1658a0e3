"""`course-builder serve`: the web course in a browser, rebuilt and reloaded whenever a file is saved.

One process, three parts:

- a watcher thread (watchfiles) that rebuilds the web course after each save, one build at a
  time, and records either the new build or the course's problems (`check`'s messages, with
  file and line);
- a small HTTP server from the standard library, on loopback by default, that serves the
  preview page, the built web course, and a stream of server-sent events telling the page
  when a new build is ready or what is wrong;
- the preview page (`templates/preview/preview.html.j2`), which shows the web course in a frame,
  reloads it when told to, and lists the problems until they are fixed.

The build goes into a temporary folder (or `--out`); nothing else is written, and the temporary
folder is removed when the server stops.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import mimetypes
import shutil
import signal
import tempfile
import threading
import time
import webbrowser
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import jinja2

from course_builder.errors import CourseError, Problem
from course_builder.load.module_cache import ModuleCache
from course_builder.resources import data_dir, templates_dir

if TYPE_CHECKING:
    from course_builder.load import LoadedCourse

KEEPALIVE_SECONDS = 15.0  # a comment on the event stream, so a closed tab is noticed and its thread ends
DEBOUNCE_MS = 150  # an editor's save is often several writes; build once they have settled
LMS_FORMATS = ("scorm12", "scorm2004")
STAND_IN_LMS = data_dir() / "preview" / "scorm-again.min.js"  # see data/preview/SOURCES.md


@dataclass
class PreviewState:
    """What the page shows: the latest build, or why there is none. Changes wake every open page."""

    generation: int = 0  # goes up with every successful build; the page reloads its frame when it does
    building: bool = False
    problems: list[dict[str, object]] = field(default_factory=list)
    seconds: float | None = None  # how long the last build took
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def as_json(self) -> str:
        ok = not any(p["severity"] == "error" for p in self.problems)
        shown = {"generation": self.generation, "building": self.building, "ok": ok, "problems": self.problems}
        return json.dumps(shown | {"seconds": self.seconds})

    def update(self, **values: object) -> None:
        with self.changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.changed.notify_all()


def problem_as_dict(problem: Problem, root: Path) -> dict[str, object]:
    return {
        "severity": problem.severity,
        "where": problem.where(root),
        "line": problem.line,
        "message": problem.message,
        "hint": problem.hint,
    }


def warning_as_dict(text: str, root: Path) -> dict[str, object]:
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
    }


class Previewer:
    """Builds the web course of `root` into `out` and keeps `state` up to date."""

    def __init__(self, root: Path, out: Path):
        self.root = root.resolve()
        self.out = out
        self.state = PreviewState()
        self.title = self.root.name  # the course's title once it has been read
        self.loaded: LoadedCourse | None = None  # the latest course that built
        self.packages: dict[str, tuple[int, Path]] = {}  # format → (generation, zip) of the mock LMS's packages
        self.packaging = threading.Lock()
        self.modules = ModuleCache(skip=(out,))  # modules unchanged since the last save are not read again

    @property
    def web(self) -> Path:
        return self.out / "web"

    def rebuild(self) -> None:
        from course_builder.build import build_course, source_date_epoch
        from course_builder.load import load_course
        from course_builder.targets import BuildOptions

        self.state.update(building=True)
        started = time.perf_counter()
        try:
            loaded = load_course(self.root, self.modules)
            course = loaded.course
            self.title = course.title
            # Only the default brand: one web course in the frame, at out/web.
            options = BuildOptions(source_date_epoch=source_date_epoch())
            report = build_course(loaded, self.out, ("web",), (course.brand,), options)
            self.loaded = loaded
        except CourseError as err:
            problems = [problem_as_dict(p, self.root) for p in err.problems]
            self.state.update(building=False, problems=problems, seconds=None)
            return
        except Exception as err:  # a bug in course-builder: say so in the page, keep serving the last good build
            message = f"course-builder failed unexpectedly ({type(err).__name__}: {err})"
            bug = Problem(None, None, message, "this is a bug in course-builder, not a problem in your course")
            self.state.update(building=False, problems=[problem_as_dict(bug, self.root)], seconds=None)
            return
        self.state.update(
            building=False,
            generation=self.state.generation + 1,
            problems=[warning_as_dict(text, self.root) for text in report.warnings],
            seconds=round(time.perf_counter() - started, 2),
        )

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
            folder = self.out / "lms"
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
        for _ in saves:
            self.rebuild()


def preview_page(title: str) -> bytes:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "preview"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template("preview.html.j2").render(title=title).encode("utf-8")


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
            elif path == "/lms/scorm-again.min.js":
                self.send_body(STAND_IN_LMS.read_bytes(), "text/javascript")
            elif path.startswith("/lms/") and path.count("/") >= 3 and path.split("/")[2] in LMS_FORMATS:
                _, _, fmt, name = path.split("/", 3)
                self.send_package_file(fmt, name)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

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
) -> None:
    """Serve the live preview of the course at `root` until Ctrl-C (or SIGTERM)."""
    if not (root / "course.yaml").is_file():
        raise CourseError.single(root / "course.yaml", None, f"there is no course.yaml in {root}",
                                 "run the command in a course folder, or name one: course-builder serve my-course")
    with build_folder(out) as folder:
        previewer = Previewer(root, folder)
        say("Building the web course…")
        previewer.rebuild()
        try:
            server = ThreadingHTTPServer((host, port), handler_for(previewer, lambda: preview_page(previewer.title)))
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


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
