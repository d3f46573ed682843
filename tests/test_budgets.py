"""Bounded evaluation (red-team D07, D08, D10, D11): a small hostile file can neither
allocate gigabytes nor keep the CPU busy. It is reported as IG004 at the line where
evaluation stopped, or the value it asks for stays Unknown; the other files' findings
are reported as usual, and the output does not depend on `--jobs` or the cache.

Hostile trees are scanned by the real console script in a child process with its
address space capped and a timeout: a guard against a hang or a blow-up taking the
test run with it, not a speed assertion."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from itertools import accumulate
from pathlib import Path

import pytest

from iacguard import budgets
from iacguard.budgets import MAX_INTEGER_BITS, MAX_NESTING, MAX_STEPS, MAX_VALUE_SIZE
from iacguard.errors import BudgetExceeded

IACGUARD = shutil.which("iacguard", path=str(Path(sys.executable).parent)) or "iacguard"
MEMORY_LIMIT = 1536 * 1024 * 1024
TIMEOUT = 60
WITNESS = ("witness.Dockerfile", "FROM alpine:3.20\nUSER root\n")  # IG201 at 2:6, whatever else fails


def scan(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([IACGUARD, "scan", *args], cwd=root, capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=limit_memory, env=env)


def scan_json(root: Path, *args: str) -> tuple[int, dict]:
    done = scan(root, "--no-cache", "-f", "json", *args)
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def codes_at(report: dict, path: str) -> list[tuple[str, int | None]]:
    return [(error["code"], error["line"]) for error in report["errors"] if error["path"] == path]


def first_over(values, limit: int) -> int:
    """The index of the first value over `limit`."""
    return next(index for index, value in enumerate(values) if value > limit)


# A value doubled i times from 16 characters or items first goes over the size limit at:
DOUBLED = first_over((16 * 2**i for i in range(40)), MAX_VALUE_SIZE)


# Values rebuilt at every step run out of steps before they grow too large. Joining
# a list of n = 2**(i-1) + 1 items with ",," builds 2n + 2 characters, and splitting
# them again 2n - 1 items; spreading a list twice into a new one builds its length,
# then twice its length. The first `x{i}` past the steps of one file is:
JOINED = first_over(accumulate(4 * (2 ** (i - 1) + 1) + 1 for i in range(1, 40)), MAX_STEPS) + 1
SPREAD = first_over(accumulate(3 * 16 * 2 ** (i - 1) for i in range(1, 40)), MAX_STEPS) + 1


def squared_bits(start: int):
    """The bit lengths the operands of each squaring reach, as the budget sees them."""
    value = start
    while True:
        yield 2 * value.bit_length()
        value = value * value


SQUARED = 1 + first_over(squared_bits(3), MAX_INTEGER_BITS)  # the first `x{i}` that cannot be computed

WEB_APP_TF = 'resource "azurerm_linux_web_app" "app" {{\n  name = "x"\n  https_only = false\n  site_config {{\n    application_stack {{\n      docker_image_name = {value}\n    }}\n  }}\n}}\n'
SITE_BICEP = "resource site 'Microsoft.Web/sites@2022-09-01' = {{\n  name: {value}\n  location: 'westeurope'\n  properties: {{\n    httpsOnly: false\n  }}\n}}\n"
ARM_HEAD = '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "contentVersion": "1.0.0.0",\n  "variables": {\n'
ARM_SITE = '  },\n  "resources": [\n    {\n      "type": "Microsoft.Web/sites",\n      "apiVersion": "2022-09-01",\n      "name": "[variables(\'v39\')]",\n      "location": "westeurope",\n      "properties": {"httpsOnly": false}\n    }\n  ]\n}\n'


def tf_locals(first: str, step: str, count: int = 40) -> str:
    """locals x0..x{count-1}, x0 = `first`, each next one `step` of the one before
    (`{p}` names it); x0 stands on line 2, x{i} on line i + 2."""
    lines = ["locals {", f"  x0 = {first}"] + [f"  x{i} = {step.format(p=f'local.x{i - 1}')}" for i in range(1, count)]
    return "\n".join(lines) + "\n}\n"


def bicep_vars(first: str, step: str, count: int = 40) -> str:
    """vars x0..x{count-1} as `tf_locals` declares locals; x{i} stands on line i + 1."""
    return "\n".join([f"var x0 = {first}"] + [f"var x{i} = {step.format(p=f'x{i - 1}')}" for i in range(1, count)]) + "\n"


def arm_variables(first: str, step: str) -> str:
    """variables v0..v39 as `tf_locals` declares locals; v{i} stands on line i + 5."""
    lines = [f'    "v0": {first},'] + [f'    "v{i}": "[{step.format(p=f"variables(" + chr(39) + f"v{i - 1}" + chr(39) + ")")}]",' for i in range(1, 40)]
    return ARM_HEAD + "\n".join(lines).rstrip(",") + "\n" + ARM_SITE


def arm_site(name: str = '"app"', extra: str = "", https: str = "false") -> str:
    """A template of one site: its name on line 8 (`extra` lines before it), its
    `httpsOnly` two lines below."""
    return (ARM_HEAD.replace('  "variables": {\n', '  "resources": [\n    {\n      "type": "Microsoft.Web/sites",\n      "apiVersion": "2022-09-01",\n')
            + f'{extra}      "name": {name},\n      "location": "westeurope",\n      "properties": {{"httpsOnly": {https}}}\n    }}\n  ]\n}}\n')


sixteen = "x" * 16
RANGE = "[string(range(0, 90000000))]"
D07 = {
    # path: (content, line where evaluation stops, message fragment)
    "tf_locals/main.tf": (tf_locals(f'"{sixteen}"', '"${{{p}}}${{{p}}}"') + WEB_APP_TF.format(value="local.x39"), DOUBLED + 2, "string interpolation would build a value of 1,048,576"),
    "tf_format/main.tf": (WEB_APP_TF.format(value='format("%1500000000s", "x")'), 6, "format() would build a value of 1,500,000,01"),
    "tf_replace/main.tf": (WEB_APP_TF.format(value="replace(" * 16 + '"' + "x" * 32 + '"' + ', "x", "xx")' * 16), 6, "replace() would build a value of 1,048,576"),
    "tf_concat/main.tf": (tf_locals(f"[{', '.join(['1'] * 16)}]", "concat({p}, {p})") + WEB_APP_TF.format(value="local.x39[0]"), DOUBLED + 2, "concat() would build a value of 1,048,576"),
    "bicep_vars/main.bicep": (bicep_vars(f"'{sixteen}'", "'${{{p}}}${{{p}}}'") + SITE_BICEP.format(value="x39"), DOUBLED + 1, "string interpolation would build"),
    "bicep_replace/main.bicep": (SITE_BICEP.format(value="replace(" * 16 + "'" + "x" * 32 + "'" + ", 'x', 'xx')" * 16), 2, "replace() would build"),
    "bicep_concat/main.bicep": (bicep_vars(f"[{', '.join(['1'] * 16)}]", "concat({p}, {p})") + SITE_BICEP.format(value="string(x39)"), DOUBLED + 1, "concat() would build"),
    "arm_string/azuredeploy.json": (arm_variables(f'"{sixteen}"', "concat({p}, {p})"), DOUBLED + 5, "concat() would build"),
    "arm_array/azuredeploy.json": (arm_variables(f"[{', '.join(['1'] * 16)}]", "concat({p}, {p})"), DOUBLED + 5, "concat() would build"),
    "docker_arg/Dockerfile": (f"ARG A={sixteen}\n" + "ARG A=${A}${A}\n" * 40 + "FROM alpine:${A}\nUSER root\n", DOUBLED + 1, "variable expansion would build"),
    "docker_env/Dockerfile": (f"FROM alpine:3.20\nENV A={sixteen}\n" + "ENV A=${A}${A}\n" * 40 + "USER root\n", DOUBLED + 2, "variable expansion would build"),
    # Variants: other growing functions and forms, and many copies of one large value,
    # each under the size limit, which together go over the steps of one file.
    # (30 locals: forty of four levels each, 160 in all, would nest past `MAX_NESTING` first.)
    "tf_join/main.tf": (tf_locals('["a", "b"]', 'split(",", join(",,", {p}))', 30) + WEB_APP_TF.format(value="local.x29[0]"), 2 + JOINED, "evaluation steps"),
    "tf_copies/main.tf": (tf_locals(f'"{sixteen}"', '"${{{p}}}${{{p}}}"', DOUBLED) + "locals {\n" + "".join(f'  c{i} = "${{local.x{DOUBLED - 1}}}{i}"\n' for i in range(40)) + "}\n"
                          + WEB_APP_TF.format(value="[" + ", ".join(f"local.c{i}" for i in range(40)) + "]"), DOUBLED + 5, "evaluation steps"),
    "bicep_spread/main.bicep": (bicep_vars(f"[{', '.join(['1'] * 16)}]", "[...{p}, ...{p}]") + SITE_BICEP.format(value="string(x39)"), SPREAD + 1, "evaluation steps"),
    # `string()` of a value of shared parts (each a variable used twice) is sized, not written.
    "bicep_string/main.bicep": (bicep_vars("{a: 1, b: 1}", "{{a: {p}, b: {p}}}") + SITE_BICEP.format(value="string(x39)"), 42, "string() would build"),
    "arm_object_string/azuredeploy.json": (arm_variables('{"a": 1, "b": 1}', "createObject('a', {p}, 'b', {p})").replace(
        "\"[createObject('a', variables('v38'), 'b', variables('v38'))]\"", "\"[string(createObject('a', variables('v38'), 'b', variables('v38')))]\""),
        44, "string() would build"),
    # Two values of shared parts built apart, equal but not the same object, compared part by part.
    "bicep_equals/main.bicep": (bicep_vars("{a: 1}", "{{a: {p}, b: {p}}}") + bicep_vars("{a: 1}", "{{a: {p}, b: {p}}}").replace("x", "y")
                                + SITE_BICEP.format(value="x39 == y39"), 82, "comparing a value of more than"),
    "arm_format/azuredeploy.json": (arm_variables(f'"{sixteen}"', "format('{{0}}-{{0}}', {p})"), 5 + first_over((7 + 2 * (17 * 2 ** (i - 1) - 1) for i in range(1, 40)), MAX_VALUE_SIZE) + 1, "format() would build"),
    # Stopped in a resource's own expressions: at the line of the name, condition or property.
    "arm_name/azuredeploy.json": (arm_site(name=f'"{RANGE}"'), 8, "range() would build"),
    "arm_condition/azuredeploy.json": (arm_site(extra=f'      "condition": "[empty({RANGE[1:-1]})]",\n'), 8, "range() would build"),
    "arm_property/azuredeploy.json": (arm_site(https=f'"[empty({RANGE[1:-1]})]"'), 10, "range() would build"),
    "docker_copies/Dockerfile": (f"FROM alpine:3.20\nENV A={sixteen}\n" + "ENV A=${A}${A}\n" * (DOUBLED - 1) + "".join(f"ENV B{i}=${{A}}\n" for i in range(40)) + "USER root\n", DOUBLED + 3, "evaluation steps"),
}


@pytest.fixture(scope="module")
def d07(tmp_path_factory) -> tuple[int, dict]:
    root = write_tree(tmp_path_factory.mktemp("d07"), {name: content for name, (content, _, _) in D07.items()} | dict([WITNESS]))
    return scan_json(root)


@pytest.mark.parametrize("path", D07)
def test_d07_blow_up_stops_at_the_budget(d07, path):
    code, report = d07
    _, line, fragment = D07[path]
    assert code == 4
    assert path not in {finding["path"] for finding in report["findings"]}
    [error] = [error for error in report["errors"] if error["path"] == path]
    assert (error["code"], error["message"].startswith("evaluation stopped: ")) == ("IG004", True)
    assert fragment in error["message"]
    assert error["line"] == line


def test_d07_other_files_are_still_checked(d07):
    _, report = d07
    assert {(f["rule"], f["line"]) for f in report["findings"] if f["path"] == WITNESS[0]} >= {("IG201", 2)}
    assert [error["code"] for error in report["errors"]] == ["IG004"] * len(D07)


D08 = {
    "tf_square/sq.tf": (tf_locals("3", "{p} * {p}") + 'resource "azurerm_linux_web_app" "app" {\n  name = "x"\n  https_only = local.x39 == 0\n}\n', SQUARED + 2),
    "bicep_square/main.bicep": (bicep_vars("3", "{p} * {p}") + SITE_BICEP.format(value="string(x39)"), SQUARED + 1),
    # Variants: a long literal multiplied at once, and growth by addition.
    "tf_literal/main.tf": (tf_locals("9" * 200, "{p} * {p} * {p}", 3) + WEB_APP_TF.format(value="local.x2"), 3),
    "bicep_sum/main.bicep": (bicep_vars("9" * 308, "{p} + {p}", 3) + SITE_BICEP.format(value="string(x2)"), 2),
}


@pytest.mark.parametrize("path", D08)
def test_d08_integer_growth_stops_at_the_budget(tmp_path, path):
    content, line = D08[path]
    code, report = scan_json(write_tree(tmp_path, {path: content, WITNESS[0]: WITNESS[1]}))
    assert code == 4
    assert codes_at(report, path) == [("IG004", line)]
    [error] = report["errors"]
    assert f"(the limit is {MAX_INTEGER_BITS:,})" in error["message"]
    assert ("IG201", 2) in {(f["rule"], f["line"]) for f in report["findings"] if f["path"] == WITNESS[0]}


D10_UNKNOWN = {
    # Values that cannot be known stay Unknown: the file is checked, nothing fails.
    "index_inf/main.tf": 'local.l[tonumber("1e999")]',
    "index_nan/main.tf": 'local.l[tonumber("nan")]',
    "overflow/main.tf": "local.l[1.5e308 * 10]",
    "ceil_inf/main.tf": 'local.l[ceil(tonumber("-1e999"))]',
    "modulo_zero/main.tf": "local.l[1 % 0]",
}
D10_APP = 'locals {{\n  l = [true]\n}}\nresource "azurerm_linux_web_app" "app" {{\n  name                          = "app"\n  https_only                    = false\n  public_network_access_enabled = {value}\n}}\n'


def test_d10_hostile_numbers_stay_unknown(tmp_path):
    files = {path: D10_APP.format(value=value) for path, value in D10_UNKNOWN.items()}
    files["arm/azuredeploy.json"] = ARM_HEAD + '    "n": "[int(\'' + "9" * 5000 + '\')]",\n    "m": "[add(' + "9" * 5000 + ', 1)]",\n    "v39": "[concat(variables(\'m\'), string(variables(\'n\')))]"\n' + ARM_SITE
    files["bicep/main.bicep"] = "var n = 1 / 0\nvar m = -9223372036854775807 * 2 % 0\n" + SITE_BICEP.format(value="'${n}${m}'")
    code, report = scan_json(write_tree(tmp_path, files))
    assert code == 1
    assert [error for error in report["errors"]] == []
    high = {(f["path"], f["rule"], f["line"]) for f in report["findings"] if f["severity"] == "high"}
    assert high == {(path, "IG501", 6) for path in D10_UNKNOWN} | {("arm/azuredeploy.json", "IG501", 15), ("bicep/main.bicep", "IG501", 7)}
    [warning] = [w for w in report["warnings"] if w["path"] == "arm/azuredeploy.json"]
    assert warning["code"] == "IG003"
    assert warning["message"].startswith("malformed template expression '[add(99999") and warning["message"].endswith(", 1)]': number too long")


def test_d10_digits_past_python_limit_are_a_budget_error(tmp_path):
    """The red-team's third trigger: a number past Python's 4,300-digit text limit is
    never built; squaring stops at the integer budget."""
    hostile = tf_locals("3", "{p} * {p}", 15) + WEB_APP_TF.format(value='"img-${local.x14}"')
    code, report = scan_json(write_tree(tmp_path, {"main.tf": hostile, "other/main.tf": D10_APP.format(value="true")}))
    assert code == 4
    assert codes_at(report, "main.tf") == [("IG004", SQUARED + 2)]
    assert ("other/main.tf", "IG501") in {(f["path"], f["rule"]) for f in report["findings"]}


D11_TREE = {
    "mod/a.tf": 'locals {\n  l   = ["a"]\n  inf = tonumber("1e999")\n  bad = local.l[local.inf]\n}\nresource "azurerm_key_vault" "a" {\n  name = "a"\n  purge_protection_enabled = local.bad\n}\n',
    "mod/b.tf": 'resource "azurerm_linux_web_app" "b" {\n  name                          = "b"\n  public_network_access_enabled = local.bad\n  https_only                    = false\n}\n',
    # Each half of this module spends more than half of one file's steps: with one
    # budget shared by the directory, whichever file came second would fail.
    **{f"heavy/{name}.tf": tf_locals(f'"{sixteen}"', '"${{{p}}}${{{p}}}"', DOUBLED).replace("x", name)
       + f'resource "azurerm_linux_web_app" "{name}" {{\n  https_only = false\n  public_network_access_enabled = local.{name}{DOUBLED - 1} == ""\n}}\n' for name in "ab"},
    **{f"f{i}.Dockerfile": "FROM alpine:3.20\n" for i in range(14)},  # enough files for -j 2 to use workers
}


def test_d11_output_is_the_same_for_any_jobs_and_cache(tmp_path):
    assert sum(16 * 2**i for i in range(DOUBLED)) > MAX_STEPS // 2  # the heavy halves need this
    root = write_tree(tmp_path / "tree", D11_TREE)
    one = scan(root, "--no-cache", "-j", "1", "-f", "json")
    two = scan(root, "--no-cache", "-j", "2", "-f", "json")
    env = {key: value for key, value in os.environ.items() if key != "IACGUARD_NO_CACHE"}
    cache = str(tmp_path / "cache")
    scan(root, "-j", "1", "--cache-dir", cache, "mod/b.tf", "heavy/b.tf", env=env)
    warm = scan(root, "-j", "1", "--cache-dir", cache, "-f", "json", env=env)
    assert one.stdout == two.stdout == warm.stdout
    assert (one.returncode, two.returncode, warm.returncode) == (1, 1, 1)
    report = json.loads(one.stdout)
    assert report["errors"] == []
    found = {(f["path"], f["rule"], f["line"]) for f in report["findings"]}
    heavy_https = DOUBLED + 4  # after `locals {`, the locals, `}` and the resource line
    assert {("mod/b.tf", "IG501", 4), ("heavy/a.tf", "IG501", heavy_https), ("heavy/b.tf", "IG501", heavy_https)} <= found
    assert sum(path == "mod/b.tf" for path, _, _ in found) == 3


def test_budgets_are_constants_no_config_can_raise(tmp_path):
    for name in ("max_value_size", "max_steps", "max_integer_bits", "budgets"):
        (tmp_path / ".iacguard.yaml").write_text(f"{name}: 1000000000000\n", encoding="utf-8")
        done = scan(tmp_path, "--no-cache")
        assert done.returncode == 2
        assert f"unknown key {name!r}" in done.stderr
    config_source = (Path(budgets.__file__).parent / "config.py").read_text(encoding="utf-8")
    assert "budgets" not in config_source
    # The module documentation (quoted in the README) states the values in force.
    constants = {"MAX_VALUE_SIZE": 1_000_000, "MAX_INTEGER_BITS": 1_024, "MAX_STEPS": 2_000_000, "MAX_LOOP_INSTANCES": 1_000,
                 "MAX_MODULE_DEPTH": 10, "MAX_MODULE_INSTANCES": 500, "MAX_REGEX_PROGRAM": 10_000, "MAX_REGEX_GROUPS": 100,
                 "MAX_DISTINCT_COLLECTIONS": 1_000}
    for name, value in constants.items():
        assert getattr(budgets, name) == value
        assert f"`{name}` = {value:,}:" in budgets.__doc__


@pytest.mark.parametrize("calls", [4, 6])
def test_d09_module_fan_out_stops_at_the_instance_budget(tmp_path, calls):
    """The red-team's fan-out: N module calls a level, 8 levels (4**8 = 65,536
    instances) took minutes; now the calling file is IG004 at once, and the other
    files are checked."""
    terraform = {f"d{level}/main.tf": "".join(f'module "m{k}" {{\n  source = "../d{level + 1}"\n}}\n' for k in range(calls))
                 + f'resource "azurerm_key_vault" "kv{level}" {{\n  name = "kv"\n}}\n' for level in range(8)}
    bicep = {f"l{level}.bicep": "".join(f"module m{k} './l{level + 1}.bicep' = {{\n  name: 'm{k}'\n}}\n" for k in range(calls))
             for level in range(10)}
    root = write_tree(tmp_path, {".git/HEAD": "", **terraform, "d8/main.tf": "", **bicep, "l10.bicep": "", "other/main.tf": D10_APP.format(value="true")})
    code, report = scan_json(root, "d0", "l0.bicep", "other")
    assert code == 4
    errors = {(e["path"], e["code"]) for e in report["errors"]}
    assert {("d0/main.tf", "IG004"), ("l0.bicep", "IG004")} <= errors
    assert all(code == "IG004" for _, code in errors)
    assert ("other/main.tf", "IG501") in {(f["path"], f["rule"]) for f in report["findings"]}
    message = next(e["message"] for e in report["errors"] if e["path"] == "l0.bicep")
    assert "more than 500 module instances" in message


def test_module_depth_is_a_budget_and_a_cycle_a_warning(tmp_path):
    chain = {f"c{level}.bicep": f"module next './c{level + 1}.bicep' = {{\n  name: 'n'\n}}\n" for level in range(12)}
    root = write_tree(tmp_path, {**chain, "c12.bicep": "", "self.bicep": "module me './self.bicep' = {\n  name: 'me'\n}\n"})
    code, report = scan_json(root, "c0.bicep", "self.bicep")
    assert code == 4
    assert [(e["path"], e["code"], e["message"]) for e in report["errors"]] == [
        ("c0.bicep", "IG004", "evaluation stopped: module calls nest more than 10 deep (in c10.bicep, line 1)"),
    ]
    assert [(w["path"], w["code"]) for w in report["warnings"]] == [("self.bicep", "IG003")]


def test_a_budget_error_in_a_module_s_file_names_that_file_and_its_line(tmp_path):
    """A file whose module stops the evaluation is incomplete; the line is the
    module's, so it is told with the module's name and never given as the caller's."""
    registry = "resource r 'Microsoft.ContainerRegistry/registries@2023-07-01' = {{\n  name: {name}\n  location: 'westeurope'\n}}\n"
    root = write_tree(tmp_path, {
        "mod.bicep": registry.format(name=RANGE[1:-1]),
        "mod.json": arm_site(name=f'"{RANGE}"'),
        "bicep.bicep": "param p string = 'x'\n\nmodule m 'mod.bicep' = {\n  name: 'm'\n}\n",
        "arm.bicep": "param p string = 'x'\n\nmodule m 'mod.json' = {\n  name: 'm'\n}\n",
    })
    code, report = scan_json(root, "bicep.bicep", "arm.bicep", "mod.bicep")
    assert code == 4
    stopped = "evaluation stopped: range() would build a value of 90,000,000 characters or items (the limit is 1,000,000)"
    assert sorted((e["path"], e["line"], e["message"]) for e in report["errors"]) == [
        ("arm.bicep", None, f"{stopped} (in mod.json, line 8)"),
        ("bicep.bicep", None, f"{stopped} (in mod.bicep, line 2)"),
        ("mod.bicep", 2, stopped),
    ]


