"""Broken and hostile input: reported per file, never a crash, never a hang, and the
rest of the scan goes on. The tool itself never uses the network, never runs a
program and never writes outside its cache and the requested output."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

from iacguard.cache import FORMAT_VERSION, user_folder
from support import TESTDATA

# (file name, content, expected diagnostic code, line or None, message fragment)
BROKEN = [
    ("empty/Dockerfile", b"", "IG000", 1, "no FROM instruction"),
    ("comments/Dockerfile", b"# nothing but a comment\n", "IG000", 1, "no FROM instruction"),
    ("noFrom/Dockerfile", b"RUN echo hi\n", "IG000", 1, "RUN before the first FROM"),
    ("heredoc/Dockerfile", b"FROM alpine\nRUN <<EOF\necho open\n", "IG000", 2, "never terminated"),
    ("unknown/Dockerfile", b"FROM alpine\nFORM x\n", "IG000", 2, "unknown instruction"),
    ("binary/Dockerfile", b"\x7fELF\x00\x01\x02", "IG001", None, "binary content"),
    ("yaml/truncated.yaml", b"apiVersion: v1\nkind: Pod\nspec:\n  containers: [ {name: a,\n", "IG000", 5, "cannot parse Kubernetes"),
    ("yaml/tabs.yaml", b"apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n", "IG000", 4, "cannot parse Kubernetes"),
    ("yaml/bomb.yaml", b"apiVersion: v1\nkind: Pod\n" + b"".join(b"l%d: &l%d [%s]\n" % (i, i, b", ".join([b"*l%d" % (i - 1)] * 9) if i else b"x, x, x, x, x, x, x, x, x") for i in range(10)), "IG000", None, "after alias expansion"),
    ("yaml/deep.yaml", b"apiVersion: v1\nkind: Pod\nspec: " + b"[" * 20000 + b"]" * 20000 + b"\n", "IG000", None, "cannot parse Kubernetes"),
    ("tf/broken.tf", b'resource "azurerm_linux_web_app" "x" {\n  https_only = \n}\n', "IG000", 2, "cannot parse Terraform"),
    ("tf/truncated.tf", b'resource "azurerm_linux_web_app" "x" {\n  site_config {\n', "IG000", None, "cannot parse Terraform"),
    ("tf/deep.tf", b"locals {\n  x = " + b"[" * 20000 + b"]" * 20000 + b"\n}\n", "IG000", None, "cannot parse Terraform"),
    ("arm/truncated.json", b'{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "resources": [ {"type": \n', "IG000", None, "cannot parse ARM"),
    ("bicep/truncated.bicep", b"resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'a'\n", "IG000", 3, "cannot parse Bicep: unexpected end of file"),
    ("bicep/string.bicep", b"param name string = 'open\nvar x = 1\n", "IG000", 1, "cannot parse Bicep: unterminated string"),
    ("bicep/deep.bicep", b"var x = " + b"{a: " * 20000 + b"1" + b"}" * 20000 + b"\n", "IG000", None, "nested too deeply"),
    ("bicep/interpolations.bicep", b"var x = " + b"'${" * 3000 + b"1" + b"}'" * 3000 + b"\n", "IG000", None, "nested too deeply"),
    ("bicep/binary.bicep", b"\x00\x01resource", "IG001", None, "binary content"),
    ("arm/unclosed.json", b'{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n "a": "\\' + b'"\\' * 200_000, "IG000", None, "cannot parse ARM"),
    ("arm/deep.json", b'{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "variables": {"x": ' + b"[" * 20000 + b"]" * 20000 + b"}}\n", "IG000", None, "cannot parse ARM"),
]

# Valid syntax with the wrong shapes: no crash, no guessing, and an error only where the
# file's analysis cannot complete (a Pod's `containers` that is no list: the API server
# rejects it, and no container is read from it).
ODD_BUT_VALID = [
    ("odd/wrong-types.yaml", "apiVersion: v1\nkind: Pod\nmetadata: null\nspec:\n  containers: nope\n  volumes: [1, null, {hostPath: 3}]\n---\n- a list\n---\njust a scalar\n---\n"),
    ("odd/nulls.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template: null\n"),
    ("odd/items.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - null\n    - name: [x]\n      image: {a: b}\n      securityContext: [1]\n      env: [{name: 1}, {value: x}]\n      ports: [{hostPort: yes}]\n"),
    ("odd/wrong.tf", 'resource "azurerm_linux_web_app" "x" {\n  https_only = [1]\n  site_config = "nope"\n  identity { type = {} }\n}\nresource "azurerm_container_group" "g" {\n  subnet_ids = "x"\n  container {}\n}\n'),
    ("odd/crlf.Dockerfile", "FROM alpine:3.20\r\nUSER 1\r\nEXPOSE 22\r\n"),
    ("odd/wrong.bicep", "var ids = {a: 1}\nresource s 'Microsoft.Web/sites@2022-09-01' = {\n  name: 3\n  properties: 'nope'\n}\nresource v '${ids}' = {}\n"
     "resource g 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = [for id in ids: {\n  properties: {\n    containers: 'nope'\n    subnetIds: {}\n  }\n}]\n"
     "resource t 'Microsoft.Web/sites@2022-09-01' = ids\nresource u '${ids}@1' = {\n  parent: 3\n}\nmodule m '' = {}\n"),
    ("odd/comments.json", '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []' + " /* x */" * 100_000 + "}\n"),
    ("odd/comments.bicep", "var x = 1" + " /* x */" * 200_000 + "\n"),
    ("odd/comments.tf", "locals {\n  x = 1" + " /* x */" * 200_000 + "\n}\n"),
    ("odd/wrong-arm.json", '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "parameters": [1], "variables": "x",\n "resources": [null, 3, {"type": 5}, {"type": "Microsoft.Web/sites", "properties": [], "resources": {"a": null}},\n {"type": "Microsoft.ContainerInstance/containerGroups", "properties": {"containers": "nope", "subnetIds": {}}}]}'),
]


@pytest.fixture
def broken_tree(tmp_path):
    for name, content, *_ in BROKEN:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    for name, text in ODD_BUT_VALID:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "good" / "Dockerfile").parent.mkdir()
    (tmp_path / "good" / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    return tmp_path


def test_every_broken_file_is_reported_and_the_scan_goes_on(cli, broken_tree):
    start = time.perf_counter()
    run = cli("scan", "--format", "json", "--select", "IG304", cwd=broken_tree)
    assert time.perf_counter() - start < 30
    document = json.loads(run.out)
    errors = {error["path"]: error for error in document["errors"]}
    for name, _, code, line, fragment in BROKEN:
        assert name in errors, name
        assert errors[name]["code"] == code and fragment in errors[name]["message"], errors[name]
        if line is not None:
            assert errors[name]["line"] == line, errors[name]
    assert [(f["path"], f["line"]) for f in document["findings"]] == [("good/Dockerfile", 2), ("odd/crlf.Dockerfile", 3)]
    assert [(error["path"], error["line"], error["code"]) for error in document["errors"] if error["path"].startswith("odd/")] == [
        ("odd/wrong-types.yaml", 5, "IG000"),
    ]
    assert run.code == 4  # files whose analysis did not complete fail the run, over the findings


def test_odd_shapes_never_guess(cli, broken_tree):
    document = json.loads(cli("scan", "--format", "json", "--select", "IG202,IG402,IG408,IG501,IG602", "odd", cwd=broken_tree).out)
    assert document["findings"] == []
    assert not any(d["code"] == "IG999" for d in document["errors"] + document["warnings"])


def test_size_limit(cli, tmp_path):
    (tmp_path / "big.yaml").write_text("apiVersion: v1\nkind: ConfigMap\ndata:\n" + "  k: v\n" * 40000)
    (tmp_path / ".iacguard.yaml").write_text("max_file_size: 100000\n")
    document = json.loads(cli("scan", "--format", "json", cwd=tmp_path).out)
    assert document["errors"][0]["path"] == "big.yaml" and "over the" in document["errors"][0]["message"]
    (tmp_path / ".iacguard.yaml").write_text("max_file_size: -1\n")
    assert cli("scan", cwd=tmp_path).code == 2


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads files whatever their mode")
def test_unreadable_files_are_reported(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    (tmp_path / "Dockerfile").chmod(0)
    document = json.loads(cli("scan", "--format", "json", cwd=tmp_path).out)
    assert "cannot read file" in document["errors"][0]["message"]


def test_a_file_that_cannot_be_read_is_reported_and_the_scan_goes_on(cli, tmp_path, monkeypatch):
    """The same as above for any user, root included: the read itself fails."""
    from iacguard import inputs

    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    real_open = os.open

    def open_descriptor(path, *args):
        if os.path.basename(os.path.dirname(path)) == "secret":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args)

    monkeypatch.setattr(inputs.os, "open", open_descriptor)
    document = json.loads(cli("scan", "--format", "json", "--select", "IG304", "--jobs", "1", cwd=tmp_path).out)
    assert [(e["path"], e["message"]) for e in document["errors"]] == [("secret/Dockerfile", "cannot read file: Permission denied")]
    assert [f["path"] for f in document["findings"]] == ["Dockerfile"]


def test_no_network_no_programs(cli, tmp_path, monkeypatch):
    """A full scan of every fixture and every format: nothing dials out, nothing runs."""
    calls = []

    def refuse(name):
        def record(*args, **kwargs):
            calls.append(name)
            raise OSError(f"{name} is not allowed during a scan")
        return record

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(subprocess, "Popen", refuse("subprocess.Popen"))
    for name in ("system", "execv", "execve", "execvp", "spawnv", "posix_spawn"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse(f"os.{name}"))
    # Helm charts are rendered by a process of their own, by design: tests/test_helm.py
    # checks what it is given (an empty environment, a private copy).
    run = cli("scan", "--format", "sarif", "--select", "all", "--jobs", "1", "--exclude", "helm/", "--exclude", "dependents/chart/", "--output", str(tmp_path / "out.sarif"), ".", cwd=TESTDATA)
    assert run.code == 1 and calls == []


def test_writes_only_the_cache_and_the_output(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    tree = tmp_path / "tree"
    shutil.copytree(TESTDATA, tree)

    def snapshot():
        return {str(p.relative_to(tree)): p.stat().st_mtime_ns for p in tree.rglob("*") if p.name != "report.json"}

    before = snapshot()
    cli("scan", "--format", "json", "--output", "report.json", "--select", "all", ".", cwd=tree)
    assert snapshot() == before
    assert (tree / "report.json").is_file() and any(user_folder().glob(f"*/v{FORMAT_VERSION}/entries.sqlite"))  # the cache is the user's
