"""Terraform's JSON syntax (`.tf.json`): templates, blocks told from maps by the
normaliser's table, positions; and every Terraform fixture read again as JSON."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from iacguard.evaluators.terraform import module_scope
from iacguard.normalizers.terraform import is_block
from iacguard.parsers.terraform_json import read
from iacguard.parsers import positional_json
from iacguard.parsers.hcl import Literal, ObjectExpr, Opaque, Template, Traversal, TupleExpr, parse
from iacguard.testing import fixtures
from support import TESTDATA

def tf_json(document: dict):
    return read(positional_json.parse(json.dumps(document, indent=2)), is_block)


AT = (3, 10, 3, 10)  # where `"x": ...` puts the value in `{"locals": {"x": ...}}`


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", Literal(*AT, value="plain")),
        ("${var.x}", Traversal(*AT, root="var", steps=["x"])),  # one interpolation: its value, whatever its type
        ('say "hi" \\ $${not} %%{this}', Literal(*AT, value='say "hi" \\ ${not} %{this}')),  # only $${ and %%{ are escapes
        ("${", Opaque(*AT, text="${")),
        ("%{ if true }x%{ endif }", Opaque(*AT, text="%{ if true }x%{ endif }")),
    ],
)
def test_a_json_string_is_a_template_placed_where_the_string_is(text, expected):
    assert tf_json({"locals": {"x": text}}).body.blocks[0].body.attributes["x"].value == expected


def test_a_template_with_text_and_interpolations_is_a_string():
    value = tf_json({"locals": {"x": "a-${var.x}-b"}}).body.blocks[0].body.attributes["x"].value
    assert isinstance(value, Template) and (value.line, value.column) == AT[:2]
    assert [part if isinstance(part, str) else (part.root, part.steps) for part in value.parts] == ["a-", ("var", ["x"]), "-b"]


def test_blocks_and_maps_are_told_apart_by_the_resource_type():
    app = {"site_config": {"ftps_state": "AllAllowed"}, "app_settings": {"site_config": "a map key, not a block"}, "tags": {"a": "b"}}
    body = tf_json({"resource": {"azurerm_linux_web_app": {"web": app}}}).body.blocks[0].body
    assert [block.type for block in body.blocks] == ["site_config"]
    assert sorted(body.attributes) == ["app_settings", "tags"]
    assert isinstance(body.attributes["app_settings"].value, ObjectExpr)


def test_labels_and_blocks_written_as_arrays_keep_their_order():
    document = {"resource": [
        {"azurerm_container_group": {"group": {"container": [{"name": "a"}, {"name": "b"}], "lifecycle": {"prevent_destroy": True}}}},
        {"azurerm_key_vault": {"vault": {"//": "a comment"}}},
    ]}
    blocks = tf_json(document).body.blocks
    assert [(block.labels, block.line) for block in blocks] == [(["azurerm_container_group", "group"], 5), (["azurerm_key_vault", "vault"], 22)]
    containers = blocks[0].body.blocks
    assert [(c.type, c.body.attributes["name"].value.value, c.line) for c in containers] == [("container", "a", 7), ("container", "b", 10)]
    assert blocks[0].body.attributes == {} and blocks[1].body.attributes == {}  # meta-arguments and comments are no settings


def test_variables_are_literal_and_dynamic_blocks_are_blocks():
    document = {
        "variable": {"tls": {"default": "${not a template}", "type": "string"}},
        "locals": {"name": "app-${var.tls}"},
        "module": {"m": {"source": "./m${x}", "input": "${local.name}"}},
        "resource": {"azurerm_linux_web_app": {"web": {"site_config": {"dynamic": {"ip_restriction": {
            "for_each": "${var.rules}", "content": {"ip_address": "${ip_restriction.value}"}}}}}}},
        "output": {"o": {"value": "${var.tls}"}},
    }
    variable, local, module, resource = tf_json(document).body.blocks
    assert variable.body.attributes["default"].value.value == "${not a template}" and list(variable.body.attributes) == ["default", "type"]
    assert variable.body.attributes["type"].value.root == "string"  # a type expression, read as in HCL
    assert isinstance(local.body.attributes["name"].value, Template)
    assert module.body.attributes["source"].value.value == "./m${x}" and isinstance(module.body.attributes["input"].value, Traversal)
    (dynamic,) = resource.body.blocks[0].body.blocks
    assert (dynamic.type, dynamic.labels, [block.type for block in dynamic.body.blocks]) == ("dynamic", ["ip_restriction"], ["content"])
    assert isinstance(dynamic.body.attributes["for_each"].value, Traversal)


def test_a_tf_json_file_is_scanned_with_its_lines_and_its_tf_siblings(cli, tmp_path):
    (tmp_path / "variables.tf").write_text('variable "tls" {\n  default = "1.0"\n}\n')
    app = {"https_only": False, "site_config": [{"minimum_tls_version": "${var.tls}"}]}
    (tmp_path / "main.tf.json").write_text(json.dumps({"resource": {"azurerm_linux_web_app": {"web": app}}}, indent=2))
    run = cli("scan", "--no-cache", "--select", "IG501,IG502", "main.tf.json", cwd=tmp_path)
    assert run.code == 1
    assert run.lines[:2] == [
        "main.tf.json:5:23: IG501 [high] https_only is false, so the app also serves plain HTTP (azurerm_linux_web_app.web)",
        "main.tf.json:8:36: IG502 [high] site_config.minimum_tls_version is 1.0, so clients can connect with TLS older than 1.2 (azurerm_linux_web_app.web)",
    ]


def test_tf_and_tf_json_files_make_one_module(cli, tmp_path):
    """Variables in a `.tf.json` file reach the `.tf` files beside it, and a local
    module may be written in JSON."""
    (tmp_path / "variables.tf.json").write_text(json.dumps({"variable": {"https": {"default": False}}}))
    (tmp_path / "main.tf").write_text('module "vault" {\n  source = "./vault"\n}\n\nresource "azurerm_linux_web_app" "web" {\n  https_only = var.https\n}\n')
    (tmp_path / "vault").mkdir()
    vault = {"resource": {"azurerm_key_vault": {"kv": {"purge_protection_enabled": False}}}}
    (tmp_path / "vault" / "main.tf.json").write_text(json.dumps(vault, indent=2))
    run = cli("scan", "--no-cache", "--select", "IG501,IG901", "main.tf", cwd=tmp_path)
    assert run.lines[:2] == [
        "main.tf:6:16: IG501 [high] https_only is false, so the app also serves plain HTTP (azurerm_linux_web_app.web)",
        "vault/main.tf.json:5:37: IG901 [medium] purge_protection_enabled is false, so deleted keys and secrets can be purged at once (module.vault.azurerm_key_vault.kv)",
    ]


def test_a_changed_tf_json_file_checks_the_tf_files_that_use_it(cli, tmp_path):
    (tmp_path / "variables.tf.json").write_text(json.dumps({"variable": {"https": {"default": False}}}))
    (tmp_path / "main.tf").write_text('resource "azurerm_linux_web_app" "web" {\n  https_only = var.https\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG501", "variables.tf.json", cwd=tmp_path)
    assert run.lines[0] == "main.tf:2:16: IG501 [high] https_only is false, so the app also serves plain HTTP (azurerm_linux_web_app.web)"


def test_a_tf_json_file_that_is_not_json_is_a_parse_error(cli, tmp_path):
    (tmp_path / "main.tf.json").write_text('{"resource": {\n  "x": [1,]\n}}\n')
    run = cli("scan", "--no-cache", "main.tf.json", cwd=tmp_path)
    assert run.code == 4 and "main.tf.json:2:11: IG000 [error] cannot parse Terraform JSON: Expecting value" in run.out


def test_a_variables_type_is_a_type_expression_as_in_hcl():
    declared = tf_json({"variable": {"settings": {"type": "object({ a = optional(bool, true) })", "default": {}},
                                     "flag": {"type": "bool", "default": "false"}, "broken": {"type": "list(", "default": 1}}})
    assert module_scope([declared], []).variables == {"settings": {"a": True}, "flag": False, "broken": 1}


# Every Terraform fixture, written in JSON syntax, gives the same findings: the
# normaliser's table of blocks is whole, and JSON reads as HCL does.


def _as_json(text: str) -> dict:
    """A `.tf` file in Terraform's JSON syntax: what iacguard reads of it (resources,
    variables, locals, module calls), every expression that is no literal written as a
    template of its source text, blocks as arrays of objects (the general form)."""
    lines = text.split("\n")

    def source(expr) -> str:
        if expr.line == expr.end_line:
            return lines[expr.line - 1][expr.column - 1 : expr.end_column - 1]
        middle = lines[expr.line : expr.end_line - 1]
        return "\n".join([lines[expr.line - 1][expr.column - 1 :], *middle, lines[expr.end_line - 1][: expr.end_column - 1]])

    def expression(expr):
        if isinstance(expr, Literal):
            return expr.value.replace("${", "$${").replace("%{", "%%{") if isinstance(expr.value, str) else expr.value
        if isinstance(expr, TupleExpr):
            return [expression(item) for item in expr.items]
        if isinstance(expr, ObjectExpr):
            return {key.root if isinstance(key, Traversal) else key.value: expression(value) for key, value in expr.items}
        return "${" + source(expr) + "}"

    def body(content) -> dict:
        written = {name: expression(attribute.value) for name, attribute in content.attributes.items()}
        for block in content.blocks:
            value = {block.labels[0]: body(block.body)} if block.type == "dynamic" else body(block.body)
            written.setdefault(block.type, []).append(value)
        return written

    document: dict = {}
    for block in parse(text).body.blocks:
        if block.type == "resource":
            document.setdefault("resource", []).append({block.labels[0]: {block.labels[1]: body(block.body)}})
        elif block.type == "variable":
            default, declared = block.body.attributes.get("default"), block.body.attributes.get("type")
            variable = {"default": expression(default.value)} if default else {}
            if declared:
                variable["type"] = source(declared.value)
            document.setdefault("variable", []).append({block.labels[0]: variable})
        elif block.type == "locals":
            document.setdefault("locals", []).append(body(block.body))
        elif block.type == "module":
            document.setdefault("module", []).append({block.labels[0]: body(block.body)})
    return document


def _findings(cli, folder: Path, name: str, code: str) -> list[dict]:
    run = cli("scan", "--select", code, "--isolated", "--no-cache", "--no-dependents", "--format", "json", "--", name, cwd=folder)
    report = json.loads(run.out)
    assert not report["errors"], report["errors"]
    return report["findings"]


def _names_on(line: str) -> set[str]:
    """The names a line of either syntax writes: identifiers and quoted words."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", line))


