"""The built-in plugin: iacguard's own formats, normalizers, rules and reporters,
contributed through the same hooks a third-party plugin implements."""

from __future__ import annotations

import importlib
import pkgutil

from iacguard.hookspecs import hookimpl
from iacguard.rule import Rule


@hookimpl
def iacguard_formats():
    from iacguard.parsers.arm import ArmFormat
    from iacguard.parsers.bicep import BicepFormat
    from iacguard.parsers.compose import ComposeFormat
    from iacguard.parsers.dockerfile import DockerfileFormat
    from iacguard.parsers.helm import HelmChartFormat
    from iacguard.parsers.kubernetes import KubernetesFormat
    from iacguard.parsers.kustomize import KustomizeFormat
    from iacguard.parsers.terraform import TerraformFormat

    return [DockerfileFormat(), KubernetesFormat(), KustomizeFormat(), HelmChartFormat(), TerraformFormat(), ArmFormat(), BicepFormat(), ComposeFormat()]


@hookimpl
def iacguard_normalizers():
    from iacguard.formats import Normalizer

    return [
        Normalizer("dockerfile", _on_first_use("iacguard.normalizers.dockerfile", "normalize")),
        Normalizer("kubernetes", _on_first_use("iacguard.normalizers.kubernetes", "normalize")),
        Normalizer("kustomize", _on_first_use("iacguard.normalizers.kustomize", "normalize")),
        Normalizer("helm", _on_first_use("iacguard.normalizers.helm", "normalize")),
        Normalizer("terraform", _on_first_use("iacguard.normalizers.terraform", "normalize")),
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


@hookimpl
def iacguard_rules():
    return builtin_rules()


@hookimpl
def iacguard_reporters():
    from iacguard.reporters.github import GithubReporter
    from iacguard.reporters.json import JsonReporter
    from iacguard.reporters.junit import JunitReporter
    from iacguard.reporters.sarif import SarifReporter
    from iacguard.reporters.text import TextReporter

    return [TextReporter(), JsonReporter(), SarifReporter(), GithubReporter(), JunitReporter()]


def builtin_rules() -> list[Rule]:
    """Every Rule defined in a module of the `iacguard.rules` package (the `rules/`
    folder of the source tree), in code order."""
    package = importlib.import_module("iacguard.rules")
    found: list[Rule] = []
    for module_info in pkgutil.walk_packages(package.__path__, prefix="iacguard.rules."):
        module = importlib.import_module(module_info.name)
        found.extend(value for value in vars(module).values() if isinstance(value, Rule))
    return sorted(found, key=lambda rule: rule.code)
