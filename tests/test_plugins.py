"""Plugin registration rules, checked in-process."""

import pytest

from iacguard import problem, rule
from iacguard.errors import ConfigError
from iacguard.plugins import load_registry

from support import RulesPlugin


def make_rule(code, name):
    @rule(code=code, name=name, severity="low", kinds=("image_build",))
    def check(resource, options):
        """Doc."""
        yield problem(resource.location, "x")

    return check


def test_builtins_arrive_through_the_hooks():
    registry = load_registry(autoload=False)
    assert registry.origin[registry.rules["IG201"]] == "builtin"
    assert set(registry.formats) == {"dockerfile", "kubernetes", "helm", "kustomize", "terraform", "terraform-json", "terraform-plan", "arm", "bicep", "compose"} and set(registry.reporters) >= {"text", "json"}


def test_a_plugin_adds_rules():
    registry = load_registry(autoload=False, extra_plugins=(RulesPlugin(make_rule("ACME001", "acme-rule")),))
    assert registry.find_rule("acme-rule").code == "ACME001"


@pytest.mark.parametrize(
    ("code", "name", "message"),
    [("IG201", "other-name", "rule code 'IG201'"), ("ACME002", "container-runs-as-root", "rule name 'container-runs-as-root'")],
)
def test_conflicts_are_errors_naming_both_plugins(code, name, message):
    with pytest.raises(ConfigError) as error:
        load_registry(autoload=False, extra_plugins=(RulesPlugin(make_rule(code, name)),))
    assert message in str(error.value) and "'builtin'" in str(error.value)


def test_rule_declarations_are_validated():
    with pytest.raises(ValueError):
        make_rule("bad", "x")
    with pytest.raises(ValueError):
        make_rule("ACME003", "Not Kebab")