@pytest.mark.parametrize(("name", "text", "line"), [
    ("main.tf", 'locals {\n  n = ' + "7" * 5000 + '\n}\n', 2),
    ("main.tf", 'locals {\n  l = [true]\n  n = local.l[' + "9" * 400 + ']\n}\n', 3),
    ("main.bicep", "var n = " + "7" * 5000 + "\n", 1),
])
def test_number_literals_past_the_integer_budget_are_refused_before_conversion(tmp_path, name, text, line):
    code, report = scan_json(write_tree(tmp_path, {name: text, "other/main.tf": D10_APP.format(value="true")}))
    assert code == 4
    assert codes_at(report, name) == [("IG004", line)]
    assert ("other/main.tf", "IG501") in {(f["path"], f["rule"]) for f in report["findings"]}


def _bicep_site(https: str, before: str = "") -> str:
    return before + f"resource site 'Microsoft.Web/sites@2022-09-01' = {{\n  name: 'app'\n  properties: {{\n    httpsOnly: {https}\n  }}\n}}\n"


def _tf_site(https: str, before: str = "") -> str:
    return before + f'resource "azurerm_linux_web_app" "app" {{\n  name = "app"\n  https_only = {https}\n  site_config {{}}\n}}\n'


def _arm_site(https: str, variables: dict | None = None) -> str:
    return json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
                       "variables": variables or {}, "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "app",
                                                                    "properties": {"httpsOnly": https}}]}, indent=2)


