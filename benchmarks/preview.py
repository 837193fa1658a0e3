"""Edit-to-preview latency of `course-builder serve`, against full builds of the same course in the same sitting.

    python -m benchmarks.preview                  # sizes 4, 16 and 64
    python -m benchmarks.preview --sizes 4 16 --edits 3

For each size it writes the synthetic course (`benchmarks/synthetic.py`), starts `serve` on
loopback, and measures from the file being written to the server announcing the result on its
event stream (what the preview page listens to):

- **web preview**: several times, a sentence added to the reading of module 2, until the new
  web build is announced (the page then reloads its frame, a few tens of milliseconds more in
  the browser). Each new build is checked to hold the edit;
- **workbook-module preview**: with the print previews idle, a sentence added again, until the
  workbook of module 2 (laid out alone) is drawn as page images. Each is checked to be new pages.

Then it times, with the same course, `course-builder build --format web --no-cache` and
`--format workbook --no-cache`, and reports each latency as a share of the full build it spares.
Results are printed as a table and written to `benchmarks/results/preview-<time>.json`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.run import EDITED_MODULE, EPOCH, RESULTS
from benchmarks.synthetic import write_course

ADDITION = " Another sentence for the preview to show."


def start_serve(course: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "course_builder", "serve", str(course), "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        if match := re.search(r"Preview at (http://\S+)", line):
            return process, match[1]
    raise SystemExit(f"serve did not start for {course}")


def states(url: str) -> Iterator[dict]:
    """The preview's state each time the server announces a change (server-sent events)."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
    connection.request("GET", "/events")
    response = connection.getresponse()
    while line := response.readline():
        if line.startswith(b"data: "):
            yield json.loads(line[6:])


def fetch(url: str, path: str) -> str:
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    connection.request("GET", path)
    return connection.getresponse().read().decode("utf-8")


def edit_module(module: Path) -> None:
    text = module.read_text(encoding="utf-8")
    first_long = next(line for line in text.split("\n") if len(line) > 60 and line[0].isupper())
    module.write_text(text.replace(first_long, first_long + ADDITION, 1), encoding="utf-8")


def printing_idle(state: dict) -> bool:
    printed = state.get("print")
    return bool(printed) and all(output["status"] == "done" for output in printed["outputs"])


def workbook_of(state: dict) -> tuple[str | None, list[str]]:
    """The module the print previews show, and the workbook's pages once they are drawn (else none)."""
    printed = state.get("print") or {}
    workbook = next((o for o in printed.get("outputs", []) if o["format"] == "workbook"), None)
    done = workbook is not None and workbook["status"] == "done"
    return printed.get("module_id"), workbook["pages"] if done else []


def latencies(course: Path, edits: int) -> tuple[list[float], list[float]]:
    """Seconds from a save to the web preview's new build, and to the saved module's workbook pages."""
    module = sorted((course / "modules").glob("*.md"))[EDITED_MODULE - 1]
    module_id = f"module-{EDITED_MODULE:03d}"
    process, url = start_serve(course)
    try:
        stream = states(url)
        state = next(stream)
        web = []
        for number in range(1, edits + 1):
            time.sleep(1)  # let the watcher settle, so each edit is a save of its own
            generation = state["generation"]
            started = time.perf_counter()
            edit_module(module)
            while state["generation"] == generation or state["building"]:
                state = next(stream)
            web.append(time.perf_counter() - started)
            shown = fetch(url, "/course/index.html").count(ADDITION.strip())
            assert shown == number, f"the preview shows {shown} of {number} edits"
        workbook = []
        for _ in range(edits):
            while not printing_idle(state):
                state = next(stream)
            before = workbook_of(state)[1]
            time.sleep(1)
            started = time.perf_counter()
            edit_module(module)
            while workbook_of(state)[0] != module_id or workbook_of(state)[1] in ([], before):
                state = next(stream)
            workbook.append(time.perf_counter() - started)
        return web, workbook
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=300)


def full_build(course: Path, out: Path, fmt: str) -> float:
    command = [sys.executable, "-m", "course_builder", "build", str(course), "--out", str(out), "--format", fmt, "-q"]
    command.append("--no-cache")
    started = time.perf_counter()
    subprocess.run(command, env=os.environ | {"SOURCE_DATE_EPOCH": EPOCH}, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 16, 64], help="module counts (default 4 16 64)")
    parser.add_argument("--edits", type=int, default=5, help="edits measured per size and preview (default 5)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="course-builder-preview-bench-") as work:
        for modules in args.sizes:
            course = write_course(Path(work) / f"course-{modules}", modules)
            print(f"{modules} modules: edits in the live preview", file=sys.stderr)
            web, workbook = latencies(course, args.edits)
            print(f"{modules} modules: full builds", file=sys.stderr)
            full_web = full_build(course, Path(work) / f"web-{modules}", "web")
            full_workbook = full_build(course, Path(work) / f"workbook-{modules}", "workbook")
            rows.append({"modules": modules, "web_preview": web, "full_web": full_web,
                         "workbook_preview": workbook, "full_workbook": full_workbook, "load_average": os.getloadavg()})
    print("| modules | web preview, median (slowest) | full web build | ratio | workbook-module preview, median (slowest) "
          "| full workbook build | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        web, workbook = statistics.median(row["web_preview"]), statistics.median(row["workbook_preview"])
        print(f"| {row['modules']} | {web:.2f} s ({max(row['web_preview']):.2f}) | {row['full_web']:.1f} s "
              f"| {web / row['full_web']:.2f} | {workbook:.1f} s ({max(row['workbook_preview']):.1f}) "
              f"| {row['full_workbook']:.1f} s | {workbook / row['full_workbook']:.2f} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"preview-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
