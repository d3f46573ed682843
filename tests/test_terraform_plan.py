"""Terraform plans (`terraform show -json`): claimed by content, instances mapped back
to their resource blocks, sensitive values never shown, budgets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from iacguard.normalizers.terraform_plan import module_calls
from iacguard.parsers.terraform_plan import is_plan
from support import TESTDATA, refusals

SECRET = "Pl4in-Regi5try-Passw0rd"  # the registry password of testdata/IG603/terraform-plan


@pytest.mark.parametrize(
    ("head", "plan"),
    [
        ('{"format_version":"1.2","terraform_version":"1.9.8","variables":{"a":{"value":1}},"planned_values":{}}', True),
        ('{\n  "format_version": "1.0",\n  "resource_changes": []\n}', True),
        ('{"format_version":"1.2","terraform_version":"1.9.8","variables":{"long":{"value":"' + "x" * 9000, True),  # cut at 8 KiB
        ('{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{}}}', False),  # a state
        ('{"format_version":"1.0","provider_schemas":{}}', False),
        ('{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","variables":{}}', False),
        ('["format_version", "planned_values"]', False),
    ],
)
def test_a_plan_is_told_by_its_first_bytes(head, plan):
    assert is_plan(head[:8192]) is plan


@pytest.mark.parametrize(
    ("address", "calls"),
    [
        ("", ()),
        ("module.app", ("app",)),
        ('module.app["eu-west"].module.db[0]', ("app", "db")),
        ('module.app["a.b \\" module.c"]', ("app",)),
        ("module.app.", None),
        ("azurerm_x.y", None),
    ],
)
def test_module_addresses_name_their_calls(address, calls):
    assert module_calls(address) == calls


def copy_fixtures(tmp_path, code: str):
    folder = tmp_path / code
    shutil.copytree(TESTDATA / code / "terraform-plan", folder)
    return folder


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit"])
def test_sensitive_values_are_never_shown(cli, tmp_path, output_format):
    folder = copy_fixtures(tmp_path, "IG603")
    plan = json.loads((folder / "fail_password.json").read_text())
    # The same resource again in a module that is not on disk, located in the plan itself.
    change = json.loads(json.dumps(plan["resource_changes"][0]))
    change.update(address="module.remote.azurerm_container_group.jobs", module_address="module.remote")
    change["change"]["after"]["ip_address_type"] = "Public"
    change["change"]["after_sensitive"]["ip_address_type"] = True
    change["change"]["after"]["container"][0]["environment_variables"] = {"API_TOKEN": SECRET}
    change["change"]["after_sensitive"]["container"] = [{"environment_variables": {"API_TOKEN": True}}]
    plan["resource_changes"].append(change)
    plan["configuration"] = {"root_module": {"module_calls": {"remote": {"source": "app.terraform.io/org/jobs/azurerm"}}}}
    (folder / "fail_password.json").write_text(json.dumps(plan, indent=2))
    run = cli("scan", "--no-cache", "--select", "all", "-v", "--format", output_format, "fail_password.json", cwd=folder)
    assert run.code == 1
    assert "IG603" in run.out and "module.remote" in run.out
    assert SECRET not in run.out + run.err


def test_findings_point_at_the_configuration_and_a_note_names_a_module_not_on_disk(cli, tmp_path):
    folder = copy_fixtures(tmp_path, "IG601")
    run = cli("scan", "--no-cache", "--select", "IG601", "-v", "fail_public.json", cwd=folder)
    assert run.code == 1
    assert run.lines[:3] == [
        "fail_public.json:32:5: IG006 [note] module.edge: source Azure/avm-res-containerinstance-containergroup/azurerm is not on disk "
        "(never fetched), so its resources' findings point into the plan",
        "fail_public.json:39:46: IG601 [high] ip_address_type is Public, so the container group has a public IP address (module.edge.azurerm_container_group.this)",
        "main.tf:14:25: IG601 [high] ip_address_type is Public, so the container group has a public IP address (azurerm_container_group.jobs[0])",
    ]


def test_a_plan_without_its_configuration_points_into_itself(cli, tmp_path):
    shutil.copy(TESTDATA / "IG701" / "terraform-plan" / "fail_admin.json", tmp_path / "plan.json")
    run = cli("scan", "--no-cache", "--select", "IG701", "-v", "plan.json", cwd=tmp_path)
    assert run.code == 1
    assert run.lines[:2] == [
        "plan.json:8:9: IG006 [note] azurerm_container_registry.acr: no resource block for it beside the plan, so its findings point into the plan",
        "plan.json:13:76: IG701 [high] admin_enabled is true, so the registry has a shared admin user with push and pull rights (azurerm_container_registry.acr)",
    ]


def test_a_finding_of_the_plan_and_of_its_configuration_is_reported_once(cli, tmp_path):
    folder = copy_fixtures(tmp_path, "IG501")
    run = cli("scan", "--no-cache", "--select", "IG501", ".", cwd=folder)
    portal = [line for line in run.lines if "azurerm_windows_web_app.portal" in line]
    assert portal == ["main.tf:22:1: IG501 [high] https_only is not set and defaults to false, so the app also serves plain HTTP (azurerm_windows_web_app.portal)"]


def test_a_suppression_in_the_configuration_covers_the_plans_finding(cli, tmp_path):
    folder = copy_fixtures(tmp_path, "IG701")
    main = folder / "main.tf"
    main.write_text(main.read_text().replace("  admin_enabled", "  # iacguard:ignore IG701 -- dev only\n  admin_enabled"))
    run = cli("scan", "--no-cache", "--select", "IG701", "--format", "json", "fail_admin.json", cwd=folder)
    (finding,) = json.loads(run.out)["findings"]
    assert run.code == 0 and finding["suppressed"] and finding["path"] == "main.tf" and finding["line"] == 17


def test_a_local_module_outside_the_scan_root_is_refused(cli, tmp_path):
    folder = copy_fixtures(tmp_path, "IG901")
    (folder / ".git").mkdir()
    plan = json.loads((folder / "fail_purge.json").read_text())
    plan["configuration"]["root_module"]["module_calls"]["vault"]["source"] = "../outside"
    (tmp_path / "outside").mkdir()
    text = json.dumps(plan, indent=1)
    (folder / "fail_purge.json").write_text(text)
    run = cli("scan", "--no-cache", "--select", "IG901", "fail_purge.json", cwd=folder)
    assert run.code == 4
    before = text[:text.index('"../outside"')]  # the plan names the module at its `source`
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    assert (line, column) == (50, 16)
    assert refusals(run) == [f"fail_purge.json:50:16: IG005 [error] depends on {tmp_path / 'outside'}, which was refused: not a directory inside the scan root"]
    assert [line.split(" ")[:2] for line in run.lines if " IG901 " in line] == [["fail_purge.json:17:37:", "IG901"]]  # the finding falls back to the plan


def test_through_a_link_to_its_folder_a_plan_s_module_source_leaves_the_real_folder(cli, tmp_path):
    """As Terraform runs in the plan's real folder, `../modules/vault` through
    `live -> envs/prod` is `envs/modules/vault`: the finding points at the
    configuration that decided it, not into the plan."""
    (tmp_path / ".git").mkdir()
    prod = Path(shutil.copytree(TESTDATA / "IG901" / "terraform-plan", tmp_path / "envs" / "prod"))
    shutil.move(prod / "modules", tmp_path / "envs" / "modules")
    for name in ("main.tf", "fail_purge.json"):
        (prod / name).write_text((prod / name).read_text().replace('"./modules/', '"../modules/'))
    (tmp_path / "live").symlink_to("envs/prod", target_is_directory=True)
    run = cli("scan", "--no-cache", "--select", "IG901", "live/fail_purge.json", cwd=tmp_path)
    assert run.lines[0] == ('live/main.tf:7:22: IG901 [medium] purge_protection_enabled is false, so deleted keys and secrets can be purged at once '
                            '(module.vault["dev"].azurerm_key_vault.this) via envs/modules/vault/main.tf:15, envs/modules/vault/main.tf:5'), run.out


@pytest.mark.parametrize("source", ["./vault\x00x", "./" + "a" * 5000])
def test_a_module_source_no_folder_can_have_leaves_the_finding_in_the_plan(cli, tmp_path, source):
    """A NUL byte, or a name longer than the system takes: no folder is found, and
    there is no internal error."""
    folder = copy_fixtures(tmp_path, "IG901")
    plan = json.loads((folder / "fail_purge.json").read_text())
    plan["configuration"]["root_module"]["module_calls"]["vault"]["source"] = source
    (folder / "fail_purge.json").write_text(json.dumps(plan))
    run = cli("scan", "--no-cache", "--select", "IG901", "fail_purge.json", cwd=folder)
    findings = [line for line in run.lines if "IG901" in line]
    assert run.code == 1 and "IG999" not in run.out
    assert len(findings) == 1 and findings[0].startswith("fail_purge.json:1:")  # in the plan


@pytest.mark.parametrize("depth", [12, 600])
def test_module_nesting_is_bounded(cli, tmp_path, depth):
    calls, address = {}, ""
    level = calls
    for number in range(depth):
        if number < 12:  # an address as deep as the configuration, or deeper (a hand-made plan)
            level["m"] = {"source": "./m", "module": {"module_calls": {}}}
            level = level["m"]["module"]["module_calls"]
        address += "module.m."
    change = {"address": address + "azurerm_key_vault.v", "module_address": address.rstrip("."), "mode": "managed",
              "type": "azurerm_key_vault", "name": "v", "change": {"actions": ["create"], "after": {"purge_protection_enabled": False}}}
    plan = {"format_version": "1.2", "resource_changes": [change], "configuration": {"root_module": {"module_calls": calls}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    run = cli("scan", "--no-cache", "plan.json", cwd=tmp_path)
    assert run.code == 4 and "IG004 [error] evaluation stopped: module calls nest more than 10 deep" in run.out


def test_a_plan_over_the_size_limit_is_not_read(cli, tmp_path):
    change = {"address": "azurerm_key_vault.v", "mode": "managed", "type": "azurerm_key_vault", "name": "v",
              "change": {"actions": ["create"], "after": {"purge_protection_enabled": False, "padding": "x" * 4096}}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": [change] * 64}))
    (tmp_path / "config.yaml").write_text("max_file_size: 65536\n")
    run = cli("scan", "--no-cache", "--config", "config.yaml", "plan.json", cwd=tmp_path)
    assert run.code == 4 and "plan.json: IG001 [error] file is 0.3 MiB, over the 0.0625 MiB limit (max_file_size)" in run.out


def test_secrets_written_out_are_judged_by_the_configuration_not_the_plan(cli, tmp_path):
    """A plan resolves every value, so it cannot say a secret is written out: the
    `.tf` file that writes it is what IG210 and IG214 report."""
    (tmp_path / "main.tf").write_text('variable "password" {}\n\nresource "azurerm_linux_web_app" "web" {\n'
                                      '  app_settings = {\n    DB_PASSWORD = var.password\n  }\n  site_config {}\n}\n')
    after = {"app_settings": {"DB_PASSWORD": "Given-At-Plan-7x"}, "site_config": [{}]}
    change = {"address": "azurerm_linux_web_app.web", "mode": "managed", "type": "azurerm_linux_web_app", "name": "web",
              "change": {"actions": ["create"], "after": after}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": [change]}))
    run = cli("scan", "--no-cache", "--select", "IG210,IG214,IG501", ".", cwd=tmp_path)
    assert run.code == 1 and "IG501" in run.out
    assert "IG210" not in run.out and "IG214" not in run.out


def test_a_value_a_module_receives_points_at_the_callers_argument_with_the_call_chain(cli, tmp_path):
    folder = copy_fixtures(tmp_path, "IG901")
    run = cli("scan", "--no-cache", "--select", "IG901", "--format", "json", "fail_nested.json", cwd=folder)
    (purge,) = json.loads(run.out)["findings"]
    assert (purge["path"], purge["line"], purge["column"]) == ("main.tf", 18, 22)
    assert [(hop["path"], hop["line"], hop["message"]) for hop in purge["related"]] == [
        ("modules/vault/main.tf", 15, "set by module.shared.module.vault in modules/shared/main.tf"),
        ("modules/vault/main.tf", 5, "module variable declared here"),
        ("modules/shared/main.tf", 8, "set by module.shared in main.tf"),
        ("modules/shared/main.tf", 1, "module variable declared here"),
    ]


def test_a_value_the_module_writes_itself_stays_on_the_modules_line(cli, tmp_path):
    folder = copy_fixtures(tmp_path, "IG901")
    module = folder / "modules" / "vault" / "main.tf"
    module.write_text(module.read_text().replace("= var.purge_protection", "= false"))
    run = cli("scan", "--no-cache", "--select", "IG901", "fail_nested.json", cwd=folder)
    assert run.lines[0].startswith("modules/vault/main.tf:15:35: IG901 ") and " via " not in run.lines[0]


def hostile_plan(folder, **change):
    """A plan of one container group, in a module that is not on disk (so located in
    the plan itself), its entry updated by `change`."""
    entry = {"address": "module.remote.azurerm_container_group.jobs", "module_address": "module.remote",
             "mode": "managed", "type": "azurerm_container_group", "name": "jobs",
             "change": {"actions": ["create"], "after": {"name": "jobs", "ip_address_type": "Public",
                                                         "container": [{"name": "worker", "image": f"registry.example/{SECRET.lower()}:latest"}]},
                        "after_unknown": {}, "after_sensitive": {}}}
    for key, value in change.items():
        (entry["change"] if key.startswith("after") else entry)[key] = value
    plan = {"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": [entry],
            "configuration": {"root_module": {"module_calls": {"remote": {"source": "app.terraform.io/org/jobs/azurerm"}}}}}
    (folder / "plan.json").write_text(json.dumps(plan))
    return folder / "plan.json"


@pytest.mark.parametrize("mask", [{"container": {"image": True}}, {"container": [{"image": [True]}]}, {"container": "yes"}, {"container": 1}])
def test_a_sensitive_mask_of_another_shape_than_the_value_hides_it(cli, tmp_path, mask):
    hostile_plan(tmp_path, after_sensitive=mask)
    run = cli("scan", "--no-cache", "--select", "all", "-v", "--format", "json", "plan.json", cwd=tmp_path)
    assert "module.remote.azurerm_container_group.jobs" in run.out  # still checked
    assert SECRET.lower() not in run.out + run.err
    hostile_plan(tmp_path)
    assert SECRET.lower() in cli("scan", "--no-cache", "--select", "all", "--format", "json", "plan.json", cwd=tmp_path).out


def test_an_address_terraform_never_writes_is_noted_or_passed_over(cli, tmp_path):
    """A module address that is none is located in the plan with a note; an instance
    key that is neither a number nor a string is no instance."""
    hostile_plan(tmp_path, module_address="module.remote.module", after_sensitive={"container": True})
    run = cli("scan", "--no-cache", "--select", "all", "-v", "plan.json", cwd=tmp_path)
    assert "IG006 [note] module.remote.module: no module address, so its resources' findings point into the plan" in run.out
    hostile_plan(tmp_path, index={"key": ["odd"]}, after_sensitive={"container": True})
    run = cli("scan", "--no-cache", "--select", "all", "plan.json", cwd=tmp_path)
    assert run.code == 0 and "azurerm_container_group" not in run.out


@pytest.mark.parametrize("resources", [5, True, "aci", {"type": "azurerm_container_group"}])
def test_planned_values_of_the_wrong_shape_are_passed_over(cli, tmp_path, resources):
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}}}))
    run = cli("scan", "--no-cache", "plan.json", cwd=tmp_path)
    assert run.code == 0 and run.out == "No findings in 1 file.\n"


def test_many_instances_of_one_module_are_within_budget(cli, tmp_path):
    """The plan has each instance already: the module instance budget counts the
    modules it reads, not their instances."""
    folder = copy_fixtures(tmp_path, "IG901")
    plan = json.loads((folder / "fail_purge.json").read_text())
    (dev, _) = plan["planned_values"]["root_module"]["child_modules"]
    children = []
    for number in range(600):
        child = json.loads(json.dumps(dev).replace('\\"dev\\"', f'\\"env{number}\\"'))
        children.append(child)
    plan["planned_values"]["root_module"]["child_modules"] = children
    (folder / "many.json").write_text(json.dumps(plan))
    run = cli("scan", "--no-cache", "--select", "IG901", "many.json", cwd=folder)
    assert run.code == 1, run.out
    assert len([line for line in run.lines if " IG901 " in line]) == 600


def web_app_plan(folder, keys: dict, module: str = "", module_calls: dict | None = None, variables: dict | None = None,
                 defaults: dict | None = None):
    """A plan of the instances `azurerm_linux_web_app.app[key]` of `module` (the root
    module when empty), each with its `https_only`; the root module's `variables` and
    its declarations' `defaults` as Terraform records them (a variable declared without
    one: its name, mapped to `...`)."""
    prefix = f"{module}." if module else ""
    changes = [{"address": f"{prefix}azurerm_linux_web_app.app[{json.dumps(key)}]", "module_address": module, "mode": "managed",
                "type": "azurerm_linux_web_app", "name": "app", "index": key,
                "change": {"actions": ["create"], "after": {"name": str(key), "https_only": https, "site_config": [{}]}}}
               for key, https in keys.items()]
    declared = {name: {} if default is ... else {"default": default} for name, default in (defaults or {}).items()}
    plan = {"format_version": "1.2", "terraform_version": "1.9.8", "variables": {name: {"value": value} for name, value in (variables or {}).items()},
            "resource_changes": changes, "configuration": {"root_module": {"module_calls": module_calls or {}, "variables": declared}}}
    (folder / "plan.json").write_text(json.dumps(plan))


LOOPED_APP = """
resource "azurerm_linux_web_app" "app" {
  for_each   = COLLECTION
  name       = each.key
  https_only = each.value.https
  site_config {}
}
"""


def findings(run) -> list[tuple]:
    return [(item["path"], item["line"], item["column"], [(hop["path"], hop["line"]) for hop in item["related"]])
            for item in json.loads(run.out)["findings"]]


def test_a_looped_instance_s_value_points_at_its_element_as_the_tf_scan_does(cli, tmp_path):
    """`each.value` of a root module's loop points at the element of the collection,
    in a plan as in the `.tf` file, so scanning both reports the finding once."""
    (tmp_path / "main.tf").write_text(
        'variable "apps" {\n  default = {\n    api    = { https = true }\n    legacy = { https = false }\n  }\n}\n'
        + LOOPED_APP.replace("COLLECTION", "var.apps"))
    apps = {"api": {"https": True}, "legacy": {"https": False}}
    web_app_plan(tmp_path, {"api": True, "legacy": False}, variables={"apps": apps}, defaults={"apps": apps})  # the default was used
    expected = [("main.tf", 4, 24, [("main.tf", 11), ("main.tf", 9)])]  # the element, with the lines that take it
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "main.tf", cwd=tmp_path)) == expected
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)) == expected
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", ".", cwd=tmp_path)) == expected


def test_a_value_given_at_plan_time_is_not_pointed_at_the_default_it_replaced(cli, tmp_path):
    """The root module's variables are those the `.tf` scan sees, its var files
    included; one the plan records another value for than the default it records was
    given to Terraform otherwise (`-var`, the environment): it takes the plan's value,
    and the finding stays at the line that takes it, as a var file's value in a `.tf`
    scan does, not at the default's element, which Terraform did not use."""
    (tmp_path / "main.tf").write_text('variable "apps" {\n  default = {\n    legacy = { https = true }\n  }\n}\n' + LOOPED_APP.replace("COLLECTION", "var.apps"))
    at_the_line_that_takes_it = [("main.tf", 10, 16, [])]
    web_app_plan(tmp_path, {"legacy": False}, variables={"apps": {"legacy": {"https": False}}}, defaults={"apps": {"legacy": {"https": True}}})
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)) == at_the_line_that_takes_it
    # given in a var file that both scans read
    (tmp_path / "terraform.tfvars").write_text("apps = {\n  legacy = { https = false }\n}\n")
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "main.tf", cwd=tmp_path)) == at_the_line_that_takes_it
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)) == at_the_line_that_takes_it
    # a var file that repeats the default: the `.tf` scan tracks no line for its value, nor does the plan's
    (tmp_path / "main.tf").write_text((tmp_path / "main.tf").read_text().replace("https = true", "https = false"))
    web_app_plan(tmp_path, {"legacy": False}, variables={"apps": {"legacy": {"https": False}}}, defaults={"apps": {"legacy": {"https": False}}})
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "main.tf", cwd=tmp_path)) == at_the_line_that_takes_it
    assert findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)) == at_the_line_that_takes_it
    # beside a plan without its configuration, no var file is read
    (tmp_path / "main.tf").unlink()
    (tmp_path / "terraform.tfvars").write_text("apps = {{{\n")
    assert cli("scan", "--no-cache", "--select", "IG501", "plan.json", cwd=tmp_path).code == 1