def _chain(declare: str, use: str, n: int) -> str:
    """`n` declarations, the first `false`, each next one naming the one before."""
    return "".join(declare.format(i=i, value="false" if i == 0 else use.format(i=i - 1)) for i in range(n))


def _yaml_heredoc(text: str) -> str:
    return f"<<EOT\n{text}EOT\n"


# path: (text for a depth of n, n past the limit, n within it, where evaluation stops past it, the message)
CHAINED = f"expressions and the variables they use nest more than {MAX_NESTING} levels deep"
JSON_DEEP = f"a decoded JSON document nests more than {MAX_NESTING} levels deep"
YAML_DEEP = f"a decoded YAML document nests more than {MAX_NESTING} levels deep"
NESTING = {
    "bicep_vars/main.bicep": (lambda n: _bicep_site(f"v{n - 1}", _chain("var v{i} = {value}\n", "v{i}", n)), 300, 60, 239, CHAINED),
    "bicep_params/main.bicep": (lambda n: _bicep_site(f"p{n - 1}", _chain("param p{i} bool = {value}\n", "p{i}", n)), 300, 60, 239, CHAINED),
    "arm_variables/azuredeploy.json": (lambda n: _arm_site(f"[variables('v{n - 1}')]", {f"v{i}": f"[variables('v{i - 1}')]" if i else False for i in range(n)}),
                                       300, 60, 242, CHAINED),
    "tf_locals/main.tf": (lambda n: _tf_site(f"local.v{n - 1}", "locals {\n" + _chain("  v{i} = {value}\n", "local.v{i}", n) + "}\n"), 300, 60, 239, CHAINED),
    "bicep_json/main.bicep": (lambda n: _bicep_site(f"length(json('{'[' * n}{']' * n}')) == 1 ? false : true"), 3000, 3, 4, JSON_DEEP),
    "arm_json/azuredeploy.json": (lambda n: _arm_site(f"[if(equals(length(json('{'[' * n}{']' * n}')), 1), false(), true())]"), 3000, 3, 11, JSON_DEEP),
    "tf_jsondecode/main.tf": (lambda n: _tf_site(f'length(jsondecode("{"[" * n}{"]" * n}")) == 1 ? false : true'), 3000, 3, 3, JSON_DEEP),
    # Past libyaml's own limit (1,000), which it meets before the first event of a flow collection.
    "tf_yamldecode/main.tf": (lambda n: _tf_site(f'length(yamldecode("{"[" * n}{"]" * n}")) == 1 ? false : true'), 3000, 3, 3, YAML_DEEP),
    "tf_yamldecode_block/main.tf": (lambda n: _tf_site("length(yamldecode(" + _yaml_heredoc("".join("  " * i + "-\n" for i in range(n)) + "  " * n + "- x\n")
                                                       + ")) == 1 ? false : true"), 300, 3, 3, YAML_DEEP),
    # Each anchor holds the one before: the text is two levels deep, the value n.
    "tf_yamldecode_aliases/main.tf": (lambda n: _tf_site("length(yamldecode(" + _yaml_heredoc("".join(f"a{i}: &a{i} [{f'*a{i - 1}' if i else 'x'}]\n" for i in range(n)))
                                                         + f")) == {n} ? false : true"), 300, 3, 3, YAML_DEEP),
}


