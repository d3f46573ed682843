"""Terraform: HCL parsing with positions, evaluation, var files, suppressions."""

import json
import re
import shutil

import pytest

from iacguard.errors import ParseError
from iacguard.evaluators.terraform import module_scope, read_var_file
from iacguard.evaluators.terraform_functions import Invalid
from iacguard.formats import ScanContext
from iacguard.model import Unknown
from iacguard.parsers import hcl
from support import ROOT, TESTDATA, refusals, with_modules


def scope_of(text: str, var_files=()):
    context = ScanContext()
    return module_scope([hcl.parse(text)], [read_var_file(path, context) for path in var_files])


def local(text: str, name: str):
    return scope_of(text)._local(name)


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ('"app-${var.env}"', "app-prod"),
        ('var.env == "prod" ? "secure" : "open"', "secure"),
        ('upper(var.env)', "PROD"),
        ('format("%s-%03d", var.env, 7)', "prod-007"),
        ('lookup({ prod = "1.2" }, var.env, "1.0")', "1.2"),
        ('lookup({ dev = "1.0" }, var.env, "1.2")', "1.2"),
        ('coalesce("", null, var.env)', "prod"),
        ('merge(var.tags, { b = 2 })', {"a": 1, "b": 2}),
        ('concat(["x"], ["y"])', ["x", "y"]),
        ('contains(["prod", "test"], var.env)', True),
        ('var.tags["a"] + 1', 2),
        ('(1 + 2) * 3', 9),
        ('!false && true', True),
        ('tobool("true")', True),
        ('tostring(12)', "12"),
        ('length(var.list)', 2),
        ('var.list[1]', "b"),
        ('false && var.unset', False),
        ('true || var.unset', True),
        ('var.unset ? "x" : "x"', "x"),
        ('[for s in var.list : upper(s) if s != "a"]', ["B"]),
        ('{ for i, s in var.list : s => i }', {"a": 0, "b": 1}),
        ('{ for s in ["x", "y", "x"] : s => s... }', {"x": ["x", "x"], "y": ["y"]}),
        ('[{ n = 1 }, { n = 2 }][*].n', [1, 2]),
        ('[{ n = [1] }, { n = [2] }].*.n[1]', [2]),
        ('var.tags[*]', [{"a": 1}]),
        ('split(",", "a,b")[1]', "b"),
        ('try(var.tags.missing, var.tags.a)', 1),
        ('try(var.unset, "x")', Unknown("var.unset")),
        ('can(var.list[5])', False),
        ('can(var.list[1])', True),
        ('one([])', None),
        ('one(["x"])', "x"),
        ('element(var.list, 3)', "b"),
        ('flatten([["a", ["b"]], "c"])', ["a", "b", "c"]),
        ('setunion(["b", "a"], ["a", "c"])', ["a", "b", "c"]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ('keys({ b = 1, a = 2 })', ["a", "b"]),
        ('values({ b = 1, a = 2 })', [2, 1]),
        ('contains(["a"], "a")', True),
        ('join("-", ["a", 1], ["b"])', "a-1-b"),
        ('replace("a-b-c", "-", "+")', "a+b+c"),
        ('replace("app-01-x", "/(\\\\w+)-(\\\\d+)/", "$2-$1")', "01-app-x"),
        ('regex("^(?P<name>[a-z]+)-(?P<n>\\\\d+)$", "web-12")', {"name": "web", "n": "12"}),
        ('regex("[0-9]+", "v12.3")', "12"),
        ('regexall("[0-9]+", "1.22.333")', ["1", "22", "333"]),
        ('title("hello wORLD x-ray o_k 1st")', "Hello WORLD X-Ray O_k 1st"),  # Go's strings.Title: other letters as written
        ('regexall("\\\\s", "a b\\tc\\u000bd")', [" ", "\t"]),  # RE2's \\s is [\\t\\n\\f\\r ], without \\v
        ('tomap({ a = 1 })', {"a": 1}),
        ('tolist(["a"])', ["a"]),
        ('jsondecode("{\\"a\\": [1, true, null]}")', {"a": [1, True, None]}),
        ('yamldecode("a:\\n  - 1\\n")', {"a": [1]}),
        ('<<-EOT\n    {"k": "${var.env}"}\n    EOT\n', '{"k": "prod"}\n'),
        ('jsondecode(<<EOT\n{"k": "${var.env}"}\nEOT\n).k', "prod"),
        ('merge([var.tags, { b = 2 }]...)', {"a": 1, "b": 2}),  # `...` passes a list's elements as the last arguments
        ('coalesce(["", var.env]...)', "prod"),
        ('concat(["x"], [["y"], ["z"]]...)', ["x", "y", "z"]),
        ('max(toset([3, 1])...)', 3),
        ('tobool("1")', True),  # cty's conversions
        ('tobool("0")', False),
        ('substr("hello", -2, 2)', "lo"),
        ('substr("hello", 1, -1)', "ello"),
        ('try(tonumber("1_000"), "no")', "no"),
        ('try(tonumber(" 1"), "no")', "no"),
        ('try(tonumber("inf"), "no")', "no"),
        ('tonumber("-1.5e1")', -15),
        ('tostring(null)', None),  # a conversion of null is null
        ('tonumber(null)', None),
        ('tobool(null)', None),
        ('try("a-${null}", "b")', "b"),  # null is no string: an error that try sees
        ('try(join(",", ["a", null]), "b")', "b"),
        ('try(lower(null), "b")', "b"),
    ],
)
def test_known_values(expression, value):
    text = f'variable "env" {{ default = "prod" }}\nvariable "tags" {{ default = {{ a = 1 }} }}\nvariable "list" {{ default = ["a", "b"] }}\nvariable "unset" {{}}\nlocals {{ x = {expression} }}\n'
    assert local(text, "x") == value


