"""Which rules run, at which severity, with which options, and what fails the run.

The policy is the only place that interprets select/ignore/severity/fail-on; rules
never see configuration and reporters never filter.

Selectors are rule codes (`IG201`), names (`container-runs-as-root`), code prefixes
(`IG2`, `IG20`), tags (`dockerfile`) or `all`. Rules that are off by default run only
when selected by exact code or name. The old code of a split rule (an alias) selects
every rule split out of it, as it selected every check before the split.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from iacguard.config import Config
from iacguard.errors import ConfigError, shown
from iacguard.plugins import Registry
from iacguard.rule import SEVERITIES, Rule


@dataclass(frozen=True, eq=False)
class ActiveRule:
    rule: Rule
    severity: str
    options: SimpleNamespace
    severity_configured: bool = False


@dataclass
class Policy:
    rules: list[ActiveRule]
    fail_on: str

    def __post_init__(self) -> None:
        self._by_code = {active.rule.code: active for active in self.rules}
        self._by_kind: dict[str, list[ActiveRule]] = {}
        for active in self.rules:
            for kind in active.rule.kinds:
                self._by_kind.setdefault(kind, []).append(active)

    def by_code(self, code: str) -> ActiveRule | None:
        return self._by_code.get(code)

    def fingerprint(self) -> str:
        """What, besides a file's content, decides its results: the enabled rules
        with their severities and options, and the code that implements them (module
        modification times catch a plugin upgrade or a local edit)."""
        import inspect
        import os

        parts = []
        for active in sorted(self.rules, key=lambda a: a.rule.code):
            source = inspect.getsourcefile(active.rule.check) or ""
            stamp = os.stat(source).st_mtime_ns if source and os.path.exists(source) else 0
            parts.append(f"{active.rule.code}|{active.severity}|{active.severity_configured}|{sorted(vars(active.options).items())!r}|{source}|{stamp}")
        return "\n".join(parts)

    def rules_for(self, kind: str) -> list[ActiveRule]:
        return self._by_kind.get(kind, [])

    def fails(self, severity: str) -> bool:
        """True when a finding of this severity fails the run."""
        return self.fail_on != "none" and SEVERITIES.index(severity) >= SEVERITIES.index(self.fail_on)


def build_policy(registry: Registry, config: Config) -> Policy:
    rules = list(registry.rules.values())
    for selector in (*(config.select or ()), *config.ignore):
        if not matching(registry, selector):
            raise ConfigError(f"unknown rule selector {shown(selector)} (use a code, name, code prefix or tag)")
    if config.select is None:
        chosen = [rule for rule in rules if rule.enabled]
    else:
        chosen = [rule for rule in rules if any(_selects(rule, selector) for selector in config.select)]
    ignored = {rule.code for selector in config.ignore for rule in matching(registry, selector)}

    options = _options_by_code(registry, config)
    severities = {}
    for reference, level in config.severity.items():
        for rule in _exact(registry, reference, "severity"):
            severities[rule.code] = level
    active = [
        ActiveRule(
            rule,
            severities.get(rule.code, rule.severity),
            rule.resolve_options(options.get(rule.code, {})),
            rule.code in severities,
        )
        for rule in chosen
        if rule.code not in ignored
    ]
    return Policy(active, config.fail_on)


def matching(registry: Registry, selector: str) -> list[Rule]:
    return [rule for rule in registry.rules.values() if _matches(rule, selector)]


def _matches(rule: Rule, selector: str) -> bool:
    token = selector.strip()
    return (
        token.lower() == "all"
        or rule.answers_to(token)
        or (token[:1].isalpha() and token[-1:].isdigit() and rule.code.startswith(token.upper()))
        or token.lower() in rule.tags
    )


def _selects(rule: Rule, selector: str) -> bool:
    """Off-by-default rules need their exact code or name."""
    if rule.enabled:
        return _matches(rule, selector)
    return rule.answers_to(selector)


def _exact(registry: Registry, reference: str, key: str) -> list[Rule]:
    rules = registry.find_rules(reference)
    if not rules:
        raise ConfigError(f"unknown rule {shown(reference)} in {key!r} (use a rule code or name)")
    return rules


def _options_by_code(registry: Registry, config: Config) -> dict[str, dict]:
    options: dict[str, dict] = {}
    for reference, values in config.rules.items():
        for rule in _exact(registry, reference, "rules"):
            options.setdefault(rule.code, {}).update(values)
    return options