@pytest.fixture(scope="module")
def nesting(tmp_path_factory) -> tuple[int, dict]:
    files = {f"past/{path}": text(past) for path, (text, past, _, _, _) in NESTING.items()}
    files |= {f"within/{path}": text(within) for path, (text, _, within, _, _) in NESTING.items()}
    return scan_json(write_tree(tmp_path_factory.mktemp("nesting"), files))


@pytest.mark.parametrize("path", NESTING)
def test_nesting_past_the_budget_stops_the_file_where_it_stopped(nesting, path):
    """A chain of variables, parameters or locals, each naming the one before, and a
    decoded JSON or YAML document nested too deep: each stops the file with IG004 at
    the line where evaluation stopped. They were read as unknown (Bicep, decoded
    documents), and the file passed with the app's setting unread; or stopped where
    Python's stack ran out (ARM, Terraform), at a depth that changed with the path
    through the evaluator. Within the limit, the same text is read and reported."""
    code, report = nesting
    _, _, _, line, message = NESTING[path]
    assert code == 4
    assert [(e["code"], e["line"], e["message"]) for e in report["errors"] if e["path"] == f"past/{path}"] == [("IG004", line, f"evaluation stopped: {message}")]
    assert not [e for e in report["errors"] if e["path"] == f"within/{path}"]
    assert {f["rule"] for f in report["findings"] if f["path"] == f"within/{path}"} >= {"IG501"}


