"""Baselines: record today's findings, then report only new ones."""

import json

MANIFEST = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  hostNetwork: true
  containers:
    - name: web
      image: nginx:1.27
"""


def test_only_new_findings_are_reported_after_unrelated_edits(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(MANIFEST)
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    written = cli("scan", "--select", "IG401,IG304,IG101", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.code == 0 and "recorded 2 findings in baseline.json" in written.err
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert recorded["version"] == 1 and {entry["rule"] for entry in recorded["findings"]} == {"IG401", "IG304"}

    # Shift and reformat unrelated lines, and add one new problem.
    (tmp_path / "pod.yaml").write_text("# owned by the web team\n\n" + MANIFEST.replace("metadata: {name: web, namespace: shop}", "metadata:\n  name: web\n  namespace: shop") + "    - name: sidecar\n      image: envoy\n")
    (tmp_path / "Dockerfile").write_text("# syntax=docker/dockerfile:1\nFROM  alpine:3.20\nLABEL team=web\nEXPOSE 22\n")
    run = cli("scan", "--select", "IG401,IG304,IG101", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.code == 1
    assert run.lines == [
        "pod.yaml:14:14: IG101 [medium] image envoy has no tag, so it means whatever `latest` is when pulled; pin a version or digest (Pod/shop/web/containers/sidecar)",
        "Found 1 finding (1 medium) in 2 files; 2 suppressed (2 baseline).",
    ]
    document = json.loads(cli("scan", "--format", "json", "--select", "IG401,IG304", "--baseline", "baseline.json", cwd=tmp_path).out)
    assert {f["rule"]: f["suppression"]["kind"] for f in document["findings"]} == {"IG304": "baseline", "IG401": "baseline"}


def test_baseline_from_config(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(MANIFEST)
    cli("scan", "--select", "IG401", "--write-baseline", ".iacguard-baseline.json", cwd=tmp_path)
    (tmp_path / ".iacguard.yaml").write_text("select: [IG401]\nbaseline: .iacguard-baseline.json\n")
    assert cli("scan", cwd=tmp_path).code == 0


def test_a_changed_finding_is_new(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(MANIFEST)
    cli("scan", "--select", "IG401", "--write-baseline", "b.json", cwd=tmp_path)
    (tmp_path / "pod.yaml").write_text(MANIFEST.replace("hostNetwork: true", "hostNetwork: true\n  hostPID: true"))
    run = cli("scan", "--select", "IG401", "--baseline", "b.json", cwd=tmp_path)
    assert [line.split(": ", 2)[1] for line in run.lines[:-1]] == ["IG401 [high] hostPID"]


def test_bad_baselines_are_usage_errors(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(MANIFEST)
    assert cli("scan", "--baseline", "missing.json", cwd=tmp_path).code == 2
    (tmp_path / "bad.json").write_text("{not json")
    assert "is not valid JSON" in cli("scan", "--baseline", "bad.json", cwd=tmp_path).err
    (tmp_path / "other.json").write_text('{"version": 7}')
    assert "is not an iacguard baseline" in cli("scan", "--baseline", "other.json", cwd=tmp_path).err


def test_a_baseline_holds_wherever_the_scan_runs_from(cli, tmp_path):
    """Fingerprints name files from the scan root (the git work tree here), not from
    the working folder."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "pod.yaml").write_text(MANIFEST)
    assert cli("scan", "--select", "IG401", "--write-baseline", "baseline.json", cwd=tmp_path).code == 0
    assert cli("scan", "--select", "IG401", "--baseline", "../baseline.json", ".", cwd=tmp_path / "deploy").code == 0
    assert cli("scan", "--select", "IG401", "--baseline", str(tmp_path / "baseline.json"), str(tmp_path / "deploy" / "pod.yaml"), cwd=tmp_path.parent).code == 0


def test_the_baseline_the_config_names_is_written_anew(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(MANIFEST)
    (tmp_path / ".iacguard.yaml").write_text("select: [IG401]\nbaseline: baseline.json\n")
    assert cli("scan", "--write-baseline", "baseline.json", cwd=tmp_path).code == 0
    assert cli("scan", "--write-baseline", "baseline.json", cwd=tmp_path).code == 0  # refreshed, not refused as an input
    assert cli("scan", cwd=tmp_path).code == 0


def test_outside_a_work_tree_a_baseline_holds_for_any_path_scanned_from_the_same_folder(cli, tmp_path):
    """There the scan root is the folder scanned, which `scan .` and `scan deploy/...`
    do not share: fingerprints keep the path as shown."""
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "pod.yaml").write_text(MANIFEST)
    assert cli("scan", "--select", "IG401", "--write-baseline", "b.json", ".", cwd=tmp_path).code == 0
    assert cli("scan", "--select", "IG401", "--baseline", "b.json", "deploy/pod.yaml", cwd=tmp_path).code == 0


def test_a_report_may_not_overwrite_the_config_s_baseline_while_another_is_written(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(MANIFEST)
    (tmp_path / ".iacguard.yaml").write_text("select: [IG401]\nbaseline: b.json\n")
    assert cli("scan", "--write-baseline", "b.json", cwd=tmp_path).code == 0
    run = cli("scan", "--write-baseline", "other.json", "-f", "sarif", "-o", "b.json", cwd=tmp_path)
    assert run.code == 2 and "refusing to overwrite a file that this scan reads" in run.err


def test_a_finding_at_a_head_holds_across_a_version_bump(cli, tmp_path):
    """Update bots bump a Dockerfile's base image and a Bicep resource's API version on
    the head line, where a finding about an absent setting stands: it stays recorded.
    A finding about the image itself is about another image once it changes."""
    (tmp_path / ".git").mkdir()
    dockerfile = "FROM python:3.12-slim AS build\nRUN echo built\nFROM python:3.12-slim\nCOPY --from=build /app /app\n"
    bicep = "resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'site'\n  location: 'westeurope'\n  properties: {\n    httpsOnly: true\n  }\n}\n"
    (tmp_path / "Dockerfile").write_text(dockerfile)
    (tmp_path / "main.bicep").write_text(bicep)
    rules = "IG201,IG505,IG101"
    assert cli("scan", "--select", rules, "--write-baseline", "baseline.json", cwd=tmp_path).code == 0
    (tmp_path / "Dockerfile").write_text(dockerfile.replace("python:3.12-slim\n", "python:latest\n"))
    (tmp_path / "main.bicep").write_text(bicep.replace("@2023-12-01", "@2024-04-01"))
    run = cli("scan", "--select", rules, "--baseline", "baseline.json", cwd=tmp_path)
    assert run.lines == [
        "Dockerfile:3:6: IG101 [medium] image python uses the mutable `latest` tag; pin a version or digest (stage/1)",
        "Found 1 finding (1 medium) in 2 files; 2 suppressed (2 baseline).",
    ]
