"""A course full of hostile markup and SVGs, built and opened in a real browser: nothing runs, nothing leaves.

Every web page, every packaged page and every SVG of the outputs is loaded in Chromium from
disk. A script that ran would open a dialog (every payload calls alert); a link to a script
URL would navigate to it; a reference to another host would be a request. The same watcher
sees the author's original SVGs run, so it would see the outputs run too.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from course_builder.skeleton import write_minimal_course

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">'
SQUARE = '<rect width="100" height="100" fill="green"/>'
HOSTILE_SVGS = {
    "animated-link.svg": f'{SVG_OPEN}<a href="https://example.com/"><set attributeName="href" to="javascript:alert(\'set\')"/>'
    f'<animate attributeName="xlink:href" values="javascript:alert(\'animate\')" dur="1s"/>{SQUARE}</a></svg>',
    "embedded-page.svg": f'{SVG_OPEN}{SQUARE}<foreignObject width="100" height="100">'
    '<iframe xmlns="http://www.w3.org/1999/xhtml" srcdoc="&lt;script&gt;alert(\'foreignObject\')&lt;/script&gt;"/>'
    "</foreignObject></svg>",
    "remote-dtd.svg": '<?xml version="1.0"?>\n<!DOCTYPE svg SYSTEM "https://example.com/svg.dtd">\n'
    f'{SVG_OPEN}{SQUARE}<use href="#x" filter="url(https://example.com/f.svg#blur)"/></svg>',
}
HOSTILE_MARKDOWN = """
## Hostile

<noscript><p title="</noscript><img src=x onerror=alert('noscript')>"></noscript>

![The team](../assets/team.png "<img src=x onerror=alert('caption')>")

Read [the notes](javascript:alert('link')) first.

![Moving link](../assets/animated-link.svg)

![Embedded page](../assets/embedded-page.svg)

![A DTD](../assets/remote-dtd.svg)
"""


@dataclass
class Watcher:
    """Dialogs (a script ran), navigations to script URLs, and requests for anything not on disk."""

    dialogs: list[str] = field(default_factory=list)
    script_navigations: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, browser: Browser, url: str) -> None:
        context = browser.new_context()
        context.route("**/*", self._route)
        page = context.new_page()
        page.on("dialog", lambda dialog: (self.dialogs.append(f"{url}: {dialog.message}"), dialog.dismiss()))
        page.on("framenavigated", self._navigated)
        page.goto(url, wait_until="load")
        self._poke(page)
        context.close()

    def _route(self, route) -> None:
        if not route.request.url.startswith(("file:", "data:", "about:", "blob:")):
            self.requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def _navigated(self, frame) -> None:
        if frame.url.lower().startswith(("javascript:", "vbscript:")):
            self.script_navigations.append(frame.url)

    @staticmethod
    def _poke(page: Page) -> None:
        """Click the middle of the page and every link, as a learner might (links to the web are not followed)."""
        page.mouse.click(50, 50)
        for link in page.locator("a[href]").all():
            href = link.get_attribute("href") or ""
            if not href.startswith(("http:", "https:", "#")) and link.is_visible():
                link.click(no_wait_after=True, modifiers=["Alt"])
        page.wait_for_timeout(300)  # let a <set> or an iframe's script run, if any could


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    course = root / "course"
    write_minimal_course(course)
    (course / "course.yaml").write_text((course / "course.yaml").read_text(encoding="utf-8") + "allow_html: true\n")
    (course / "assets").mkdir(exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    (course / "assets" / "team.png").write_bytes(buffer.getvalue())
    for name, text in HOSTILE_SVGS.items():
        (course / "assets" / name).write_text(text, encoding="utf-8")
    brand = course / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "logo: assets/embedded-page.svg\n", encoding="utf-8")
    module = course / "modules" / "01-welcome.md"
    module.write_text(module.read_text(encoding="utf-8") + HOSTILE_MARKDOWN, encoding="utf-8")
    out = root / "out"
    script = Path(sys.executable).with_name("course-builder")
    result = subprocess.run(
        [str(script), "build", str(course), "--out", str(out), "--format", "web", "--format", "scorm12", "--format", "scorm2004"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0, result.stderr
    for package in out.glob("*.zip"):
        with zipfile.ZipFile(package) as archive:
            archive.extractall(out / "unpacked" / package.stem)
    return course, out


def test_the_watcher_sees_the_authors_original_svgs_run_and_a_drawing_reach_a_host(
    browser: Browser, hostile_build: tuple[Path, Path], tmp_path: Path
) -> None:
    course, _ = hostile_build
    remote = tmp_path / "remote.svg"  # the loader refuses this one outright; here it only shows that requests are seen
    remote.write_text(f'{SVG_OPEN}<image href="https://example.com/pixel.png" width="10" height="10"/></svg>')
    watcher = Watcher()
    for file in [*(course / "assets" / name for name in HOSTILE_SVGS), remote]:
        watcher.open(browser, file.as_uri())
    assert any("foreignObject" in d for d in watcher.dialogs), watcher
    assert watcher.requests == ["https://example.com/pixel.png"], watcher


def test_no_page_or_svg_of_the_hostile_course_runs_a_script_or_reaches_a_host(
    browser: Browser, hostile_build: tuple[Path, Path]
) -> None:
    _, out = hostile_build
    pages = sorted(out.glob("web/*.html")) + sorted(out.glob("unpacked/*/*.html"))
    drawings = sorted(out.rglob("*.svg"))
    assert len(pages) >= 3 and len(drawings) >= 3 * len(HOSTILE_SVGS), (pages, drawings)
    assert all("Moving link" in page.read_text(encoding="utf-8") for page in pages if "index" not in page.name)
    watcher = Watcher()

    for file in [*pages, *drawings]:
        watcher.open(browser, file.as_uri())

    assert watcher.dialogs == []
    assert watcher.script_navigations == []
    assert watcher.requests == []