@pytest.mark.parametrize(
    "expression",
    [
        "var.unset",
        '"a-${var.unset}"',
        "azurerm_subnet.a.id",
        "data.azurerm_client_config.current.tenant_id",
        "each.value",
        "count.index",
        "path.module",
        "unknownfn(1)",
        'var.unset ? "a" : "b"',
        "[for s in var.unset : upper(s)]",
        'format("%b", 3)',
        "local.loop",
        'lookup(var.unset, "a", "b")',
        "var.list[5]",
        'var.unset == "prod"',
        'regex("\\\\pL", "x")',  # Unicode classes are not read
        'regex("x", "y")',  # no match is an error
        'jsondecode("{")',
        'yamldecode("a: 1\\n---\\nb: 2\\n")',
        'one(["a", "b"])',
        'keys(["a"])',
        'contains("abc", "b")',
        'tolist("ab")',
        'flatten([var.unset])',
        'join(",", [var.unset])',
        'templatefile("t.tpl", {})',  # no scan context: no file is read
        '<<EOT\n%{ if true }x%{ endif }\nEOT\n',
        'merge(var.unset...)',
        'coalesce("a", var.unset...)',
    ],
)
def test_unknown_values(expression):
    text = f'variable "list" {{ default = ["a", "b"] }}\nvariable "unset" {{}}\nlocals {{\n  loop = local.loop\n  x = {expression}\n}}\n'
    assert isinstance(local(text, "x"), Unknown)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ('" padded "', " padded "),
        ('"${var.env} ${var.env}"', "prod prod"),
        ('"a ${var.env} b"', "a prod b"),
        ('"tab\\there \\"q\\" \\u00e9\\U0001F600"', 'tab\there "q" \u00e9\U0001F600'),
        ('"$${not} %%{this}"', "${not} %{this}"),
    ],
)
def test_strings_keep_their_text(written, value):
    """White space at the ends of a string and around interpolations is part of the
    value, and so are the characters `\\u`/`\\U` escapes write."""
    assert local(f'variable "env" {{ default = "prod" }}\nlocals {{ x = {written} }}\n', "x") == value


def test_invalid_is_an_unknown_that_try_and_can_see_as_an_error():
    assert isinstance(local('locals {\n  x = [1][3]\n}\n', "x"), Invalid)
    assert isinstance(local('variable "u" {}\nlocals {\n  x = [var.u][0]\n}\n', "x"), Unknown)
    assert not isinstance(local('variable "u" {}\nlocals {\n  x = [var.u][0]\n}\n', "x"), Invalid)
    assert isinstance(local('locals {\n  x = merge({ a = 1 }...)\n}\n', "x"), Invalid)  # only a list expands


@pytest.mark.parametrize(("declared", "given", "value"), [
    ('map(object({ a = optional(bool, true), b = optional(string) }))', '{ k = {} }', {"k": {"a": True, "b": None}}),
    ('object({ a = number })', '{ a = "3", extra = 1 }', {"a": 3}),
    ('set(string)', '["b", "a", "b"]', ["a", "b"]),
    ('list(string)', '[1, true]', ["1", "true"]),
    ('tuple([string, bool])', '[1, "true"]', ["1", True]),
    ('bool', '"false"', False),
    ('object({ a = number })', '{ b = 1 }', {"b": 1}),  # Terraform refuses it: left as written
    ('object({ a = optional(bool, true), b = optional(string) })', '{ a = null, b = null }', {"a": True, "b": None}),  # null takes the default
])
def test_variables_are_converted_to_their_declared_type(declared, given, value):
    assert local(f'variable "v" {{\n  type    = {declared}\n  default = {given}\n}}\nlocals {{\n  x = var.v\n}}\n', "x") == value


def test_the_regular_expression_matcher_follows_re2_and_stays_linear():
    from iacguard.evaluators.regex import Unsupported, compile_pattern

    cases = {("(a|ab)(c|bcd)(d*)", "abcd"): [0, 4, 0, 1, 1, 4, 4, 4], ("a*?b", "aab"): [0, 3], ("(?i)HeLLo", "say hello"): [4, 9],
             ("[^a-c]+", "abcdef"): [3, 6], ("\\bfoo\\b", "a foo b"): [2, 5], ("^x$", "a\nx"): None, ("(?m)^x$", "a\nx"): [2, 3],
             ("a{2,3}", "aaaa"): [0, 3], ("a{2,3}?", "aaaa"): [0, 2], ("x{", "x{"): [0, 2]}
    for (pattern, text), expected in cases.items():
        assert compile_pattern(pattern).search(text) == expected, pattern
    for unsupported in ("\\pL", "[[:alpha:]]", "(a", "a{2000}", "\\1", "*a"):
        with pytest.raises(Unsupported):
            compile_pattern(unsupported)
    spent = []
    assert compile_pattern("(a|a)*(a|a)*c").search("a" * 5000, spend=spent.append) is None
    assert len(spent) == 5001  # one step of the machine per character
    assert compile_pattern(r"[\D]+").search("12ab3") == [2, 4] and compile_pattern("(?i)[^a-c]+").search("ABxyC") == [2, 4]
    grouped = compile_pattern("()" * 100 + "x")  # each position recorded copies every group's: the step costs that
    assert grouped.cost >= 200 * 2 * 101
    with pytest.raises(Unsupported):
        compile_pattern("()" * 101)
    with pytest.raises(Unsupported):  # a class counts its ranges toward the program's size
        compile_pattern("[" + "".join(chr(0x100 + 2 * n) for n in range(10_001)) + "]")


def test_templatefile_reads_a_template_inside_the_scan_root(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "tls.tpl").write_text("${version}\n")
    (tmp_path / "outside.tpl").write_text("1.0\n")
    app = '''resource "azurerm_linux_web_app" "{name}" {{
  https_only = true
  site_config {{
    minimum_tls_version = trimspace(templatefile("{template}", {{ version = "1.0" }}))
  }}
}}
'''
    (tmp_path / "app" / "main.tf").write_text(app.format(name="inside", template="${path.module}/tls.tpl") + app.format(name="outside", template="../outside.tpl"))
    run = cli("scan", "--no-cache", "--root", "app", "--select", "IG502", "-f", "json", "app", cwd=tmp_path)
    document = json.loads(run.out)
    assert [(f["line"], f["resource"]) for f in document["findings"]] == [(4, "azurerm_linux_web_app.inside")]
    assert [(e["code"], e["path"]) for e in document["errors"]] == [("IG005", "app/main.tf")]