@pytest.mark.parametrize("text", [
    _tf_site("tobool(" * 200 + "false" + ")" * 200),  # five frames of Python's stack a level
    _arm_site("[length(" + "".join(f"map(createArray(1), lambda('x{i}', " for i in range(100)) + "createArray(1)" + "))" * 100 + ")]"),
    _arm_site(f"[variables('o'){'.a' * 200}]", {"o": json.loads('{"a": ' * 200 + "false" + "}" * 200)}),
    _arm_site("[variables('v199')]", {f"v{i}": f"[variables('v{i - 1}')]" if i else False for i in range(200)}),
    _bicep_site("length(" + "".join(f"map([1], x{i} => " for i in range(90)) + "[false]" + ")" * 90 + ") == 1"),
])
def test_the_nesting_budget_stops_evaluation_before_python_s_stack_does(cli, tmp_path, text):
    """The deepest paths through each evaluator, scanned 200 frames further down
    Python's stack than the command line stands (a test runner, module calls): the
    budget still stops them, with the same message, not the stack."""
    name = "main.bicep" if "resource site" in text else "main.tf" if "https_only" in text else "azuredeploy.json"
    (tmp_path / name).write_text(text)

    def scanned(frames: int):
        return scanned(frames - 1) if frames else cli("scan", "--no-cache", name, cwd=tmp_path)

    run = scanned(200)
    assert run.code == 4 and f"IG004 [error] evaluation stopped: {CHAINED}" in run.out


