"""The built-in plugin: iacguard's own formats, normalizers, rules and reporters,
contributed through the same hooks a third-party plugin implements.

Its functions carry no pluggy marker: `iacguard.plugins` registers this module as
pytest registers its own plugins, by the hook names, and calls them directly when no
other plugin is installed, so that a scan imports pluggy only when it has plugins.

The rules come from a generated index (`iacguard.builtin_index`, written by
`scripts/index_rules.py`): each is an `IndexedRule` whose module is imported when
the rule is first run or read, so a check of one Dockerfile imports the Dockerfile
rules only.
"""

from __future__ import annotations

import importlib
import os
from functools import cached_property

from iacguard.rule import Rule

HOOKS = ("iacguard_formats", "iacguard_normalizers", "iacguard_rules", "iacguard_reporters")


def iacguard_formats():
    from iacguard.parsers.arm import ArmFormat
    from iacguard.parsers.bicep import BicepFormat
    from iacguard.parsers.compose import ComposeFormat
    from iacguard.parsers.dockerfile import DockerfileFormat
    from iacguard.parsers.helm import HelmChartFormat
    from iacguard.parsers.kubernetes import KubernetesFormat
    from iacguard.parsers.kustomize import KustomizeFormat
    from iacguard.parsers.terraform import TerraformFormat, TerraformJsonFormat
    from iacguard.parsers.terraform_plan import TerraformPlanFormat

    return [DockerfileFormat(), KubernetesFormat(), KustomizeFormat(), HelmChartFormat(), TerraformFormat(), TerraformJsonFormat(), TerraformPlanFormat(), ArmFormat(), BicepFormat(), ComposeFormat()]


def iacguard_normalizers():
    from iacguard.formats import Normalizer

    return [
        Normalizer("dockerfile", _on_first_use("iacguard.normalizers.dockerfile", "normalize")),
        Normalizer("kubernetes", _on_first_use("iacguard.normalizers.kubernetes", "normalize")),
        Normalizer("kustomize", _on_first_use("iacguard.normalizers.kustomize", "normalize")),
        Normalizer("helm", _on_first_use("iacguard.normalizers.helm", "normalize")),
        Normalizer("terraform", _on_first_use("iacguard.normalizers.terraform", "normalize")),
        Normalizer("terraform-json", _on_first_use("iacguard.normalizers.terraform", "normalize_json")),
        Normalizer("terraform-plan", _on_first_use("iacguard.normalizers.terraform_plan", "normalize")),
        Normalizer("arm", _on_first_use("iacguard.normalizers.arm", "normalize")),
        Normalizer("bicep", _on_first_use("iacguard.normalizers.bicep", "normalize")),
        Normalizer("compose", _on_first_use("iacguard.normalizers.compose", "normalize")),
    ]


def _on_first_use(module: str, name: str):
    """A function whose module is imported when it is first called: a check of one
    Dockerfile should not pay for importing the YAML and HCL machinery."""
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__qualname__ = f"{module}.{name}"
    return call


def iacguard_rules():
    return builtin_rules()


def iacguard_reporters():
    from iacguard.reporters.github import GithubReporter
    from iacguard.reporters.json import JsonReporter
    from iacguard.reporters.junit import JunitReporter
    from iacguard.reporters.sarif import SarifReporter
    from iacguard.reporters.text import TextReporter

    return [TextReporter(), JsonReporter(), SarifReporter(), GithubReporter(), JunitReporter()]


def builtin_rules() -> list[Rule]:
    """The built-in rules as the index lists them, in code order; none is imported."""
    from iacguard.builtin_index import RULES

    return [IndexedRule(module, **metadata) for module, metadata in RULES]


def defined_rules() -> list[tuple[str, Rule]]:
    """(module, rule) for every Rule defined in a module of the `iacguard.rules`
    package (the `rules/` folder of the source tree), in code order, every module
    imported: what the index is generated from."""
    import pkgutil

    package = importlib.import_module("iacguard.rules")
    found: list[tuple[str, Rule]] = []
    for module_info in pkgutil.walk_packages(package.__path__, prefix="iacguard.rules."):
        module = importlib.import_module(module_info.name)
        found.extend((module_info.name, value) for value in vars(module).values() if isinstance(value, Rule))
    return sorted(found, key=lambda item: item[1].code)


INDEXED = ("code", "name", "severity", "kinds", "tags", "enabled", "runtime_only", "formats", "aliases", "linux_only")


class IndexedRule(Rule):
    """A built-in rule as the index describes it: what policy, discovery and rule
    listings read (the `INDEXED` fields) is known from the start; the check, the
    documentation, the references and the options come from the rule's module,
    imported on first use of any of them."""

    def __init__(self, module: str, **metadata):
        object.__setattr__(self, "module", module)  # a frozen struct: set past its guard
        for name in INDEXED:
            object.__setattr__(self, name, metadata[name])

    @cached_property
    def loaded(self) -> Rule:
        """The rule its module defines."""
        module = importlib.import_module(self.module)
        return next(value for value in vars(module).values() if isinstance(value, Rule) and value.code == self.code)

    check = property(lambda self: self.loaded.check)
    doc = property(lambda self: self.loaded.doc)
    references = property(lambda self: self.loaded.references)
    options = property(lambda self: self.loaded.options)
    fix = property(lambda self: self.loaded.fix)

    @property
    def source_file(self) -> str:
        """Found from the module's name, without importing it."""
        package = importlib.import_module("iacguard.rules")
        relative = self.module.removeprefix("iacguard.rules.").split(".")
        return os.path.join(os.path.dirname(package.__file__), *relative) + ".py"
