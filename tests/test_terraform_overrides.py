"""Terraform override files (`override.tf`, `*_override.tf` and their `.tf.json`
forms), merged into the blocks they override as Terraform merges them
(`iacguard.evaluators.terraform_overrides`)."""

import json

from iacguard import budgets
from iacguard.budgets import Budget
from iacguard.evaluators.terraform_overrides import merged
from iacguard.parsers import hcl
from iacguard.parsers.terraform import is_override

APP = """\
resource "azurerm_linux_web_app" "app" {
  name            = "app"
  service_plan_id = "plan"
  https_only      = false

  site_config {
    ftps_state = "AllAllowed"
  }
}
"""

OVERRIDE = """\
resource "azurerm_linux_web_app" "app" {
  https_only = true
  site_config {
    minimum_tls_version = "1.0"
  }
}
"""


def scan(cli, folder, *arguments):
    """The findings (rule, file, line, column, resource) and warnings of a JSON scan,
    and the findings' related places by rule."""
    run = cli("scan", "--root", ".", "--format", "json", *arguments, cwd=folder)
    document = json.loads(run.out)
    assert document["errors"] == [], document["errors"]
    findings = [(f["rule"], f["path"], f["line"], f["column"], f["resource"]) for f in document["findings"] if not f["suppressed"]]
    warnings = [(w["code"], w["path"], w["line"], w["column"], w["message"]) for w in document["warnings"]]
    related = {f["rule"]: [(r["message"], r["path"], r["line"]) for r in f["related"]] for f in document["findings"]}
    return findings, warnings, related


def test_override_files_are_named_as_terraform_names_them():
    assert [name for name in ("override.tf", "override.tf.json", "web_override.tf", "web_override.tf.json", "override.tfvars",
                              "overrides.tf", "web-override.tf", "override_web.tf", "main.tf") if is_override(name)] == [
        "override.tf", "override.tf.json", "web_override.tf", "web_override.tf.json"]


def test_a_resource_is_checked_once_with_what_its_override_file_sets(cli, tmp_path):
    """The override's `https_only` replaces the original's; its `site_config` replaces
    the original's whole (the FTP state written there is gone, and the default
    applies); a setting neither writes is reported at the original's head."""
    (tmp_path / "main.tf").write_text(APP)
    (tmp_path / "override.tf").write_text(OVERRIDE)
    findings, warnings, related = scan(cli, tmp_path, "--select", "IG501,IG502,IG503,IG505")
    assert findings == [
        ("IG505", "main.tf", 1, 1, "azurerm_linux_web_app.app"),
        ("IG502", "override.tf", 4, 27, "azurerm_linux_web_app.app"),
    ]
    assert related["IG502"] == [("overridden in override.tf", "main.tf", 1)]
    assert warnings == []


def test_override_files_merge_in_the_order_of_their_names_json_ones_too(cli, tmp_path):
    (tmp_path / "main.tf").write_text('resource "azurerm_container_registry" "acr" {\n  sku           = "Premium"\n  admin_enabled = false\n}\n')
    (tmp_path / "a_override.tf").write_text('resource "azurerm_container_registry" "acr" {\n  admin_enabled          = true\n  anonymous_pull_enabled = true\n}\n')
    registry = {"admin_enabled": False, "quarantine_policy_enabled": False}
    (tmp_path / "b_override.tf.json").write_text(json.dumps({"resource": {"azurerm_container_registry": {"acr": registry}}}, indent=2))
    findings, warnings, _ = scan(cli, tmp_path, "--select", "IG701,IG703,IG705")
    assert findings == [
        ("IG703", "a_override.tf", 3, 28, "azurerm_container_registry.acr"),
        ("IG705", "b_override.tf.json", 6, 38, "azurerm_container_registry.acr"),
    ]
    assert warnings == []


def test_what_terraform_rejects_in_an_override_file_is_a_warning_and_an_orphan_is_not_checked(cli, tmp_path):
    (tmp_path / "main.tf").write_text(APP.replace("false", "true").replace("AllAllowed", "Disabled") + 'locals {\n  tier = "basic"\n}\n')
    (tmp_path / "override.tf").write_text("""\
resource "azurerm_linux_web_app" "typo" {
  https_only = false
}

resource "azurerm_linux_web_app" "app" {
  depends_on = [azurerm_linux_web_app.typo]
}

locals {
  tier  = "premium"
  extra = "x"
}
""")
    run = cli("scan", "--root", ".", "--select", "IG501", cwd=tmp_path)
    assert run.code == 0, run.out
    findings, warnings, _ = scan(cli, tmp_path, "--select", "IG501")
    assert findings == []
    rejected = "is in an override file, but no other file of the module writes it: Terraform rejects the configuration, and it is not checked"
    assert warnings == [
        ("IG003", "override.tf", 1, 1, f'resource "azurerm_linux_web_app" "typo" {rejected}'),
        ("IG003", "override.tf", 6, 3, 'resource "azurerm_linux_web_app" "app" sets depends_on in an override file, which Terraform rejects'),
        ("IG003", "override.tf", 11, 3, f"local value extra {rejected}"),
    ]