def test_a_budget_refusal_leaves_no_level_behind():
    """An evaluation that stops past the nesting budget gives back every level it
    entered: a budget shared by the evaluations that go on after it (a plan's
    expansions) counts from where it stood."""
    from iacguard.evaluators.terraform import ModuleScope
    from iacguard.parsers import hcl

    chain = hcl.parse("locals {\n" + _chain("  v{i} = {value}\n", "local.v{i}", 300) + "}\n")
    scope = ModuleScope({}, {name: attribute.value for name, attribute in chain.body.blocks[0].body.attributes.items()})
    with pytest.raises(BudgetExceeded, match=CHAINED):
        scope.evaluate(chain.body.blocks[0].body.attributes["v299"].value)
    assert scope.budget.depth == 0
    assert scope.evaluate(chain.body.blocks[0].body.attributes["v60"].value) is False


@pytest.mark.parametrize(("text", "deep"), [
    ("[" * MAX_NESTING + "]" * MAX_NESTING, False),
    ("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), True),
    ('["' + "[" * 500 + '"]', False),  # brackets in a string are text
    ('["\\"' + "[" * 500 + '"]', False),  # an escaped quote does not end the string
    ('{"a": ' * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1), True),
])
def test_a_decoded_json_text_is_measured_before_it_is_decoded(text, deep):
    if deep:
        with pytest.raises(BudgetExceeded, match=f"a decoded JSON document nests more than {MAX_NESTING} levels deep"):
            budgets.check_json_nesting(text)
    else:
        budgets.check_json_nesting(text)


def _web_app(name: str, loop: str, body: str = "") -> str:
    return f'resource "azurerm_linux_web_app" "{name}" {{\n  {loop}\n  name = "app"\n{body}}}\n'


@pytest.mark.parametrize(("loop", "line"), [
    ("count = 1001", 2),
    ('for_each = toset(split(",", "' + ",".join(f"n{i}" for i in range(1001)) + '"))', 2),
    ("count = 1000", None),
])
def test_a_loop_over_the_instance_budget_is_refused_before_it_is_expanded(tmp_path, loop, line):
    code, report = scan_json(write_tree(tmp_path, {"main.tf": _web_app("app", loop), "other/main.tf": D10_APP.format(value="true")}))
    if line is None:  # at the limit: every instance is checked
        assert code == 1
        assert len([f for f in report["findings"] if f["path"] == "main.tf" and f["rule"] == "IG501"]) == 1000
        return
    assert code == 4
    assert codes_at(report, "main.tf") == [("IG004", line)]
    assert "a loop of 1,001 instances (the limit is 1,000)" in report["errors"][0]["message"]
    assert ("other/main.tf", "IG501") in {(f["path"], f["rule"]) for f in report["findings"]}


def test_a_dynamic_block_over_the_instance_budget_is_refused(tmp_path):
    items = ", ".join(["true"] * 1001)
    group = ('resource "azurerm_container_group" "g" {\n  name = "g"\n  dynamic "container" {\n'
             f'    for_each = [{items}]\n    content {{\n      name = "c"\n    }}\n  }}\n}}\n')
    code, report = scan_json(write_tree(tmp_path, {"main.tf": group}))
    assert code == 4
    assert codes_at(report, "main.tf") == [("IG004", 4)]


def test_loops_inside_module_instances_multiply_into_the_step_budget(tmp_path):
    """400 module instances (under the module budget) of 1,000 resources each (under
    the loop budget): the instances spend the calling file's steps, which stop them."""
    files = {"main.tf": 'module "m" {\n  source = "./m"\n  count  = 400\n}\n',
             "m/main.tf": _web_app("app", "count = 1000", '  https_only = count.index > 0\n')}
    code, report = scan_json(write_tree(tmp_path, files), "main.tf")
    assert code == 4
    assert [(e["code"], "evaluation steps" in e["message"]) for e in report["errors"]] == [("IG004", True)]


def test_a_hostile_regular_expression_is_linear_and_bounded(tmp_path):
    """`(a|a)*(a|a)*c` against a run of `a`s backtracks for ever in Python's engine;
    here it takes one pass (a short text is answered, a long one stops at the step
    budget)."""
    def app(length: int) -> str:
        return D10_APP.format(value=f'!can(regex("(a|a)*(a|a)*c", "{"a" * length}"))')
    code, report = scan_json(write_tree(tmp_path, {"short/main.tf": app(20_000), "long/main.tf": app(300_000)}))
    assert code == 4
    assert codes_at(report, "long/main.tf") == [("IG004", 7)]
    assert codes_at(report, "short/main.tf") == []
    assert ("short/main.tf", "IG506") in {(f["path"], f["rule"]) for f in report["findings"]}  # no match: can() is false