@pytest.mark.parametrize(("written", "recorded"), [
    # Terraform reads `map(any)` of objects with other attributes as maps of strings
    ("type = map(any)\n  default = { api = { https = true, name = \"x\" }, legacy = { https = false } }",
     {"api": {"https": "true", "name": "x"}, "legacy": {"https": "false"}}),
    ("nullable = false\n  default = { legacy = { https = false } }", None),  # a null given for a non-nullable variable
], ids=["as Terraform converted it", "null for a non-nullable variable"])
def test_the_default_stands_where_the_plan_records_that_terraform_used_it(cli, tmp_path, written, recorded):
    (tmp_path / "main.tf").write_text(f'variable "apps" {{\n  {written}\n}}\n' + LOOPED_APP.replace("COLLECTION", "var.apps"))
    default = recorded or {"legacy": {"https": False}}
    web_app_plan(tmp_path, {"legacy": False}, variables={"apps": recorded}, defaults={"apps": default})
    (finding,) = findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path))
    assert finding[:2] == ("main.tf", 3)  # the default's element
    assert [finding] == findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "main.tf", cwd=tmp_path))


def test_a_sensitive_variable_s_value_in_the_plan_is_never_used(cli, tmp_path):
    """The plan writes every variable's value out, a sensitive one too; its
    declaration says it is sensitive (in the `.tf` file, or in the plan's
    `configuration`), and then the value is not used: the variable keeps its default,
    as in the `.tf` scan, and so does where a finding points."""
    variable = 'variable "apps" {\n  default = {\n    legacy = { https = true }\n  }\n  SENSITIVE\n}\n'
    for sensitive, flagged in (("sensitive = true", False), ("type = any", True)):
        (tmp_path / "main.tf").write_text(variable.replace("SENSITIVE", sensitive) + LOOPED_APP.replace("COLLECTION", "var.apps"))
        web_app_plan(tmp_path, {"legacy": False}, variables={"apps": {"legacy": {"https": False}}}, defaults={"apps": {"legacy": {"https": True}}})
        if flagged:
            plan = json.loads((tmp_path / "plan.json").read_text())
            plan["configuration"]["root_module"]["variables"] = {"apps": {"sensitive": True}}
            (tmp_path / "plan.json").write_text(json.dumps(plan))
        run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)
        assert findings(run) == [("main.tf", 3, 24, [("main.tf", 11), ("main.tf", 9)])]  # the default's element
    # declared in a `.tf.json` file
    (tmp_path / "variables.tf.json").write_text(json.dumps({"variable": {"apps": {"default": {"legacy": {"https": True}}, "sensitive": True}}}))
    (tmp_path / "main.tf").write_text(LOOPED_APP.replace("COLLECTION", "var.apps"))
    web_app_plan(tmp_path, {"legacy": False}, variables={"apps": {"legacy": {"https": False}}}, defaults={"apps": {"legacy": {"https": True}}})
    run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)
    assert [item[0] for item in findings(run)] == ["variables.tf.json"]  # the default's element


