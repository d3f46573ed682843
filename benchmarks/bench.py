"""Measure iacguard's speed on the shared corpus of real-world IaC.

    python benchmarks/bench.py [--corpus ../shared/corpus] [--charts ../shared/corpus2] [--runs 15] [--checkov PATH] [--hadolint PATH]

Prints:
  - a single small file (Dockerfile, manifest, Terraform), edited before every run as
    in an editor, process start to exit, median of --runs runs;
  - the whole corpus: cold in parallel (the default `--jobs`), cold in one process,
    and again with the cache warm; files/s, MB/s and peak RSS; when Checkov is not
    run on every format, the same again on the files it is given, for the ratio;
  - per format, in a process of its own: wall time, files/s, MB/s, peak RSS, and the
    parse-only floor (the parser alone over the same files, in-process), so the
    distance between the floor and the full pipeline is visible;
  - each Helm chart under --charts (when a renderer is installed): the render alone
    (its process, all templates, the chart's own values) and the whole scan of the
    chart from process start, medians of --runs // 5 runs;
  - when Checkov is found (`--checkov`, or `checkov` on PATH; install it in a venv of
    its own, never as a dependency), Checkov on the same inputs, measured in the same
    run, and the ratios; likewise hadolint for a single Dockerfile.
Timings are wall-clock on whatever machine runs them: compare ratios measured in one
run, not absolute numbers across machines. Processes run with bytecode caching on, as
an installed iacguard does (PYTHONDONTWRITEBYTECODE is removed from their environment).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENVIRONMENT = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "IACGUARD_NO_CACHE")}
SAMPLES = {
    "Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\nUSER 10001\nCMD [\"flask\", \"run\"]\n",
    "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n",
    "main.tf": 'resource "azurerm_linux_web_app" "api" {\n  name = "api"\n  https_only = true\n  site_config {}\n}\n',
}
# Checkov's arm framework crashes on the corpus (an IndexError in its graph builder), so ARM is not compared.
CHECKOV_FRAMEWORK = {"Bicep": "bicep", "Dockerfile": "dockerfile", "Kubernetes": "kubernetes", "Terraform": "terraform"}
# Runs a command and reports its own peak RSS (KiB) on the last line of stderr.
MEASURED = (
    "import os, resource, runpy, sys\n"
    "sys.argv = sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_path(sys.argv[0], run_name='__main__') if os.path.isfile(sys.argv[0]) else runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
)


def timed(command: list[str], cwd: Path) -> tuple[float, int | None]:
    """Wall time and peak RSS in KiB (own plus largest child) of a command."""
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENVIRONMENT, check=False)
    elapsed = time.perf_counter() - start
    last = completed.stderr.strip().splitlines()[-1:] or [""]
    return elapsed, int(last[0]) if last[0].isdigit() else None


def iacguard(*args: str) -> list[str]:
    return [sys.executable, "-c", MEASURED, "iacguard", *args]


def measured_script(script: str, *args: str) -> list[str]:
    """Run a console script under its own interpreter (from its #! line), measured."""
    with open(script, encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
    interpreter = first[2:].strip().split()[0] if first.startswith("#!") else sys.executable
    return [interpreter, "-c", MEASURED, script, *args]


def median_time(command: list[str], cwd: Path, runs: int, edited: Path | None = None) -> float:
    """Median wall time; with `edited`, the file gets a new trailing comment before
    every run, as an editor saving it would (so no cached result can be reused)."""
    subprocess.run(command, cwd=cwd, capture_output=True, env=ENVIRONMENT, check=False)  # writes bytecode caches
    original = edited.read_text() if edited else ""
    timings = []
    for run in range(runs):
        if edited:
            edited.write_text(f"{original}# edit {run}\n")
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, env=ENVIRONMENT, check=False)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def targets_by_format(corpus: Path):
    from iacguard.discovery import Discovery, Target
    from iacguard.plugins import load_registry

    registry = load_registry(autoload=False)
    discovery = Discovery(list(registry.formats.values()), corpus, corpus)
    grouped = defaultdict(list)
    for item in discovery.targets(["."]):
        if isinstance(item, Target):
            grouped[item.format.label].append(item)
    return grouped


def parse_floor(targets) -> float:
    from iacguard.runner import read_text

    texts = [(target, read_text(target)[0] or "") for target in targets]
    start = time.perf_counter()
    for target, text in texts:
        try:
            target.format.parse(text, target.display)
        except Exception:  # the floor counts parsing work, failures included
            pass
    return time.perf_counter() - start


def chart_costs(folder: Path, runs: int) -> None:
    """The cost of rendering each chart of `folder`: the renderer's process alone, on
    a copy as a scan makes it, and a scan of the chart from process start."""
    from iacguard.helm.charts import ChartIndex
    from iacguard.helm.render import find_renderer, render
    from iacguard.normalizers.kubernetes import RELEASE_NAMESPACE

    renderer = find_renderer()
    if renderer is None:
        print(f"\n== Helm charts: no renderer installed, not measured")
        return
    index = ChartIndex(folder)
    charts = sorted(path.parent for path in folder.rglob("Chart.yaml") if index.owner(path) == path.parent)
    print(f"\n== Helm charts ({renderer.identity}), median of {runs} runs")
    print(f"{'chart':<40} {'files':>6} {'render s':>9} {'scan s':>7}")
    for chart in charts:
        renders = []
        with tempfile.TemporaryDirectory() as workspace:
            copy = Path(shutil.copytree(chart, Path(workspace) / "chart"))
            for _ in range(runs):
                start = time.perf_counter()
                render(renderer, Path(workspace), copy, [[]], RELEASE_NAMESPACE)
                renders.append(time.perf_counter() - start)
        scan = median_time(iacguard("scan", "--format", "json", "-o", os.devnull, "--no-cache", str(chart / "Chart.yaml")), folder, runs)
        files = sum(1 for path in chart.rglob("*") if path.is_file())
        print(f"{chart.name:<40} {files:>6} {statistics.median(renders):>9.2f} {scan:>7.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--charts", type=Path, default=ROOT.parent / "shared" / "corpus2", help="a folder holding Helm charts")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--checkov", default=shutil.which("checkov"), help="Checkov executable to compare with")
    parser.add_argument("--hadolint", default=shutil.which("hadolint"), help="hadolint executable to compare single Dockerfiles with")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    checkov = args.checkov

    print(f"== single small file edited between runs, process start to exit (median of {args.runs})")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in SAMPLES.items():
            (Path(folder) / name).write_text(text)
            ours = median_time([sys.executable, "-m", "iacguard", "scan", name], Path(folder), args.runs, Path(folder) / name)
            line = f"{name:<11} iacguard {ours * 1000:6.0f} ms"
            if checkov:
                theirs = median_time([checkov, "-f", name, "--quiet", "--compact"], Path(folder), max(3, args.runs // 5))
                line += f"   checkov {theirs * 1000:6.0f} ms   ratio {theirs / ours:5.1f}x"
            if args.hadolint and name == "Dockerfile":
                theirs = median_time([args.hadolint, name], Path(folder), args.runs)
                line += f"   hadolint {theirs * 1000:4.0f} ms (iacguard takes {ours / theirs:.1f}x as long)"
            print(line)

    grouped = targets_by_format(corpus)
    files = sum(len(items) for items in grouped.values())
    size = sum(item.path.stat().st_size for items in grouped.values() for item in items)
    print(f"\n== whole corpus: {files} files, {size / 1e6:.2f} MB")
    # The ratio is taken on the files Checkov is given: a format it is not run on
    # (ARM) would otherwise count against iacguard only.
    compared = [item for label, items in grouped.items() if label in CHECKOV_FRAMEWORK for item in items]
    subsets = {"all files": (["."], files, size)}
    if checkov and len(compared) < files:
        compared_size = sum(item.path.stat().st_size for item in compared)
        subsets["Checkov's files"] = ([item.display for item in compared], len(compared), compared_size)
        print(f"Checkov's files: {len(compared)}, {compared_size / 1e6:.2f} MB (its frameworks: {', '.join(sorted(set(CHECKOV_FRAMEWORK.values())))})")
    checkov_total = None
    if checkov:
        frameworks = [CHECKOV_FRAMEWORK[label] for label in grouped if label in CHECKOV_FRAMEWORK]
        checkov_total = timed(measured_script(checkov, "-d", ".", "--quiet", "--compact", "--framework", *frameworks), corpus)
    for subset, (paths, count, nbytes) in subsets.items():
        with tempfile.TemporaryDirectory() as cache:
            runs = {
                "cold, parallel": iacguard("scan", "--format", "json", "-o", os.devnull, "--cache-dir", cache, *paths),
                "warm cache": iacguard("scan", "--format", "json", "-o", os.devnull, "--cache-dir", cache, *paths),
                "cold, one process": iacguard("scan", "--format", "json", "-o", os.devnull, "--no-cache", "--jobs", "1", *paths),
            }
            results = {label: timed(command, corpus) for label, command in runs.items()}
        same_files = subset == "Checkov's files" or len(subsets) == 1
        for label, (elapsed, rss) in results.items():
            line = f"{subset:<15} {label:<18} {elapsed:6.2f} s  {count / elapsed:6.0f} files/s  {nbytes / 1e6 / elapsed:5.2f} MB/s  peak RSS {rss / 1024 if rss else 0:4.0f} MB"
            if checkov_total and same_files:
                line += f"   vs checkov {checkov_total[0]:.1f} s: {checkov_total[0] / elapsed:5.1f}x"
            print(line)
    if checkov_total:
        print(f"{'checkov':<34} {checkov_total[0]:6.2f} s  peak RSS {checkov_total[1] / 1024 if checkov_total[1] else 0:4.0f} MB")

    print("\n== per format (one process each, cold, parallel)")
    print(f"{'format':<11} {'files':>6} {'MB':>6} {'wall s':>7} {'files/s':>8} {'MB/s':>6} {'RSS MB':>7} {'floor s':>8} {'floor/wall':>10}" + ("   checkov s  RSS MB  ratio" if checkov else ""))
    for label, items in sorted(grouped.items()):
        nbytes = sum(item.path.stat().st_size for item in items)
        paths = [item.display for item in items]
        elapsed, rss = timed(iacguard("scan", "--format", "json", "-o", os.devnull, "--no-cache", *paths), corpus)
        floor = parse_floor(items)
        line = f"{label:<11} {len(items):>6} {nbytes / 1e6:>6.2f} {elapsed:>7.2f} {len(items) / elapsed:>8.0f} {nbytes / 1e6 / elapsed:>6.2f} {(rss or 0) / 1024:>7.0f} {floor:>8.2f} {floor / elapsed:>10.0%}"
        if checkov and label in CHECKOV_FRAMEWORK:
            theirs, their_rss = timed(measured_script(checkov, "-d", ".", "--quiet", "--compact", "--framework", CHECKOV_FRAMEWORK[label]), corpus)
            line += f"   {theirs:9.1f} {(their_rss or 0) / 1024:7.0f} {theirs / elapsed:5.1f}x"
        print(line)
    if args.charts.is_dir():
        chart_costs(args.charts.resolve(), max(3, args.runs // 5))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