@pytest.mark.parametrize(("pattern", "text"), [
    ("[" + "".join(chr(0x100 + 2 * n) for n in range(9_000)) + "]", "a" * 40_000),  # a class is one bisection, not 9,000 tests
    ("()" * 3_000 + "x", "a" * 2_000),  # past the group limit: not read
    ("a{" * 500_000 + "}", "a"),  # each brace looked for its count's end: the square of the pattern (and now too long)
    ("[" + "abcdefghij" * 10_000 + "]", "z" * 2_000),  # a class tried each of its 100,000 items for every character
])
def test_hostile_regular_expressions_cost_their_size_not_its_square(pattern, text):
    """Patterns whose compiling or matching once took half a minute to minutes: each
    finishes in a fraction of that, spending the budget, or is not read at all."""
    import time

    from iacguard.evaluators import regex

    started = time.process_time()
    try:
        regex.compile_pattern(pattern).search(text, spend=budgets.Budget().step)
    except (regex.Unsupported, BudgetExceeded):
        pass
    assert time.process_time() - started < 5


_ARM = '{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",\n{variables}"resources": [\n{resource}]}}\n'
_ARM_SITE = '{{"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "[concat(\'app-\', copyIndex())]",\n{extra}"properties": {properties}}}\n'


@pytest.mark.parametrize(("name", "text", "line"), [
    ("resources.json", _ARM.format(variables="", resource=_ARM_SITE.format(extra='"copy": {"name": "apps", "count": 1001},\n', properties="{}")), 4),
    ("properties.json", _ARM.format(variables="", resource=_ARM_SITE.format(
        extra="", properties='{"siteConfig": {"copy": [{"name": "ipSecurityRestrictions", "count": 1001, "input": {}}]}}')), 4),
    ("variables.json", _ARM.format(variables='"variables": {"copy": [{"name": "many", "count": 1001, "input": 1}]},\n', resource=_ARM_SITE.format(
        extra="", properties='{"httpsOnly": "[equals(length(variables(\'many\')), 1)]"}')), 2),
    ("resources.bicep", "resource apps 'Microsoft.Web/sites@2022-09-01' = [for i in range(0, 1001): {\n  name: 'app-${i}'\n}]\n", 1),
    ("properties.bicep", "resource app 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'app'\n  properties: {\n"
     "    httpsOnly: length([for i in range(0, 1001): i]) == 1\n  }\n}\n", 4),
])
def test_an_arm_or_bicep_loop_over_the_instance_budget_is_refused(tmp_path, name, text, line):
    code, report = scan_json(write_tree(tmp_path, {name: text, "other/main.tf": D10_APP.format(value="true")}))
    assert code == 4
    assert codes_at(report, name) == [("IG004", line)]
    assert "of 1,001 instances (the limit is 1,000)" in report["errors"][0]["message"]
    assert ("other/main.tf", "IG501") in {(f["path"], f["rule"]) for f in report["findings"]}


def test_bicep_loops_multiplied_through_module_instances_stay_bounded(tmp_path):
    """Ten module instances of a 1,000-site loop would be 10,000 apps: the instances
    spend the file's steps, and the scan stops with IG004."""
    write_tree(tmp_path, {
        "main.bicep": "module sites 'site.bicep' = [for i in range(0, 10): {\n  name: 'sites-${i}'\n  params: {\n    prefix: 'p${i}'\n  }\n}]\n",
        "site.bicep": "param prefix string\nresource apps 'Microsoft.Web/sites@2022-09-01' = [for i in range(0, 1000): {\n  name: '${prefix}-${i}'\n}]\n",
    })
    code, report = scan_json(tmp_path, "main.bicep")
    assert code == 4
    assert [error["code"] for error in report["errors"]] == ["IG004"]


def test_a_template_of_many_interpolations_parses_in_time_proportional_to_its_length():
    """Each interpolation is parsed alone: parsing it behind its line's worth of
    blank lines made 20,000 of them take half a minute."""
    import time

    from iacguard.parsers import hcl

    def seconds(count: int) -> float:
        text = "locals {\n  t = <<EOT\n" + "${a}\n" * count + "EOT\n}\n"
        started = time.process_time()
        parsed = hcl.parse(text)
        spent = time.process_time() - started
        assert parsed.body.blocks[0].body.attributes["t"].value.parts[-2].line == count + 2  # the last interpolation, on its line
        return spent

    small, large = seconds(2_000), seconds(16_000)
    assert large < 8 * small * 3 + 0.5, (small, large)  # linear with room for noise; the square would be 64 times