def test_looking_up_a_plan_s_instances_never_stops_its_scan(cli, tmp_path, monkeypatch):
    """The plan has every instance: finding which element each one is costs a step
    per instance, not what checking an instance costs, and a loop the evaluation
    refuses leaves the instances pointing at the line that takes the value."""
    from iacguard import budgets

    keys = [f"app{number:02}" for number in range(30)]
    apps = "".join(f"    {key} = {{ https = false }}\n" for key in keys)  # lines 3 to 32
    (tmp_path / "main.tf").write_text(f'variable "apps" {{\n  default = {{\n{apps}  }}\n}}\n' + LOOPED_APP.replace("COLLECTION", "var.apps"))
    web_app_plan(tmp_path, dict.fromkeys(keys, False))
    monkeypatch.setattr(budgets, "INSTANCE_STEPS", budgets.MAX_STEPS // 20)  # 30 instances checked would be past the budget
    run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)
    assert run.code == 1 and sorted(item[1] for item in findings(run)) == list(range(3, 33))  # each at its element
    monkeypatch.setattr(budgets, "MAX_LOOP_INSTANCES", 20)  # the loop is refused
    run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)
    assert run.code == 1 and [item[:3] for item in findings(run)] == [("main.tf", 39, 16)] * 30


def test_each_root_file_of_a_plan_s_configuration_has_a_budget_of_its_own(cli, tmp_path):
    """As in the `.tf` scan, where each file is evaluated on its own: three files whose
    loops each spend most of the budget do not add up to more than it."""
    changes = []
    for name in "abc":
        (tmp_path / f"{name}.tf").write_text(LOOPED_APP.replace('"app"', f'"{name}"').replace(
            "COLLECTION", 'length(format("%0700000d", 0)) > 0 ? { legacy = { https = false } } : {}'))
        changes.append({"address": f'azurerm_linux_web_app.{name}["legacy"]', "mode": "managed", "type": "azurerm_linux_web_app", "name": name,
                        "index": "legacy", "change": {"actions": ["create"], "after": {"name": "legacy", "https_only": False, "site_config": [{}]}}})
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": changes}))
    run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)
    assert run.code == 1 and sorted(item[:2] for item in findings(run)) == [("a.tf", 5), ("b.tf", 5), ("c.tf", 5)]


