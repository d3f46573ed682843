"""The built-in plugin: iacguard's own formats, normalizers, rules and reporters,
contributed through the same hooks a third-party plugin implements."""

from __future__ import annotations

import importlib
import pkgutil

from iacguard.hookspecs import hookimpl
from iacguard.rule import Rule


@hookimpl
def iacguard_formats():
    from iacguard.parsers.dockerfile import DockerfileFormat
    from iacguard.parsers.kubernetes import KubernetesFormat
    from iacguard.parsers.terraform import TerraformFormat

    return [DockerfileFormat(), KubernetesFormat(), TerraformFormat()]


@hookimpl
def iacguard_normalizers():
    from iacguard.formats import Normalizer
    from iacguard.normalizers import dockerfile, kubernetes, terraform

    return [
        Normalizer("dockerfile", dockerfile.normalize),
        Normalizer("kubernetes", kubernetes.normalize),
        Normalizer("terraform", terraform.normalize),
    ]


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
