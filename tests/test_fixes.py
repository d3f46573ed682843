"""Fixes: each rule's fixed fixtures (`iacguard.testing.check_fix_fixture`), the
edits themselves, and the `iacguard fix` command's promises about files.

The acceptance test of a fix is its diff: the whole fixed text is compared, so a
line that changes without need fails the test. Rewrite the fixed files with
`IACGUARD_UPDATE_FIXTURES=1 pytest tests/test_fixes.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iacguard.fixes import Edit, apply_edits, overlapping
from iacguard.testing import check_fix_fixture, fix_fixtures, fixture_id

from support import TESTDATA


@pytest.mark.parametrize("fixed", fix_fixtures(TESTDATA), ids=fixture_id)
def test_fix_fixture(fixed: Path, tmp_path: Path):
    check_fix_fixture(fixed, tmp_path)


def run(folder: Path, *arguments: str):
    from contextlib import chdir, redirect_stderr, redirect_stdout
    import io

    from iacguard.cli import main

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()  # a buffer, as the real standard output has
    with chdir(folder), redirect_stdout(out), redirect_stderr(err):
        status = main(list(arguments))
    out.flush()
    return status, out.buffer.getvalue().decode("utf-8"), err.getvalue()


DOCKERFILE = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER 10001\n"


def test_safe_fixes_only_by_default_and_diff_does_not_write(tmp_path: Path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n")
    status, out, _ = run(tmp_path, "fix", "--select", "IG305,IG311", "--diff", "Dockerfile")
    assert status == 1
    assert "+RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*" in out
    assert not [line for line in out.splitlines() if line.startswith("+") and "--no-install-recommends" in line]  # unsafe: not applied
    assert (tmp_path / "Dockerfile").read_text().count("rm -rf") == 0
    status, out, _ = run(tmp_path, "fix", "--select", "IG305,IG311", "Dockerfile")
    assert status == 1  # IG311 remains
    assert "IG311" in out and "--unsafe-fixes" in out
    status, out, _ = run(tmp_path, "fix", "--select", "IG305,IG311", "--unsafe-fixes", "Dockerfile")
    assert status == 0, out
    assert (tmp_path / "Dockerfile").read_text() == (
        "FROM debian:12-slim\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\nUSER 10001\n"
    )
    assert run(tmp_path, "fix", "--select", "IG305,IG311", "--unsafe-fixes", "--diff", "Dockerfile")[0] == 0


def test_the_diff_is_of_the_file_s_own_lines(tmp_path: Path):
    """Lines end at "\\n" only, as `patch` reads them: a CRLF file's diff keeps its
    "\\r" (so it applies), and a line separator inside a line is shown escaped, as
    every report shows it, without splitting the line."""
    (tmp_path / "Dockerfile").write_bytes(b"FROM alpine:3.19\r\nRUN apk add curl\r\nUSER 1000\r\n")
    out = run(tmp_path, "fix", "--select", "IG305", "--diff", "Dockerfile")[1]
    assert out.split("\n")[2:] == ["@@ -1,3 +1,3 @@", " FROM alpine:3.19\r", "-RUN apk add curl\r", "+RUN apk add --no-cache curl\r", " USER 1000\r", ""]
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\n# a\u2028b\fc\nRUN apk add curl\nUSER 1000\n")
    out = run(tmp_path, "fix", "--select", "IG305", "--diff", "Dockerfile")[1]
    assert out.split("\n")[2:] == ["@@ -1,4 +1,4 @@", " FROM alpine:3.19", " # a\\u2028b\\x0cc", "-RUN apk add curl", "+RUN apk add --no-cache curl", " USER 1000", ""]


def test_a_file_that_is_not_utf8_is_not_fixed_and_its_findings_remain(tmp_path: Path):
    data = b"FROM alpine:3.19\n# caf\xe9\nRUN apk add curl\nUSER 1000\n"
    (tmp_path / "Dockerfile").write_bytes(data)
    status, out, err = run(tmp_path, "fix", "Dockerfile")
    assert status == 1 and (tmp_path / "Dockerfile").read_bytes() == data
    assert out == ("Dockerfile:3:5: IG305 [low] apk leaves its package cache in the layer; use apk add --no-cache"
                   " (not fixed: not UTF-8: a fix would re-encode the whole file)\n")
    assert "iacguard: fixed 0 findings in 0 files; 1 remain" in err


def test_a_cleanup_a_later_stage_needs_is_not_applied_and_the_finding_says_why(tmp_path: Path):
    """The stage built on `base` installs from the package lists `base` leaves: with
    them removed, `apt-get install git` finds no package. The finding stays."""
    text = ("FROM debian:12-slim AS base\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
            "FROM base\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\nUSER 10001\n")
    (tmp_path / "Dockerfile").write_text(text)
    status, out, _ = run(tmp_path, "fix", "--select", "IG305", "Dockerfile")
    assert status == 1 and (tmp_path / "Dockerfile").read_text() == text
    assert out == ("Dockerfile:2:5: IG305 [low] apt-get leaves its package cache in the layer; remove /var/lib/apt/lists/* in the same RUN"
                   " (not fixed: the later stage 1 runs apt-get without refreshing the package index it sees from this stage)\n")


@pytest.mark.parametrize("context", ["privileged: true", "capabilities: {add: [CAP_SYS_ADMIN]}", "privileged: {{ .Values.privileged }}"])
def test_no_escalation_fix_beside_what_the_api_server_refuses_it_with(tmp_path: Path, context: str):
    """`allowPrivilegeEscalation: false` is refused beside `privileged: true` and
    `CAP_SYS_ADMIN` (and a value not known may be either)."""
    text = f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      {context}\n"
    (tmp_path / "pod.yaml").write_text(text.replace("{{ .Values.privileged }}", "'{{ .Values.privileged }}'"))
    status, out, _ = run(tmp_path, "fix", "--unsafe-fixes", "--select", "IG203", "pod.yaml")
    assert status == 1 and out == "pod.yaml:7:11: IG203 [high] allowPrivilegeEscalation: false is not set\n"  # no fix to offer
    assert "allowPrivilegeEscalation" not in (tmp_path / "pod.yaml").read_text()


def test_no_linux_setting_is_written_into_a_windows_pod(tmp_path: Path):
    """The API server refuses allowPrivilegeEscalation, capabilities, seccompProfile
    and readOnlyRootFilesystem beside `spec.os.name: windows`: only runAsNonRoot,
    which the kubelet enforces on Windows too, is written."""
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  os:\n    name: windows\n"
                                       "  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n")
    status, out, _ = run(tmp_path, "fix", "--unsafe-fixes", "--select", "all,IG209", "--diff", "pod.yaml")
    added = [line for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert status == 1 and added == ["+    securityContext:", "+      runAsNonRoot: true"]


@pytest.mark.parametrize("step", ["    ", "\t"], ids=["four spaces", "a tab"])
def test_terraform_and_arm_insertions_nest_by_the_file_s_own_step(tmp_path: Path, step: str):
    (tmp_path / "main.tf").write_text(f'resource "azurerm_function_app" "api" {{\n{step}name = "api"\n}}\n')
    arm = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
           "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "api", "properties": {"serverFarmId": "plan"}}]}
    (tmp_path / "azuredeploy.json").write_text(json.dumps(arm, indent=step) + "\n")
    run(tmp_path, "fix", "--unsafe-fixes", "--select", "IG501,IG503", "main.tf", "azuredeploy.json")
    assert (tmp_path / "main.tf").read_text() == (
        f'resource "azurerm_function_app" "api" {{\n{step}name = "api"\n{step}https_only = true\n'
        f'{step}site_config {{\n{step * 2}ftps_state = "Disabled"\n{step}}}\n}}\n')
    site = step * 4
    assert f'{site}"siteConfig": {{\n{site}{step}"ftpsState": "Disabled"\n{site}}},\n{site}"httpsOnly": true,\n' in (tmp_path / "azuredeploy.json").read_text()


def _site(properties: str, parameters: str = "{}") -> str:
    """An ARM template of one web app with these `properties` (JSON text)."""
    return ('{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n'
            f'  "contentVersion": "1.0.0.0",\n  "parameters": {parameters},\n  "resources": [\n    {{\n'
            '      "type": "Microsoft.Web/sites",\n      "apiVersion": "2022-09-01",\n      "name": "app",\n'
            f'      "properties": {{\n{properties}\n      }}\n    }}\n  ]\n}}\n')


def _bicep_site(properties: str, parameters: str = "") -> str:
    return f"{parameters}resource app 'Microsoft.Web/sites@2022-09-01' = {{\n  name: 'app'\n  properties: {{\n{properties}\n  }}\n}}\n"


_TLS_PARAMETER = '{ "tls": { "type": "string", "defaultValue": "1.0" }, "env": { "type": "string", "defaultValue": "dev" } }'
_SITE_CONFIG = '        "httpsOnly": true,\n        "siteConfig": {{ "ftpsState": "Disabled", "minTlsVersion": {} }}'
_BICEP_SITE_CONFIG = "    httpsOnly: true\n    siteConfig: {{\n      ftpsState: 'Disabled'\n      minTlsVersion: {}\n    }}"


@pytest.mark.parametrize("name, text", [
    ("azuredeploy.json", _site(_SITE_CONFIG.format('"[parameters(\'tls\')]"'), _TLS_PARAMETER)),
    ("azuredeploy.json", _site(_SITE_CONFIG.format('"[if(equals(parameters(\'env\'), \'prod\'), \'1.2\', \'1.0\')]"'), _TLS_PARAMETER)),
    ("azuredeploy.json", _site('        "HttpsOnly": "[parameters(\'https\')]",\n        "siteConfig": { "ftpsState": "Disabled" }',
                               '{ "https": { "type": "bool", "defaultValue": false } }')),
    ("main.bicep", _bicep_site(_BICEP_SITE_CONFIG.format("'${tls}'"), "param tls string = '1.0'\n")),
    ("main.bicep", _bicep_site(_BICEP_SITE_CONFIG.format("true ? '1.0' : '1.2'"))),
    ("main.bicep", _bicep_site(_BICEP_SITE_CONFIG.format("true\n        ? '1.0'\n        : '1.2'"))),
    ("main.bicep", _bicep_site(_BICEP_SITE_CONFIG.format("'''1.0'''"))),
], ids=["ARM parameter", "ARM expression", "ARM expression in another case", "Bicep interpolation", "Bicep expression starting with a literal",
        "Bicep expression continued on the next line", "Bicep multi-line string"])
def test_a_value_a_parameter_or_an_expression_decides_is_not_overwritten(tmp_path: Path, name: str, text: str):
    """Only a value that is one literal is replaced: a parameter or an expression
    decides the others (the edit belongs there), and replacing the literal that
    starts an expression left `'1.2' ? '1.0' : '1.2'`, which Bicep refuses (as the
    `''` that starts a multi-line string left `'1.2''1.0'''`)."""
    (tmp_path / name).write_text(text)
    status, out, _ = run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG501,IG502", name)
    assert status == 1 and "not written in a way the fix can edit" in out
    assert (tmp_path / name).read_text() == text


def test_a_terraform_insertion_in_a_crlf_file_without_a_final_newline_ends_its_lines_so(tmp_path: Path):
    """The last line, which has no line ending, does not tell the file's."""
    (tmp_path / "main.tf").write_bytes(b'resource "azurerm_app_service" "a" {\r\n  name = "a"\r\n}')
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG501", "main.tf")[0] == 0
    assert (tmp_path / "main.tf").read_bytes() == b'resource "azurerm_app_service" "a" {\r\n  name = "a"\r\n  https_only = true\r\n}'