def test_a_number_no_float_holds_in_a_plan_s_variables_is_unknown(cli, tmp_path):
    """Terraform writes its numbers exactly; `1e400` read as JSON is no finite float,
    and the variable is unknown (no internal error): its loop has one instance."""
    (tmp_path / "main.tf").write_text('variable "n" {}\n' + LOOPED_APP.replace("for_each   = COLLECTION", "count      = [1, 2][var.n]"))
    web_app_plan(tmp_path, {0: False})
    (tmp_path / "plan.json").write_text((tmp_path / "plan.json").read_text().replace('"variables": {}', '"variables": {"n": {"value": 1e400}}'))
    run = cli("scan", "--no-cache", "--select", "IG501", "plan.json", cwd=tmp_path)
    assert run.code == 1 and "IG999" not in run.out and "azurerm_linux_web_app.app[0]" in run.out


def test_the_instances_of_a_module_call_not_on_disk_share_one_budget(cli, tmp_path):
    """A call the plan's configuration lists but no `.tf` file writes: its module's
    instances are read from the module's own lines, and spend one budget between them,
    as a call's instances spend their caller's."""
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(LOOPED_APP.replace("COLLECTION", 'length(format("%0700000d", 0)) > 0 ? { legacy = { https = false } } : {}'))
    changes = [{"address": f'module.m["{key}"].azurerm_linux_web_app.app["legacy"]', "module_address": f'module.m["{key}"]', "mode": "managed",
                "type": "azurerm_linux_web_app", "name": "app", "index": "legacy",
                "change": {"actions": ["create"], "after": {"name": "legacy", "https_only": False, "site_config": [{}]}}} for key in "abc"]
    plan = {"format_version": "1.2", "resource_changes": changes, "configuration": {"root_module": {"module_calls": {"m": {"source": "./m"}}}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    run = cli("scan", "--no-cache", "--select", "IG501", "plan.json", cwd=tmp_path)
    assert run.code == 4 and "IG004 [error] evaluation stopped: more than 2,000,000 evaluation steps" in run.out


def test_a_plan_reads_each_module_instance_once_and_keeps_only_those_above_the_one_it_reads(cli, tmp_path, monkeypatch):
    """However the plan orders its resources, each module instance is read once (and
    spends its caller's budget once), and only the instances above the one being read
    are kept: a plan of thousands of instances holds a few at a time."""
    from iacguard.normalizers import terraform_plan

    for folder, body in (("a", 'module "b" {\n  source   = "../b"\n  for_each = toset(["0", "1", "2"])\n}\n'),
                         ("b", 'resource "azurerm_linux_web_app" "x" {\n  https_only = false\n  site_config {}\n}\n')):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(body)
    (tmp_path / "main.tf").write_text('module "a" {\n  source   = "./a"\n  for_each = toset(["0", "1", "2"])\n}\n')
    addresses = [f'module.a["{a}"].module.b["{b}"]' for b in "012" for a in "012"]  # interleaved: no instance's resources together
    changes = [{"address": f"{address}.azurerm_linux_web_app.x", "module_address": address, "mode": "managed", "type": "azurerm_linux_web_app",
                "name": "x", "change": {"actions": ["create"], "after": {"https_only": False, "site_config": [{}]}}} for address in addresses]
    calls = {"a": {"source": "./a", "module": {"module_calls": {"b": {"source": "../b"}}}}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": changes, "configuration": {"root_module": {"module_calls": calls}}}))
    read, kept = [], []
    original = terraform_plan._Configuration._read

    def spied(self, steps, mark):
        read.append(steps)
        kept.append(len(self.modules))
        return original(self, steps, mark)

    monkeypatch.setattr(terraform_plan._Configuration, "_read", spied)
    run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path)
    assert run.code == 1 and len(findings(run)) == 9
    assert len(read) == len(set(read)) == 1 + 3 + 9  # the root, module.a's and module.b's instances, once each
    assert max(kept) <= 2  # the root and one module.a instance above the one read


def test_a_looped_instance_in_a_module_points_at_its_element_in_the_caller(cli, tmp_path):
    (tmp_path / "modules" / "site").mkdir(parents=True)
    (tmp_path / "modules" / "site" / "main.tf").write_text('variable "apps" {}\n' + LOOPED_APP.replace("COLLECTION", "var.apps"))
    (tmp_path / "main.tf").write_text('module "site" {\n  source = "./modules/site"\n  apps = {\n    legacy = { https = false }\n  }\n}\n')
    web_app_plan(tmp_path, {"legacy": False}, "module.site", {"site": {"source": "./modules/site"}})
    (finding,) = findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "plan.json", cwd=tmp_path))
    assert finding[:3] == ("main.tf", 4, 24)
    assert finding == findings(cli("scan", "--no-cache", "--select", "IG501", "-f", "json", "main.tf", cwd=tmp_path))[0]


