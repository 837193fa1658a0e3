"""The build-speed benchmark: course-builder against the renderers' own floor, at 4, 16 and 64 modules.

    python -m benchmarks.run            # sizes 4, 16 and 64, in one sitting (20-25 minutes on 2 cores)
    python -m benchmarks.run --quick    # sizes 4 and 16, one pair each: a smoke run

For each size it writes a synthetic course (`benchmarks/synthetic.py`), prepares the floor's
inputs from it (untimed), then measures, each as a process of its own whose wall time, CPU
time and peak memory are read from the kernel (`os.wait4`):

- pairs of runs, ours then the floor, both pinned to one core (`taskset -c 0`): a full build of
  every format (`course-builder build --no-cache`) and `benchmarks/floor.py` (WeasyPrint's
  `write_pdf` on the final HTML, a plain python-pptx script, the web files and zips);
- in each pair also `--jobs 2` on both cores, against that pair's single-core floor;
- a rebuild without changes, and a rebuild after editing one sentence of one module;
- pandoc, as a peer, on the same Markdown: to PPTX, and to PDF with WeasyPrint as its engine.

Ratios are taken within a pair and the table shows their medians: the machine is shared, so
two runs minutes apart may see very different loads. Results go to `benchmarks/results/` as
JSON and Markdown. See docs/performance.md for what the numbers mean.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.synthetic import write_course

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
FLOOR_SCRIPT = Path(__file__).resolve().parent / "floor.py"
ONE_CORE = ["taskset", "-c", "0"]
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH for every run: the same bytes each time
PAIRS = {4: 3, 16: 2, 64: 2}
EDITED_MODULE = 2  # which module the edit-rebuilds change (1-based; every size has at least 4)


def _add_to_line_after(text: str, marker: str | None, addition: str) -> str:
    """`addition` appended to the first long line of prose after `marker` (after the front matter when None)."""
    start = text.index(marker) + len(marker) if marker else text.index("---", 3) + 3
    lines = text[start:].split("\n")
    index = next(i for i, line in enumerate(lines) if len(line) > 60 and line[0].isupper())
    lines[index] += addition
    return text[:start] + "\n".join(lines)


EDITS = {
    "reading": lambda text: _add_to_line_after(text, None, " One more sentence, as an author might add."),
    "facilitator note": lambda text: _add_to_line_after(text, "::: {.facilitator}", " Remind the room of the time."),
}


# ---------------------------------------------------------------- one measured process


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    peak_mb: float  # largest resident set of any one process (the kernel's ru_maxrss)
    tree_mb: float  # largest sum of resident sets over the process and its children, sampled
    output: str = ""


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc (0 once it has ended)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `command` to its end; its wall and CPU time and peak memory as the kernel saw them."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=SNAPSHOT)
        tree = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.25):
                tree[0] = max(tree[0], _tree_rss_mb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{text[-3000:]}")
    peak = usage.ru_maxrss / 1024
    return Run(round(wall, 3), round(usage.ru_utime + usage.ru_stime, 3), round(peak, 1), round(max(tree[0], peak), 1), text)


def build_command(course: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "course_builder", "build", str(course), "--out", str(out), "-q", *extra]


def environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(SNAPSHOT)}


SNAPSHOT = Path(tempfile.gettempdir()) / "course-builder-bench-code"


def snapshot_code() -> str:
    """Copy the code under test aside, so edits made in the checkout while the benchmark runs do not reach it."""
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    for folder in ("course_builder", "templates"):
        shutil.copytree(ROOT / folder, SNAPSHOT / folder, ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(SNAPSHOT))
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return commit.stdout.strip()


# ---------------------------------------------------------------- the floor's inputs (untimed)


def prepare_floor(course_dir: Path, inputs: Path, scratch: Path) -> dict[str, int]:
    """Write what the floor renders: final HTML, the deck as JSON, the web course's and packages' files."""
    from course_builder.build import build_course
    from course_builder.deck import Picture, build_deck
    from course_builder.load import load_course
    from course_builder.targets import BuildOptions
    from course_builder.targets.guide import GuideTarget
    from course_builder.targets.slides import SlidesTarget
    from course_builder.targets.workbook import WorkbookTarget
    from course_builder.views import view_for

    loaded = load_course(course_dir)
    course, brand = loaded.course, loaded.course.brand
    options = BuildOptions(source_date_epoch=int(EPOCH))
    inputs.mkdir(parents=True)
    for target in (WorkbookTarget(), GuideTarget()):
        html = target.render_html(view_for(course, target.audience), brand, options)
        (inputs / f"{target.name}.html").write_text(html, encoding="utf-8")
    (inputs / "print.json").write_text(json.dumps({"base_url": course.root.as_uri() + "/"}), encoding="utf-8")

    _, geometry = SlidesTarget().open_presentation(brand)
    deck = build_deck(view_for(course, SlidesTarget.audience), brand, geometry)  # type: ignore[arg-type]

    def paras(box) -> list[dict]:
        return [{"size": p.size, "runs": [(r.text, r.bold or p.bold, r.italic) for r in p.runs]} for p in box.paras]

    slides = []
    for slide in deck.slides:
        shapes = []
        for shape in slide.shapes:
            box = [shape.box.x, shape.box.y, shape.box.w, shape.box.h]
            if isinstance(shape, Picture):
                shapes.append({"box": box, "picture": str(shape.file)})
            else:
                shapes.append({"box": box, "paras": paras(shape.text) if shape.text else []})
        placeholders = [paras(box) for box in slide.placeholders.values()]
        slides.append({"layout": slide.layout, "title": slide.title, "placeholders": placeholders,
                       "shapes": shapes, "notes": slide.notes_text})
    document = {"width": deck.width, "height": deck.height, "slides": slides}
    (inputs / "deck.json").write_text(json.dumps(document), encoding="utf-8")

    build_course(loaded, scratch, ("web", "scorm12", "scorm2004"), options=options, use_cache=False)
    shutil.copytree(scratch / "web", inputs / "web")
    for package in sorted(scratch.glob("*.zip")):
        with zipfile.ZipFile(package) as archive:
            archive.extractall(inputs / "packages" / package.stem)
    return {"slides": len(deck.slides)}


# ---------------------------------------------------------------- the peer: pandoc on the same Markdown


def pandoc_markdown(course_dir: Path, target: Path) -> Path:
    """The course's modules as one Markdown file: front matter replaced by a level-1 title."""
    parts = []
    for module in sorted((course_dir / "modules").glob("*.md")):
        text = module.read_text(encoding="utf-8")
        front, body = text.split("---\n", 2)[1:]
        title = re.search(r"^title: (.*)$", front, re.MULTILINE)
        parts.append(f"# {title.group(1) if title else module.stem}\n\n{body}")
    target.write_text("\n\n".join(parts), encoding="utf-8")
    return target


