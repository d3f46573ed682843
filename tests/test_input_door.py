"""Every file iacguard reads comes through one door (`iacguard.inputs`): regular
files only, opened without blocking, at most `max_file_size` bytes counted while
reading, and a dependency only inside the scan root. A refused file is a diagnostic
for that file (IG001, or IG005 for the file that depends on it), the run exits 4,
and the other files are reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iacguard import inputs

IACGUARD = Path(sys.executable).parent / "iacguard"
WEB_APP = 'resource "azurerm_linux_web_app" "app" {\n  name       = "app"\n  https_only = false\n}\n'


def scan(cli, cwd: Path, *paths: str) -> tuple[int, dict]:
    run = cli("scan", "--format", "json", "--select", "IG304,IG501", *paths, cwd=cwd)
    return run.code, json.loads(run.out)


def errors(document: dict) -> list[tuple[str, str, str]]:
    return sorted((e["path"], e["code"], e["message"]) for e in document["errors"])


def test_special_files_named_on_the_command_line_are_refused_without_blocking(cli, tmp_path):
    os.mkfifo(tmp_path / "Dockerfile")  # D01: a reader that opens it would wait for a writer forever
    (tmp_path / "main.tf").symlink_to("/dev/zero")  # D02: endless content with a size of 0
    (tmp_path / "urandom.Dockerfile").symlink_to("/dev/urandom")
    (tmp_path / "ok.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    code, document = scan(cli, tmp_path, "Dockerfile", "main.tf", "urandom.Dockerfile", "ok.Dockerfile")
    assert code == 4
    assert errors(document) == [
        ("Dockerfile", "IG001", "not a regular file"),
        ("main.tf", "IG001", "not a regular file"),
        ("urandom.Dockerfile", "IG001", "not a regular file"),
    ]
    assert [f["path"] for f in document["findings"]] == ["ok.Dockerfile"]


def test_the_size_limit_is_counted_while_reading(tmp_path):
    """A file that reports one size and holds more (a device, a file that grows) is
    cut off at the limit, never read to its end."""
    (tmp_path / "small").write_bytes(b"x" * 10)
    assert inputs.read_bytes(tmp_path / "small", 10) == b"x" * 10
    with pytest.raises(inputs.Refused, match=r"^file is 10 bytes, over the 9 bytes limit \(max_file_size\)$"):
        inputs.read_bytes(tmp_path / "small", 9)
    (tmp_path / "link").symlink_to(tmp_path / "small")
    with pytest.raises(inputs.Refused, match="outside the scan root"):
        inputs.read_bytes(tmp_path / "link", 100, root=tmp_path / "elsewhere")


def test_dependencies_are_refused_outside_the_root_and_when_special(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "site.bicep").write_text("resource s 'Microsoft.Web/sites@2022-09-01' = {\n  name: 's'\n}\n")
    (tmp_path / "main.bicep").write_text(f"module m '{outside}/site.bicep' = {{\n  name: 'm'\n}}\nmodule f 'fifo.bicep' = {{\n  name: 'f'\n}}\n")
    os.mkfifo(tmp_path / "fifo.bicep")
    (tmp_path / "app.json").write_text(json.dumps({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "parameters": {"https": {"type": "bool", "defaultValue": True}},
        "resources": [{"type": "Microsoft.Web/sites", "name": "a", "properties": {"httpsOnly": "[parameters('https')]"}}],
    }))
    os.mkfifo(tmp_path / "app.parameters.json")
    code, document = scan(cli, tmp_path, "main.bicep", "app.json")
    assert code == 4
    assert errors(document) == [
        ("app.json", "IG005", "depends on app.parameters.json, which was refused: not a regular file"),
        ("main.bicep", "IG005", f"depends on {outside}/site.bicep, which was refused: outside the scan root"),
        ("main.bicep", "IG005", "depends on fifo.bicep, which was refused: not a regular file"),
    ]


def test_names_and_content_that_are_not_utf8_never_abort_the_scan(tmp_path):
    """D05: a file name with invalid UTF-8 bytes; D06: lone surrogates in ARM and Bicep
    strings. Every output format is written, escaped, and the other files reported."""
    (tmp_path / os.fsdecode(b"bad\xff\xfe.Dockerfile")).write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "ok.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "t.json").write_text('{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", '
                                      '"resources": [{"type": "Microsoft.Web/sites", "name": "s\\ud800"}]}\n')
    (tmp_path / "m.bicep").write_text("resource s 'Microsoft.Web/sites@2022-09-01' = {\n  name: 's\\u{D800}'\n}\n")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("IACGUARD_")} | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for output in ("text", "json", "sarif", "github", "junit"):
        for cache in ((), ("--no-cache",)):
            run = subprocess.run([IACGUARD, "scan", *cache, "-f", output, "--select", "IG304,IG501", "."], cwd=tmp_path,
                                 capture_output=True, env=environment, timeout=60)
            assert run.returncode == 1 and run.stderr == b"", (output, run.stderr)
            assert b"ok.Dockerfile" in run.stdout and b"bad" in run.stdout and b"m.bicep" in run.stdout, output


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path):
    """D18: `iacguard rules | head -1`, `iacguard scan | head -1`: no traceback, no
    internal error, and the exit status is the run's own."""
    for index in range(200):
        (tmp_path / f"f{index}.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("IACGUARD_")} | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for command, status in ((["rules"], 0), (["scan", "--no-cache", "."], 1), (["scan", "--no-cache", "-f", "sarif", "."], 1)):
        pipeline = f"{IACGUARD} {' '.join(command)} | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}"
        run = subprocess.run(["bash", "-c", pipeline], cwd=tmp_path, capture_output=True, text=True, env=environment, timeout=60)
        assert (run.stdout, run.stderr) == (f"{status}\n", ""), command


def test_terraform_siblings_modules_and_var_files_come_through_the_door(cli, tmp_path):
    """D03 and D04 for Terraform: a FIFO sibling, a module file that is /dev/zero, a
    var file over `max_file_size` and one linked out of the repository. Each makes its
    caller incomplete; none is read, none hangs, and other folders are reported."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".iacguard.yaml").write_text("max_file_size: 2000\nselect: [IG501]\n")
    for folder in ("fifo", "module", "big", "leak", "good"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(WEB_APP)
    os.mkfifo(tmp_path / "fifo" / "zz.tf")
    (tmp_path / "module" / "main.tf").write_text(WEB_APP + 'module "m" {\n  source = "./m"\n}\n')
    (tmp_path / "module" / "m").mkdir()
    (tmp_path / "module" / "m" / "zero.tf").symlink_to("/dev/zero")
    (tmp_path / "big" / "terraform.tfvars").write_text("".join(f'k{index} = "value-{index}"\n' for index in range(200)))
    secret = tmp_path.parent / f"{tmp_path.name}-secret.tfvars"
    secret.write_text('name = "topsecret"\n')
    (tmp_path / "leak" / "terraform.tfvars").symlink_to(secret)
    run = cli("scan", "--format", "json", ".", cwd=tmp_path)
    document = json.loads(run.out)
    assert run.code == 4
    assert errors(document) == [
        ("big/main.tf", "IG005", "depends on big/terraform.tfvars, which was refused: file is 3,580 bytes, over the 2,000 bytes limit (max_file_size)"),
        ("fifo/main.tf", "IG005", "depends on fifo/zz.tf, which was refused: not a regular file"),
        ("fifo/zz.tf", "IG001", "not a regular file"),
        ("leak/main.tf", "IG005", "depends on leak/terraform.tfvars, which was refused: outside the scan root"),
        ("module/m/zero.tf", "IG001", "symbolic link leads outside the scan root"),
        ("module/main.tf", "IG005", "depends on module/m/zero.tf, which was refused: outside the scan root"),
    ]
    assert "good/main.tf" in {f["path"] for f in document["findings"]}
    assert "topsecret" not in run.out


def test_files_named_on_the_command_line_are_read_wherever_they_are_the_configs_are_not(cli, tmp_path):
    """`--var-file` and `--param-file` are the user's; the config's var and parameter
    files are written by the repository, so they stay inside the scan root."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    outside.mkdir()
    (outside / "insecure.tfvars").write_text("https = false\n")
    (outside / "insecure.parameters.json").write_text(json.dumps({"parameters": {"https": {"value": False}}}))
    (repo / "main.tf").write_text('variable "https" {\n  default = true\n}\nresource "azurerm_linux_web_app" "app" {\n  https_only = var.https\n}\n')
    (repo / "app.json").write_text(json.dumps({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "parameters": {"https": {"type": "bool", "defaultValue": True}},
        "resources": [{"type": "Microsoft.Web/sites", "name": "a", "properties": {"httpsOnly": "[parameters('https')]"}}],
    }))
    named = cli("scan", "--select", "IG501", "--var-file", "../outside/insecure.tfvars", "--param-file", "../outside/insecure.parameters.json", cwd=repo)
    assert named.code == 1 and [line.split(" IG501")[0] for line in named.lines[:-1]] == ["app.json:1:248:", "main.tf:5:16:"]
    (repo / ".iacguard.yaml").write_text("terraform_var_files: [../outside/insecure.tfvars]\narm_parameter_files: [../outside/insecure.parameters.json]\nselect: [IG501]\n")
    code, document = scan(cli, repo, ".")
    assert code == 4 and document["findings"] == []
    assert errors(document) == [
        ("app.json", "IG005", f"depends on {outside}/insecure.parameters.json, which was refused: outside the scan root"),
        ("main.tf", "IG005", f"depends on {outside}/insecure.tfvars, which was refused: outside the scan root"),
    ]


def test_a_cached_result_belongs_to_the_file_where_it_is(cli, tmp_path, monkeypatch):
    """The same file at the same relative path, scanned from two working directories
    of one repository, has different siblings: the second scan must not reuse the
    first one's result."""
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    (tmp_path / ".git").mkdir()
    resource = 'resource "azurerm_linux_web_app" "app" {\n  https_only = var.https\n}\n'
    for folder, default in (("m", "true"), ("y/m", "false")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text(resource)
        (tmp_path / folder / "vars.tf").write_text(f'variable "https" {{\n  default = {default}\n}}\n')
    assert cli("scan", "--select", "IG501", "m/main.tf", cwd=tmp_path).code == 0
    assert cli("scan", "--select", "IG501", "m/main.tf", cwd=tmp_path / "y").code == 1


def test_hook_file_names_come_from_the_repository_and_stay_inside_it(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    secret = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    secret.write_text("password = hunter2\n")
    (tmp_path / "evil.tf").symlink_to(secret)
    run = cli("scan", "--hook", "--", "evil.tf", cwd=tmp_path)
    assert run.code == 4 and run.lines[0] == "evil.tf: IG001 [error] outside the scan root"
    assert "hunter2" not in run.out


def test_scan_roots_of_many_folders_are_those_of_each(tmp_path):
    """The shared climb gives each folder the root `find_scan_root` gives it alone: the
    nearest work tree above, or the folder itself outside any."""
    from iacguard.inputs import find_scan_root, scan_roots

    (tmp_path / "outer" / ".git").mkdir(parents=True)
    (tmp_path / "outer" / "inner" / ".git").mkdir(parents=True)
    folders = [tmp_path / "outer" / "a" / "b", tmp_path / "outer" / "inner" / "c", tmp_path / "outer" / "a", tmp_path / "loose" / "d"]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    assert scan_roots(folders) == {str(tmp_path / "outer"), str(tmp_path / "outer" / "inner"), str(tmp_path / "loose" / "d")}
    assert [find_scan_root(folder) for folder in folders] == [tmp_path / "outer", tmp_path / "outer" / "inner", tmp_path / "outer", tmp_path / "loose" / "d"]


def test_the_scan_root_of_files_is_that_of_their_folders_however_they_are_named(tmp_path):
    """`cli._scan_root` takes a file's folder from its name as given (`.` and `..`
    parts included), and a folder given as it is."""
    from iacguard.cli import _scan_root

    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "a" / "b").mkdir(parents=True)
    (tmp_path / "loose").mkdir()
    for name in ("repo/a/b/f.tf", "repo/a/e.tf", "loose/g.tf", "top.tf"):
        (tmp_path / name).write_text("")
    here = tmp_path / "repo" / "a"
    assert _scan_root(None, here, ["b/../b/f.tf", "./b/f.tf", "e.tf"], set()) == tmp_path / "repo"
    assert _scan_root(None, here, ["../../loose/g.tf"], set()) == tmp_path / "loose"
    assert _scan_root(None, here, ["../../loose/./g.tf", "b/f.tf"], set()) == tmp_path
    assert _scan_root(None, tmp_path, ["top.tf"], set()) == tmp_path
    assert _scan_root(None, tmp_path, ["loose/..", "top.tf"], {"loose/.."}) == tmp_path


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_wide_text_with_its_byte_order_mark_is_read(cli, tmp_path, codec):
    """Windows PowerShell 5 writes `>` output as UTF-16 with a BOM: such a manifest was
    told by no format, and skipped without a word."""
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: a:1\n      securityContext: {privileged: true}\n"
    data = text.encode(codec)
    (tmp_path / "pod.yaml").write_bytes(data if codec != "utf-16-be" else b"\xfe\xff" + data)
    run = cli("scan", "--no-cache", "--select", "IG202", "pod.yaml", cwd=tmp_path)
    assert run.lines[0].startswith("pod.yaml:8:37: IG202")
    assert cli("fix", "pod.yaml", cwd=tmp_path).code == 1 and (tmp_path / "pod.yaml").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")


def test_binary_content_behind_a_byte_order_mark_is_refused(cli, tmp_path):
    (tmp_path / "Dockerfile").write_bytes(b"\xff\xfe" + "FROM alpine:3.20\n".encode("utf-16-le") + b"\x00\x00" * 50)
    run = cli("scan", "--no-cache", "Dockerfile", cwd=tmp_path)
    assert run.code == 4 and "binary content, not a text file" in run.out


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_reference_climbs_from_the_real_folder_and_keeps_its_written_path_where_that_names_it(tmp_path, monkeypatch):
    """As kustomize and Terraform find a path a file names: the folder's links are
    resolved, the reference's own `..` is text."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envs" / "prod" / "sub").mkdir(parents=True)
    (tmp_path / "live").symlink_to("envs/prod", target_is_directory=True)
    assert inputs.from_real_folder("envs/prod", "../modules/web") == os.path.join("envs", "modules", "web")
    assert inputs.from_real_folder("live", "./base") == os.path.join("live", "base")  # below the link: its name leads there
    assert inputs.from_real_folder("live", "../modules/web") == os.path.join("envs", "modules", "web")
    assert inputs.from_real_folder("live/sub", "../../x") == os.path.join("envs", "x")
    assert inputs.from_real_folder("live", "sub/../../x") == os.path.join("envs", "x")  # the reference itself is text: `sub/..` cancels
    assert inputs.from_real_folder(str(tmp_path / "live"), "../x") == str(tmp_path / "envs" / "x")