@pytest.mark.parametrize("run_line", ['RUN sh -c "pip install flask==3.0.3"', "RUN <<-EOF\n\t\tset -e\n\t\tpip install flask==3.0.3\n\tEOF"])
def test_an_option_is_not_written_where_a_word_s_position_is_not_its_own(tmp_path: Path, run_line: str):
    """In a `sh -c` script every word stands at the script; in a `<<-` heredoc the
    stripped tabs shift the columns: the option landed before the script
    (`sh -c --no-cache-dir "..."`, which sh refuses) or inside a word."""
    text = f"FROM python:3.12-slim\nUSER 1000\n{run_line}\n"
    (tmp_path / "Dockerfile").write_text(text)
    status, out, _ = run(tmp_path, "fix", "--select", "IG314", "Dockerfile")
    assert status == 1 and "IG314" in out and (tmp_path / "Dockerfile").read_text() == text


def test_scan_fix_applies_the_fixes_then_reports_what_remains(tmp_path: Path):
    """`scan --fix` fixes as `fix` does, then its report (here SARIF on standard
    output, kept clean of fix lines) and its exit code are those of the fixed files."""
    import json

    (tmp_path / "Dockerfile").write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n")
    status, out, err = run(tmp_path, "scan", "--no-cache", "--select", "IG305,IG311", "--fix", "-f", "sarif", "Dockerfile")
    assert status == 1  # IG311's fix is unsafe: it remains
    assert "fixed 1 finding in 1 file; 1 remain" in err
    results = json.loads(out)["runs"][0]["results"]
    assert [result["ruleId"] for result in results] == ["IG311"]
    assert "rm -rf /var/lib/apt/lists/*" in (tmp_path / "Dockerfile").read_text()
    status, out, err = run(tmp_path, "scan", "--no-cache", "--select", "IG305,IG311", "--fix", "--unsafe-fixes", "Dockerfile")
    assert status == 0, out + err
    assert "--no-install-recommends" in (tmp_path / "Dockerfile").read_text()