def pandoc_runs(course_dir: Path, work: Path) -> dict[str, Run]:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    source = pandoc_markdown(course_dir, work / "course.md")
    common = [pandoc, str(source), f"--resource-path={course_dir / 'modules'}", "--metadata", "title=Benchmark"]
    return {
        "pptx": measure([*ONE_CORE, *common, "-o", str(work / "pandoc.pptx")]),
        "pdf": measure([*ONE_CORE, *common, "--pdf-engine=weasyprint", "-o", str(work / "pandoc.pdf")]),
    }


# ---------------------------------------------------------------- one size


@dataclass
class SizeResult:
    modules: int
    pages: dict[str, int] = field(default_factory=dict)
    pairs: list[dict] = field(default_factory=list)
    no_change: list[float] = field(default_factory=list)
    edits: dict = field(default_factory=dict)
    pandoc: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


def report_timings(out: Path) -> dict[str, float]:
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return {key.split("/", 1)[1]: seconds for key, seconds in report["timings"].items()}


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def run_size(modules: int, pairs: int, work: Path, jobs_two: bool, log) -> SizeResult:
    result = SizeResult(modules)
    course = write_course(work / f"course-{modules}", modules)
    log(f"{modules} modules: preparing the floor's inputs")
    inputs = work / f"floor-inputs-{modules}"
    counts = prepare_floor(course, inputs, work / f"scratch-{modules}")
    env = environment()
    ours_out, floor_out, jobs_out = work / f"ours-{modules}", work / f"floor-{modules}", work / f"jobs-{modules}"
    for n in range(pairs):
        log(f"{modules} modules: pair {n + 1}/{pairs}: ours")
        ours = measure([*ONE_CORE, *build_command(course, ours_out, "--no-cache")], env)
        timings = report_timings(ours_out)
        log(f"{modules} modules: pair {n + 1}/{pairs}: floor")
        floor = measure([*ONE_CORE, sys.executable, str(FLOOR_SCRIPT), str(inputs), str(floor_out)], env)
        pair = {"ours": asdict(ours) | {"output": ""}, "targets": timings, "floor": asdict(floor) | {"output": ""},
                "floor_parts": json.loads(floor.output.strip().splitlines()[-1])}
        if jobs_two:
            log(f"{modules} modules: pair {n + 1}/{pairs}: ours with --jobs 2")
            pair["jobs2"] = asdict(measure(build_command(course, jobs_out, "--no-cache", "--jobs", "2"), env)) | {"output": ""}
        result.pairs.append(pair)
    result.pages = {"workbook": pdf_pages(ours_out / "workbook.pdf"), "guide": pdf_pages(ours_out / "guide.pdf"), **counts}

    log(f"{modules} modules: rebuilds")
    result.no_change = [measure([*ONE_CORE, *build_command(course, ours_out)], env).wall for _ in range(3)]
    module = sorted((course / "modules").glob("*.md"))[EDITED_MODULE - 1]
    original = module.read_text(encoding="utf-8")
    for name, edit in EDITS.items():  # one after the other, each measured against the build before it
        module.write_text(edit(module.read_text(encoding="utf-8")), encoding="utf-8")
        run = measure([*ONE_CORE, *build_command(course, ours_out)], env)
        report = json.loads((ours_out / "build-report.json").read_text(encoding="utf-8"))
        reused = sorted(key.split("/", 1)[1] for key in report["reused"])
        rendered = sorted(key.split("/", 1)[1] for key in report["timings"] if key not in report["reused"])
        result.edits[name] = {"wall": run.wall, "cpu": run.cpu, "reused": reused, "rendered": rendered}
    module.write_text(original, encoding="utf-8")

    log(f"{modules} modules: pandoc")
    peer = pandoc_runs(course, work)
    result.pandoc = {name: {"wall": run.wall, "cpu": run.cpu} for name, run in peer.items()}
    result.pandoc["pdf_pages"] = pdf_pages(work / "pandoc.pdf")
    summarise(result)
    return result


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