# The fingerprint of `azurerm_linux_web_app.app`'s IG501 finding in `_APP` without a
# loop, as iacguard computed it before Terraform loops were read (commit 73bf4f8^).
_FINGERPRINT_BEFORE_LOOPS = "64ced43e84c4a03a142412f58778ea51"
_APP = '''resource "azurerm_linux_web_app" "app" {{
  {loop}
  name = "app"
  site_config {{}}
}}
'''


def test_a_resource_without_a_loop_keeps_the_fingerprint_it_had_before_loops_and_instances_get_their_own(cli, tmp_path):
    def fingerprints(loop: str) -> list[tuple[str, str]]:
        (tmp_path / "main.tf").write_text(_APP.format(loop=loop))
        findings = json.loads(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", ".", cwd=tmp_path).out)["findings"]
        return [(f["resource"], f["fingerprint"]) for f in findings]

    assert fingerprints("# one") == [("azurerm_linux_web_app.app", _FINGERPRINT_BEFORE_LOOPS)]
    looped = fingerprints('for_each = toset(["a", "b"])')
    assert [resource for resource, _ in looped] == ['azurerm_linux_web_app.app["a"]', 'azurerm_linux_web_app.app["b"]']
    assert len({fingerprint for _, fingerprint in looped} | {_FINGERPRINT_BEFORE_LOOPS}) == 3


def test_positions_comments_and_spans():
    parsed = hcl.parse('# top\nresource "a" "b" { // trailing\n  x = "é${var.y}"\n  inner {\n    z = 1\n  }\n}\n')
    (block,) = parsed.body.blocks
    value = block.body.attributes["x"].value
    assert (block.line, block.end_line) == (2, 7)
    assert (value.line, value.column, value.end_column) == (3, 7, 18)  # "é" is one column
    assert [(c.line, c.column, c.own_line) for c in parsed.comments] == [(1, 1, True), (2, 20, False)]
    assert parsed.spans[2] == 7 and parsed.spans[4] == 6


def test_syntax_errors_name_the_line():
    with pytest.raises(ParseError) as error:
        hcl.parse('resource "a" "b" {\n  x = \n}\n')
    assert error.value.line == 2
    with pytest.raises(ParseError) as error:  # HCL has no hexadecimal numbers
        hcl.parse('locals {\n  mask = 0x10\n}\n')
    assert (error.value.line, error.value.column, error.value.message) == (2, 10, "invalid number '0x10'")


def test_a_number_with_an_exponent_and_no_fraction_keeps_its_columns():
    """The grammar reads `1.5e9` but not `1e9`, which HCL allows."""
    x = hcl.parse('x = [1e3, 2E+1, -5e-1, "1e9 ${1e2}"] # 1e9\n').body.attributes["x"].value
    assert [(item.column, item.end_column) for item in x.items[:3]] == [(6, 9), (11, 15), (17, 22)]
    assert local('locals {\n  x = [1e3, 2E+1, -5e-1, "1e9 ${1e2}", { 1e1 = 1 }]\n}\n', "x") == [1000, 20, -0.5, "1e9 100", {"10": 1}]


def test_var_files_apply_in_order(tmp_path):
    (tmp_path / "a.tfvars").write_text('tls = "1.1"\n')
    (tmp_path / "b.tfvars.json").write_text('{"tls": "1.0"}')
    scope = scope_of('variable "tls" { default = "1.2" }\nlocals { x = var.tls }\n', [tmp_path / "a.tfvars", tmp_path / "b.tfvars.json"])
    assert scope._local("x") == "1.0"


APP = """\
resource "azurerm_linux_web_app" "api" {
  name                = "api"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  https_only          = var.https
  site_config {
    minimum_tls_version = var.tls
  }
}
"""


def test_module_directory_var_files_and_cli_var_file(cli, tmp_path):
    (tmp_path / "main.tf").write_text(APP)
    (tmp_path / "variables.tf").write_text('variable "https" { default = true }\nvariable "tls" { default = "1.2" }\n')
    (tmp_path / "prod.auto.tfvars").write_text('tls = "1.1"\n')
    (tmp_path / "insecure.tfvars").write_text("https = false\n")
    quiet = cli("scan", "--select", "IG501,IG502", cwd=tmp_path)
    assert quiet.lines[0] == "main.tf:8:27: IG502 [high] site_config.minimum_tls_version is 1.1, so clients can connect with TLS older than 1.2 (azurerm_linux_web_app.api)"
    loud = cli("scan", "--select", "IG501,IG502", "--var-file", "insecure.tfvars", cwd=tmp_path)
    assert loud.lines[0] == "main.tf:6:25: IG501 [high] https_only is false, so the app also serves plain HTTP (azurerm_linux_web_app.api)"
    (tmp_path / ".iacguard.yaml").write_text("terraform_var_files: [insecure.tfvars]\nselect: [IG501]\n")
    assert cli("scan", cwd=tmp_path).code == 1
    assert cli("scan", "--var-file", "missing.tfvars", cwd=tmp_path).code == 2


def test_hcl_comment_suppressions(cli, tmp_path):
    (tmp_path / "main.tf").write_text(
        "# iacguard:ignore IG501,IG505 -- internal tool behind the gateway\n" + APP.replace("var.https", "false").replace("var.tls", '"1.2"')
        + '\nresource "azurerm_container_group" "g" { // iacguard:ignore IG601 -- temporary\n  name = "g"\n}\n'
    )
    document = json.loads(cli("scan", "--format", "json", "--select", "IG501,IG505,IG601,IG602", cwd=tmp_path).out)
    assert sorted((f["rule"], f["suppressed"]) for f in document["findings"]) == [
        ("IG501", True), ("IG505", True), ("IG601", True), ("IG602", False)]


def test_broken_terraform_is_reported(cli, tmp_path):
    (tmp_path / "main.tf").write_text('resource "azurerm_linux_web_app" "x" {\n  https_only = \n}\n')
    run = cli("scan", cwd=tmp_path)
    assert run.lines[0].startswith("main.tf:2:3: IG000 [error] cannot parse Terraform: syntax error")


MODULE = """\
variable "name" {}
variable "https_only" {
  default = true
}

# iacguard:ignore IG505 -- identities are attached by the platform team
resource "azurerm_linux_web_app" "this" {
  name                = var.name
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  https_only          = var.https_only
  site_config {}
}

module "nested" {
  source = "./"
}
"""

CALLER = """\
module "orders" {
  source     = "../modules/webapp"
  name       = "orders"
  https_only = false
}

module "billing" {
  source = "../modules/webapp"
  name   = "billing"
}

module "unused" {
  count  = 0
  source = "../modules/webapp"
}

module "network" {
  source  = "Azure/network/azurerm"
  version = "5.0.0"
}
"""


def test_local_modules_are_followed_with_their_inputs(cli, tmp_path):
    (tmp_path / ".git").mkdir()  # the scan root: the work tree, not just env/
    (tmp_path / "modules" / "webapp").mkdir(parents=True)
    (tmp_path / "modules" / "webapp" / "main.tf").write_text(MODULE)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "main.tf").write_text(CALLER)
    document = json.loads(cli("scan", "--format", "json", "--select", "IG501,IG505", "-v", "env", cwd=tmp_path).out)
    findings = [(f["rule"], f["path"], f["line"], f["resource"], f["suppressed"]) for f in document["findings"]]
    # The caller's argument decided https_only, so that is where the finding points.
    assert findings == [
        ("IG501", "env/main.tf", 4, "module.orders.azurerm_linux_web_app.this", False),
        ("IG505", "modules/webapp/main.tf", 7, "module.billing.azurerm_linux_web_app.this", True),
        ("IG505", "modules/webapp/main.tf", 7, "module.orders.azurerm_linux_web_app.this", True),
    ]
    notes = [(w["code"], w["line"], w["message"]) for w in document["warnings"]]
    assert ("IG006", 17, "module network: remote source Azure/network/azurerm is not fetched, so its resources are not checked") in notes
    assert any(code == "IG003" and "cycle" in message for code, _, message in notes)
    assert document["errors"] == []