@pytest.mark.parametrize("arguments", [("--unsafe-fixes", "Dockerfile"), ("--fix-shared", "Dockerfile"), ("--fix", "-")])
def test_scan_fix_options_that_cannot_apply_are_usage_errors(tmp_path: Path, arguments):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    status, _, err = run(tmp_path, "scan", "--no-cache", *arguments)
    assert status == 2 and "fix" in err


@pytest.mark.parametrize("arguments", [("-o", "Dockerfile"), ("-o", "."), ("--format", "nope"), ("--statistics", "-f", "json"),
                                       ("--baseline", "missing.json"), ("--helm-values", "missing.yaml"), ("-o", ".iacguard.yaml"),
                                       ("--cache-dir", "not-a-folder")])
def test_scan_fix_that_is_a_usage_error_writes_no_file(tmp_path: Path, arguments, monkeypatch):
    """Every usage error is found before a fix is written: the run that refuses its
    output (or its report, its baseline, its values) leaves the files as they were."""
    text = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n"
    (tmp_path / "Dockerfile").write_text(text)
    (tmp_path / ".iacguard.yaml").write_text("fail_on: low\n")
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.delenv("IACGUARD_NO_CACHE", raising=False)  # the test run's setting: a cache folder is to be refused
    cache = () if "--cache-dir" in arguments else ("--no-cache",)
    status, _, err = run(tmp_path, "scan", *cache, "--select", "IG305", "--fix", *arguments, "Dockerfile")
    assert status == 2, err
    assert (tmp_path / "Dockerfile").read_text() == text
    assert "fixed" not in err


def test_scan_fix_reports_a_file_named_twice_once(tmp_path: Path):
    """A fix replaces the file (a new inode): the scan after it still knows the two
    names given for it as one file."""
    (tmp_path / "Dockerfile").write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n")
    (tmp_path / "x").mkdir()
    status, out, _ = run(tmp_path, "scan", "--no-cache", "--select", "IG305,IG311", "--fix", ".", "x/../Dockerfile")
    assert status == 1 and out.strip().splitlines()[-1] == "Found 1 finding (1 low) in 1 file."


