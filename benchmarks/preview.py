"""Edit-to-preview latency of `course-builder serve`, against a full build of the same course.

    python -m benchmarks.preview                  # sizes 4, 16 and 64
    python -m benchmarks.preview --sizes 16 --no-full

For each size it writes the synthetic course (`benchmarks/synthetic.py`), starts `serve` on
loopback, and then, several times, adds a sentence to the reading of module 2 and measures the
time from the file being written to the server announcing the new build on its event stream
(what the preview page listens to; the page then reloads its frame, which takes the browser a
few tens of milliseconds more). Each new build is checked to hold the edit. Then it measures a
full `course-builder build --no-cache` of the same course, for comparison. Results are printed
as a table and written to `benchmarks/results/preview-<time>.json`.
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


def latencies(course: Path, edits: int) -> list[float]:
    module = sorted((course / "modules").glob("*.md"))[EDITED_MODULE - 1]
    process, url = start_serve(course)
    try:
        stream = states(url)
        state = next(stream)
        seconds = []
        for number in range(1, edits + 1):
            time.sleep(1)  # let the watcher settle, so each edit is a save of its own
            text = module.read_text(encoding="utf-8")
            first_long = next(line for line in text.split("\n") if len(line) > 60 and line[0].isupper())
            started = time.perf_counter()
            module.write_text(text.replace(first_long, first_long + ADDITION, 1), encoding="utf-8")
            generation = state["generation"]
            while state["generation"] == generation or state["building"]:
                state = next(stream)
            seconds.append(time.perf_counter() - started)
            shown = fetch(url, "/course/index.html").count(ADDITION.strip())
            assert shown == number, f"the preview shows {shown} of {number} edits"
        return seconds
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 16, 64], help="module counts (default 4 16 64)")
    parser.add_argument("--edits", type=int, default=5, help="edits measured per size (default 5)")
    parser.add_argument("--no-full", action="store_true", help="skip the full build (it takes minutes at 64 modules)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="course-builder-preview-bench-") as work:
        for modules in args.sizes:
            course = write_course(Path(work) / f"course-{modules}", modules)
            print(f"{modules} modules: edits in the live preview", file=sys.stderr)
            seconds = latencies(course, args.edits)
            full = None
            if not args.no_full:
                print(f"{modules} modules: full build", file=sys.stderr)
                command = [sys.executable, "-m", "course_builder", "build", str(course), "--out", f"{work}/out-{modules}", "-q"]
                started = time.perf_counter()
                subprocess.run([*command, "--no-cache"], env=os.environ | {"SOURCE_DATE_EPOCH": EPOCH}, check=True)
                full = time.perf_counter() - started
            rows.append({"modules": modules, "edit_to_preview": seconds, "full_build": full})
    print("| modules | edit to preview, median (s) | slowest (s) | full build (s) |")
    print("|---:|---:|---:|---:|")
    for row in rows:
        full = f"{row['full_build']:.1f}" if row["full_build"] is not None else "not run"
        seconds = row["edit_to_preview"]
        print(f"| {row['modules']} | {statistics.median(seconds):.2f} | {max(seconds):.2f} | {full} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"preview-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