def test_a_module_instance_key_terraform_quotes_as_hcl_is_the_tf_scan_s_key(cli, tmp_path):
    """Terraform writes `a${x}` as `"a$${x}"` in an address: the key is read, so the
    instance's value points at its element, and the finding of the plan and of the
    configuration is one."""
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text('variable "https" {}\nresource "azurerm_linux_web_app" "app" {\n  https_only = var.https\n  site_config {}\n}\n')
    (tmp_path / "main.tf").write_text('module "m" {\n  source   = "./m"\n  for_each = {\n    "plain" = { https = true }\n'
                                      '    "a$${x}\\u00e9" = { https = false }\n  }\n  https = each.value.https\n}\n')
    address = 'module.m["a$${x}\\u00e9"]'
    change = {"address": f"{address}.azurerm_linux_web_app.app", "module_address": address, "mode": "managed", "type": "azurerm_linux_web_app",
              "name": "app", "change": {"actions": ["create"], "after": {"https_only": False, "site_config": [{}]}}}
    plan = {"format_version": "1.2", "resource_changes": [change], "configuration": {"root_module": {"module_calls": {"m": {"source": "./m"}}}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    run = cli("scan", "--no-cache", "--select", "IG501", "-f", "json", ".", cwd=tmp_path)
    assert [(item["path"], item["line"], item["column"], item["resource"]) for item in json.loads(run.out)["findings"]] == [
        ("main.tf", 5, 32, 'module.m["a${x}é"].azurerm_linux_web_app.app'),
    ]


DYNAMIC_CONTAINERS = """variable "images" {
  default = ["nginx:latest"]
}
resource "azurerm_container_group" "cg" {
  name            = "cg"
  ip_address_type = "Private"
  os_type         = "Linux"
  dynamic "container" {
    for_each = var.images
    content {
      name   = "web"
      image  = container.value
      cpu    = 1
      memory = 1
    }
  }
  container {
    name   = "sidecar"
    image  = "busybox:latest"
    cpu    = 1
    memory = 1
  }
}
"""


def test_blocks_of_a_dynamic_block_pair_in_place_and_point_at_their_element(cli, tmp_path):
    """Terraform orders a `dynamic` block's blocks where it stands, before a static
    block written after it; each value of one points at its element, as the `.tf`
    scan does, and the finding of both is one."""
    (tmp_path / "main.tf").write_text(DYNAMIC_CONTAINERS)
    containers = [{"name": "web", "image": "nginx:latest", "cpu": 1, "memory": 1}, {"name": "sidecar", "image": "busybox:latest", "cpu": 1, "memory": 1}]
    change = {"address": "azurerm_container_group.cg", "mode": "managed", "type": "azurerm_container_group", "name": "cg",
              "change": {"actions": ["create"], "after": {"name": "cg", "ip_address_type": "Private", "os_type": "Linux", "container": containers}}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": [change]}))
    from_plan = findings(cli("scan", "--no-cache", "--select", "IG101", "-f", "json", "plan.json", cwd=tmp_path))
    assert from_plan == findings(cli("scan", "--no-cache", "--select", "IG101", "-f", "json", "main.tf", cwd=tmp_path))
    assert from_plan == [("main.tf", 2, 14, [("main.tf", 12), ("main.tf", 9)]), ("main.tf", 19, 14, [])]


@pytest.mark.parametrize("configured", [False, True])
def test_an_empty_list_of_blocks_is_no_block(cli, tmp_path, configured):
    """Plans write `"identity": []` for a block the configuration leaves out."""
    if configured:
        (tmp_path / "main.tf").write_text('resource "azurerm_linux_web_app" "app" {\n  https_only = false\n  site_config {}\n}\n')
    change = {"address": "azurerm_linux_web_app.app", "mode": "managed", "type": "azurerm_linux_web_app", "name": "app",
              "change": {"actions": ["create"], "after": {"https_only": False, "site_config": [{}], "identity": []}}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": [change]}))
    run = cli("scan", "--no-cache", "--select", "IG501,IG505", "plan.json", cwd=tmp_path)
    assert run.code == 1 and "IG999" not in run.out and "IG505" in run.out and "IG501" in run.out


def test_expanding_dynamic_blocks_never_stops_a_plan(cli, tmp_path):
    """Expansion has a budget of its own for the whole plan: past it, the plan's
    blocks are paired as without it, and the plan is checked all the same."""
    dynamic = '  dynamic "container" {\n    for_each = var.items\n    content {\n      name  = "c${container.value}"\n      image = "nginx:latest"\n    }\n  }\n'
    items = ", ".join(map(str, range(1000)))
    (tmp_path / "main.tf").write_text(f'variable "items" {{\n  default = [{items}]\n}}\nresource "azurerm_container_group" "cg" {{\n  os_type = "Linux"\n'
                                      + dynamic * 5 + "}\n")
    change = {"address": "azurerm_container_group.cg", "mode": "managed", "type": "azurerm_container_group", "name": "cg",
              "change": {"actions": ["create"], "after": {"os_type": "Linux", "container": [{"name": "c0", "image": "nginx:latest"}]}}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": [change]}))
    run = cli("scan", "--no-cache", "--select", "IG101", "plan.json", cwd=tmp_path)
    assert run.code == 1 and run.out.startswith("main.tf:10:15: IG101") and "IG004" not in run.out


def test_a_numeric_module_instance_key_is_kept_as_written(cli, tmp_path):
    address = f"module.m[{'9' * 5000}]"
    change = {"address": f"{address}.azurerm_key_vault.v", "module_address": address, "mode": "managed", "type": "azurerm_key_vault",
              "name": "v", "change": {"actions": ["create"], "after": {"purge_protection_enabled": False}}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": [change]}))
    run = cli("scan", "--no-cache", "--select", "IG901", "plan.json", cwd=tmp_path)
    assert run.code == 1 and "IG999" not in run.out and "IG901" in run.out