def test_a_link_out_of_the_root_is_not_written(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text("FROM debian:12-slim\nRUN pip install flask==3.0\nUSER 1\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "Dockerfile").symlink_to(outside / "Dockerfile")
    status, _, err = run(root, "fix", "--root", ".", "--select", "IG314", "Dockerfile")
    assert status == 4
    assert "outside the scan root" in err
    assert "--no-cache-dir" not in (outside / "Dockerfile").read_text()


def test_a_link_inside_the_root_writes_the_file_it_names(tmp_path: Path):
    (tmp_path / "real.Dockerfile").write_text("FROM debian:12-slim\nRUN pip install flask==3.0\nUSER 1\n")
    (tmp_path / "Dockerfile").symlink_to("real.Dockerfile")
    status, _, _ = run(tmp_path, "fix", "--root", ".", "--select", "IG314", "Dockerfile")
    assert status == 0
    assert (tmp_path / "Dockerfile").is_symlink()
    assert "pip install --no-cache-dir flask==3.0" in (tmp_path / "real.Dockerfile").read_text()


def test_file_mode_byte_order_mark_and_line_endings_are_kept(tmp_path: Path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"\xef\xbb\xbfFROM debian:12-slim\r\nRUN pip install flask==3.0\r\nUSER 1\r\n")
    path.chmod(0o640)
    assert run(tmp_path, "fix", "--root", ".", "--select", "IG314", "Dockerfile")[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbfFROM debian:12-slim\r\nRUN pip install --no-cache-dir flask==3.0\r\nUSER 1\r\n"
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_fixed_file_keeps_its_owner(tmp_path: Path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n")
    os.chown(dockerfile, 12345, 23456)
    assert run(tmp_path, "fix", "--select", "IG305,IG311", "--unsafe-fixes", "Dockerfile")[0] == 0
    assert "--no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*" in dockerfile.read_text()
    assert (dockerfile.stat().st_uid, dockerfile.stat().st_gid) == (12345, 23456)


def test_kubernetes_fix_in_a_crlf_file_keeps_its_line_endings(tmp_path: Path):
    text = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: app:1.0\r\n"
    (tmp_path / "pod.yaml").write_bytes(text.encode())
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", "pod.yaml")[0] == 0
    fixed = (tmp_path / "pod.yaml").read_bytes().decode()
    assert fixed == text.replace("    image: app:1.0\r\n", "    image: app:1.0\r\n    securityContext:\r\n      allowPrivilegeEscalation: false\r\n")


def test_kubernetes_fix_in_a_crlf_file_without_a_final_newline_keeps_its_line_endings(tmp_path: Path):
    """The last line has no ending of its own: the new lines take the file's."""
    text = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name:   p\r\nspec:\r\n  containers:\r\n  - name: c\r\n    image: nginx:1.25"
    (tmp_path / "pod.yaml").write_bytes(text.encode())
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", "pod.yaml")[0] == 0
    fixed = (tmp_path / "pod.yaml").read_bytes().decode()
    assert fixed == text + "\r\n    securityContext:\r\n      allowPrivilegeEscalation: false"


ALIASED_POD_CONTEXT = """apiVersion: v1
kind: Pod
metadata:
  name: q
spec:
  securityContext: &sc
    runAsNonRoot: true
  containers:
  - name: a
    image: nginx:1.25
    securityContext: *sc
"""


def test_a_merge_key_does_not_keep_a_setting_out_of_the_mapping_s_own_keys(tmp_path: Path):
    """Merged keys are not written into, the mapping's own are."""
    text = ALIASED_POD_CONTEXT.replace("securityContext: *sc", "securityContext:\n      <<: *sc\n      readOnlyRootFilesystem: true")
    (tmp_path / "pod.yaml").write_text(text)
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", "pod.yaml")[0] == 0
    assert (tmp_path / "pod.yaml").read_text() == text + "      allowPrivilegeEscalation: false\n"


POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n"


def test_a_fix_that_brings_a_duplicate_key_is_not_kept(tmp_path: Path, monkeypatch):
    """A duplicate key is a warning of the scan (IG003) and a file kubectl rejects:
    the fix is refused as one that breaks the parse is."""
    from iacguard.fixes import Edit, TEXT_EDIT, Written
    from iacguard.fixes import yaml_writer

    duplicate = "\n    securityContext:\n      allowPrivilegeEscalation: false\n    image: app:1.0"
    monkeypatch.setattr(yaml_writer, "setting_edits", lambda resource, setting, text: Written((Edit.insert(8, 19, duplicate),), TEXT_EDIT))
    test_left_alone_with_the_reason(tmp_path, POD, "did not pass the re-scan")


def test_a_warning_the_file_had_before_does_not_keep_a_fix_out(tmp_path: Path):
    text = POD.replace("  name: p\n", "  name: p\n  name: p\n")
    (tmp_path / "pod.yaml").write_text(text)
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", "pod.yaml")[0] == 0
    assert (tmp_path / "pod.yaml").read_text() == text + "    securityContext:\n      allowPrivilegeEscalation: false\n"


@pytest.mark.parametrize("text, reason", [
    ("---\n# Source: chart/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
     "rendered Helm output"),
    # The container's `securityContext: *sc` is the pod's: a container's field written
    # there would land in the pod's security context, and change the pod.
    (ALIASED_POD_CONTEXT, "not written in a way the fix can edit"),
], ids=["rendered Helm output", "a mapping reached through an alias"])
def test_left_alone_with_the_reason(tmp_path: Path, text: str, reason: str):
    (tmp_path / "pod.yaml").write_text(text)
    status, out, _ = run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", "pod.yaml")
    assert status == 1
    assert reason in out
    assert (tmp_path / "pod.yaml").read_text() == text


def test_edits_apply_in_any_order_and_overlap_is_told():
    text = "one\ntwo\n"
    edits = [Edit.insert(2, 4, "!"), Edit(1, 1, 1, 4, "ONE")]
    assert apply_edits(text, edits) == "ONE\ntwo!\n"
    assert overlapping((Edit.insert(1, 2, "x"),), (Edit(1, 1, 1, 3, "y"),))
    assert not overlapping((Edit.insert(2, 1, "x"),), (Edit(1, 1, 1, 3, "y"),))


SECURITY_KEYS = ["allowPrivilegeEscalation: true", "runAsNonRoot: false", "readOnlyRootFilesystem: false", "privileged: false"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(SECURITY_KEYS), unique=True, max_size=4),
    st.booleans(),
    st.sampled_from(["  ", "    "]),
    st.booleans(),
)
def test_kubernetes_fixes_are_idempotent(tmp_path_factory, keys, second_container, indent, comment):
    """Whatever the container already sets, fixing twice gives what fixing once gave,
    and the fixed file parses with none of the fixed findings."""
    folder = tmp_path_factory.mktemp("idempotent")
    i = indent
    container = [f"{i}- name: app", f"{i}  image: app:1.0"]
    if keys:
        container += [f"{i}  securityContext:"] + [f"{i}    {key}" for key in keys]
    if comment:
        container.append(f"{i}  # trailing comment")
    if second_container:
        container += [f"{i}- name: side", f"{i}  image: side:1.0"]
    text = "\n".join(["apiVersion: v1", "kind: Pod", "metadata:", "  name: p", "  namespace: shop", "spec:", "  containers:", *container]) + "\n"
    (folder / "pod.yaml").write_text(text)
    rules = "IG201,IG203,IG204,IG209,IG211,IG403"
    run(folder, "fix", "--root", ".", "--unsafe-fixes", "--select", rules, "pod.yaml")
    once = (folder / "pod.yaml").read_text()
    status, out, _ = run(folder, "fix", "--root", ".", "--unsafe-fixes", "--select", rules, "--diff", "pod.yaml")
    assert status == 0, out
    assert (folder / "pod.yaml").read_text() == once
    status, out, _ = run(folder, "scan", "--root", ".", "--no-cache", "--select", rules, "pod.yaml")
    assert status == 0, out


def test_a_manifest_without_a_final_newline_is_written_into(tmp_path: Path):
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: app:1.0"
    (tmp_path / "pod.yaml").write_text(text)
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", "pod.yaml")[0] == 0
    assert (tmp_path / "pod.yaml").read_text() == text + "\n    securityContext:\n      allowPrivilegeEscalation: false"


def test_a_manifest_written_in_flow_style_is_written_into(tmp_path: Path):
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: app, image: 'app:1.0'}]}  # one line\n"
    (tmp_path / "pod.yaml").write_text(text)
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", "pod.yaml")[0] == 0
    # the flow collection's line is written anew: its comment is kept, one space from the value
    assert (tmp_path / "pod.yaml").read_text() == text.replace("'app:1.0'}]}  #", "'app:1.0', securityContext: {allowPrivilegeEscalation: false}}]} #")


def _first_container(text: str):
    from iacguard.parsers.yaml import load

    return load(text).documents[0].root["spec"]["containers"][0]


ESCALATION = ("securityContext", "allowPrivilegeEscalation")


def _round_trip_escalation(text: str, handed: str | None = None):
    """The round trip's edits that set ESCALATION on the first container of the
    manifest `text`; the round trip is handed `handed` in place of the text, when
    given."""
    from iacguard.fixes.yaml_roundtrip import round_trip_edits

    return round_trip_edits(_first_container(text), ESCALATION, False, handed or text)