TERRAFORM_FIXTURES = [fixture for fixture in fixtures(TESTDATA) if fixture.parent.name == "terraform"]


@pytest.mark.parametrize("fixture", TERRAFORM_FIXTURES, ids=lambda fixture: "/".join(fixture.parts[-3:]))
def test_every_terraform_fixture_gives_the_same_findings_as_tf_json(cli, tmp_path, fixture):
    code = fixture.parent.parent.name
    folder = tmp_path / "fixture"
    shutil.copytree(fixture.parent, folder)
    converted = fixture.name.removesuffix(".tf") + ".tf.json"
    as_hcl = _findings(cli, folder, fixture.name, code)
    (folder / fixture.name).unlink()  # the two forms of one file are never siblings
    (folder / converted).write_text(json.dumps(_as_json(fixture.read_text()), indent=2))
    as_json = _findings(cli, folder, converted, code)

    def said(finding: dict) -> tuple:
        return finding["rule"], finding["message"], finding["resource"], converted if finding["path"] == fixture.name else finding["path"]

    assert sorted(map(said, as_json)) == sorted(map(said, as_hcl))
    # Each finding in the file itself points at the same setting: the JSON line (or the
    # one before it, for a block in an array) names what the HCL line names.
    hcl_lines, json_lines = fixture.read_text().split("\n"), (folder / converted).read_text().split("\n")
    in_file = sorted((said(f), f["line"]) for f in as_hcl if f["path"] == fixture.name)
    in_json = sorted((said(f), f["line"]) for f in as_json if f["path"] == converted)
    for (_, hcl_line), (_, json_line) in zip(in_file, in_json):
        written = _names_on(json_lines[json_line - 1]) | _names_on(json_lines[json_line - 2])
        assert _names_on(hcl_lines[hcl_line - 1]) & written, (hcl_lines[hcl_line - 1], json_lines[json_line - 1])
