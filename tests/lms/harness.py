"""What the browser tests share: Chromium, a loopback LMS serving scorm-again, and a guard on the page.

The LMS page (lms.html) creates scorm-again's Scorm12API or Scorm2004API, exposes it where a SCO
looks for it, launches the SCO and logs every call. Nothing here fakes the runtime: the course runs
against the same JavaScript API real LMS players use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

TESTS = Path(__file__).resolve().parent.parent
NODE_MODULES = TESTS / "js" / "node_modules"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LOOPBACK = {"127.0.0.1", "localhost"}


def launch_chromium(playwright: Playwright) -> Browser:
    for needed, how in ((CHROMIUM, "install Debian's chromium (scripts/install-system-deps.sh --test)"),
                        (SCORM_AGAIN, "run: npm ci --prefix tests/js"), (AXE, "run: npm ci --prefix tests/js")):
        if not needed.exists():
            pytest.fail(f"{needed} is missing; {how}")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class _Handler(SimpleHTTPRequestHandler):
    roots: dict[str, Path]

    def translate_path(self, path: str) -> str:
        first, _, rest = unquote(urlsplit(path).path).lstrip("/").partition("/")
        root = self.roots.get(first)
        if root is None or ".." in Path(rest).parts:
            return str(TESTS / "lms" / "missing")
        return str(root / rest)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test prints what it checks, not every request."""


class LmsServer:
    """http://127.0.0.1:<ephemeral port>/ with /lms/ (the LMS page), /scorm-again/ and /pkg/<name>/ (courses)."""

    def __init__(self) -> None:
        self.roots: dict[str, Path] = {"lms": TESTS / "lms", "scorm-again": SCORM_AGAIN}
        handler = type("Handler", (_Handler,), {"roots": self.roots})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"

    def serve(self, name: str, folder: Path) -> str:
        self.roots[f"pkg-{name}"] = folder
        return f"/pkg-{name}/"

    def lms_url(self, version: str, launch: str, **params: str | int) -> str:
        return f"{self.base}/lms/lms.html?" + urlencode({"version": version, "launch": launch, **params})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Guard:
    """Watches a browser context: console errors, page errors, and any request leaving this machine (aborted)."""

    errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.route("**/*", self._route)
        context.on("console", lambda message: self.errors.append(f"console: {message.text}") if message.type == "error" else None)
        context.on("weberror", lambda error: self.errors.append(f"page error: {error.error}"))
        return context

    def _route(self, route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOOPBACK:
            self.outside_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()


def new_guarded_page(browser: Browser, guard: Guard, width: int = 1280, height: int = 900) -> Page:
    context = guard.watch(browser.new_context(viewport={"width": width, "height": height}))
    return context.new_page()