@pytest.mark.parametrize("text", [
    "kind: Pod\nmetadata:\n  name:   spaced\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
    "kind: Pod\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    # about the next container\n  - name: side\n",
    "kind: Pod\nspec:\n  containers:\n  - name: app\n    ports:\n        - containerPort: 80\n    image: app:1.0\n",
], ids=["spacing after a colon", "comment after the container", "indentation that differs from the rest"])
def test_the_text_edit_is_taken_where_the_round_trip_would_change_other_lines(text: str):
    from iacguard.fixes.yaml_writer import set_in

    container = _first_container(text)
    assert _round_trip_escalation(text) is None
    edits = set_in(container, ESCALATION, False, text.split("\n"))
    assert apply_edits(text, edits) == text.replace("    image: app:1.0\n", "    image: app:1.0\n    securityContext:\n      allowPrivilegeEscalation: false\n", 1)


@pytest.mark.parametrize(("text", "written"), [
    # four spaces, each list's dash at its key's column and its item four past it
    ("kind: Pod\nspec:\n    containers:\n    -   name: app\n        image: app:1.0\n        ports:\n        -   containerPort: 80\n",
     "        securityContext:\n            capabilities:\n                drop:\n                -   ALL\n"),
    # two spaces, the dash indented by two: the default
    ("kind: Pod\nspec:\n  containers:\n    - name: app\n      image: app:1.0\n",
     "      securityContext:\n        capabilities:\n          drop:\n            - ALL\n"),
    # no nested mapping or list below a key to read it from: the default
    ("- name: app\n  image: app:1.0\n", "  securityContext:\n    capabilities:\n      drop:\n        - ALL\n"),
], ids=["four spaces, dashes at the key", "two spaces, dashes indented", "nothing to read"])
def test_the_text_edit_nests_new_keys_and_lists_as_the_file_does(text: str, written: str):
    from iacguard.fixes.yaml_style import style_of
    from iacguard.fixes.yaml_writer import set_in
    from iacguard.parsers.yaml import load

    lines = text.split("\n")
    root = load(text).documents[0].root
    container = root[0] if isinstance(root, list) else root["spec"]["containers"][0]
    edits = set_in(container, ("securityContext", "capabilities", "drop"), ["ALL"], lines, style_of(root, lines))
    assert apply_edits(text, edits) == text + written
    assert load(apply_edits(text, edits)).documents[0].root  # still YAML


@pytest.mark.parametrize(("text", "after"), [
    # a script line that starts with `#` is the block scalar's text, not a comment
    ("kind: Pod\nspec:\n  containers:\n  - name: app\n    args:\n    - |\n      set -e\n      # the end\n", "      # the end\n"),
    # `|+` keeps the blank lines that follow it
    ("kind: Pod\nspec:\n  containers:\n  - name: app\n    args:\n    - |+\n      echo hi\n\n\n  - name: side\n", "      echo hi\n\n\n"),
    # a quoted string's line that starts with `#`, deeper or not
    ('kind: Pod\nspec:\n  containers:\n  - name: app\n    args: ["a\n      # b"]\n', '      # b"]\n'),
    ('kind: Pod\nspec:\n  containers:\n  - name: app\n    workingDir: "/srv\n    # app"\n', '    # app"\n'),
    # a comment at the container's keys belongs to what follows: the new lines come before it
    ("kind: Pod\nspec:\n  containers:\n  - name: app\n    args:\n    - |\n      echo hi\n    # next\n  - name: side\n", "      echo hi\n"),
], ids=["block scalar", "kept blank lines", "quoted string", "quoted string at the keys", "comment of what follows"])
def test_the_text_edit_inserts_after_the_last_value_s_own_lines(text: str, after: str):
    from iacguard.fixes.yaml_writer import set_in

    fixed = apply_edits(text, set_in(_first_container(text), ESCALATION, False, text.split("\n")))
    assert fixed == text.replace(after, after + "    securityContext:\n      allowPrivilegeEscalation: false\n", 1)
    assert {key: value for key, value in _first_container(fixed).items() if key != "securityContext"} == _first_container(text)


@pytest.mark.parametrize("text", [
    "kind: Pod\nspec:\n  containers:\n  - name: app\n    securityContext:\n      capabilities:\n        drop: [NET_RAW,   # raw sockets\n               MKNOD]\n",
    "kind: Pod\nspec:\n  containers:\n  - {name: app,   # the main one\n     image: 'app:1.0'}\n",
], ids=["flow list", "flow mapping"])
def test_the_round_trip_declines_a_flow_collection_whose_comment_it_would_drop(text: str):
    from iacguard.fixes.yaml_roundtrip import round_trip_edits

    container = _first_container(text)
    assert round_trip_edits(container, ("securityContext", "capabilities", "drop"), ["ALL"], text) is None
    assert round_trip_edits(container, ESCALATION, False, text) is None


def test_the_round_trip_writes_its_result_as_the_edits_of_the_changed_lines():

    text = "kind: Pod\nspec:\n  containers:\n  - name: app  # main\n    image: 'app:1.0'\n    securityContext: {runAsUser: 0}\n"
    edits = _round_trip_escalation(text)
    assert edits == (Edit.insert(6, 35, ", allowPrivilegeEscalation: false"),)


def test_the_round_trip_nests_as_the_file_does():
    """Its dump is nested as the document is (`yaml_style.style_of`): a file of four
    spaces with dashes at the key is written into, not re-indented (which would leave
    the fix to the text edit)."""
    text = "kind: Pod\nspec:\n    containers:\n    -   name: app\n        image: app:1.0\n        ports:\n        -   containerPort: 80\n"
    edits = _round_trip_escalation(text)
    assert edits is not None
    assert apply_edits(text, edits) == text + "        securityContext:\n            allowPrivilegeEscalation: false\n"


def test_the_round_trip_reads_the_style_of_the_whole_document(tmp_path: Path):
    """A `List` whose item is written in flow style shows its nesting only outside
    the item (`items:` with the dash at the key): the round trip nests as the document
    does, and so writes into the flow mapping, which the text edit cannot."""
    text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    containers: [{name: app, image: "app:1.0"}]\n'
    (tmp_path / "pod.yaml").write_text(text)
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203,IG204", "pod.yaml")[0] == 0
    written = '"app:1.0", securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]'
    assert (tmp_path / "pod.yaml").read_text() == text.replace('"app:1.0"}]', written)


def test_the_round_trip_keeps_crlf_and_a_missing_final_newline():

    text = "kind: Pod\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: app:1.0"
    edits = _round_trip_escalation(text)
    assert apply_edits(text, edits) == text + "\r\n    securityContext:\r\n      allowPrivilegeEscalation: false"


def _yaml_fix_fixtures() -> list[Path]:
    return [path for path in fix_fixtures(TESTDATA) if path.suffix in (".yaml", ".yml")]


