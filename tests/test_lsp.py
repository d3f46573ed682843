"""`iacguard lsp` driven over stdio by a small JSON-RPC client (`lsp_client`), as an
editor drives it: diagnostics, code actions, hover, debounced and cancelled
analyses, hostile buffers, configuration changes; and Neovim, a real editor, where
it is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra")

from lsp_client import LspClient  # noqa: E402
from support import TESTDATA  # noqa: E402

from iacguard.helm import render  # noqa: E402

DOCKERFILE = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n"
POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: myacr.azurecr.io/web:1.0
"""


@pytest.fixture
def client(tmp_path: Path):
    (tmp_path / ".git").mkdir()  # the scan root
    client = LspClient(str(tmp_path))
    client.initialize(tmp_path.as_uri())
    yield client
    client.close()


def open_document(client: LspClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext", "version": version, "text": text}})
    return uri


def change(client: LspClient, uri: str, text: str, version: int) -> None:
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})


def apply(text: str, edits: list[dict]) -> str:
    """What an editor does with a workspace edit's text edits (UTF-16 columns, all ASCII here)."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        start, end = edit["range"]["start"], edit["range"]["end"]
        before = "\n".join(lines[: start["line"]] + [lines[start["line"]][: start["character"]]])
        after = "\n".join([lines[end["line"]][end["character"]:]] + lines[end["line"] + 1:])
        lines = (before + edit["newText"] + after).split("\n")
    return "\n".join(lines)


def test_diagnostics_fix_suppress_and_hover(client: LspClient, tmp_path: Path):
    path = tmp_path / "Dockerfile"
    path.write_text(DOCKERFILE)
    uri = open_document(client, path, DOCKERFILE)
    diagnostics = client.diagnostics(uri)
    by_code = {d["code"]: d for d in diagnostics}
    assert {"IG305", "IG311"} <= set(by_code)
    cache = by_code["IG305"]
    assert cache["range"] == {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 45}}
    assert cache["codeDescription"]["href"].endswith("/docs/rules/IG305.md")
    assert cache["source"] == "iacguard" and cache["severity"] == 3

    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": cache["range"], "context": {"diagnostics": [cache]}})
    titles = [action["title"] for action in actions]
    assert "Append rm -rf /var/lib/apt/lists/* (IG305)" in titles
    assert "Add --no-install-recommends (IG311, unsafe)" in titles
    fix = next(action for action in actions if action["title"].endswith("(IG305)"))
    assert fix["isPreferred"] is True
    fixed = apply(DOCKERFILE, fix["edit"]["changes"][uri])
    assert fixed == DOCKERFILE.replace("curl\n", "curl && rm -rf /var/lib/apt/lists/*\n")

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 10}})
    assert "IG305 package-cache-left" in hover["contents"]["value"]
    assert "## How to fix" in hover["contents"]["value"]

    suppress = next(action for action in actions if action["title"] == "Suppress IG311 here, with a reason")
    suppressed = apply(fixed, suppress["edit"]["changes"][uri])
    change(client, uri, suppressed, 2)
    codes = [d["code"] for d in client.diagnostics(uri, version=2)]
    assert "IG305" not in codes and "IG311" not in codes


def test_kubernetes_fix_and_yaml_suppression(client: LspClient, tmp_path: Path):
    path = tmp_path / "pod.yaml"
    uri = open_document(client, path, POD)
    escalation = next(d for d in client.diagnostics(uri) if d["code"] == "IG203")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": escalation["range"], "context": {"diagnostics": [escalation]}})
    fix = next(action for action in actions if "allowPrivilegeEscalation" in action["title"])
    assert fix["title"].endswith("(IG203, unsafe)") and fix["isPreferred"] is False
    assert apply(POD, fix["edit"]["changes"][uri]) == POD + "      securityContext:\n        allowPrivilegeEscalation: false\n"
    suppress = next(action for action in actions if action["title"] == "Suppress IG203 here, with a reason")
    change(client, uri, apply(POD, suppress["edit"]["changes"][uri]), 2)
    assert "IG203" not in [d["code"] for d in client.diagnostics(uri, version=2)]


def test_a_compose_finding_is_suppressed_by_the_comment_its_action_writes(client: LspClient, tmp_path: Path):
    text = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"
    uri = open_document(client, tmp_path / "compose.yaml", text)
    privileged = next(d for d in client.diagnostics(uri) if d["code"] == "IG202")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": privileged["range"], "context": {"diagnostics": [privileged]}})
    suppress = next(action for action in actions if action["title"] == "Suppress IG202 here, with a reason")
    suppressed = apply(text, suppress["edit"]["changes"][uri])
    assert suppressed.splitlines()[3].startswith("    # iacguard:ignore IG202 -- ")
    change(client, uri, suppressed, 2)
    assert "IG202" not in [d["code"] for d in client.diagnostics(uri, version=2)]


def test_a_quick_fix_writes_into_a_flow_mapping_through_the_round_trip(client: LspClient, tmp_path: Path):
    text = POD.replace("image: myacr.azurecr.io/web:1.0\n", "image: myacr.azurecr.io/web:1.0\n      securityContext: {runAsUser: 1000}  # kept\n")
    uri = open_document(client, tmp_path / "pod.yaml", text)
    escalation = next(d for d in client.diagnostics(uri) if d["code"] == "IG203")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": escalation["range"], "context": {"diagnostics": [escalation]}})
    fix = next(action for action in actions if "allowPrivilegeEscalation" in action["title"])
    assert apply(text, fix["edit"]["changes"][uri]) == text.replace("{runAsUser: 1000}  #", "{runAsUser: 1000, allowPrivilegeEscalation: false} #")


def escalation_fix(client: LspClient, path: Path) -> tuple[str, dict]:
    """`POD` written and opened at `path`, and the quick fix of its IG203 finding."""
    path.write_text(POD)
    uri = open_document(client, path, POD)
    escalation = next(d for d in client.diagnostics(uri) if d["code"] == "IG203")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": escalation["range"], "context": {"diagnostics": [escalation]}})
    return uri, next(action for action in actions if "allowPrivilegeEscalation" in action["title"])


def test_a_quick_fix_in_a_shared_file_names_the_files_that_use_it(client: LspClient, tmp_path: Path):
    """A Kustomize base's resource changes every overlay built from it: its quick fixes
    say which files share it, and none is preferred (never applied unasked), as
    `iacguard fix` withholds them without `--fix-shared`."""
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "kustomization.yaml").write_text("resources:\n  - pod.yaml\n")
    (tmp_path / "overlays" / "prod").mkdir(parents=True)
    (tmp_path / "overlays" / "prod" / "kustomization.yaml").write_text("resources:\n  - ../../base\n")
    uri, fix = escalation_fix(client, tmp_path / "base" / "pod.yaml")
    assert fix["title"] == "Set allowPrivilegeEscalation: false (IG203, unsafe), in a file shared with base/kustomization.yaml"
    assert fix["isPreferred"] is False
    assert apply(POD, fix["edit"]["changes"][uri]) == POD + "      securityContext:\n        allowPrivilegeEscalation: false\n"


def test_a_quick_fix_names_the_files_that_share_it_as_every_report_does(client: LspClient, tmp_path: Path):
    """Item 7: a name from the repository in a quick fix's title is escaped, as in
    every report: a new line or a text direction override is shown, not obeyed."""
    base = tmp_path / "base\n(reviewed)\u202e"
    base.mkdir()
    (base / "kustomization.yaml").write_text("resources:\n  - pod.yaml\n")
    _, fix = escalation_fix(client, base / "pod.yaml")
    assert fix["title"] == "Set allowPrivilegeEscalation: false (IG203, unsafe), in a file shared with base\\n(reviewed)\\u202e/kustomization.yaml"


def test_a_burst_of_edits_is_analysed_once_at_its_end(client: LspClient, tmp_path: Path):
    path = tmp_path / "Dockerfile"
    uri = open_document(client, path, DOCKERFILE)
    client.diagnostics(uri, version=1)
    for version in range(2, 12):
        change(client, uri, DOCKERFILE.replace("curl", "curl" + " x" * version), version)
    final = "FROM debian:12-slim\nUSER 10001\n"
    change(client, uri, final, 12)
    started = time.monotonic()
    first = None
    while first is None:  # nothing of the superseded versions may arrive
        message = client.notifications.get(timeout=30)
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
            first = message["params"]
    assert first["version"] == 12
    assert [d["code"] for d in first["diagnostics"] if d["code"].startswith("IG3")] == []
    assert time.monotonic() - started < 10


def test_a_module_changed_on_disk_is_read_again_at_the_next_check(client: LspClient, tmp_path: Path):
    """What a check read of other files is forgotten before the next one
    (`ScanContext.forget_reads`): a module edited on disk counts at once."""
    module = "param https bool\nresource web 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'web'\n  properties: {\n    httpsOnly: %s\n  }\n}\n"
    (tmp_path / "web.bicep").write_text(module % "https")
    main = "module web 'web.bicep' = {\n  name: 'web'\n  params: {\n    https: false\n  }\n}\n"
    uri = open_document(client, tmp_path / "main.bicep", main)
    assert [(d["code"], d["range"]["start"]["line"]) for d in client.diagnostics(uri)] == [("IG501", 3)]
    (tmp_path / "web.bicep").write_text(module % "true")
    change(client, uri, main + "\n", 2)
    assert client.diagnostics(uri, version=2) == []


def test_a_kustomize_patch_is_checked_through_its_overlay(client: LspClient, tmp_path: Path):
    """A patch is a fragment of an object: checked alone, it lacked every setting its
    hardened base holds (seven findings the scan does not report). The editor shows
    what `scan --stdin-filename` reports: the overlay built with the buffer, and
    what it finds in the patch, an unsaved sidecar included."""
    from test_fixes import IMAGE_PATCH, kustomize_overlay

    patch = kustomize_overlay(tmp_path)
    uri = open_document(client, patch, IMAGE_PATCH)
    assert client.diagnostics(uri) == []
    sidecar = IMAGE_PATCH.replace("      containers:\n", "      containers:\n        - name: side\n          image: busybox:1.36\n"
                                                      "          securityContext: {privileged: true}\n")
    change(client, uri, sidecar, 2)
    found = [(d["range"]["start"]["line"] + 1, d["code"]) for d in client.diagnostics(uri, version=2)]
    assert sorted(found) == [(10, "IG203"), (10, "IG204"), (10, "IG207"), (10, "IG208"), (10, "IG215"), (12, "IG202")]
    assert patch.read_text() == IMAGE_PATCH


@pytest.mark.skipif(render.find_renderer() is None, reason="no Helm renderer: pip install 'iacguard-lint[helm]'")
def test_a_chart_template_is_checked_through_its_chart(client: LspClient, tmp_path: Path):
    """A template is not a manifest until its chart renders it: the editor's buffer
    is rendered with the chart, and findings stand on the template's lines."""
    (tmp_path / ".iacguard.yaml").write_text("select: [IG202]\n")
    chart = Path(shutil.copytree(TESTDATA / "helm" / "web", tmp_path / "web"))
    template = chart / "templates" / "deployment.yaml"
    text = template.read_text()
    uri = open_document(client, template, text)
    assert client.diagnostics(uri) == []
    change(client, uri, text.replace("privileged: {{ .Values.privileged }}", "privileged: true"), 2)
    # and the values' `allowPrivilegeEscalation: false` beside it is a container the API server rejects
    assert [(d["range"]["start"]["line"] + 1, d["code"]) for d in client.diagnostics(uri, version=2)] == [(23, "IG202"), (22, "IG003")]


