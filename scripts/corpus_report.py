"""How often each rule fires on a directory of real files, as a Markdown table.

    python scripts/corpus_report.py DIR                 # runs `iacguard scan -f json`
    python scripts/corpus_report.py DIR --json REPORT   # reads a report made earlier

A rule that fires on nearly every file of its format is noise until shown
otherwise, so next to its findings the table gives the share of files that have
at least one of them, for two populations:

- Dockerfiles: every file the Dockerfile format claims;
- pod-spec files: Kubernetes files that declare at least one pod (any workload
  kind, bare Pods included); files with only Services, RBAC and the like do not
  count, as no container rule can fire on them.

The findings come from the JSON report; the populations come from discovering and
normalising DIR again here, because a file without findings is not in the report.
A finding counts for the file its primary location is in. With `--json`, run this
from the directory the scan ran in and pass the same DIR, so the paths match.
The scan uses the default rule set and `--isolated` (no config from DIR), so
figures from different trees can be compared. It needs iacguard installed
(`pip install -e .`); it is not a test, because a corpus takes a while.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from iacguard.cli import main as iacguard
from iacguard.discovery import Discovery, Target
from iacguard.formats import ScanContext
from iacguard.plugins import load_registry
from iacguard.rule import SEVERITIES
from iacguard.runner import read_text

POPULATIONS = ("Dockerfiles", "pod-spec files")


def scan_report(directory: str) -> dict:
    """The JSON report of a default scan of `directory`, run from the current
    directory by the iacguard this script imports."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        status = iacguard(["scan", "--isolated", "--no-cache", "--allow-incomplete", "--fail-on", "none",
                           "--format", "json", "--output", str(output), directory])
        if status != 0:
            raise SystemExit(status)
        return json.loads(output.read_text())


def populations(directory: str) -> dict[str, set[str]]:
    """The paths (as the scan shows them) of each population in `directory`."""
    registry = load_registry()
    discovery = Discovery(list(registry.formats.values()), Path.cwd(), Path.cwd(), gitignore=False)
    found: dict[str, set[str]] = {name: set() for name in POPULATIONS}
    for target in discovery.targets([directory]):
        if not isinstance(target, Target) or target.refused:
            continue
        if target.format.name == "dockerfile":
            found["Dockerfiles"].add(target.display)
        elif target.format.name == "kubernetes" and _declares_pod(target, registry):
            found["pod-spec files"].add(target.display)
    return found


def _declares_pod(target: Target, registry) -> bool:
    text, _ = read_text(target)
    if text is None:
        return False
    try:
        parsed = target.format.parse(text, target.display)
        return any(
            resource.kind == "pod"
            for normalizer in registry.normalizers.get(target.format.name, [])
            for resource in normalizer.normalize(parsed, ScanContext())
        )
    except Exception:  # a file the scan cannot read has no findings either
        return False


def table(report: dict, groups: dict[str, set[str]]) -> str:
    """One row per rule that fired: findings, and the share of each population."""
    findings: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    severities: dict[str, set[str]] = defaultdict(set)
    files: dict[str, set[str]] = defaultdict(set)
    for finding in report["findings"]:
        if finding["suppressed"]:
            continue
        code = finding["rule"]
        findings[code] += 1
        names[code] = finding["name"]
        severities[code].add(finding["severity"])
        files[code].add(finding["path"])
    flagged = set().union(*files.values())
    header = ["rule", "name", "severity", "findings", *POPULATIONS]
    lines = [
        "; ".join(f"{name}: {len(paths)}, {len(paths & flagged)} with a finding" for name, paths in groups.items()) + ".",
        "",
        "| " + " | ".join(header) + " |",
        "|---|---|---|---:|---:|---:|",
    ]
    for code in sorted(findings):
        shares = [_share(len(files[code] & groups[name]), len(groups[name])) for name in POPULATIONS]
        levels = "/".join(sorted(severities[code], key=SEVERITIES.index))
        lines.append(f"| {code} | {names[code]} | {levels} | {findings[code]} | " + " | ".join(shares) + " |")
    return "\n".join(lines) + "\n"


def _share(count: int, total: int) -> str:
    if not count:
        return ""
    return f"{count} ({100 * count / total:.0f} %)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("directory", help="the directory to report on")
    parser.add_argument("--json", metavar="REPORT", help="read this `iacguard scan -f json` report instead of scanning")
    args = parser.parse_args(argv)
    report = json.loads(Path(args.json).read_text()) if args.json else scan_report(args.directory)
    sys.stdout.write(table(report, populations(args.directory)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
