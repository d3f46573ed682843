"""Measure iacguard's speed on the shared corpus of real-world IaC.

    python benchmarks/bench.py [--corpus ../shared/corpus] [--runs 15]

Prints:
  - a single small file (a Dockerfile and a manifest), process start to exit, median
    of --runs runs;
  - the whole corpus in one `iacguard scan` process: wall time, files/s, MB/s, peak RSS;
  - per format, in-process: the full pipeline (parse, normalise, rules) against the
    parse-only floor, so the distance to the floor is visible.
Timings are wall-clock on whatever machine runs them: compare ratios measured in one
run, not absolute numbers across machines. Processes run with bytecode caching on, as
an installed iacguard does (PYTHONDONTWRITEBYTECODE is removed from their environment).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
SAMPLES = {
    "Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\nUSER 10001\nCMD [\"flask\", \"run\"]\n",
    "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n",
    "main.tf": 'resource "azurerm_linux_web_app" "api" {\n  name = "api"\n  https_only = true\n  site_config {}\n}\n',
}


def iacguard_command() -> list[str]:
    executable = Path(sys.executable).with_name("iacguard")
    return [str(executable)] if executable.exists() else [sys.executable, "-m", "iacguard"]


def single_file(name: str, runs: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_text(SAMPLES[name])
        timings = []
        for _ in range(runs + 1):  # the first run writes the bytecode caches
            start = time.perf_counter()
            subprocess.run([*iacguard_command(), "scan", name], cwd=folder, capture_output=True, check=False, env=ENVIRONMENT)
            timings.append(time.perf_counter() - start)
        timings = timings[1:]
    return statistics.median(timings)


def whole_corpus(corpus: Path) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one `iacguard scan` process over the corpus."""
    start = time.perf_counter()
    subprocess.run([*iacguard_command(), "scan", "--format", "json", "-o", os.devnull, "."], cwd=corpus, check=False, env=ENVIRONMENT)
    return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def per_format(corpus: Path):
    from iacguard.config import Config
    from iacguard.discovery import Discovery, Target
    from iacguard.plugins import load_registry
    from iacguard.policy import build_policy
    from iacguard.runner import read_text, scan_file

    registry = load_registry(autoload=False)
    policy = build_policy(registry, Config(root=corpus))
    discovery = Discovery(list(registry.formats.values()), corpus, corpus)
    targets = defaultdict(list)
    for item in discovery.targets(["."]):
        if isinstance(item, Target):
            targets[item.format.label].append(item)
    rows = []
    for label, items in sorted(targets.items()):
        texts = [(item, read_text(item)[0] or "") for item in items]
        size = sum(len(text.encode("utf-8")) for _, text in texts)
        start = time.perf_counter()
        for item, text in texts:
            try:
                item.format.parse(text, item.display)
            except Exception:  # the floor counts parsing work, failures included
                pass
        floor = time.perf_counter() - start
        start = time.perf_counter()
        for item in items:
            scan_file(item, registry, policy)
        full = time.perf_counter() - start
        rows.append((label, len(items), size, full, floor))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    for name in SAMPLES:
        print(f"single small file ({name}), process start to exit: {single_file(name, args.runs) * 1000:.0f} ms (median of {args.runs})")
    rows = per_format(corpus)
    files = sum(row[1] for row in rows)
    size = sum(row[2] for row in rows)
    elapsed, rss = whole_corpus(corpus)
    print(f"whole corpus, one process: {files} files, {size / 1e6:.2f} MB in {elapsed:.2f} s "
          f"({files / elapsed:.0f} files/s, {size / 1e6 / elapsed:.2f} MB/s), peak RSS {rss / 1024:.0f} MB")
    print(f"{'format':<12} {'files':>6} {'MB':>6} {'pipeline s':>11} {'files/s':>8} {'MB/s':>6} {'parse floor s':>14} {'floor share':>12}")
    for label, count, nbytes, full, floor in rows:
        print(f"{label:<12} {count:>6} {nbytes / 1e6:>6.2f} {full:>11.2f} {count / full:>8.0f} {nbytes / 1e6 / full:>6.2f} {floor:>14.2f} {floor / full:>12.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