@pytest.mark.parametrize("fixed", _yaml_fix_fixtures(), ids=fixture_id)
def test_a_yaml_fix_changes_only_the_lines_it_edits(fixed: Path):
    """Every line of the fail case is kept, or replaced by a line that keeps its
    indentation and its key (the value set, or a flow collection written into): no
    line is re-indented, re-quoted or dropped. (That fixing twice changes nothing is
    `check_fix_fixture`'s.)"""
    from difflib import SequenceMatcher

    before = fixed.with_name("fail_" + fixed.name.removeprefix("fixed_")).read_text().split("\n")
    after = fixed.read_text().split("\n")
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert", "replace"), f"lines {i1 + 1}-{i2} dropped"
        if tag == "replace":
            assert j2 - j1 >= i2 - i1, f"lines {i1 + 1}-{i2} merged"
            for old, new in zip(before[i1:i2], after[j1:j2]):
                assert old.split(":")[0] == new.split(":")[0], f"{old!r} became {new!r}"


def test_fix_verbose_counts_the_settings_by_how_they_were_written(tmp_path: Path):
    (tmp_path / "round.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n")
    (tmp_path / "text.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name:   b\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n")
    status, _, err = run(tmp_path, "fix", "-v", "--root", ".", "--unsafe-fixes", "--select", "IG203", ".")
    assert status == 0, err
    assert "settings written: 1 by round trip, 1 by text edit" in err


def test_a_scan_does_not_import_the_round_trip_library(tmp_path: Path):
    import subprocess
    import sys

    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n")
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "iacguard", "scan", "--no-cache", "--root", ".", "pod.yaml"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert "ruamel" not in done.stderr
    assert "iacguard.cli" in done.stderr  # the import times were printed


def test_the_fixed_text_is_on_disk_before_it_replaces_the_file(tmp_path: Path, monkeypatch):
    from iacguard.fixes import files

    path = tmp_path / "Dockerfile"
    path.write_text("FROM debian:12-slim\n")
    original = files.read_original(path, tmp_path, 1 << 20)
    order = []
    monkeypatch.setattr(files.os, "fsync", lambda descriptor: order.append("fsync"))
    replace = files.os.replace
    monkeypatch.setattr(files.os, "replace", lambda source, target: (order.append("replace"), replace(source, target)))
    files.write_fixed(original, "FROM debian:12\n")
    assert order == ["fsync", "replace"]
    assert path.read_text() == "FROM debian:12\n"


def test_the_round_trip_leaves_the_blank_lines_around_a_document_alone():

    text = "---\n\nkind: Pod\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n\n...\n---\nkind: Other\n"
    edits = _round_trip_escalation(text)
    assert apply_edits(text, edits) == text.replace("app:1.0\n", "app:1.0\n    securityContext:\n      allowPrivilegeEscalation: false\n")


BASE = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n"


def _kustomize_base(folder: Path) -> Path:
    (folder / "base").mkdir()
    (folder / "base" / "pod.yaml").write_text(BASE)
    (folder / "base" / "kustomization.yaml").write_text("resources:\n- pod.yaml\n")
    return folder / "base" / "pod.yaml"


def test_a_file_a_kustomization_uses_is_not_fixed_unless_asked(tmp_path: Path):
    pod = _kustomize_base(tmp_path)
    status, out, _ = run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG203", ".")
    assert status == 1
    assert "other files use base/pod.yaml (base/kustomization.yaml: it uses base/pod.yaml as a resource): fix it with --fix-shared" in out
    assert pod.read_text() == BASE


def test_fix_shared_fixes_a_kustomize_resource_and_names_its_users(tmp_path: Path):
    pod = _kustomize_base(tmp_path)
    status, _, err = run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--fix-shared", "--select", "IG203", ".")
    assert status == 0, err
    assert "base/pod.yaml: changed a shared file; this affects base/kustomization.yaml: it uses base/pod.yaml as a resource" in err
    assert pod.read_text() == BASE + "    securityContext:\n      allowPrivilegeEscalation: false\n"


def test_fix_shared_does_not_harden_a_base_into_an_object_an_overlay_makes_invalid(tmp_path: Path):
    """`allowPrivilegeEscalation: false` in a shared base, under an overlay that makes
    the container privileged, is an object the API server rejects: the re-check
    through that overlay says so, and the fix another overlay asks for is refused."""
    pod = _kustomize_base(tmp_path)
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "kustomization.yaml").write_text("resources:\n- ../base\n")
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "kustomization.yaml").write_text(
        "resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: Pod\n    metadata: {name: p, namespace: shop}\n"
        "    spec:\n      containers:\n      - name: app\n        securityContext: {privileged: true}\n")
    status, out, _ = run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--fix-shared", "--select", "IG203", ".")
    assert status == 1
    assert "base/pod.yaml:8:11: IG203 [high] allowPrivilegeEscalation: false is not set (not fixed: the fixed text did not pass the re-scan" in out
    assert pod.read_text() == BASE


MODULE = 'resource "azurerm_linux_web_app" "app" {\n  name = "app"\n  https_only = false\n  site_config {}\n}\n'


def test_a_module_file_is_fixed_only_with_fix_shared(tmp_path: Path):
    (tmp_path / "modules" / "app").mkdir(parents=True)
    module = tmp_path / "modules" / "app" / "main.tf"
    module.write_text(MODULE)
    (tmp_path / "main.tf").write_text('module "app" {\n  source = "./modules/app"\n}\n')
    status, out, _ = run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG501", ".")
    assert "other files use modules/app/main.tf (main.tf: it calls modules/app as module app): fix it with --fix-shared" in out
    assert module.read_text() == MODULE
    status, _, err = run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--fix-shared", "--select", "IG501", ".")
    assert "modules/app/main.tf: changed a shared file; this affects main.tf: it calls modules/app as module app" in err
    assert module.read_text() == MODULE.replace("https_only = false", "https_only = true")


def test_files_of_one_terraform_folder_are_not_shared_with_each_other(tmp_path: Path):
    (tmp_path / "variables.tf").write_text('variable "name" {\n  default = "app"\n}\n')
    (tmp_path / "main.tf").write_text(MODULE)
    assert run(tmp_path, "fix", "--root", ".", "--unsafe-fixes", "--select", "IG501", ".")[0] == 0
    assert "https_only = true" in (tmp_path / "main.tf").read_text()


