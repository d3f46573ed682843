"""Measure iacguard's speed on the shared corpus of real-world IaC.

    python benchmarks/bench.py [--corpus ../shared/corpus] [--charts ../shared/corpus2] [--runs 15]
        [--checkov PATH] [--hadolint PATH] [--compare REV] [--only SECTIONS] [--json FILE]

Prints, for each measurement, wall time and CPU time (user + system of the process and
its children; on a loaded machine CPU time is the steadier figure):
  - single: a small file (Dockerfile, manifest, Terraform), edited before every run as
    in an editor, process start to exit, median of --runs runs; and the floor under
    it: Python starting and importing what a check of the Dockerfile imports from
    outside iacguard;
  - corpus: the whole corpus cold in parallel (the default `--jobs`), with the cache
    warm (median of `WARM_RUNS`), and cold in one process; peak RSS; when Checkov is not run
    on every format, the same again on the files it is given, for the ratio;
  - formats: per format, in a process of its own: wall and CPU time (median of
    `FORMAT_RUNS`), peak RSS, and the parse-only floor (the parser alone over the
    same files, in-process CPU time), so the distance between the floor and the full
    pipeline is visible;
  - charts: each Helm chart under --charts (when a renderer is installed): the render
    alone and the whole scan of the chart from process start;
  - findings: a digest of the JSON `findings` of a one-process scan of --corpus and of
    --charts, so that a speed change can show that the output did not move;
  - dependents: one file of the corpus given, as a pre-commit hook gives it, with and
    without the search of the corpus for the files that use it (`--no-dependents`);
    lists of files given elsewhere are scanned without that search, as Checkov and
    older code, scanning the same files, do not make it;
  - when Checkov is found (`--checkov`, or `checkov` on PATH; install it in a venv of
    its own, never as a dependency), Checkov on the same inputs, measured in the same
    run, and the ratios; likewise hadolint for a single Dockerfile;
  - targets, last: each speed target (`TARGETS`) that the run measured, its figure and
    whether it is met.

`--compare REV` runs a commit's code side by side with the working tree's in the same
run (each measurement alternates between the two), from a temporary `git worktree` of
REV put first on PYTHONPATH, and prints the ratio: before/after figures measured on one
machine at one time. `--json FILE` also writes every figure, for a baseline file.
Timings are whatever the machine gives: compare figures measured in one run, not
absolute numbers across machines. Processes run with bytecode caching on, as an
installed iacguard does (PYTHONDONTWRITEBYTECODE is removed from their environment).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENT = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "IACGUARD_NO_CACHE", "PYTHONPATH")}
SAMPLES = {
    "Dockerfile": "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\nUSER 10001\nCMD [\"flask\", \"run\"]\n",
    "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n",
    "main.tf": 'resource "azurerm_linux_web_app" "api" {\n  name = "api"\n  https_only = true\n  site_config {}\n}\n',
}
SECTIONS = ("single", "corpus", "formats", "charts", "findings", "dependents")
WARM_RUNS = 7  # runs of each warm scan, whose median is reported
FORMAT_RUNS = 3  # runs of each format's scan, whose median is reported: one run of the Bicep files moved by a tenth
# A Dockerfile, a Terraform file and a Bicep file of the corpus, each given alone.
DEPENDENT_SAMPLES = ("Dockerfile", "Terraform", "Bicep")
# Checkov's arm framework crashes on the corpus (an IndexError in its graph builder), so ARM is not compared.
CHECKOV_FRAMEWORK = {"Bicep": "bicep", "Dockerfile": "dockerfile", "Kubernetes": "kubernetes", "Terraform": "terraform"}
# Runs a command and reports its own peak RSS (KiB) on the last line of stderr, from an
# exit handler: iacguard's command ends the process itself once they ran
# (`iacguard.__main__.command`).
MEASURED = (
    "import atexit, os, resource, runpy, sys\n"
    "sys.argv = sys.argv[1:]\n"
    "atexit.register(lambda: print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr))\n"
    "runpy.run_path(sys.argv[0], run_name='__main__') if os.path.isfile(sys.argv[0]) else runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
)
# The parse-only floor of one format, run under a subject's code, with the collector
# at the pace a scan sets (`iacguard.cli.GC_THRESHOLDS`, where the code has one):
# prints CPU seconds.
FLOOR = (
    "import gc, sys, time\n"
    "from iacguard import cli\n"
    "gc.set_threshold(*getattr(cli, 'GC_THRESHOLDS', gc.get_threshold()))\n"
    "from collections import defaultdict\n"
    "from pathlib import Path\n"
    "from iacguard.discovery import Discovery, Target\n"
    "from iacguard.plugins import load_registry\n"
    "corpus, label = Path(sys.argv[1]), sys.argv[2]\n"
    "registry = load_registry(autoload=False)\n"
    "targets = [item for item in Discovery(list(registry.formats.values()), corpus, corpus).targets(['.'])\n"
    "           if isinstance(item, Target) and item.format.label == label]\n"
    "texts = [(target, Path(target.path).read_text(encoding='utf-8', errors='replace')) for target in targets]\n"
    "start = time.process_time()\n"
    "for target, text in texts:\n"
    "    try:\n"
    "        target.format.parse(text, target.display)\n"
    "    except Exception:\n"
    "        pass\n"
    "print(time.process_time() - start)\n"
)

# The positional YAML builder against PyYAML's C composer alone, on the same YAML
# files (the best of seven runs each, CPU, the two taking turns so that a change in
# the machine's load falls on both): prints the two times. Three runs in a row each
# gave ratios from 1.30x to 1.60x from one bench to the next for the same code.
YAML_BUILDER = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "import yaml\n"
    "from iacguard.parsers import yaml as positional\n"
    "texts = [Path(name).read_text(encoding='utf-8', errors='replace') for name in sys.argv[1:] if name.endswith(('.yaml', '.yml'))]\n"
    "def timed(read):\n"
    "    start = time.process_time()\n"
    "    for text in texts:\n"
    "        try:\n"
    "            read(text)\n"
    "        except Exception:\n"
    "            pass\n"
    "    return time.process_time() - start\n"
    "readers = [lambda text: list(yaml.compose_all(text, Loader=yaml.CSafeLoader)), positional.load]\n"
    "times = [[], []]\n"
    "for _ in range(7):\n"
    "    for index, read in enumerate(readers):\n"
    "        times[index].append(timed(read))\n"
    "print(min(times[0]), min(times[1]))\n"
)


@dataclass
class Subject:
    """Whose code a measurement runs: the working tree's, or a commit's."""

    label: str
    environment: dict[str, str]


@dataclass
class Measure:
    wall: float
    cpu: float
    rss_mb: float | None = None


def run(command: list[str], cwd: Path, environment: dict[str, str]) -> tuple[Measure, subprocess.CompletedProcess]:
    """Wall and CPU time (user + system, children included) and, for commands wrapped
    in MEASURED, peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    last = completed.stderr.strip().splitlines()[-1:] or [""]
    return Measure(wall, cpu, int(last[0]) / 1024 if last[0].isdigit() else None), completed


