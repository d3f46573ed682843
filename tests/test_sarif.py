"""SARIF output: valid for the official schema and for Microsoft's SARIF Multitool
(with GitHub's rules) on every fixture, and carrying what code scanning needs.

The Multitool comes from npm (`@microsoft/sarif-multitool`). The test installs it
into `.cache/` when npm is available; elsewhere it is skipped with the reason, except
in CI (`CI` set), where a missing validator is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from support import ROOT
from test_fixtures import fixture_files

SCHEMA = json.loads((ROOT.parent / "shared" / "sarif-schema-2.1.0.json").read_text()) if (ROOT.parent / "shared" / "sarif-schema-2.1.0.json").exists() else None
MULTITOOL_VERSION = "5.7.0"
PLATFORM_PACKAGE = {"linux": "sarif-multitool-linux", "darwin": "sarif-multitool-darwin", "win32": "sarif-multitool-win32"}


def multitool() -> Path | None:
    """The Multitool binary, installed into .cache/ on first use."""
    if os.environ.get("IACGUARD_SARIF_MULTITOOL"):
        return Path(os.environ["IACGUARD_SARIF_MULTITOOL"])
    prefix = ROOT / ".cache" / "sarif-multitool"
    package = PLATFORM_PACKAGE.get(sys.platform)
    if package is None:
        return None
    binary = prefix / "node_modules" / "@microsoft" / package / ("Sarif.Multitool.exe" if sys.platform == "win32" else "Sarif.Multitool")
    if not binary.exists() and shutil.which("npm"):
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix), f"@microsoft/sarif-multitool@{MULTITOOL_VERSION}"],
            check=False, capture_output=True, timeout=600,
        )
    return binary if binary.exists() else None


@pytest.fixture(scope="module")
def validator():
    binary = multitool()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("the SARIF Multitool could not be installed with npm; CI must validate SARIF")
        pytest.skip("the SARIF Multitool is not installed and npm could not install it")
    return binary


def sarif_for(cli, fixture: Path, tmp_path: Path) -> dict:
    code = fixture.parent.parent.name
    config = fixture.parent.parent / "config.yaml"
    if not config.exists():
        config = tmp_path / "empty.yaml"
        config.write_text("{}\n")
    run = cli("scan", "--format", "sarif", "--select", code, "--config", str(config), fixture.name, cwd=fixture.parent)
    return json.loads(run.out)


@pytest.mark.skipif(SCHEMA is None, reason="shared/sarif-schema-2.1.0.json is not beside the repository")
def test_every_fixture_yields_valid_sarif(cli, tmp_path, validator):
    outputs = []
    for index, fixture in enumerate(fixture_files()):
        document = sarif_for(cli, fixture, tmp_path)
        jsonschema.Draft7Validator(SCHEMA).validate(document)
        path = tmp_path / f"{index:03d}-{fixture.parent.parent.name}-{fixture.stem}.sarif"
        path.write_text(json.dumps(document))
        outputs.append(path)
    report = tmp_path / "validation.sarif"
    subprocess.run([validator, "validate", "--output", str(report), "--rule-kind", "Sarif;Gh", *map(str, outputs)], check=True, capture_output=True, timeout=600)
    problems = [
        (result["ruleId"], result.get("level", "warning"), result["message"].get("arguments"), result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for result in json.loads(report.read_text())["runs"][0].get("results", [])
    ]
    assert problems == []


def test_run_contents(cli, tmp_path):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "rendered.yaml").write_text(
        "---\n# Source: shop/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n"
        "  hostNetwork: true\n  # iacguard:ignore IG401 -- node agent\n  hostPID: true\n  containers: [{name: c, image: 'a:1'}]\n"
    )
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nFORM oops\n")
    document = json.loads(cli("scan", "--format", "sarif", "--select", "IG401", cwd=tmp_path).out)
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["informationUri"]) == ("iacguard", "https://github.com/iacguard/iacguard")
    assert driver["version"] == driver["semanticVersion"]
    (rule,) = driver["rules"]
    assert rule["id"] == "IG401" and rule["name"] == "HostNamespaceShared"
    assert rule["properties"]["security-severity"] == "8.0" and "security" in rule["properties"]["tags"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["help"]["markdown"].startswith("The pod shares") and "## How to fix" in rule["help"]["markdown"]
    assert rule["helpUri"] == f"https://github.com/iacguard/iacguard/blob/v{driver['version']}/docs/rules/IG401.md"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"

    first, second = run["results"]
    assert first["ruleId"] == "IG401" and first["ruleIndex"] == 0 and first["level"] == "error"
    location = first["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "k8s/rendered.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 16, "endLine": 7, "endColumn": 20}
    assert location["logicalLocations"] == [{"fullyQualifiedName": "Pod/n/p", "kind": "resource"}]
    assert first["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/templates/pod.yaml"
    # Every result says whether it is suppressed (SARIF: all or none of a run's do);
    # one that is, as accepted, so that GitHub code scanning closes its alert.
    assert first["suppressions"] == []
    assert second["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": "node agent"}]
    assert first["properties"]["security-severity"] == "8.0"
    # both fingerprint versions; with no rule split, they agree
    assert first["partialFingerprints"]["iacguard/v1"] == first["partialFingerprints"]["iacguard/v2"]
    assert len(first["partialFingerprints"]["iacguard/v2"]) == 32

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False  # the Dockerfile is incomplete
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and notification["descriptor"]["id"] == "IG000"
    assert notification["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_split_and_renamed_rules_name_what_they_were_known_by(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nRUN pip install flask\n")
    run = json.loads(cli("scan", "--format", "sarif", "--select", "IG308", cwd=tmp_path).out)["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert sorted(rules) == ["IG313", "IG314"]
    assert rules["IG314"]["deprecatedIds"] == ["IG308"] and rules["IG314"]["deprecatedNames"] == ["PackageInstallHygiene"]
    # version 1 gave both findings the code IG308; they differ now
    v1, v2 = ({result["partialFingerprints"][key] for result in run["results"]} for key in ("iacguard/v1", "iacguard/v2"))
    assert len(v1) == 1 and len(v2) == 2


def test_fingerprints_survive_unrelated_edits(cli, tmp_path):
    manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: 'a:1'}]\n"
    (tmp_path / "pod.yaml").write_text(manifest)
    before = json.loads(cli("scan", "--format", "sarif", "--select", "IG401", cwd=tmp_path).out)["runs"][0]["results"]
    edited = "# a comment\n\napiVersion: v1\nkind:   Pod\nmetadata:\n  name: p\n  namespace: n\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: 'a:1'}]\n"
    (tmp_path / "pod.yaml").write_text(edited)
    after = json.loads(cli("scan", "--format", "sarif", "--select", "IG401", cwd=tmp_path).out)["runs"][0]["results"]
    assert before[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    assert before[0]["partialFingerprints"] == after[0]["partialFingerprints"]


def test_the_validator_does_report_invalid_sarif(validator, tmp_path):
    """Guards the test above: the Multitool must flag what is wrong, not just run."""
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"ruleId": "R", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}
    ]}]}
    (tmp_path / "broken.sarif").write_text(json.dumps(broken))
    report = tmp_path / "out.sarif"
    subprocess.run([validator, "validate", "--output", str(report), "--rule-kind", "Sarif;Gh", str(tmp_path / "broken.sarif")], check=True, capture_output=True)
    assert json.loads(report.read_text())["runs"][0]["results"]


def test_locations_are_relative_to_the_top_of_the_repository_wherever_the_scan_runs(cli, tmp_path):
    """GitHub reads a result's URI, and an annotation's file, from the repository's
    top; a step with a working directory must not misplace them."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra" / "app").mkdir(parents=True)
    (tmp_path / "infra" / "app" / "Dockerfile").write_text("FROM alpine:3.20\nUSER root\n")
    document = json.loads(cli("scan", "--format", "sarif", "--select", "IG201", ".", cwd=tmp_path / "infra").out)
    run = document["runs"][0]
    (result,) = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "infra/app/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    annotations = cli("scan", "--format", "github", "--select", "IG201", "app", cwd=tmp_path / "infra").out
    assert annotations.startswith("::error file=infra/app/Dockerfile,line=2,")
    text = cli("scan", "--select", "IG201", "app", cwd=tmp_path / "infra").out
    assert text.startswith("app/Dockerfile:2:")  # people read paths from where they are
    # A root inside the repository (`--root .` in a folder of a monorepo) changes
    # neither the place nor the fingerprint: a Dockerfile at the top, named alike
    # from its own root, is another file.
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nUSER root\n")
    inner = json.loads(cli("scan", "--format", "sarif", "--select", "IG201", "--root", ".", ".", cwd=tmp_path / "infra" / "app").out)["runs"][0]
    (inner_result,) = inner["results"]
    assert inner_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "infra/app/Dockerfile"
    assert inner_result["partialFingerprints"]["iacguard/v2"] == result["partialFingerprints"]["iacguard/v2"]  # v1 keeps the path as shown
    assert inner["originalUriBaseIds"] == run["originalUriBaseIds"]
    top = json.loads(cli("scan", "--format", "sarif", "--select", "IG201", "Dockerfile", cwd=tmp_path).out)["runs"][0]["results"]
    assert top[0]["partialFingerprints"]["iacguard/v2"] != result["partialFingerprints"]["iacguard/v2"]
    assert cli("scan", "--format", "github", "--select", "IG201", "--root", ".", ".", cwd=tmp_path / "infra" / "app").out.startswith(
        "::error file=infra/app/Dockerfile,line=2,")