def test_an_override_is_not_called_an_orphan_when_a_file_of_the_module_could_not_be_read(cli, tmp_path):
    """The original may be in the file that does not parse: that file makes the
    override file incomplete (IG005), and nothing is said of an original missing."""
    (tmp_path / "main.tf").write_text('resource "azurerm_linux_web_app" "app" {\n  https_only = \n}\n')
    (tmp_path / "override.tf").write_text(OVERRIDE)
    run = cli("scan", "--root", ".", "--format", "json", "--allow-incomplete", cwd=tmp_path)
    document = json.loads(run.out)
    assert sorted((e["code"], e["path"]) for e in document["errors"]) == [("IG000", "main.tf"), ("IG005", "override.tf")]
    assert document["warnings"] == []
    assert document["findings"] == []


def test_a_suppression_in_the_override_file_covers_what_is_reported_at_its_lines(cli, tmp_path):
    (tmp_path / "main.tf").write_text(APP)
    (tmp_path / "override.tf").write_text(OVERRIDE.replace("  site_config", "  # iacguard:ignore IG502 -- an old client, retired in May\n  site_config"))
    run = cli("scan", "--root", ".", "--select", "IG501,IG502", "--format", "json", cwd=tmp_path)
    assert [(f["rule"], f["path"], f["line"], f["suppressed"]) for f in json.loads(run.out)["findings"]] == [("IG502", "override.tf", 5, True)]
    assert run.code == 0


def test_variables_and_locals_are_overridden_by_name(cli, tmp_path):
    """A variable's override replaces the arguments it writes and keeps the others (the
    original's type converts the new default, a later override of the description
    keeps it), whichever file is scanned first; a local value is replaced wherever it
    is written, and a credential it holds is reported at the override file's literal."""
    (tmp_path / "main.tf").write_text("""\
variable "https" {
  type    = bool
  default = true
}

locals {
  password = null
}

resource "azurerm_linux_web_app" "app" {
  https_only = var.https
}

resource "azurerm_mssql_server" "db" {
  administrator_login_password = local.password
}
""")
    (tmp_path / "a_override.tf").write_text('variable "https" {\n  default = "false"\n}\n\nlocals {\n  password = "Winter-2024-orders"\n}\n')
    (tmp_path / "b_override.tf").write_text('variable "https" {\n  description = "HTTPS only"\n}\n')
    findings, warnings, related = scan(cli, tmp_path, "--select", "IG501,IG214")
    assert findings == [
        ("IG214", "a_override.tf", 6, 14, "azurerm_mssql_server.db"),
        ("IG501", "main.tf", 11, 16, "azurerm_linux_web_app.app"),
    ]
    assert related["IG214"] == [("uses local.password", "main.tf", 15)]
    assert warnings == []


def test_a_module_call_and_a_module_s_own_files_are_overridden(cli, tmp_path):
    (tmp_path / "modules" / "app").mkdir(parents=True)
    (tmp_path / "modules" / "app" / "main.tf").write_text("""\
variable "https_only" {
  default = true
}

resource "azurerm_linux_web_app" "this" {
  https_only = var.https_only
  site_config {
    ftps_state = "Disabled"
  }
}
""")
    (tmp_path / "modules" / "app" / "override.tf").write_text('resource "azurerm_linux_web_app" "this" {\n  site_config {\n    ftps_state = "AllAllowed"\n  }\n}\n')
    (tmp_path / "main.tf").write_text('module "app" {\n  source     = "./modules/app"\n  https_only = true\n}\n')
    (tmp_path / "main_override.tf").write_text('module "app" {\n  https_only = false\n}\n')
    findings, warnings, related = scan(cli, tmp_path, "--select", "IG501,IG503")
    assert findings == [
        ("IG501", "main_override.tf", 2, 16, "module.app.azurerm_linux_web_app.this"),
        ("IG503", "modules/app/override.tf", 3, 18, "module.app.azurerm_linux_web_app.this"),
    ]
    assert related["IG503"] == [("overridden in modules/app/override.tf", "modules/app/main.tf", 5)]
    assert warnings == []