def test_a_document_over_the_round_trip_budget_takes_the_text_edit(monkeypatch):
    from iacguard.fixes import yaml_roundtrip

    text = "kind: Pod\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n"
    assert _round_trip_escalation(text) is not None
    monkeypatch.setattr(yaml_roundtrip, "MAX_ROUND_TRIP_SIZE", len(text) - 1)
    assert _round_trip_escalation(text) is None


def test_the_round_trip_prints_no_warning_of_ruamel_yaml():
    import warnings


    text = "kind: Pod\nmetadata:\n  labels: {a: b}\n  annotations: {c: d}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n"
    reused_anchor = text.replace("labels: {", "labels: &l {").replace("annotations: {", "annotations: &l {")  # ruamel.yaml warns, and reads it
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        _round_trip_escalation(text, reused_anchor)
    assert not shown


def test_scan_fix_writes_only_the_files_its_scan_reads(tmp_path: Path):
    """`--exclude` and `--isolated` choose the files of the fix as of the scan."""
    broken = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n"
    for folder in ("app", "vendor", "ignored"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "Dockerfile").write_text(broken)
    (tmp_path / ".gitignore").write_text("ignored/\n")
    status, out, _ = run(tmp_path, "scan", "--fix", "--no-cache", "--select", "IG305", "--ignore", "IG311", "--exclude", "vendor/", ".")
    assert status == 0, out
    assert "rm -rf" in (tmp_path / "app" / "Dockerfile").read_text()
    assert (tmp_path / "vendor" / "Dockerfile").read_text() == broken
    assert (tmp_path / "ignored" / "Dockerfile").read_text() == broken
    status, out, _ = run(tmp_path, "scan", "--fix", "--no-cache", "--select", "IG305", "--ignore", "IG311", "--isolated", "ignored")
    assert status == 0, out
    assert "rm -rf" in (tmp_path / "ignored" / "Dockerfile").read_text()


