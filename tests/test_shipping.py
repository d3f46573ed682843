"""The container image and the GitHub Action, tested as far as this machine allows.

No image is built and nothing is fetched: the Dockerfile is linted by iacguard
itself, its COPY lines are checked against the build context `.dockerignore` sends
(tests/test_packaging.py builds and installs the wheel from a copy of that context),
and the action's scan step is run as written in `action.yml`, by bash, with the
console script of this environment, as a runner would after the install step.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from iacguard import __version__
from iacguard.normalizers.dockerfile import normalize
from iacguard.parsers.dockerfile import DockerfileFormat

from support import ROOT, docker_context_entries
from test_sarif import SCHEMA

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_dockerfile_passes_its_own_linter(cli):
    for selection in ([], ["--select", "IG102"]):  # IG102 (pinned by digest) is off by default
        run = cli("scan", "--no-cache", "--report-unused-suppressions", *selection, "Dockerfile", cwd=ROOT)
        assert run.code == 0, run.out
        assert run.lines == ["No findings in 1 file."], run.out


def test_the_build_context_holds_what_the_dockerfile_copies_and_no_more():
    stages = list(normalize(DockerfileFormat().parse((ROOT / "Dockerfile").read_text(), "Dockerfile")))
    copied = [
        source.value.rstrip("/")
        for stage in stages for step in stage.value("copies") if "from" not in step.flags
        for source in step.sources
    ]
    admitted, _ = docker_context_entries()
    assert sorted(copied) == sorted(admitted)
    assert all((ROOT / name).exists() for name in admitted)
    final = stages[-1]
    assert final.value("final") and final.value("user") not in (None, "root", "0")


def scan_step(inputs: dict[str, str], cwd: Path, tmp_path: Path) -> tuple[int, dict[str, str]]:
    """Run the action's scan step as a runner does: its inputs (defaults overlaid with
    `inputs`) in its environment, bash with `-eo pipefail`. Returns the step's exit
    code and the outputs it wrote."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs
    step = next(step for step in ACTION["runs"]["steps"] if step.get("id") == "scan")
    environment = {
        name: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda match: values[match.group(1)], value)
        for name, value in step["env"].items()
    }
    outputs = tmp_path / "github-output"
    outputs.write_text("")
    script = tmp_path / "scan.sh"
    script.write_text(step["run"])
    variables = os.environ | environment | {
        "GITHUB_OUTPUT": str(outputs),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=variables, capture_output=True, text=True, timeout=120)
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return result.returncode, written


def valid_sarif(path: Path) -> dict:
    document = json.loads(path.read_text())
    if SCHEMA is not None:
        jsonschema.Draft7Validator(SCHEMA).validate(document)
    assert document["version"] == "2.1.0" and document["runs"][0]["tool"]["driver"]["name"] == "iacguard"
    return document


def test_the_action_writes_valid_sarif_and_reports_the_exit_code(tmp_path):
    sarif = tmp_path / "report.sarif"
    paths = "examples/dockerfile/insecure\nexamples/kubernetes/insecure"
    code, outputs = scan_step({"paths": paths, "sarif-file": str(sarif)}, ROOT, tmp_path)
    assert code == 0, "the scan step must not fail before the report is uploaded"
    assert outputs == {"exit-code": "1"}
    results = valid_sarif(sarif)["runs"][0]["results"]
    scanned = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[0] for result in results}
    assert scanned == {"examples/dockerfile/insecure", "examples/kubernetes/insecure"}


def test_the_action_passes_fail_on_baseline_and_extra_arguments(cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    cli("scan", "--no-cache", "--write-baseline", str(baseline), "examples/dockerfile/insecure", cwd=ROOT)
    sarif = tmp_path / "report.sarif"
    inputs = {"paths": "examples/dockerfile/insecure", "sarif-file": str(sarif), "fail-on": "high",
              "baseline": str(baseline), "args": "--select IG201,IG304 --no-cache"}
    code, outputs = scan_step(inputs, ROOT, tmp_path)
    assert (code, outputs) == (0, {"exit-code": "0"})
    results = valid_sarif(sarif)["runs"][0]["results"]
    assert {result["ruleId"] for result in results} == {"IG201", "IG304"}
    assert all(result["suppressions"][0]["kind"] == "external" for result in results)


def test_the_action_reports_a_usage_error_without_a_report(tmp_path):
    sarif = tmp_path / "report.sarif"
    code, outputs = scan_step({"sarif-file": str(sarif), "fail-on": "sometimes"}, tmp_path, tmp_path)
    assert (code, outputs) == (0, {"exit-code": "2"}) and not sarif.exists()


def test_the_readme_documents_every_input_and_names_the_current_release():
    section = README.split("### The GitHub Action", 1)[1].split("\n## ", 1)[0]
    for name in ACTION["inputs"]:
        assert f"`{name}`" in section, f"the README does not document the action's input {name}"
    assert re.findall(r"uses: iacguard/iacguard@(\S+)", README) == [f"v{__version__}"]


@pytest.mark.parametrize("step", [step for step in ACTION["runs"]["steps"] if "run" in step], ids=lambda step: step.get("name", ""))
def test_inputs_reach_scripts_only_through_the_environment(step):
    """An input pasted into a script would run as shell code (`paths: "$(curl ...)"`)."""
    assert "${{" not in step["run"]