def iacguard(*args: str) -> list[str]:
    return [sys.executable, "-c", MEASURED, "iacguard", *args]


def measured_script(script: str, *args: str) -> list[str]:
    """Run a console script under its own interpreter (from its #! line), measured."""
    with open(script, encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
    interpreter = first[2:].strip().split()[0] if first.startswith("#!") else sys.executable
    return [interpreter, "-c", MEASURED, script, *args]


def medians(commands: dict[str, tuple[list[str], dict[str, str]]], cwd: Path, runs: int, edited: Path | None = None) -> dict[str, Measure]:
    """Median wall and CPU time of each command (and the highest peak RSS, for
    commands wrapped in MEASURED), the commands taking turns so that a change in the
    machine's load falls on all of them alike. With `edited`, the file gets a new
    trailing comment before every run, as an editor saving it would (so no cached
    result can be reused)."""
    for command, environment in commands.values():  # writes bytecode caches
        run(command, cwd, environment)
    original = edited.read_text() if edited else ""
    samples: dict[str, list[Measure]] = {label: [] for label in commands}
    for index in range(runs):
        for label, (command, environment) in commands.items():
            if edited:
                edited.write_text(f"{original}# edit {index} {label}\n")
            samples[label].append(run(command, cwd, environment)[0])
    return {label: Measure(statistics.median(m.wall for m in got), statistics.median(m.cpu for m in got),
                           max((m.rss_mb for m in got if m.rss_mb is not None), default=None)) for label, got in samples.items()}


class Report:
    """Prints rows and keeps them for --json."""

    def __init__(self, subjects: list[Subject]):
        self.subjects = subjects
        self.rows: list[dict] = []

    def section(self, title: str) -> None:
        print(f"\n== {title}")

    def row(self, section: str, name: str, figures: dict[str, Measure], extra: str = "", **facts) -> None:
        """One measurement for every subject, and the ratio of the first (the
        baseline when comparing) to the last in CPU time."""
        cells = []
        for subject in self.subjects:
            got = figures[subject.label]
            rss = f" {got.rss_mb:5.0f} MB" if got.rss_mb is not None else ""
            cells.append(f"{subject.label}: {got.wall:7.3f} s wall {got.cpu:7.3f} s cpu{rss}")
        if len(self.subjects) > 1:
            first, last = figures[self.subjects[0].label], figures[self.subjects[-1].label]
            cells.append(f"cpu {first.cpu / last.cpu:5.2f}x" if last.cpu else "")
        print(f"{name:<34} " + "   ".join(cells) + (f"   {extra}" if extra else ""))
        self.rows.append({"section": section, "name": name, **facts,
                          **{subject.label: {key: round(value, 4) if isinstance(value, float) else value
                                             for key, value in vars(figures[subject.label]).items()} for subject in self.subjects}})


@contextmanager
def subjects_for(compare: str | None):
    """The working tree, and with `compare` also a temporary worktree of that commit,
    importable from PYTHONPATH as the working tree is from its editable install."""
    current = Subject("current", {**ENVIRONMENT, "PYTHONPATH": str(ROOT)})
    if compare is None:
        yield [current]
        return
    folder = Path(tempfile.mkdtemp(prefix="iacguard-bench-"))
    tree = folder / "tree"
    revision = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", compare], capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), revision], check=True)
    try:
        # `rules/` is installed as `iacguard.rules` (setup.py's package-dir mapping).
        (tree / "iacguard" / "rules").symlink_to(Path("..") / "rules")
        yield [Subject(revision, {**ENVIRONMENT, "PYTHONPATH": str(tree)}), current]
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def targets_by_format(corpus: Path) -> dict[str, list]:
    from iacguard.discovery import Discovery, Target
    from iacguard.plugins import load_registry

    registry = load_registry(autoload=False)
    discovery = Discovery(list(registry.formats.values()), corpus, corpus)
    grouped: dict[str, list] = {}
    for item in discovery.targets(["."]):
        if isinstance(item, Target):
            grouped.setdefault(item.format.label, []).append(item)
    return grouped


def findings_digest(report_text: str) -> str:
    """A digest of a JSON report's findings, the part a speed change must not move."""
    findings = json.loads(report_text)["findings"]
    return hashlib.sha256(json.dumps(findings, sort_keys=True).encode()).hexdigest()[:16]


def single_files(report: Report, args) -> None:
    report.section(f"single small file edited between runs, process start to exit (median of {args.runs})")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in SAMPLES.items():
            (Path(folder) / name).write_text(text)
            commands = {s.label: ([sys.executable, "-m", "iacguard", "scan", name], s.environment) for s in report.subjects}
            figures = medians(commands, Path(folder), args.runs, Path(folder) / name)
            ours = figures["current"].wall
            extra = []
            if args.checkov:
                theirs = medians({"checkov": ([args.checkov, "-f", name, "--quiet", "--compact"], ENVIRONMENT)}, Path(folder), max(3, args.runs // 5))["checkov"]
                extra.append(f"checkov {theirs.wall * 1000:5.0f} ms: {theirs.wall / ours:5.1f}x")
                figures["checkov"] = theirs
            if args.hadolint and name == "Dockerfile":
                theirs = medians({"hadolint": ([args.hadolint, name], ENVIRONMENT)}, Path(folder), args.runs)["hadolint"]
                extra.append(f"hadolint {theirs.wall * 1000:4.0f} ms (iacguard takes {ours / theirs.wall:.1f}x as long)")
                figures["hadolint"] = theirs
            report.row("single", name, figures, "   ".join(extra), **{f"{peer}_wall": round(figures[peer].wall, 4) for peer in ("checkov", "hadolint") if peer in figures})
        start_up_floor(report, args, Path(folder))


# What a scan imports from outside iacguard, in a fresh process (printed on the last line).
_IMPORTED = (
    "import sys\n"
    "from iacguard.__main__ import run\n"
    "sys.argv = ['iacguard', 'scan', '--no-cache', 'Dockerfile']\n"
    "run()\n"
    "print(' '.join(name for name in sys.modules if not name.startswith(('iacguard', '_')) and '.' not in name))\n"
)


def start_up_floor(report: Report, args, folder: Path) -> None:
    """The part of a check of one file that is Python's and not iacguard's: the
    interpreter starting and importing the modules (standard library and
    dependencies) that a check of the Dockerfile imports. What lies above it is
    iacguard's own modules and work; it is why a Python tool cannot start as fast as
    a compiled one."""
    subject = report.subjects[-1]
    completed = subprocess.run([sys.executable, "-c", _IMPORTED], cwd=folder, capture_output=True, text=True, env=subject.environment, check=False)
    modules = (completed.stdout.strip().splitlines()[-1:] or ["sys"])[0].split()
    command = [sys.executable, "-c", f"import {', '.join(modules)}"]
    figure = medians({"floor": (command, ENVIRONMENT)}, folder, args.runs)["floor"]
    report.row("single", "floor: Python and those imports", {other.label: figure for other in report.subjects}, f"{len(modules)} modules")


def whole_corpus(report: Report, args, corpus: Path, grouped: dict[str, list]) -> None:
    files = sum(len(items) for items in grouped.values())
    size = sum(item.path.stat().st_size for items in grouped.values() for item in items)
    report.section(f"whole corpus: {files} files, {size / 1e6:.2f} MB")
    # The ratio is taken on the files Checkov is given: a format it is not run on
    # (ARM) would otherwise count against iacguard only.
    compared = [item for label, items in grouped.items() if label in CHECKOV_FRAMEWORK for item in items]
    subsets = {"all files": ["."]}
    checkov = None
    if args.checkov and len(compared) < files:
        subsets["Checkov's files"] = [item.display for item in compared]
        print(f"Checkov's files: {len(compared)}, {sum(item.path.stat().st_size for item in compared) / 1e6:.2f} MB")
    if args.checkov:
        frameworks = [CHECKOV_FRAMEWORK[label] for label in grouped if label in CHECKOV_FRAMEWORK]
        checkov = run(measured_script(args.checkov, "-d", ".", "--quiet", "--compact", "--framework", *frameworks), corpus, ENVIRONMENT)[0]
        print(f"checkov on its files: {checkov.wall:.1f} s wall, {checkov.cpu:.1f} s cpu, peak RSS {checkov.rss_mb or 0:.0f} MB")
    for subset, paths in subsets.items():
        output = ("--format", "json", "-o", os.devnull)
        figures: dict[str, dict[str, Measure]] = {"cold, parallel": {}, "warm cache": {}, "cold, one process": {}}
        with ExitStack() as stack:
            warm = {}
            for subject in report.subjects:
                given = only_the_files_given(subject, corpus) if paths != ["."] else []
                cache = stack.enter_context(tempfile.TemporaryDirectory())
                figures["cold, parallel"][subject.label] = run(iacguard("scan", *output, *given, "--cache-dir", cache, *paths), corpus, subject.environment)[0]
                warm[subject.label] = (iacguard("scan", *output, *given, "--cache-dir", cache, *paths), subject.environment)
                figures["cold, one process"][subject.label] = run(iacguard("scan", *output, *given, "--no-cache", "--jobs", "1", *paths), corpus, subject.environment)[0]
            # A warm scan takes about a second, and one run of it moved by a tenth from
            # one bench to the next: the median of several, the subjects taking turns.
            figures["warm cache"] = medians(warm, corpus, WARM_RUNS)
        for label, measured in figures.items():
            extra = ""
            if checkov and (subset == "Checkov's files" or len(subsets) == 1):
                extra = f"checkov {checkov.wall / measured['current'].wall:5.1f}x (wall)"
            report.row("corpus", f"{subset}, {label}", measured, extra, checkov_wall=round(checkov.wall, 2) if checkov else None)


_ONLY_GIVEN: dict[str, list[str]] = {}


def only_the_files_given(subject: Subject, corpus: Path) -> list[str]:
    """`--no-dependents`, where the subject's code has it: a list of files is compared
    with Checkov's scan of their folder and with code older than the search for the
    files that use them; the search is measured on its own (`dependents`)."""
    if subject.label not in _ONLY_GIVEN:
        completed = run([sys.executable, "-m", "iacguard", "scan", "--help"], corpus, subject.environment)[1]
        _ONLY_GIVEN[subject.label] = ["--no-dependents"] if "--no-dependents" in completed.stdout else []
    return _ONLY_GIVEN[subject.label]


def dependents_search(report: Report, args, corpus: Path, grouped: dict[str, list]) -> None:
    report.section(f"one file given in the corpus, with and without the search for its users (median of {args.runs})")
    for label in DEPENDENT_SAMPLES:
        if not grouped.get(label):
            continue
        sample = grouped[label][len(grouped[label]) // 2].display
        for search in (True, False):
            commands = {}
            for subject in report.subjects:
                flags = [] if search else only_the_files_given(subject, corpus)
                commands[subject.label] = ([sys.executable, "-m", "iacguard", "scan", "--no-cache", "--root", ".", *flags, sample], subject.environment)
            name = f"{label}, {'with' if search else 'without'} the search"
            report.row("dependents", name, medians(commands, corpus, args.runs), sample, file=sample, search=search)


def per_format(report: Report, args, corpus: Path, grouped: dict[str, list]) -> None:
    report.section("per format (one process each, cold, parallel; floor: the parser alone, CPU)")
    for label, items in sorted(grouped.items()):
        nbytes = sum(item.path.stat().st_size for item in items)
        paths = [item.display for item in items]
        floors = {}
        commands = {s.label: (iacguard("scan", "--format", "json", "-o", os.devnull, "--no-cache", *only_the_files_given(s, corpus), *paths), s.environment)
                    for s in report.subjects}
        figures = medians(commands, corpus, FORMAT_RUNS)
        for subject in report.subjects:
            measured, completed = run([sys.executable, "-c", FLOOR, str(corpus), label], corpus, subject.environment)
            floors[subject.label] = float(completed.stdout.strip() or "nan")
        extra = "floor " + " ".join(f"{floors[s.label]:.2f}" for s in report.subjects) + " s"
        facts = {"files": len(items), "mb": round(nbytes / 1e6, 2), "floor_cpu": {key: round(value, 3) for key, value in floors.items()}}
        if label == "Kubernetes":
            ratios = {}
            for subject in report.subjects:
                composer, builder = map(float, run([sys.executable, "-c", YAML_BUILDER, *paths], corpus, subject.environment)[1].stdout.split())
                ratios[subject.label] = round(builder / composer, 2)
            extra += "   YAML builder " + " ".join(f"{ratio:.2f}x" for ratio in ratios.values()) + " the C composer (target 1.5x)"
            facts["yaml_builder_ratio"] = ratios
        if args.checkov and label in CHECKOV_FRAMEWORK:
            theirs = run(measured_script(args.checkov, "-d", ".", "--quiet", "--compact", "--framework", CHECKOV_FRAMEWORK[label]), corpus, ENVIRONMENT)[0]
            extra += f"   checkov {theirs.wall:.1f} s, {theirs.rss_mb or 0:.0f} MB: {theirs.wall / figures['current'].wall:.1f}x (wall)"
            facts["checkov_wall"] = round(theirs.wall, 2)
        report.row("formats", f"{label} ({len(items)} files, {nbytes / 1e6:.1f} MB)", figures, extra, **facts)


def chart_costs(report: Report, args, folder: Path) -> None:
    """The cost of a scan of each chart of `folder` from process start (the render
    included), and of the renderer's process alone."""
    sys.path.insert(0, str(ROOT))
    from iacguard.helm.charts import ChartIndex
    from iacguard.helm.render import find_renderer, render
    from iacguard.normalizers.kubernetes import RELEASE_NAMESPACE

    renderer = find_renderer()
    if renderer is None:
        print("\n== Helm charts: no renderer installed, not measured")
        return
    runs = max(3, args.runs // 5)
    index = ChartIndex(folder)
    charts = sorted(path.parent for path in folder.rglob("Chart.yaml") if index.owner(path) == path.parent)
    report.section(f"Helm charts ({renderer.identity}): scan from process start, median of {runs} runs")
    for chart in charts:
        renders = []
        with tempfile.TemporaryDirectory() as workspace:
            copy = Path(shutil.copytree(chart, Path(workspace) / "chart"))
            for _ in range(runs):
                start = time.perf_counter()
                render(renderer, Path(workspace), copy, [[]], RELEASE_NAMESPACE)
                renders.append(time.perf_counter() - start)
        commands = {s.label: (iacguard("scan", "--format", "json", "-o", os.devnull, "--no-cache", str(chart / "Chart.yaml")), s.environment) for s in report.subjects}
        report.row("charts", chart.name, medians(commands, folder, runs), f"render alone {statistics.median(renders):.2f} s")


def findings(report: Report, args) -> None:
    report.section("findings: digest of the JSON findings, one process, no cache")
    for folder in (args.corpus, args.charts):
        if not folder.is_dir():
            continue
        digests, figures = {}, {}
        for subject in report.subjects:
            with tempfile.TemporaryDirectory() as scratch:
                output = Path(scratch) / "report.json"
                command = iacguard("scan", "--format", "json", "-o", str(output), "--no-cache", "--allow-incomplete", "--jobs", "1", str(folder))
                figures[subject.label] = run(command, folder, subject.environment)[0]
                digests[subject.label] = findings_digest(output.read_text())
        same = "same" if len(set(digests.values())) == 1 else "DIFFERENT"
        report.row("findings", folder.name, figures, f"findings {' '.join(digests.values())} ({same})", digests=digests)


# Issue 20's targets: (what, section, row name, how the row gives the figure, the
# bound, whether the figure must be at least (True) or at most the bound).
TARGETS = (
    ("single Dockerfile vs Checkov", "single", "Dockerfile", lambda row: row["checkov_wall"] / row["current"]["wall"], 25, True),
    ("single pod.yaml vs Checkov", "single", "pod.yaml", lambda row: row["checkov_wall"] / row["current"]["wall"], 25, True),
    ("single main.tf vs Checkov", "single", "main.tf", lambda row: row["checkov_wall"] / row["current"]["wall"], 25, True),
    ("single Dockerfile, times hadolint's", "single", "Dockerfile", lambda row: row["current"]["wall"] / row["hadolint_wall"], 4, False),
    ("Bicep vs Checkov", "formats", "Bicep", lambda row: row["checkov_wall"] / row["current"]["wall"], 10, True),
    ("YAML builder, times the C composer", "formats", "Kubernetes", lambda row: row["yaml_builder_ratio"]["current"], 1.5, False),
    ("Checkov's files, cold, parallel", "corpus", "Checkov's files, cold, parallel", lambda row: row["checkov_wall"] / row["current"]["wall"], 10, True),
    ("Checkov's files, warm cache", "corpus", "Checkov's files, warm cache", lambda row: row["checkov_wall"] / row["current"]["wall"], 60, True),
)


def target_lines(report: Report) -> None:
    """Each target of the issue the run measured, with its figure and whether it is met."""
    lines = []
    for what, section, name, figure, bound, at_least in TARGETS:
        row = next((row for row in report.rows if row["section"] == section and row["name"].startswith(name)), None)
        try:
            value = figure(row)
        except (TypeError, KeyError, ZeroDivisionError):
            continue  # not measured in this run (a section left out, no Checkov)
        met = value >= bound if at_least else value <= bound
        lines.append(f"{what:<38} {value:6.2f}x   target {'>=' if at_least else '<='} {bound}x   {'met' if met else 'NOT MET'}")
    if lines:
        report.section("targets")
        print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--charts", type=Path, default=ROOT.parent / "shared" / "corpus2", help="a folder holding Helm charts")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--checkov", default=shutil.which("checkov"), help="Checkov executable to compare with")
    parser.add_argument("--hadolint", default=shutil.which("hadolint"), help="hadolint executable to compare single Dockerfiles with")
    parser.add_argument("--compare", metavar="REV", help="also run this commit's code, side by side")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections ({', '.join(SECTIONS)})")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args()
    args.corpus, args.charts = args.corpus.resolve(), args.charts.resolve()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    sections = set(args.only.split(","))
    with subjects_for(args.compare) as subjects:
        report = Report(subjects)
        started = os.getloadavg()
        if "single" in sections:
            single_files(report, args)
        if sections & {"corpus", "formats", "dependents"}:
            sys.path.insert(0, str(ROOT))
            grouped = targets_by_format(args.corpus)
            if "corpus" in sections:
                whole_corpus(report, args, args.corpus, grouped)
            if "formats" in sections:
                per_format(report, args, args.corpus, grouped)
            if "dependents" in sections:
                dependents_search(report, args, args.corpus, grouped)
        if "charts" in sections and args.charts.is_dir():
            chart_costs(report, args, args.charts)
        if "findings" in sections:
            findings(report, args)
        target_lines(report)
    if args.json:
        machine = {"cores": os.cpu_count(), "python": platform.python_version(), "load_average_at_start": started,
                   "load_average_at_end": os.getloadavg()}
        tools = {"checkov": args.checkov, "hadolint": args.hadolint}
        args.json.write_text(json.dumps({"machine": machine, "tools": tools, "runs": args.runs, "rows": report.rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