def summarise(result: SizeResult) -> None:
    pairs = result.pairs
    pdf_ours = [p["targets"]["workbook"] + p["targets"]["guide"] for p in pairs]
    result.summary = {
        "build_wall": median([p["ours"]["wall"] for p in pairs]),
        "build_cpu": median([p["ours"]["cpu"] for p in pairs]),
        "floor_wall": median([p["floor"]["wall"] for p in pairs]),
        "ratio": median([p["ours"]["wall"] / p["floor"]["wall"] for p in pairs]),
        "ratio_cpu": median([p["ours"]["cpu"] / p["floor"]["cpu"] for p in pairs]),
        "pdf_ratio": median([o / p["floor_parts"]["pdf"] for o, p in zip(pdf_ours, pairs, strict=True)]),
        "pdf_seconds": median(pdf_ours),
        "deck_seconds": median([p["targets"]["slides"] for p in pairs]),
        "plain_pptx_seconds": median([p["floor_parts"]["slides"] for p in pairs]),
        "peak_mb": max(p["ours"]["peak_mb"] for p in pairs),
        "no_change": median(result.no_change),
        **{f"edit_{name}": edit["wall"] for name, edit in result.edits.items()},
    }
    if all("jobs2" in p for p in pairs):
        result.summary["jobs2_wall"] = median([p["jobs2"]["wall"] for p in pairs])
        result.summary["jobs2_ratio"] = median([p["jobs2"]["wall"] / p["floor"]["wall"] for p in pairs])
        result.summary["jobs2_tree_mb"] = max(p["jobs2"]["tree_mb"] for p in pairs)


# ---------------------------------------------------------------- start-up


def startup() -> dict[str, float]:
    """`--help` and `check` on the sample course: median wall seconds of five runs each."""
    env = environment()
    runs = {"help": [sys.executable, "-m", "course_builder", "--help"],
            "check": [sys.executable, "-m", "course_builder", "check", str(ROOT / "content"), "-q"]}
    return {name: median([measure(command, env).wall for _ in range(5)]) for name, command in runs.items()}


# ---------------------------------------------------------------- the table


