"""The bundled examples stay true: the README's first command shows findings in every
format, each insecure example has findings and its hardened twin has none.

`examples/<name>/insecure` and `examples/<name>/hardened` hold the same small project;
`<name>` is a format, `helm` for `helm template` output, `helm-chart` for a chart
iacguard renders or `kustomize` for a base and its overlay (their findings are
Kubernetes findings; those of `terraform-json` and `terraform-plan` are Terraform
findings). Every installed format
claims an example, so a new format cannot land without one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from iacguard.discovery import Discovery, Target
from iacguard.plugins import load_registry

from support import ROOT

EXAMPLES = ROOT / "examples"
NAMES = sorted(folder.name for folder in EXAMPLES.iterdir() if folder.is_dir())
IACGUARD = Path(sys.executable).parent / "iacguard"


def scan(*args: str) -> subprocess.CompletedProcess:
    """The real console script, from the repository root, as the README runs it."""
    return subprocess.run([IACGUARD, "scan", "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report() -> dict:
    result = scan("--format", "json", "examples/")
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def example_of(path: str) -> tuple[str, str]:
    """(example name, 'insecure' or 'hardened') of a reported path."""
    name, variant = Path(path).relative_to("examples").parts[:2]
    return name, variant


def test_the_readme_starts_with_a_scan_of_the_examples():
    first_command = (ROOT / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1].splitlines()[0]
    assert re.search(r"(^| )\.venv/bin/iacguard scan examples/$", first_command), first_command
    result = scan("examples/")
    assert result.returncode == 1, result.stderr
    shown = {example_of(line.split(":", 1)[0]) for line in result.stdout.splitlines() if line.startswith("examples/")}
    assert shown == {(name, "insecure") for name in NAMES}


def test_every_example_has_an_insecure_and_a_hardened_twin():
    for name in NAMES:
        assert {path.name for path in (EXAMPLES / name).iterdir() if path.is_dir()} == {"insecure", "hardened"}, name


def test_insecure_examples_have_findings_and_hardened_twins_none(report):
    assert report["errors"] == [] and report["summary"]["incomplete"] == []
    found = {example_of(finding["path"]) for finding in report["findings"] if not finding["suppressed"]}
    assert found == {(name, "insecure") for name in NAMES}


def test_every_installed_format_has_an_example(report):
    registry = load_registry(autoload=False)
    discovery = Discovery(list(registry.formats.values()), EXAMPLES, EXAMPLES, scan_root=EXAMPLES)
    claimed = {item.format.name for item in discovery.targets([str(EXAMPLES)]) if isinstance(item, Target)}
    assert claimed == set(registry.formats)
    by_example = {}
    for finding in report["findings"]:
        by_example.setdefault(example_of(finding["path"])[0], set()).add(finding["format"])
    # A format that renders into another (Helm charts and their output, Kustomize,
    # Terraform JSON and plans) reports that one's resources.
    assert all(by_example[name] == {registry.rendered(registry.formats[name.removesuffix("-chart")]).name} for name in NAMES), by_example
    helm = [finding for finding in report["findings"] if example_of(finding["path"])[0] == "helm"]
    assert helm and all(finding["source_template"] for finding in helm), "helm output findings name their template"
