"""What the web-course browser tests share: opening the course, moving between its pages, and axe-core."""

from __future__ import annotations

from lms.harness import AXE, Guard, new_guarded_page
from playwright.sync_api import Browser, Page

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""axe-core's tags for every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA."""


def open_course(browser: Browser, guard: Guard, url: str, width: int = 1280) -> Page:
    page = new_guarded_page(browser, guard, width=width, height=900)
    page.goto(url)
    page.locator("[data-pager]").wait_for()
    return page


def shown_title(page: Page) -> str:
    return page.locator("[data-page]:not([hidden]) h1").inner_text()


def go_to(page: Page, anchor: str) -> None:
    """Show a page the way a link does; pages change on hashchange, so wait for it."""
    page.evaluate(f"location.hash = '#{anchor}'")
    page.locator(f"#{anchor}").wait_for()


def axe_violations(page: Page, *, javascript_off: bool = False) -> list[str]:
    """Every WCAG 2.2 A/AA violation axe-core finds in what the page shows now, whatever its impact.

    With the page's JavaScript off, Playwright can still evaluate axe-core in it, but no timer ever
    fires, and axe-core waits on timers between its rules: they run as microtasks instead.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    if javascript_off:
        page.evaluate("window.setTimeout = (run, delay, ...args) => {"
                      "  if (typeof run === 'function') Promise.resolve().then(() => run(...args)); return 0; }")
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"], "preload": False}
    result = page.evaluate("options => axe.run(document, options)", options)
    assert result["passes"], "axe-core ran its rules"
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