def test_fix_leaves_baselined_findings_out_of_what_remains(tmp_path: Path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER 10001\n")
    status, _, _ = run(tmp_path, "scan", "--no-cache", "--select", "IG311", "--write-baseline", "baseline.json", "Dockerfile")
    assert status == 0
    (tmp_path / ".iacguard.yaml").write_text("baseline: baseline.json\n")
    status, out, err = run(tmp_path, "fix", "--select", "IG311", "Dockerfile")
    assert (status, out) == (0, ""), err
    assert "0 remain" in err


def test_fix_diff_keeps_standard_output_for_the_patch(tmp_path: Path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n")
    status, out, err = run(tmp_path, "fix", "--select", "IG305,IG311", "--diff", "Dockerfile")
    assert status == 1
    assert out.startswith("--- ") and "IG311" not in out
    assert "IG311" in err


@pytest.mark.skipif(not shutil.which("patch") or not shutil.which("git"), reason="needs patch and git")
def test_fix_diff_applies_with_patch_and_git_to_names_with_spaces_and_lines_with_tabs(tmp_path: Path):
    """The README promises that `patch -p1` and `git apply` take the output."""
    import subprocess

    broken = "FROM debian:12-slim\nRUN apt-get update \\\n\t&& apt-get install -y curl\nUSER 10001\n"
    (tmp_path / "my app").mkdir()
    (tmp_path / "my app" / "Dockerfile").write_text(broken)
    status, out, _ = run(tmp_path, "fix", "--select", "IG305", "--ignore", "IG311", "--diff", "my app/Dockerfile")
    assert status == 1 and "\t&& apt-get" in out
    (tmp_path / "fix.patch").write_text(out)
    for command in (["patch", "-p1", "--dry-run", "-i", "fix.patch"], ["git", "apply", "--check", "fix.patch"]):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    subprocess.run(["patch", "-p1", "-i", "fix.patch"], cwd=tmp_path, capture_output=True, check=True)
    assert (tmp_path / "my app" / "Dockerfile").read_text() == broken.replace("curl\n", "curl && rm -rf /var/lib/apt/lists/*\n")


INJECTED_HUNK = "\n--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n@@ -1 +1 @@\n-name: ci\n+name: pwned\nzz"


@pytest.mark.skipif(not shutil.which("patch") or not shutil.which("git"), reason="needs patch and git")
def test_fix_diff_quotes_a_name_that_cannot_be_written_as_it_is(tmp_path: Path):
    """Item 7: a new line in a file's name ended the `---` line, and the rest of the
    name was a hunk that `patch` applied to another file. Such a name is quoted as git
    quotes it, which `git apply` and `patch` read back: the fix lands in that file,
    and nothing else changes."""
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("name: ci\n")
    named = tmp_path / f"q{INJECTED_HUNK}\\\"\u00e9.Dockerfile"
    named.parent.mkdir(parents=True)
    named.write_text("FROM alpine:3.20\nRUN apk add curl\nUSER 1000\n")
    status, out, _ = run(tmp_path, "fix", "--select", "IG305", "--diff", ".")
    assert status == 1
    header = '"a/q\\n--- a/.github/workflows/ci.yml\\n+++ b/.github/workflows/ci.yml\\n@@ -1 +1 @@\\n-name: ci\\n+name: pwned\\nzz\\\\\\"\\303\\251.Dockerfile"'
    assert out.split("\n")[:2] == [f"--- {header}\t", f"+++ \"b{header[2:]}\t"], out
    assert all(line.replace("\t", "").isprintable() for line in out.split("\n")), out
    (tmp_path / "fix.patch").write_text(out)
    for command in (["git", "apply", "--check", "fix.patch"], ["patch", "-p1", "-i", "fix.patch"]):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert named.read_text() == "FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER 1000\n"
    assert (tmp_path / ".github" / "workflows" / "ci.yml").read_text() == "name: ci\n"


@pytest.mark.parametrize("name, written", [
    ("a/Dockerfile", "a/Dockerfile"),
    ("a/my app/Dockerfile", "a/my app/Dockerfile"),  # a blank is no reason (the tab after the name is)
    ("a/x\ty\rz\x1b\x7f", '"a/x\\ty\\rz\\033\\177"'),
    ('a/"q"\\', '"a/\\"q\\"\\\\"'),
    ("a/caf\u00e9/\u202eevil", '"a/caf\\303\\251/\\342\\200\\256evil"'),  # outside ASCII, a text direction override included
    ("a/\udcff.yaml", '"a/\\377.yaml"'),  # a byte that is not UTF-8, as the file system names it
])
def test_a_diff_name_is_written_as_git_writes_it(name, written):
    from iacguard.fixes.engine import diff_name

    assert diff_name(name) == written


HARDENED_BASE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: web
          image: registry.example.com/web:1.2.3@sha256:0000000000000000000000000000000000000000000000000000000000000000
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          resources:
            limits: {cpu: 500m, memory: 256Mi}
            requests: {cpu: 100m, memory: 128Mi}
"""
IMAGE_PATCH = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.4@sha256:0000000000000000000000000000000000000000000000000000000000000000
"""


def kustomize_overlay(folder: Path, patch: str = IMAGE_PATCH) -> Path:
    """A hardened base and an overlay whose patch changes only the image; the patch's path."""
    (folder / ".git").mkdir(exist_ok=True)  # the scan root
    (folder / "base").mkdir()
    (folder / "base" / "deploy.yaml").write_text(HARDENED_BASE)
    (folder / "base" / "kustomization.yaml").write_text("resources:\n  - deploy.yaml\n")
    (folder / "overlay").mkdir()
    (folder / "overlay" / "kustomization.yaml").write_text("resources:\n  - ../base\npatches:\n  - path: patch.yaml\n")
    (folder / "overlay" / "patch.yaml").write_text(patch)
    return folder / "overlay" / "patch.yaml"


def test_a_patch_is_fixed_as_its_overlay_builds_it(tmp_path: Path):
    """A patch is checked through the overlay built from it, as the scan checks it:
    alone, it lacks every setting its base holds, and `fix` listed seven findings
    that remain where the scan reports none."""
    kustomize_overlay(tmp_path)
    status, out, err = run(tmp_path, "fix", "--diff", "--unsafe-fixes", "--fix-shared", ".")
    assert (status, out) == (0, ""), err
    assert "would fix 0 findings in 0 files; 0 remain" in err
    status, out, _ = run(tmp_path, "fix", "--diff", "--unsafe-fixes", "--fix-shared", "overlay/patch.yaml")
    assert (status, out) == (0, "")


def test_what_a_chart_s_render_finds_remains(tmp_path: Path):
    """`fix` writes no chart file, and listed nothing of what the chart's render finds
    (0 remain, exit 0, where `scan` exits 1): it remains, with why, as `scan` lists it."""
    from iacguard.helm import render

    if render.find_renderer() is None:
        pytest.skip("no Helm renderer: pip install 'iacguard-lint[helm]'")
    (tmp_path / ".git").mkdir()
    chart = Path(shutil.copytree(TESTDATA / "helm" / "web", tmp_path / "web"))
    (chart / "values.yaml").write_text((chart / "values.yaml").read_text().replace("privileged: false", "privileged: true"))
    status, out, err = run(tmp_path, "fix", "--select", "IG202", ".")
    assert status == 1, err
    assert out.splitlines() == ["web/templates/deployment.yaml:23:13: IG202 [critical] the container runs privileged, with full control of its host"]
    assert "fixed 0 findings in 0 files; 1 remain" in err


def test_a_fix_that_cannot_be_written_is_not_counted(tmp_path: Path, monkeypatch):
    """A file that cannot be written keeps its findings: they remain, and nothing is
    counted as fixed (it said `fixed 1 finding`, and `--allow-incomplete` passed)."""
    from iacguard.fixes import files

    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n")

    def refuse(original, text):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files, "write_fixed", refuse)
    status, out, err = run(tmp_path, "fix", "--select", "IG305", ".")
    assert status == 4
    assert out.splitlines() == [
        "Dockerfile:2:5: IG305 [low] apt-get leaves its package cache in the layer; remove /var/lib/apt/lists/* in the same RUN (not fixed: the file could not be written)",
        "Dockerfile:2:23: IG311 [low] apt-get install without --no-install-recommends pulls in unrequested packages (not fixed: unsafe fix: apply it with --unsafe-fixes)",
    ]
    assert "iacguard: Dockerfile: not written: [Errno 1] Operation not permitted" in err
    assert "fixed 0 findings in 0 files; 2 remain" in err
    assert run(tmp_path, "fix", "--select", "IG305", "--allow-incomplete", ".")[0] == 1


def test_what_remains_is_what_scan_reports_after_the_fix(tmp_path: Path):
    """A finding that a file's neighbour makes in it remains in it (a variable's
    default that a resource of another file uses: `fix` said 0 remain where `scan`
    exits 1); below the config's `min_severity` it is not listed, as `scan` does
    not list it, but counts for the exit code; `--fail-on` decides as in `scan`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text(
        'resource "azurerm_linux_virtual_machine" "vm" {\n  name = "vm"\n  admin_username = "azureuser"\n'
        '  admin_password = var.admin_password\n  disable_password_authentication = false\n}\n')
    (tmp_path / "variables.tf").write_text('variable "admin_password" {\n  default = "P@ssw0rd1234!"\n}\n')
    status, out, err = run(tmp_path, "fix", "--select", "IG214", ".")
    assert (status, out.splitlines()) == (1, ["variables.tf:2:13: IG214 [high] admin_password holds a literal administrator password; pass it in as a secret input without a default, or reference Key Vault"]), err
    assert run(tmp_path, "fix", "--select", "IG214", "--fail-on", "critical", ".")[0] == 0
    (tmp_path / ".iacguard.yaml").write_text("min_severity: critical\n")
    status, out, err = run(tmp_path, "fix", "--select", "IG214", ".")
    assert (status, out) == (1, "") and "0 remain" in err


def test_scan_fix_reads_the_var_files_the_command_line_names(tmp_path: Path):
    """`scan --fix --var-file` outside the scan root: the scan reads the file the
    command line names, and so does its fix step (it refused it, and said 0 remain
    where the scan reported the finding the var file decides)."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    outside.mkdir()
    (repo / "main.tf").write_text('variable "https" {\n  default = true\n}\nresource "azurerm_linux_web_app" "api" {\n'
                                  '  name = "api"\n  https_only = var.https\n  site_config {}\n}\n')
    (outside / "x.tfvars").write_text("https = false\n")
    status, out, err = run(repo, "scan", "--no-cache", "--fix", "--select", "IG501", "--var-file", "../outside/x.tfvars", ".")
    assert status == 1 and out.startswith("main.tf:6:16: IG501 [high]")
    assert "fixed 0 findings in 0 files; 1 remain" in err