def test_a_dynamic_block_of_an_override_replaces_the_original_s_blocks_of_its_type(cli, tmp_path):
    (tmp_path / "main.tf").write_text("""\
resource "azurerm_container_group" "jobs" {
  ip_address_type = "Private"
  subnet_ids      = ["subnet"]
  container {
    name  = "job"
    image = "contoso.azurecr.io/job:1.0"
    security {
      privilege_enabled = true
    }
  }
}
""")
    (tmp_path / "override.tf").write_text("""\
resource "azurerm_container_group" "jobs" {
  dynamic "container" {
    for_each = ["job", "sidecar"]
    content {
      name  = container.value
      image = "contoso.azurecr.io/${container.value}:latest"
    }
  }
}
""")
    findings, warnings, _ = scan(cli, tmp_path, "--select", "IG101,IG202")
    assert findings == [
        ("IG101", "override.tf", 6, 15, "azurerm_container_group.jobs/containers/job"),
        ("IG101", "override.tf", 6, 15, "azurerm_container_group.jobs/containers/sidecar"),
    ]
    assert warnings == []


def test_merging_pays_each_block_and_argument_once_from_the_evaluation_budget(cli, tmp_path, monkeypatch):
    """Many override blocks of one original cost a step each, not a copy of the
    original each; past the budget the file stops (IG004) like any evaluation."""
    original = hcl.parse('resource "azurerm_linux_web_app" "app" {\n' + "".join(f"  a{n} = {n}\n" for n in range(1000)) + "}\n")
    override = hcl.parse('resource "azurerm_linux_web_app" "app" {\n  https_only = true\n}\n' * 1000)
    budget = Budget()
    merged([("main.tf", original), ("override.tf", override)], budget)
    assert budget.steps < 5_000  # one copy of the original (1,001) and two steps an override block
    (tmp_path / "main.tf").write_text(APP)
    (tmp_path / "override.tf").write_text('resource "azurerm_linux_web_app" "app" {\n  https_only = true\n}\n' * 100)
    monkeypatch.setattr(budgets, "MAX_STEPS", 150)
    run = cli("scan", "--root", ".", "--select", "IG501", "--format", "json", cwd=tmp_path)
    stopped = "evaluation stopped: more than 150 evaluation steps"
    assert [(e["code"], e["path"], e["message"]) for e in json.loads(run.out)["errors"]] == [("IG004", "main.tf", stopped), ("IG004", "override.tf", stopped)]
    (tmp_path / "override.tf").write_text(OVERRIDE)
    assert cli("scan", "--root", ".", "--select", "IG501", cwd=tmp_path).code == 0


def test_a_plan_s_values_point_at_the_override_file_that_wrote_them(cli, tmp_path):
    (tmp_path / "main.tf").write_text(APP)
    (tmp_path / "override.tf").write_text(OVERRIDE)
    values = {"name": "app", "service_plan_id": "plan", "https_only": True, "site_config": [{"minimum_tls_version": "1.0", "ftps_state": "Disabled"}]}
    change = {"address": "azurerm_linux_web_app.app", "mode": "managed", "type": "azurerm_linux_web_app", "name": "app",
              "change": {"actions": ["create"], "after": values, "after_unknown": {}}}
    (tmp_path / "plan.json").write_text(json.dumps({"format_version": "1.2", "resource_changes": [change]}))
    findings, warnings, related = scan(cli, tmp_path, "--select", "IG501,IG502,IG503", "plan.json")
    assert findings == [("IG502", "override.tf", 4, 27, "azurerm_linux_web_app.app")]
    assert related["IG502"] == [("overridden in override.tf", "main.tf", 1)]
    assert warnings == []


def test_a_fix_never_writes_into_a_nested_block_an_override_file_wrote(cli, tmp_path):
    """The original's `site_config` is replaced by the override's, whose lines are
    another file's: the setting it lacks is not inserted at those lines here."""
    (tmp_path / "main.tf").write_text(
        'resource "azurerm_app_service" "legacy" {\n  https_only = true\n\n\n  site_config {\n    min_tls_version = "1.2"\n  }\n}\n')
    (tmp_path / "override.tf").write_text(
        'resource "azurerm_app_service" "legacy" {\n  # the same lines as\n  # the original\'s\n\n  site_config {\n    min_tls_version = "1.2"\n  }\n}\n')
    run = cli("fix", "--unsafe-fixes", "--diff", "--root", ".", "--select", "IG503", ".", cwd=tmp_path)
    assert run.out == ""
    assert "(not fixed: the file is not written in a way the fix can edit)" in run.err