def test_neighbours_are_found_wherever_the_server_was_started(tmp_path: Path):
    """Editors start the server from anywhere: a Compose file's `.env` and a
    Terraform module's folder are read from the file's repository, never from the
    server's working directory."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "app").mkdir()
    (repo / "app" / ".env").write_text("TAG=latest\n")
    (repo / "modules" / "web").mkdir(parents=True)
    (repo / "modules" / "web" / "main.tf").write_text('variable "https" { default = false }\n'
                                                      'resource "azurerm_linux_web_app" "this" {\n  https_only = var.https\n}\n')
    (repo / "env").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    client = LspClient(str(elsewhere))
    try:
        client.initialize(repo.as_uri())
        compose = open_document(client, repo / "app" / "compose.yaml", "services:\n  web:\n    image: nginx:${TAG}\n")
        assert "IG101" in [d["code"] for d in client.diagnostics(compose)]
        module = open_document(client, repo / "env" / "main.tf", 'module "web" {\n  source = "../modules/web"\n  https  = true\n}\n')
        assert client.diagnostics(module) == []
    finally:
        client.close()


def test_the_analysis_worker_imports_nothing_from_the_repository(tmp_path: Path):
    """Editors start the server in the repository: the worker it starts must not put
    that folder on its module path, where a planted `yaml.py` (or a plugin's
    `.dist-info`) would be imported in place of the installed one and run."""
    (tmp_path / ".git").mkdir()
    marker = tmp_path / "imported"
    (tmp_path / "yaml.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise ImportError('planted')\n")
    (tmp_path / "planted-1.0.dist-info").mkdir()
    (tmp_path / "planted-1.0.dist-info" / "entry_points.txt").write_text("[iacguard]\nplanted = planted_plugin\n")
    (tmp_path / "planted_plugin.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    client = LspClient(str(tmp_path))
    try:
        client.initialize(tmp_path.as_uri())
        pod = open_document(client, tmp_path / "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n"
                                                            "  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {privileged: true}\n")
        assert "IG202" in [d["code"] for d in client.diagnostics(pod)]
    finally:
        client.close()
    assert not marker.exists()


def test_outside_a_work_tree_the_workspace_folder_is_the_root(tmp_path: Path):
    """With no git work tree, the workspace folder the editor opened is the root: its
    configuration applies to a file in a subfolder, and a sibling module is inside."""
    (tmp_path / ".iacguard.yaml").write_text("ignore: [IG101]\n")
    (tmp_path / "modules" / "web").mkdir(parents=True)
    (tmp_path / "modules" / "web" / "main.tf").write_text('variable "https" { default = false }\n'
                                                          'resource "azurerm_linux_web_app" "this" {\n  https_only = var.https\n}\n')
    (tmp_path / "env").mkdir()
    (tmp_path / "app").mkdir()
    client = LspClient(str(tmp_path))
    try:
        client.initialize(tmp_path.as_uri())
        dockerfile = open_document(client, tmp_path / "app" / "Dockerfile", "FROM ubuntu:latest\nUSER 10001\n")
        assert "IG101" not in [d["code"] for d in client.diagnostics(dockerfile)]
        module = open_document(client, tmp_path / "env" / "main.tf", 'module "web" {\n  source = "../modules/web"\n  https  = true\n}\n')
        assert client.diagnostics(module) == []
    finally:
        client.close()


def test_a_hostile_buffer_does_not_freeze_the_server(client: LspClient, tmp_path: Path):
    deep = "a: " + "[" * 50_000 + "]" * 50_000 + "\n" + "b: " + "x" * 3_000_000 + "\n"
    hostile = open_document(client, tmp_path / "deep.yaml", "apiVersion: v1\nkind: ConfigMap\n" + deep)
    started = time.monotonic()
    client.request("textDocument/hover", {"textDocument": {"uri": hostile}, "position": {"line": 0, "character": 0}}, timeout=5)
    assert time.monotonic() - started < 5
    other = open_document(client, tmp_path / "Dockerfile", DOCKERFILE)
    assert "IG305" in [d["code"] for d in client.diagnostics(other, timeout=60)]


def test_configuration_changes_are_picked_up(client: LspClient, tmp_path: Path):
    path = tmp_path / "Dockerfile"
    uri = open_document(client, path, DOCKERFILE)
    assert "IG311" in [d["code"] for d in client.diagnostics(uri)]
    (tmp_path / ".iacguard.yaml").write_text("ignore: [IG311]\n")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": (tmp_path / ".iacguard.yaml").as_uri(), "type": 1}]})
    assert "IG311" not in [d["code"] for d in client.diagnostics(uri)]


def test_a_saved_configuration_is_picked_up_without_file_watching(client: LspClient, tmp_path: Path):
    """A client that does not watch files for the server says only that the
    configuration file was saved; the next check reads it again."""
    uri = open_document(client, tmp_path / "Dockerfile", DOCKERFILE)
    assert "IG311" in [d["code"] for d in client.diagnostics(uri)]
    config = tmp_path / ".iacguard.yaml"
    config.write_text("ignore: [IG311]\n")
    config_uri = open_document(client, config, config.read_text())
    client.notify("textDocument/didSave", {"textDocument": {"uri": config_uri}})
    change(client, uri, DOCKERFILE + "\n", 2)
    assert "IG311" not in [d["code"] for d in client.diagnostics(uri, version=2)]


def test_a_new_file_outside_the_workspace_in_a_folder_not_made_yet_is_checked(client: LspClient, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "not-made" / "Dockerfile"
    uri = open_document(client, outside, DOCKERFILE)
    codes = [d["code"] for d in client.diagnostics(uri)]
    assert "IG311" in codes and "IG999" not in codes


def test_a_buffer_over_the_size_limit_is_not_checked(client: LspClient, tmp_path: Path):
    (tmp_path / ".iacguard.yaml").write_text("max_file_size: 1000\n")
    uri = open_document(client, tmp_path / "Dockerfile", DOCKERFILE + "# padding\n" * 200)
    diagnostics = client.diagnostics(uri)
    assert [d["code"] for d in diagnostics] == ["IG001"]


NEOVIM_SCRIPT = """
local client_id = vim.lsp.start_client({
  cmd = {PYTHON, '-m', 'iacguard', 'lsp'},
  root_dir = ROOT,
})
vim.cmd('edit ' .. FILE)
vim.lsp.buf_attach_client(0, client_id)
vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, d.code or d.user_data.lsp.code, d.message))
end
vim.fn.writefile(lines, OUT)
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (apt-get install neovim)")
def test_neovim_receives_the_diagnostics(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    path = tmp_path / "Dockerfile"
    path.write_text(DOCKERFILE)
    out = tmp_path / "diagnostics.txt"
    script = tmp_path / "attach.lua"
    values = {"PYTHON": sys.executable, "ROOT": str(tmp_path), "FILE": str(path), "OUT": str(out)}
    script.write_text("".join(f"local {name} = {value!r}\n".replace("'", '"') for name, value in values.items()) + NEOVIM_SCRIPT)
    subprocess.run(["nvim", "--headless", "--clean", "-u", "NONE", "-c", f"luafile {script}"], cwd=tmp_path, timeout=90,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    lines = out.read_text().splitlines()
    assert any(line.startswith("2:5 IG305 ") for line in lines), lines


POD_JSON = """{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "web",
    "namespace": "shop"
  },
  "spec": {
    "containers": [{"name": "web", "image": "myacr.azurecr.io/web:1.0"}]
  }
}
"""


def test_kubernetes_json_is_suppressed_with_the_annotation(client: LspClient, tmp_path: Path):
    uri = open_document(client, tmp_path / "pod.json", POD_JSON)
    escalation = next(d for d in client.diagnostics(uri) if d["code"] == "IG203")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": escalation["range"], "context": {"diagnostics": [escalation]}})
    suppress = next(action for action in actions if action["title"] == "Suppress IG203 here, with a reason")
    suppressed = apply(POD_JSON, suppress["edit"]["changes"][uri])
    assert suppressed == POD_JSON.replace('  "metadata": {\n', '  "metadata": {\n    "annotations": {\n'
                                          '      "iacguard.io/ignore": "IG203",\n'
                                          '      "iacguard.io/ignore-reason": "TODO: say why this is acceptable here"\n    },\n')
    change(client, uri, suppressed, 2)
    assert "IG203" not in [d["code"] for d in client.diagnostics(uri, version=2)]


def test_a_related_file_is_read_through_the_input_door(tmp_path: Path):
    """A related location's lines (for its UTF-16 columns) come from a file inside
    the root only, as every other read of scanned input."""
    from iacguard.lsp.analysis import _lines_of

    outside = tmp_path / "outside.tf"
    outside.write_text("secret = 1\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text("a = 1\n")
    (root / "link.tf").symlink_to(outside)
    assert _lines_of(root / "main.tf", root, 1 << 20) == ["a = 1", ""]
    assert _lines_of(root / "link.tf", root, 1 << 20) == []
    assert _lines_of(root / "main.tf", root, 3) == []


def codes_at(analysis: dict) -> list[tuple[int, str]]:
    return sorted((d["range"]["start"]["line"] + 1, d["code"]) for d in analysis["diagnostics"])


def analysed(root: Path, relative: str, text: str | None = None) -> list[tuple[int, str]]:
    """The diagnostics of a file's buffer (its text on disk unless given), from a
    language server's analysis of it in the repository at `root`."""
    from iacguard.lsp.analysis import Analyser

    path = root / relative
    return codes_at(Analyser().analyse(path, path.read_text() if text is None else text))


def scanned(cli, root: Path, relative: str, text: str | None = None) -> list[tuple[int, str]]:
    """The findings `iacguard scan --stdin-filename` reports in the file."""
    path = root / relative
    run = cli("scan", "--no-cache", "--format", "json", "--stdin-filename", relative, "-", cwd=root, stdin=path.read_text() if text is None else text)
    return sorted((f["line"], f["rule"]) for f in json.loads(run.out)["findings"] if f["path"] == relative and not f.get("suppression"))


def test_a_value_a_sibling_uses_is_judged_in_its_own_buffer(cli, tmp_path: Path):
    """A Terraform variable's default is used by a resource in another file of the
    folder: the scan reports the literal secret at the default, and so does the
    editor's buffer of the variables file (it showed nothing: the file was checked
    alone, and the sibling's finding was dropped as another file's)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text(
        'resource "azurerm_linux_virtual_machine" "vm" {\n  name = "vm"\n  admin_username = "azureuser"\n'
        '  admin_password = var.admin_password\n  disable_password_authentication = false\n}\n')
    (tmp_path / "variables.tf").write_text('variable "admin_password" {\n  default = "P@ssw0rd1234!"\n}\n')
    assert ("IG214" in dict((code, line) for line, code in scanned(cli, tmp_path, "variables.tf")))
    assert analysed(tmp_path, "variables.tf") == scanned(cli, tmp_path, "variables.tf")
    assert (2, "IG214") in analysed(tmp_path, "variables.tf")


def test_a_module_file_is_judged_through_its_callers_as_the_scan_judges_it(cli, tmp_path: Path):
    """A module's file in the editor stands where the scan puts its findings: a value
    its caller leaves to the default is reported at the default (the editor put it at
    the resource's line, where a suppression written from the editor did not cover
    the scan's finding)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "site.bicep").write_text(
        "param httpsOnly bool = false\n\nresource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'site'\n  location: 'westeurope'\n"
        "  properties: {\n    httpsOnly: httpsOnly\n  }\n}\n")
    (tmp_path / "main.bicep").write_text("module site './modules/site.bicep' = {\n  name: 'site'\n}\n")
    expected = scanned(cli, tmp_path, "modules/site.bicep")
    assert (1, "IG501") in expected
    assert analysed(tmp_path, "modules/site.bicep") == expected


def test_the_editor_renders_a_chart_with_the_configs_value_sets(tmp_path: Path):
    """`helm_value_sets` in the config: a value set that makes a container privileged
    is rendered for the editor's buffer as for the scan (it rendered the chart's own
    values only)."""
    if render.find_renderer() is None:
        pytest.skip("no Helm renderer: pip install 'iacguard-lint[helm]'")
    (tmp_path / ".git").mkdir()
    shutil.copytree(TESTDATA / "helm" / "web", tmp_path / "web")
    (tmp_path / "web" / "prod.yaml").write_text("privileged: true\n")
    (tmp_path / ".iacguard.yaml").write_text("select: [IG202]\nhelm_value_sets:\n  web: [[web/prod.yaml]]\n")
    # with the values' `allowPrivilegeEscalation: false`, a container the API server rejects
    assert analysed(tmp_path, "web/templates/deployment.yaml") == [(22, "IG003"), (23, "IG202")]


def test_each_folder_s_config_applies_whichever_file_was_opened_first(tmp_path: Path):
    """The language server made one checker per repository from the first file it
    was asked about, whose nearest config then applied to every file."""
    from iacguard.lsp.analysis import Analyser

    (tmp_path / ".git").mkdir()
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / ".iacguard.yaml").write_text("ignore: [IG201]\n")
    text = "FROM debian:12-slim\n"
    analyser = Analyser()
    assert "IG201" not in [code for _, code in codes_at(analyser.analyse(tmp_path / "legacy" / "Dockerfile", text))]
    assert "IG201" in [code for _, code in codes_at(analyser.analyse(tmp_path / "Dockerfile", text))]


def test_an_excluded_file_s_buffer_is_passed_over_as_the_file(cli, tmp_path: Path):
    """`exclude` in the config: the file named is skipped, and so is its buffer, from
    standard input and in the editor (both checked it)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".iacguard.yaml").write_text("exclude: [vendor/]\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "Dockerfile").write_text("FROM debian\n")
    run = cli("scan", "--no-cache", "--stdin-filename", "vendor/Dockerfile", "-", cwd=tmp_path, stdin="FROM debian\n")
    assert (run.code, run.out) == (0, "No findings in 0 files.\n")
    assert analysed(tmp_path, "vendor/Dockerfile") == []


def test_the_editor_shows_what_the_report_shows(cli, tmp_path: Path):
    """The config's baseline and `min_severity` decide what a scan's report shows;
    the editor showed every finding."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\nEXPOSE 22\n")
    assert analysed(tmp_path, "Dockerfile") == [(1, "IG201"), (2, "IG305"), (2, "IG311"), (3, "IG304")]
    assert cli("scan", "--no-cache", "--select", "IG201", "--write-baseline", "baseline.json", cwd=tmp_path).code == 0
    (tmp_path / ".iacguard.yaml").write_text("baseline: baseline.json\nmin_severity: medium\n")
    assert analysed(tmp_path, "Dockerfile") == [(3, "IG304")]  # IG201 recorded; IG305 and IG311 low


def test_a_template_that_does_not_render_is_told_at_its_line(tmp_path: Path):
    """A template's syntax error stops its chart's render: the chart's diagnostic,
    in the editor's buffer of the template, stands on the template's line (it stood
    on the first line)."""
    if render.find_renderer() is None:
        pytest.skip("no Helm renderer: pip install 'iacguard-lint[helm]'")
    (tmp_path / ".git").mkdir()
    shutil.copytree(TESTDATA / "helm" / "web", tmp_path / "web")
    template = tmp_path / "web" / "templates" / "deployment.yaml"
    broken = template.read_text().replace("privileged: {{ .Values.privileged }}", "privileged: {{ .Values.privileged")
    assert analysed(tmp_path, "web/templates/deployment.yaml", broken) == [(24, "IG008")]  # where Helm noticed: the next line


def test_a_patch_that_does_not_parse_is_told_at_its_line(tmp_path: Path):
    """A patch's YAML error makes its overlay's build incomplete (IG005 on the
    kustomization): in the editor's buffer of the patch it stands where the error
    is (it stood on the first line)."""
    from test_fixes import IMAGE_PATCH, kustomize_overlay

    kustomize_overlay(tmp_path)
    broken = IMAGE_PATCH.replace("  template:\n", "  template:\n    spec: [\n")
    assert analysed(tmp_path, "overlay/patch.yaml", broken) == [(10, "IG005")]