def test_templatefile_pays_for_its_template_and_reads_it_once(tmp_path):
    """A template is a value the file builds: past the value limit the file is
    incomplete (IG004); under it, fifty calls in a hundred instances finish."""
    (tmp_path / ".git").mkdir()
    calls = "".join(f'  s{number} = templatefile("t.tpl", {{v = "a"}})\n' for number in range(50))
    (tmp_path / "main.tf").write_text("locals {\n" + calls + "}\n"
                                      'resource "azurerm_linux_web_app" "a" {\n  count = 100\n  https_only = length(local.s1) > 0 ? false : true\n}\n')
    (tmp_path / "t.tpl").write_text("x" * (MAX_VALUE_SIZE // 2) + "${v}\n")
    run = subprocess.run([sys.executable, "-m", "iacguard", "scan", "--no-cache", "--select", "IG501", "-f", "json", "main.tf"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and len(json.loads(run.stdout)["findings"]) == 100, run.stdout[-500:]
    (tmp_path / "t.tpl").write_text("x" * (MAX_VALUE_SIZE + 1) + "${v}\n")
    run = subprocess.run([sys.executable, "-m", "iacguard", "scan", "--no-cache", "main.tf"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 4 and "IG004 [error] evaluation stopped: templatefile() would build a value" in run.stdout, run.stdout


def test_module_repeats_are_found_by_lookup_not_by_comparing_every_pair():
    """A module with two thousand instances of a finding at one place, called from
    eight files: the module's own findings are matched to its callers' in one pass (the
    comparison of every pair took half a minute)."""
    import time
    from types import SimpleNamespace

    from iacguard.runner import without_module_repeats

    def finding(address: str, head: int = 1):
        location = SimpleNamespace(path="modules/web/main.tf", line=3, column=5, via=())
        declaration = ("web_app", "modules/web/main.tf", head, 1)
        return SimpleNamespace(code="IG501", location=location, resource=SimpleNamespace(address=address), declaration=declaration)

    alone = [finding(f"azurerm_linux_web_app.app[{number}]") for number in range(2_000)] + [finding("azurerm_linux_web_app.other", head=2)]
    callers = [[finding(f'module.web["{caller}"].azurerm_linux_web_app.app[{number}]') for number in range(2_000)] for caller in range(8)]
    started = time.process_time()
    kept = without_module_repeats([alone, *callers])
    assert time.process_time() - started < 3
    assert len(kept) == 16_001 and kept[0].resource.address == "azurerm_linux_web_app.other"


def test_module_sources_are_read_in_one_pass(tmp_path):
    """Which files call a changed module is read from every Terraform file of the
    root; a file of 40,000 module heads without a source was read again after each
    (8 s for half as many), and is now read once."""
    import time

    files = {"heads.tf": 'module "x" {\n' * 40_000, "app/main.tf": D10_APP.format(value="false")}
    started = time.monotonic()
    code, report = scan_json(write_tree(tmp_path, files), "--root", ".", "app/main.tf")
    assert time.monotonic() - started < 10  # the file read once per module head took half a minute
    assert code == 1 and codes_at(report, "app/main.tf") == []



def test_values_of_shared_parts_passed_to_modules_stay_bounded(tmp_path):
    """A module argument made of shared parts (2**40 leaves from 40 variables) and one
    nested a thousand deep are paid for as they are moved into the module, and stop
    the file with IG004, never a hang, a memory error or a mislabelled parse error."""
    modules = "".join(f"module {name} '{source}' = {{\n  name: '{name}'\n  params: {{\n    p: {value}\n  }}\n}}\n"
                      for name, source in (("b", "child.bicep"), ("j", "child.json")) for value in ("x39",))
    write_tree(tmp_path, {
        "shared.bicep": bicep_vars("{a: 1, b: 1}", "{{a: {p}, b: {p}}}") + modules,
        "deep.bicep": "var x39 = reduce(range(0, 1000), [], (acc, i) => [acc])\n" + modules,
        "child.bicep": "param p object\n",
        "child.json": json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                                  "parameters": {"p": {"type": "object"}}, "resources": []}),
    })
    code, report = scan_json(tmp_path, "shared.bicep", "deep.bicep")
    assert code == 4
    assert sorted((error["path"], error["code"], error["message"]) for error in report["errors"]) == [
        ("deep.bicep", "IG004", "evaluation stopped: values nested too deeply"),
        ("shared.bicep", "IG004", f"evaluation stopped: more than {MAX_STEPS:,} evaluation steps"),
    ]


def test_the_collector_waits_for_the_end_of_each_file_and_runs_again_after(cli, tmp_path, monkeypatch):
    """`collector_paused`: off while a file is scanned (a broken one too) and while a
    YAML tree is built within it, on again after, also when the work stops with an
    error."""
    import gc

    from iacguard import runner

    states = []
    original = runner.scan_file

    def watched(*args):
        states.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(runner, "scan_file", watched)
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nUSER 10001\n")
    (tmp_path / "broken.tf").write_text('resource "x" {\n')
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx}]\n")
    assert cli("scan", "--jobs", "1", str(tmp_path)).code == 4  # the broken file is incomplete
    assert states == [False, False, False] and gc.isenabled()

    with pytest.raises(ValueError), budgets.collector_paused():
        with budgets.collector_paused():
            pass
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()



def test_findings_on_one_long_line_hash_it_within_the_budget(tmp_path, monkeypatch):
    """A minified JSON `List` holds every finding on one line, and each finding's
    fingerprint hashes that line: past `MAX_FINGERPRINT_TEXT` characters the file is
    IG004 at once (a 10 MB line of findings would hash for hours), and below it the
    line is folded once, not once per finding."""
    from iacguard import runner
    from iacguard.cli import main

    pods = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}", "namespace": "n"},
             "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}} for i in range(40)]
    (tmp_path / "list.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": pods}))
    monkeypatch.chdir(tmp_path)
    folded = []
    fold = runner._SPACE.sub
    monkeypatch.setattr(runner._SPACE, "sub", lambda *args: folded.append(args[1][:20]) or fold(*args))
    assert main(["scan", "--no-cache", "--format", "json", "-o", "all.json", "list.json"]) == 1
    assert len(json.loads((tmp_path / "all.json").read_text())["findings"]) > 200
    assert folded == ['{"apiVersion": "v1",']
    line = len((tmp_path / "list.json").read_text())
    monkeypatch.setattr(runner, "MAX_FINGERPRINT_TEXT", line * 100)  # fewer than the findings, twice
    assert main(["scan", "--no-cache", "--format", "json", "-o", "report.json", "list.json"]) == 4
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["findings"] == []
    assert [(error["code"], error["message"]) for error in report["errors"]] == [
        ("IG004", f"evaluation stopped: the findings' fingerprints would hash more than {line * 100:,} characters of their lines")]
    # Nor does a report list the file's checks as passed (JUnit's test cases).
    assert main(["scan", "--no-cache", "--format", "junit", "-o", "report.xml", "list.json"]) == 4
    assert "IG203" not in (tmp_path / "report.xml").read_text()