def table(results: list[SizeResult], start: dict[str, float]) -> str:
    nan = float("nan")
    builds = [
        "| modules | pages (workbook + guide) | slides | build (s) | floor (s) | build / floor | build / floor, CPU time | "
        "PDFs / WeasyPrint alone | deck / plain python-pptx (s) | --jobs 2 (s) | --jobs 2 / floor | peak memory (MB) |",
        "|" + "---:|" * 12,
    ]
    rebuilds = [
        "| modules | no change (s) | edit to the reading (s) | edit to a facilitator note (s) | "
        "our PDFs (ms per page) | pandoc PDF (s, pages) | pandoc PDF (ms per page) | pandoc PPTX (s) |",
        "|" + "---:|" * 8,
    ]
    for r in results:
        s, pages = r.summary, r.pages["workbook"] + r.pages["guide"]
        builds.append(
            f"| {r.modules} | {r.pages['workbook']} + {r.pages['guide']} | {r.pages['slides']} | {s['build_wall']:.1f} | "
            f"{s['floor_wall']:.1f} | {s['ratio']:.2f} | {s['ratio_cpu']:.2f} | {s['pdf_ratio']:.2f} | "
            f"{s['deck_seconds']:.1f} / {s['plain_pptx_seconds']:.1f} | {s.get('jobs2_wall', nan):.1f} | "
            f"{s.get('jobs2_ratio', nan):.2f} | {s['peak_mb']:.0f} |"
        )
        rebuilds.append(
            f"| {r.modules} | {s['no_change']:.2f} | {s['edit_reading']:.1f} | {s['edit_facilitator note']:.1f} | "
            f"{1000 * s['pdf_seconds'] / pages:.0f} | {r.pandoc['pdf']['wall']:.1f}, {r.pandoc['pdf_pages']} | "
            f"{1000 * r.pandoc['pdf']['wall'] / r.pandoc['pdf_pages']:.0f} | {r.pandoc['pptx']['wall']:.1f} |"
        )
    lines = ["Full builds, one core (`taskset -c 0`) unless stated:", "", *builds, "",
             "Rebuilds (one core) and pandoc as a peer (one core):", "", *rebuilds, ""]
    by_size = {r.modules: r.summary for r in results}
    if 16 in by_size and 64 in by_size:
        lines.append(f"- time(64) / time(16): {by_size[64]['build_wall'] / by_size[16]['build_wall']:.2f} (wall), "
                     f"{by_size[64]['build_cpu'] / by_size[16]['build_cpu']:.2f} (CPU time)")
    for r in results:
        for name, edit in r.edits.items():
            lines.append(f"- {r.modules} modules, edit to the {name} of one module: re-rendered "
                         f"{', '.join(edit['rendered']) or 'nothing'}; kept {', '.join(edit['reused']) or 'nothing'}")
    lines.append(f"- start-up: `--help` {start['help']:.2f} s, `check` on the sample course {start['check']:.2f} s")
    return "\n".join(lines)


def machine() -> dict[str, object]:
    return {"cpus": os.cpu_count(), "load_before": os.getloadavg(), "python": platform.python_version(),
            "platform": platform.platform(), "date": datetime.now(UTC).isoformat(timespec="seconds")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 4 and 16, one pair each (a smoke run)")
    parser.add_argument("--sizes", type=int, nargs="+", help="module counts to measure (default 4 16 64)")
    parser.add_argument("--pairs", type=int, help="pairs of runs per size (default: 3 at 4, 2 at 16, 1 at 64)")
    parser.add_argument("--no-jobs", action="store_true", help="skip the --jobs 2 runs")
    args = parser.parse_args()
    sizes = args.sizes or ([4, 16] if args.quick else [4, 16, 64])
    about = machine() | {"code": snapshot_code()}
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="course-builder-bench-") as folder:
        results = []
        for size in sizes:
            pairs = args.pairs or (1 if args.quick else PAIRS.get(size, 1))
            results.append(run_size(size, pairs, Path(folder), not args.no_jobs, log))
    start = startup()
    about |= {"load_after": os.getloadavg(), "minutes": round((time.perf_counter() - started) / 60, 1)}
    text = table(results, start)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    data = {"machine": about, "startup": start, "sizes": [asdict(r) for r in results]}
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    note = (f"# Build benchmark, {about['date']}\n\n{about['cpus']} CPUs, load average {about['load_before'][0]:.1f} "
            f"before and {about['load_after'][0]:.1f} after; {about['minutes']} minutes. Medians of paired ratios; "
            f"the machine is shared, so single runs vary.\n\n{text}\n")
    (RESULTS / f"bench-{stamp}.md").write_text(note, encoding="utf-8")
    print(f"\nwritten: {RESULTS / f'bench-{stamp}.json'} and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
