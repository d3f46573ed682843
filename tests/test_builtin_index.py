"""The generated index of built-in rules is current, and a scan imports only the
rules and the parser its files' formats need."""

import subprocess
import sys

import pytest

from support import ROOT

from iacguard.builtin import INDEXED, builtin_rules, defined_rules


def test_index_is_current():
    """Regenerate it with `python scripts/index_rules.py` after changing a rule."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "index_rules.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_indexed_rules_are_the_defined_ones():
    defined = defined_rules()
    indexed = builtin_rules()
    assert [rule.code for rule in indexed] == [rule.code for _, rule in defined]
    for rule, (module, loaded) in zip(indexed, defined):
        assert rule.module == module
        assert {name: getattr(rule, name) for name in INDEXED} == {name: getattr(loaded, name) for name in INDEXED}
        assert rule.loaded is loaded
        assert (rule.check, rule.doc, rule.references, rule.options) == (loaded.check, loaded.doc, loaded.references, loaded.options)
        assert rule.source_file == loaded.source_file


def modules_after_scanning(folder, name: str) -> set[str]:
    """The modules a scan of the file `name` in `folder` imported, in a fresh process."""
    script = (
        "import sys\n"
        "from iacguard.cli import main\n"
        "try:\n"
        f"    main(['scan', '--no-cache', {name!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True,
                            env={"IACGUARD_DISABLE_PLUGIN_AUTOLOAD": "1", "PATH": ""})
    assert "iacguard.runner" in result.stdout, result.stderr
    return set(result.stdout.split())


def test_a_dockerfile_scan_imports_only_what_dockerfiles_need(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nUSER 10001\n")
    modules = modules_after_scanning(tmp_path, "Dockerfile")
    rules = {name for name in modules if name.startswith("iacguard.rules.") and not name.rsplit(".", 1)[1].startswith("_")}
    kubernetes_rules = {rule.module for rule in builtin_rules() if "image_build" not in rule.kinds}
    assert rules and not rules & kubernetes_rules
    assert not {"pluggy", "yaml", "tree_sitter", "iacguard.hookspecs", "iacguard.parsers.yaml", "iacguard.parsers.documents", "iacguard.helm.lines"} & modules
    # Nor the compression modules that `shutil` loads (argparse would ask it for the
    # terminal's width).
    assert not {"shutil", "bz2", "lzma"} & modules
    assert "iacguard.baseline" not in modules  # a scan without a baseline
    # Nor `dataclasses` and the `inspect` it imports: the classes are structs.
    assert not {"dataclasses", "inspect"} & modules


def test_the_command_keeps_what_its_imports_made_out_of_every_collection(tmp_path):
    """The modules' objects live as long as the process: walking them all in the first
    collection after the imports cost about 4 ms of a check of one file."""
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nUSER 10001\n")
    script = (
        "import gc, sys\n"
        "sys.argv = ['iacguard', 'scan', '--no-cache', 'Dockerfile']\n"
        "from iacguard.__main__ import run\n"
        "run()\n"
        "print(gc.get_freeze_count())\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={"IACGUARD_DISABLE_PLUGIN_AUTOLOAD": "1", "PATH": ""})
    assert int(result.stdout.split()[-1]) > 5_000, result.stderr


def test_a_terraform_scan_imports_neither_the_json_nor_the_yaml_layer(tmp_path):
    """They serve `.tf.json` files and plans: importing PyYAML alone cost a tenth of the
    start-up of a check of one `.tf` file."""
    (tmp_path / "main.tf").write_text('resource "azurerm_linux_web_app" "api" {\n  https_only = true\n}\n')
    modules = modules_after_scanning(tmp_path, "main.tf")
    assert "iacguard.normalizers.terraform" in modules
    assert not {"yaml", "iacguard.parsers.yaml", "iacguard.parsers.documents", "iacguard.parsers.positional_json", "iacguard.parsers.terraform_json"} & modules


@pytest.mark.parametrize(("name", "text", "normalizer"), [
    ("main.bicep", "resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'api'\n  properties: {\n    httpsOnly: '${true}' == 'True'\n  }\n}\n",
     "iacguard.normalizers.bicep"),
    ("azuredeploy.json", '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",\n'
     ' "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "api", "properties": {"httpsOnly": false}}]}\n',
     "iacguard.normalizers.arm"),
])
def test_a_bicep_or_arm_scan_does_not_import_the_yaml_layer(tmp_path, name, text, normalizer):
    """Their values are positioned documents (`iacguard.parsers.documents`), which
    the YAML reader builds too; importing PyYAML took 10 ms of every process."""
    (tmp_path / name).write_text(text)
    modules = modules_after_scanning(tmp_path, name)
    assert {normalizer, "iacguard.parsers.documents"} <= modules
    assert not {"yaml", "iacguard.parsers.yaml"} & modules