def test_a_baselined_finding_is_an_accepted_suppression_and_severities_are_the_finding_s(cli, tmp_path):
    """A baseline's findings stay in the log as accepted external suppressions (GitHub
    code scanning closes their alerts); `security-severity` is each finding's own:
    a runtime socket is critical where the rule's other host paths are high."""
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  containers: [{name: c, image: 'a:1'}]\n"
        "  volumes:\n  - {name: s, hostPath: {path: /var/run/docker.sock}}\n  - {name: l, hostPath: {path: /var/log}}\n")
    cli("scan", "--select", "IG402", "--write-baseline", "baseline.json", cwd=tmp_path)
    (tmp_path / "pod.yaml").write_text((tmp_path / "pod.yaml").read_text() + "  - {name: e, hostPath: {path: /etc}}\n")
    run = json.loads(cli("scan", "--format", "sarif", "--select", "IG402", "--baseline", "baseline.json", cwd=tmp_path).out)["runs"][0]
    seen = [(result["message"]["text"].split(" ")[1], result["properties"]["security-severity"], result["suppressions"]) for result in run["results"]]
    external = [{"kind": "external", "status": "accepted", "justification": "recorded in baseline.json"}]
    assert seen == [("/var/run/docker.sock", "9.5", external), ("/var/log", "8.0", external), ("/etc", "8.0", [])]
    assert run["tool"]["driver"]["rules"][0]["properties"]["security-severity"] == "8.0"


def test_full_descriptions_fit_github_s_limit():
    """GitHub code scanning takes a `fullDescription` of at most 1,000 characters; a
    longer "What it checks" is cut after a sentence (the rule's help keeps it whole)."""
    from iacguard.builtin import builtin_rules
    from iacguard.reporters.sarif import MAX_FULL_DESCRIPTION, _section, _shortened

    texts = {rule.code: _section(rule.doc, "What it checks") for rule in builtin_rules()}
    long = {code: text for code, text in texts.items() if len(text) > MAX_FULL_DESCRIPTION}
    assert long  # the catalog has such rules, so the cut is exercised
    for code, text in texts.items():
        short = _shortened(text)
        assert len(short) <= MAX_FULL_DESCRIPTION, code
        assert short == text if code not in long else (short.endswith(". …") or short.endswith("; …")) and text.startswith(short[:-2]), code
    early = "A short first sentence. " + "word " * 300
    assert len(_shortened(early)) > MAX_FULL_DESCRIPTION // 2 and early.startswith(_shortened(early)[:-2])
