"""Measure iacguard's speed on the shared corpus of real-world IaC.

    python benchmarks/bench.py [--corpus ../shared/corpus] [--runs 15]

Prints, for the formats iacguard supports today:
  - a single small file, process start to exit (median of --runs runs);
  - the whole corpus of that format in one process: wall time, files/s, MB/s and
    peak RSS;
  - the parse-only floor: the parser alone over the same files, in-process, so the
    distance between the floor and the full pipeline is visible.
Timings are wall-clock medians on whatever machine runs them: compare ratios measured
in one run, not absolute numbers across machines.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_DOCKERFILE = "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\nUSER 10001\nCMD [\"flask\", \"run\"]\n"


def iacguard_command() -> list[str]:
    executable = Path(sys.executable).with_name("iacguard")
    return [str(executable)] if executable.exists() else [sys.executable, "-m", "iacguard"]


def single_file(runs: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "Dockerfile").write_text(SMALL_DOCKERFILE)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*iacguard_command(), "scan", "Dockerfile"], cwd=folder, capture_output=True, check=False)
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def corpus_files(corpus: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from iacguard.discovery import Discovery, Target
    from iacguard.plugins import load_registry

    discovery = Discovery(list(load_registry(autoload=False).formats.values()), corpus, corpus)
    return [item.path for item in discovery.targets(["."]) if isinstance(item, Target)]


def whole_corpus(corpus: Path, files: list[Path]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one `iacguard scan` over the corpus."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([*iacguard_command(), "scan", "--format", "json", "-o", os.devnull, "."], cwd=corpus, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)


def parse_floor(files: list[Path]) -> float:
    from iacguard.parsers.dockerfile import parse

    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    start = time.perf_counter()
    for text in texts:
        try:
            parse(text)
        except Exception:  # the floor counts parsing work, errors included
            pass
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    files = corpus_files(args.corpus.resolve())
    size = sum(path.stat().st_size for path in files)
    single = single_file(args.runs)
    elapsed, rss = whole_corpus(args.corpus.resolve(), files)
    floor = parse_floor(files)
    print(f"single small Dockerfile, process start to exit: {single * 1000:.0f} ms (median of {args.runs})")
    print(f"Dockerfiles in corpus: {len(files)} files, {size / 1e6:.2f} MB")
    print(f"  full scan, one process: {elapsed:.2f} s, {len(files) / elapsed:.0f} files/s, {size / 1e6 / elapsed:.2f} MB/s, peak RSS {rss / 1024:.0f} MB")
    print(f"  parse-only floor:       {floor:.2f} s ({floor / elapsed:.0%} of the full scan)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