def test_a_module_outside_the_scan_root_is_refused(cli, tmp_path):
    """Outside a git work tree the scanned folder is the scan root: a module above it
    is not read, and the caller is incomplete (exit 4) rather than silently partial."""
    (tmp_path / "modules" / "webapp").mkdir(parents=True)
    (tmp_path / "modules" / "webapp" / "main.tf").write_text(MODULE)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "main.tf").write_text(CALLER)
    run = cli("scan", "--format", "json", "--select", "IG501", "env", cwd=tmp_path)
    document = json.loads(run.out)
    assert run.code == 4 and document["findings"] == []
    assert [(e["path"], e["code"], e["message"]) for e in document["errors"]] == [
        ("env/main.tf", "IG005", "depends on modules/webapp, which was refused: not a directory inside the scan root"),
    ]
    assert cli("scan", "--select", "IG501", "--root", ".", "env", cwd=tmp_path).code == 1


def test_through_a_link_to_its_folder_a_module_source_leaves_the_real_folder(cli, tmp_path):
    """Terraform runs in the root module's real folder and resolves a local module's
    folder before joining its calls' sources, so through `live -> envs/prod`,
    `../modules/web` is `envs/modules/web`, and a `templatefile` path built on
    `path.module` reads the module's own template. Taken as text, the source was
    `modules/web`, a clean decoy, and the privileged container went unseen."""
    container = (
        'locals {{\n  privileged = templatefile("${{path.module}}/privileged.tpl", {{}})\n}}\n'
        'resource "azurerm_container_group" "tools" {{\n  name                = "tools"\n  location            = "westeurope"\n'
        '  resource_group_name = "orders"\n  os_type             = "Linux"\n  container {{\n    name   = "debug"\n'
        '    image  = "myacr.azurecr.io/debug:1.0"\n    cpu    = "0.5"\n    memory = "1"\n'
        '    security {{\n      privilege_enabled = local.privileged == "{}"\n    }}\n  }}\n}}\n'
    )
    (tmp_path / ".git").mkdir()
    for folder, privileged in (("envs/modules/web", "yes"), ("modules/web", "never")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text(container.format(privileged))
        (tmp_path / folder / "privileged.tpl").write_text("yes")
    (tmp_path / "envs" / "prod").mkdir()
    (tmp_path / "envs" / "prod" / "main.tf").write_text('module "web" {\n  source = "../modules/web"\n}\n')
    (tmp_path / "live").symlink_to("envs/prod", target_is_directory=True)
    run = cli("scan", "--select", "IG202", "--color", "never", "live", cwd=tmp_path)
    assert run.lines == [
        "envs/modules/web/main.tf:15:27: IG202 [critical] the container runs privileged, with full control of its host "
        "(module.web.azurerm_container_group.tools/containers/debug)",
        "Found 1 finding (1 critical) in 1 file.",
    ]


@pytest.mark.parametrize(("source", "shown"), [("./a\\u0000b", "a\x00b"), ("./" + "a" * 5000, "a" * 5000)])
def test_a_module_source_no_folder_can_have_is_refused(cli, tmp_path, source, shown):
    """A NUL byte, or a name longer than the system takes: the caller is incomplete,
    its own resources still checked, and no internal error."""
    (tmp_path / "main.tf").write_text(f'module "m" {{\n  source = "{source}"\n}}\n'
                                      'resource "azurerm_linux_web_app" "api" {\n  https_only = false\n}\n')
    run = cli("scan", "--format", "json", "--select", "IG501", ".", cwd=tmp_path)
    document = json.loads(run.out)
    assert run.code == 4 and [(f["rule"], f["line"]) for f in document["findings"]] == [("IG501", 5)]
    assert [(e["code"], e["message"]) for e in document["errors"]] == [
        ("IG005", f"depends on {shown}, which was refused: not a directory inside the scan root"),
    ]



def test_a_refused_dependency_is_told_where_the_scanned_file_names_it(cli, tmp_path):
    """A module folder outside the scan root, a module's file that is refused, and a
    template outside it stand at the `source` value or the `templatefile` path that
    the scanned file writes; a module folder that a module's own call names, at the
    `source` value of the scanned file's call that leads to it. What no line of the
    scanned file leads to has no line: a var file, a template named in a sibling's
    local."""
    project = tmp_path / "project"
    files = {
        "env/main.tf": 'module "outside" {\n  source = "../../shared"\n}\n'
                       'module "inner" {\n  source     = "../modules/inner"\n}\n'
                       'module "binary" {\n  source = "../modules/binary"\n}\n'
                       'resource "azurerm_linux_web_app" "app" {\n  site_config {\n'
                       '    minimum_tls_version = "${templatefile("${path.module}/../../tls.tpl", {})}${local.suffix}"\n  }\n}\n',
        "env/locals.tf": 'locals {\n  suffix = templatefile("../../suffix.tpl", {})\n}\n',
        "env/terraform.tfvars": 'name = "\0"\n',
        "modules/inner/main.tf": 'module "deeper" {\n  source = "../../../other"\n}\n',
        "modules/binary/main.tf": 'resource "azurerm_key_vault" "v" {}\n\0',
    }
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    for folder in ("shared", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text('variable "a" {}\n')
    for template in ("tls.tpl", "suffix.tpl"):
        (tmp_path / template).write_text("1.2")
    run = cli("scan", "--no-cache", "--root", ".", "--select", "IG501", "env/main.tf", cwd=project)
    assert run.code == 4
    assert refusals(run) == [
        f"env/main.tf: IG005 [error] depends on {tmp_path / 'suffix.tpl'}, which was refused: outside the scan root",
        "env/main.tf: IG005 [error] depends on env/terraform.tfvars, which was refused: binary content, not a text file",
        f"env/main.tf:2:12: IG005 [error] depends on {tmp_path / 'shared'}, which was refused: not a directory inside the scan root",
        f"env/main.tf:5:16: IG005 [error] depends on {tmp_path / 'other'}, which was refused: not a directory inside the scan root",
        "env/main.tf:8:12: IG005 [error] depends on modules/binary/main.tf, which was refused: binary content, not a text file",
        f"env/main.tf:12:43: IG005 [error] depends on {tmp_path / 'tls.tpl'}, which was refused: outside the scan root",
    ]


MODULES = TESTDATA / "modules" / "terraform"


def test_findings_through_modules_point_at_what_decided_the_value(cli):
    """The caller's argument when it decided the value (through a path into an object
    and a local of the module too), the module variable's default when the caller
    leaves it unset, the outermost argument of a nested chain; the module's lines
    that carry the value follow as related locations."""
    run = cli("scan", "--select", "IG501,IG502", "main.tf", cwd=MODULES)
    assert run.lines[:-1] == [
        "main.tf:3:16: IG501 [high] https_only is false, so the app also serves plain HTTP (module.explicit.azurerm_linux_web_app.this)"
        " via modules/app/main.tf:10, modules/app/variables.tf:1",
        "main.tf:4:24: IG502 [high] site_config.minimum_tls_version is 1.1, so clients can connect with TLS older than 1.2 (module.explicit.azurerm_linux_web_app.this)"
        " via modules/app/main.tf:16, modules/app/main.tf:2, modules/app/variables.tf:5",
        "main.tf:13:12: IG501 [high] https_only is false, so the app also serves plain HTTP (module.edge.module.site.azurerm_linux_web_app.this)"
        " via modules/app/main.tf:10, modules/app/variables.tf:1, modules/edge/main.tf:5, modules/edge/main.tf:1",
        "modules/app/variables.tf:2:13: IG501 [high] https_only is false, so the app also serves plain HTTP (module.defaults.azurerm_linux_web_app.this)"
        " via modules/app/main.tf:10, main.tf:7",
        "modules/edge/main.tf:6:24: IG502 [high] site_config.minimum_tls_version is 1.0, so clients can connect with TLS older than 1.2 (module.edge.module.site.azurerm_linux_web_app.this)"
        " via modules/app/main.tf:16, modules/app/main.tf:2, modules/app/variables.tf:5",
    ]


def test_related_locations_in_json_and_sarif(cli):
    document = json.loads(cli("scan", "--select", "IG501", "--format", "json", "main.tf", cwd=MODULES).out)
    nested = next(f for f in document["findings"] if f["resource"].startswith("module.edge."))
    assert (nested["path"], nested["line"], nested["column"]) == ("main.tf", 13, 12)
    assert nested["related"] == [
        {"message": "set by module.edge.module.site in modules/edge/main.tf", "path": "modules/app/main.tf", "line": 10, "column": 25},
        {"message": "module variable declared here", "path": "modules/app/variables.tf", "line": 1, "column": 1},
        {"message": "set by module.edge in main.tf", "path": "modules/edge/main.tf", "line": 5, "column": 16},
        {"message": "module variable declared here", "path": "modules/edge/main.tf", "line": 1, "column": 1},
    ]
    defaulted = next(f for f in document["findings"] if f["resource"].startswith("module.defaults."))
    assert [(r["message"], r["path"], r["line"]) for r in defaulted["related"]] == [
        ("the default of variable https_only applies", "modules/app/main.tf", 10),
        ("module.defaults does not set https_only", "main.tf", 7),
    ]
    sarif = json.loads(cli("scan", "--select", "IG501", "--format", "sarif", "main.tf", cwd=MODULES).out)
    result = next(r for r in sarif["runs"][0]["results"] if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 13)
    related = [
        (place["id"], place["physicalLocation"]["artifactLocation"]["uri"], place["physicalLocation"]["region"]["startLine"], place["message"]["text"])
        for place in result["relatedLocations"]
    ]
    top = MODULES.relative_to(ROOT).as_posix()  # SARIF names files from the top of the work tree
    assert related == [
        (1, f"{top}/modules/app/main.tf", 10, "set by module.edge.module.site in modules/edge/main.tf"),
        (2, f"{top}/modules/app/variables.tf", 1, "module variable declared here"),
        (3, f"{top}/modules/edge/main.tf", 5, "set by module.edge in main.tf"),
        (4, f"{top}/modules/edge/main.tf", 1, "module variable declared here"),
    ]
    assert {place["physicalLocation"]["artifactLocation"]["uriBaseId"] for place in result["relatedLocations"]} == {"%SRCROOT%"}


def test_a_module_instance_is_reported_once_however_it_is_reached(cli, tmp_path):
    """Two root configurations call the module under one name and leave its default in
    force: one finding, naming both callers. Two calls given one shared local: one
    finding each, at each call's argument. The module folder scanned on its own does
    not repeat what its callers report (its line that takes the value is a hop of
    theirs)."""
    with_modules(tmp_path, "terraform", {
        "dev/main.tf": 'module "app" {\n  source = "../modules/app"\n}\n',
        "prod/main.tf": """\
locals {
  https = false
}

module "app" {
  source = "../modules/app"
}

module "blue" {
  source     = "../modules/app"
  https_only = local.https
}

module "green" {
  source     = "../modules/app"
  https_only = local.https
}
""",
    })
    document = json.loads(cli("scan", "--root", ".", "--select", "IG501", "--format", "json", ".", cwd=tmp_path).out)
    findings = [(f["path"], f["line"], f["resource"], [(r["path"], r["line"]) for r in f["related"]]) for f in document["findings"]]
    assert findings == [
        ("modules/app/variables.tf", 2, "module.app.azurerm_linux_web_app.this", [("modules/app/main.tf", 10), ("dev/main.tf", 1), ("prod/main.tf", 5)]),
        ("prod/main.tf", 11, "module.blue.azurerm_linux_web_app.this", [("modules/app/main.tf", 10), ("modules/app/variables.tf", 1)]),
        ("prod/main.tf", 16, "module.green.azurerm_linux_web_app.this", [("modules/app/main.tf", 10), ("modules/app/variables.tf", 1)]),
    ]


def test_a_module_scanned_alone_does_not_repeat_its_callers_finding_under_other_keys(cli, tmp_path):
    """The module judged with its defaults loops over `["a"]`; its callers give it
    other keys (directly, in a loop of their own, and through a module that calls it
    in turn). The module's file, and the module between, scanned too, do not report
    the vault `kv["a"]` once more, a vault that does not exist. What no caller
    reports (every caller turns RBAC on) is still the module's own, judged with its
    defaults; and a module that nothing calls is checked on its own."""
    (tmp_path / ".git").mkdir()
    vault = """\
variable "vaults" {
  type    = set(string)
  default = ["a"]
}

variable "rbac" {
  default = false
}

resource "azurerm_key_vault" "kv" {
  for_each                   = var.vaults
  name                       = each.key
  location                   = "westeurope"
  resource_group_name        = "rg"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = var.rbac
}
"""
    for name, text in {"vault": vault, "spare": vault, "named": """\
variable "prefix" {
  default = "dev"
}

module "kv" {
  source = "../vault"
  vaults = ["${var.prefix}-kv"]
  rbac   = true
}
"""}.items():
        (tmp_path / "modules" / name).mkdir(parents=True)
        (tmp_path / "modules" / name / "main.tf").write_text(text)
    (tmp_path / "main.tf").write_text("""\
module "kv" {
  source = "./modules/vault"
  vaults = ["b"]
  rbac   = true
}

module "kvs" {
  for_each = toset(["blue", "green"])
  source   = "./modules/vault"
  vaults   = [each.key]
  rbac     = true
}

module "named" {
  source = "./modules/named"
  prefix = "prod"
}
""")
    expected = """\
modules/spare/main.tf:10:1: IG901 (azurerm_key_vault.kv["a"])
modules/spare/main.tf:17:32: IG903 (azurerm_key_vault.kv["a"])
modules/vault/main.tf:10:1: IG901 (module.kv.azurerm_key_vault.kv["b"])
modules/vault/main.tf:10:1: IG901 (module.kvs["blue"].azurerm_key_vault.kv["blue"])
modules/vault/main.tf:10:1: IG901 (module.kvs["green"].azurerm_key_vault.kv["green"])
modules/vault/main.tf:10:1: IG901 (module.named.module.kv.azurerm_key_vault.kv["prod-kv"])
modules/vault/main.tf:17:32: IG903 (azurerm_key_vault.kv["a"])
""".splitlines()
    for scanned in (".", "modules/vault/main.tf"):
        run = cli("scan", "--no-cache", "--root", ".", "--select", "IG901,IG903", scanned, cwd=tmp_path)
        found = [re.sub(r" \[.*\(", " (", line) for line in run.lines if " IG9" in line]  # the message left out
        assert found == [line for line in expected if scanned == "." or "spare" not in line], scanned


def test_a_container_its_module_caller_names_is_reported_once(cli, tmp_path):
    """The module scanned on its own does not report its container `app-default`
    once more, under the name that no instance of it has."""
    (tmp_path / "modules" / "group").mkdir(parents=True)
    (tmp_path / "modules" / "group" / "main.tf").write_text("""\
variable "name" {
  default = "app-default"
}

resource "azurerm_container_group" "group" {
  os_type = "Linux"

  container {
    name  = var.name
    image = "nginx:latest"
  }
}
""")
    (tmp_path / "main.tf").write_text('module "group" {\n  source = "./modules/group"\n  name   = "app-prod"\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG101", "--format", "json", ".", cwd=tmp_path)
    assert [(f["path"], f["line"], f["resource"]) for f in json.loads(run.out)["findings"]] == [
        ("modules/group/main.tf", 10, "module.group.azurerm_container_group.group/containers/app-prod"),
    ]


def test_a_suppression_at_the_callers_argument_or_the_resource_head_covers_a_finding_through_a_module(cli, tmp_path):
    with_modules(tmp_path, "terraform", {"main.tf": """\
module "internal" {
  source     = "./modules/app"
  https_only = false # iacguard:ignore IG501 -- reached through the private gateway only
}

module "public" {
  source     = "./modules/app"
  https_only = false
}
"""})
    document = json.loads(cli("scan", "--root", ".", "--select", "IG501", "--format", "json", "main.tf", cwd=tmp_path).out)
    assert [(f["line"], f["suppressed"]) for f in document["findings"]] == [(3, True), (8, False)]
    module = tmp_path / "modules" / "app" / "main.tf"
    module.write_text(module.read_text().replace('resource "azurerm_linux_web_app"', '# iacguard:ignore IG501 -- HTTPS is enforced by the front door\nresource "azurerm_linux_web_app"'))
    document = json.loads(cli("scan", "--root", ".", "--select", "IG501", "--format", "json", "main.tf", cwd=tmp_path).out)
    assert [(f["line"], f["suppressed"]) for f in document["findings"]] == [(3, True), (8, True)]


def test_a_credential_passed_to_a_module_is_reported_where_its_text_is_written(cli, tmp_path):
    """IG214 follows the caller's argument on to the literal it names (here a local
    of the caller); other findings stop at the argument."""
    shutil.copytree(TESTDATA / "IG214" / "terraform" / "modules", tmp_path / "modules")
    (tmp_path / "main.tf").write_text(
        'locals {\n  reporting_password = "Rep0rting-Pass!"\n}\n\n'
        'module "reporting" {\n  source         = "./modules/database"\n  admin_password = local.reporting_password\n}\n'
    )
    document = json.loads(cli("scan", "--select", "IG214", "--format", "json", "main.tf", cwd=tmp_path).out)
    assert [(f["path"], f["line"], [(r["path"], r["line"], r["message"]) for r in f["related"]]) for f in document["findings"]] == [
        ("main.tf", 2, [
            ("modules/database/main.tf", 11, "set by module.reporting in main.tf"),
            ("modules/database/main.tf", 1, "module variable declared here"),
            ("main.tf", 7, "uses local.reporting_password"),
        ]),
    ]


def test_every_function_evaluated_is_documented():
    from iacguard.evaluators import terraform_functions

    documented = set(re.findall(r"`(\w+)`", terraform_functions.__doc__))
    assert {*terraform_functions.FUNCTIONS, *terraform_functions.BUDGETED, "templatefile"} <= documented


def test_decoded_infinities_and_unknown_compacted_counts_leave_a_loop_unknown(cli, tmp_path):
    """`1e999` and `.inf` decode to no Terraform number (no internal error), nor
    does a JSON var file's `1e400`, and `compact` reads its elements: over an unknown
    one, the count is unknown (one resource, as for any unknown count), never a
    phantom second instance."""
    (tmp_path / "terraform.tfvars.json").write_text('{"n": 1e400}')
    (tmp_path / "main.tf").write_text(
        'locals {\n  l = ["a", "b"]\n}\n'
        'resource "azurerm_linux_web_app" "app" {\n  count = jsondecode("[1e999]")[0]\n  https_only = false\n}\n'
        'resource "azurerm_linux_web_app" "other" {\n  count = yamldecode("[.inf]")[0]\n  name = local.l[jsondecode("[1e999]")[0]]\n  https_only = false\n}\n'
        'variable "extra" {}\n'
        'resource "azurerm_linux_web_app" "c" {\n  count = length(compact([var.extra, "main"]))\n  https_only = false\n}\n'
        'variable "n" {}\n'
        'resource "azurerm_linux_web_app" "d" {\n  count = var.n\n  https_only = false\n}\n'
        'resource "azurerm_linux_web_app" "e" {\n  https_only = [false, true][var.n]\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG501", "main.tf", cwd=tmp_path)
    assert run.code == 1, run.out
    assert [line.split(" (")[-1] for line in run.lines if ": IG" in line] == [
        "azurerm_linux_web_app.app)", "azurerm_linux_web_app.other)", "azurerm_linux_web_app.c)", "azurerm_linux_web_app.d)"]


NON_NULLABLE_APPS = """variable "apps" {
  default  = { legacy = { https = false } }
  nullable = NULLABLE
}
resource "azurerm_linux_web_app" "app" {
  for_each   = var.apps
  name       = each.key
  https_only = each.value.https
  site_config {}
}
"""


@pytest.mark.parametrize("nullable", ["false", "true"])
def test_a_null_given_to_a_variable_that_is_not_nullable_leaves_its_default(cli, tmp_path, nullable):
    """Terraform uses the default of a `nullable = false` variable given null, by a
    var file or by a module call; a nullable one is null (no instance here)."""
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(NON_NULLABLE_APPS.replace("NULLABLE", nullable))
    (tmp_path / "root" / "terraform.tfvars").write_text("apps = null\n")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(NON_NULLABLE_APPS.replace("NULLABLE", nullable))
    (tmp_path / "caller.tf").write_text('module "m" {\n  source = "./m"\n  apps   = null\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "root", "caller.tf", cwd=tmp_path)
    found = [(f["path"], f["line"], f["column"]) for f in json.loads(run.out)["findings"]]
    assert found == ([("m/main.tf", 2, 35), ("root/main.tf", 2, 35)] if nullable == "false" else [])


@pytest.mark.parametrize("nullable", ["false", '"false"'])
def test_a_later_null_restores_the_default_of_a_variable_that_is_not_nullable(cli, tmp_path, nullable):
    """The last var file decides, and a null there leaves the default (not the value
    an earlier file gave); `"false"` is the flag Terraform converts it to."""
    (tmp_path / "main.tf").write_text(f'variable "https" {{\n  default  = true\n  nullable = {nullable}\n}}\n'
                                      'resource "azurerm_linux_web_app" "app" {\n  https_only = var.https\n  site_config {}\n}\n')
    (tmp_path / "terraform.tfvars").write_text("https = false\n")
    assert cli("scan", "--no-cache", "--select", "IG501", ".", cwd=tmp_path).code == 1
    (tmp_path / "z.auto.tfvars").write_text("https = null\n")
    assert cli("scan", "--no-cache", "--select", "IG501", ".", cwd=tmp_path).out == "No findings in 1 file.\n"


def test_locals_chained_past_the_stack_stop_the_file(cli, tmp_path):
    """They were read as unknown, and the file passed with the value unread."""
    chain = 'locals {\n  l0 = "1.0"\n' + "".join(f"  l{n} = local.l{n - 1}\n" for n in range(1, 400)) + "}\n"
    (tmp_path / "main.tf").write_text(chain + 'resource "azurerm_linux_web_app" "a" {\n  https_only = true\n'
                                      '  site_config {\n    minimum_tls_version = local.l399\n  }\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG502", ".", cwd=tmp_path)
    assert run.code == 4 and "IG004 [error] evaluation stopped: expressions and the variables they use nest more than 128 levels deep" in run.out


def test_a_count_written_as_a_string_is_a_number(cli, tmp_path):
    (tmp_path / "main.tf").write_text('variable "instances" { default = "0" }\n'
                                      'resource "azurerm_linux_web_app" "a" {\n  count = var.instances\n  https_only = false\n}\n'
                                      'resource "azurerm_key_vault" "kv" {\n  count = "2"\n  purge_protection_enabled = count.index == 0\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG501,IG901", "-f", "json", ".", cwd=tmp_path)
    assert [(f["rule"], f["resource"]) for f in json.loads(run.out)["findings"]] == [("IG901", "azurerm_key_vault.kv[1]")]


@pytest.mark.parametrize(("call", "expected"), [
    ('format("%s", "1.0")', "1.0"),
    ('format("%[1]s", "1.0")', Unknown),  # Terraform's, not read here: not known (`try` must not take its fallback)
    ('format("%t", true)', Unknown),
    ('format("%#v", "a")', Unknown),
    ('format("%d", 1.5)', Invalid),  # what Terraform refuses
    ('format("%s", "a", "b")', Invalid),
    ('format("%s %s", "a")', Invalid),
])
def test_format_is_read_or_not_known_never_guessed(call, expected):
    from iacguard.evaluators.terraform import ModuleScope
    from iacguard.parsers.hcl import parse_template

    value = ModuleScope({}, {}).evaluate(parse_template("${" + call + "}"))
    assert value == expected if isinstance(expected, str) else type(value) is expected


def test_a_template_of_one_interpolation_is_its_value(cli, tmp_path):
    """`"${var.x}"` is `var.x` itself: a null is unset (it was the text "", a false
    IG503 and a missed IG601), and a collection stays one (`for_each = "${local.apps}"`)."""
    (tmp_path / "main.tf").write_text(
        'variable "x" { default = null }\nlocals {\n  apps = { one = { tls = "1.0" } }\n}\n'
        'resource "azurerm_linux_web_app" "a" {\n  for_each   = "${local.apps}"\n  https_only = true\n'
        '  site_config {\n    ftps_state          = "${var.x}"\n    minimum_tls_version = each.value.tls\n  }\n}\n'
        'resource "azurerm_container_group" "g" {\n  os_type         = "Linux"\n  ip_address_type = "${var.x}"\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG502,IG503,IG601", "-f", "json", ".", cwd=tmp_path)
    assert sorted((f["rule"], f["resource"]) for f in json.loads(run.out)["findings"]) == [
        ("IG502", 'azurerm_linux_web_app.a["one"]'), ("IG601", "azurerm_container_group.g")]


def test_hidden_and_editor_files_are_no_part_of_the_module(cli, tmp_path):
    """Terraform leaves out names starting with `.`, ending in `~` or wrapped in `#`:
    an editor's lock link made every file depend on a file that cannot be read, and a
    hidden copy's declaration replaced the module's."""
    (tmp_path / "main.tf").write_text('variable "https" { default = true }\n'
                                      'resource "azurerm_linux_web_app" "app" {\n  https_only = var.https\n  site_config {}\n}\n')
    (tmp_path / ".old.tf").write_text('variable "https" { default = false }\n')
    (tmp_path / "main.tf~").write_text('resource "azurerm_linux_web_app" "old" {\n  https_only = false\n}\n')
    (tmp_path / "#main.tf#").write_text('resource "azurerm_linux_web_app" "old" {\n  https_only = false\n}\n')
    (tmp_path / ".#main.tf").symlink_to("user@host.1234:1700000000")
    run = cli("scan", "--no-cache", "--select", "IG501", ".", cwd=tmp_path)
    assert (run.code, run.out) == (0, "No findings in 1 file.\n")


def test_a_loop_over_a_set_takes_each_element_as_its_key(cli, tmp_path):
    """Terraform iterates a set by its elements: a `dynamic` block's and a `for`
    expression's key is the element, a list's its index."""
    assert local('locals {\n  x = { for k, v in toset(["b", "a"]) : k => v }\n}\n', "x") == {"a": "a", "b": "b"}
    assert local('locals {\n  x = [for k, v in ["b", "a"] : k]\n}\n', "x") == [0, 1]
    (tmp_path / "main.tf").write_text('resource "azurerm_linux_web_app" "a" {\n  https_only = true\n  dynamic "site_config" {\n'
                                      '    for_each = toset(["1.0"])\n    content {\n      minimum_tls_version = site_config.key\n    }\n  }\n}\n')
    run = cli("scan", "--no-cache", "--select", "IG502", "-f", "json", ".", cwd=tmp_path)
    assert [(f["line"], f["message"]) for f in json.loads(run.out)["findings"]] == [
        (6, "site_config.minimum_tls_version is 1.0, so clients can connect with TLS older than 1.2")]


def test_a_note_about_a_module_s_own_call_stands_at_the_call_that_leads_to_it(cli, tmp_path):
    """A remote module that a local module calls is told on the scanned file, at the
    `source` of the call that leads to the local module, once, at the first."""
    (tmp_path / "modules" / "wrap").mkdir(parents=True)
    (tmp_path / "modules" / "wrap" / "main.tf").write_text('module "network" {\n  source = "Azure/network/azurerm"\n}\n')
    (tmp_path / "main.tf").write_text('locals {\n  name = "app"\n}\n\nmodule "first" {\n  source = "./modules/wrap"\n}\n\n'
                                      'module "second" {\n  source = "./modules/wrap"\n}\n')
    document = json.loads(cli("scan", "--format", "json", "main.tf", cwd=tmp_path).out)
    assert [(w["path"], w["line"], w["column"], w["message"]) for w in document["warnings"]] == [
        ("main.tf", 6, 12, "module network: remote source Azure/network/azurerm is not fetched, so its resources are not checked (in modules/wrap/main.tf)")]
