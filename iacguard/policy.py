"""Which rules run, at which severity, with which options, what fails the run and
what the reports show.

The policy is the only place that interprets select/ignore/per_file_ignores/
severity/fail-on/min_severity; rules never see configuration and reporters never
filter.

Selectors are rule codes (`IG201`), names (`container-runs-as-root`), code prefixes
(`IG2`, `IG20`), tags (`dockerfile`) or `all`. Rules that are off by default run only
when selected by exact code or name. The old code of a split rule (an alias) selects
every rule split out of it, as it selected every check before the split.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

from iacguard.config import Config
from iacguard.errors import ConfigError, shown
from iacguard.model import Suppression
from iacguard.patterns import Pattern, compile_all
from iacguard.plugins import Registry
from iacguard.rule import SEVERITIES, Rule
from iacguard.structs import field, struct


@struct(frozen=True, eq=False)
class ActiveRule:
    """A rule that runs, at its severity, with the options the config sets
    (`configured`, checked when the policy is built)."""

    rule: Rule
    severity: str
    configured: dict = field(default_factory=dict)
    severity_configured: bool = False

    @cached_property
    def options(self) -> SimpleNamespace:
        """The rule's options, its defaults overlaid with `configured`: resolved when
        the rule first runs, so that a scan imports only the rules it runs."""
        return self.rule.resolve_options(self.configured)


@struct(frozen=True)
class PathIgnore:
    """One `per_file_ignores` entry: the rules it turns off in the files its pattern
    matches. The pattern is gitignore-style and relative to the config's folder, and
    as in git a file inside a matching folder matches too (`vendor/`, `legacy`);
    `!pattern` turns the rules off everywhere the pattern does not match."""

    text: str
    pattern: Pattern
    codes: frozenset[str]

    def covers(self, components: list[str]) -> bool:
        """True when the file (its path components from the config's folder) is one
        this entry speaks for."""
        matched = any(self.pattern.matches(components[:count], count < len(components)) for count in range(1, len(components) + 1))
        return matched != self.pattern.negated


@struct
class Policy:
    rules: list[ActiveRule]
    fail_on: str
    min_severity: str = SEVERITIES[0]
    path_ignores: tuple[PathIgnore, ...] = ()
    root: Path | None = None  # the folder `path_ignores` patterns are relative to

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
        with their severities and configured options, and the code that implements them
        (module modification times catch a plugin upgrade or a local edit, and with it
        a changed default)."""
        parts = []
        for active in sorted(self.rules, key=lambda a: a.rule.code):
            source = active.rule.source_file
            stamp = os.stat(source).st_mtime_ns if source and os.path.exists(source) else 0
            parts.append(f"{active.rule.code}|{active.severity}|{active.severity_configured}|{sorted(active.configured.items())!r}|{source}|{stamp}")
        return "\n".join(parts)

    def rules_for(self, kind: str) -> list[ActiveRule]:
        return self._by_kind.get(kind, [])

    def fails(self, severity: str) -> bool:
        """True when a finding of this severity fails the run."""
        return self.fail_on != "none" and SEVERITIES.index(severity) >= SEVERITIES.index(self.fail_on)

    def shows(self, severity: str) -> bool:
        """True when reports show a finding of this severity (`min_severity`). What
        they do not show still counts for `fails`: the display threshold narrows the
        view, never the gate."""
        return SEVERITIES.index(severity) >= SEVERITIES.index(self.min_severity)

    def suppress_by_path(self, findings: Iterable, cwd: Path) -> None:
        """Mark the findings that a `per_file_ignores` entry covers as suppressed
        (kind `config`, the entry as the reason), judged at the file a finding
        points into, like every other suppression. Files outside the config's
        folder are covered by no entry."""
        if not self.path_ignores:
            return
        entries: dict[str, list[PathIgnore]] = {}
        for finding in findings:
            if finding.suppression is not None:
                continue
            path = finding.location.path
            if path not in entries:
                relative = os.path.relpath(os.path.abspath(cwd / path), self.root)
                inside = relative != ".." and not relative.startswith(".." + os.sep)
                entries[path] = [entry for entry in self.path_ignores if inside and entry.covers(relative.split(os.sep))]
            entry = next((entry for entry in entries[path] if finding.code in entry.codes), None)
            if entry is not None:
                finding.suppression = Suppression("config", entry.codes, f"per_file_ignores: {entry.text}", 0)


def build_policy(registry: Registry, config: Config) -> Policy:
    rules = list(registry.rules.values())
    for selector in (*(config.select or ()), *config.ignore, *(s for selectors in config.per_file_ignores.values() for s in selectors)):
        if not matching(registry, selector):
            tags = ", ".join(sorted({tag for rule in rules for tag in rule.tags}))
            raise ConfigError(f"unknown rule selector {shown(selector)} (use all, a code, name, code prefix or tag: {tags})")
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
    for rule in rules:
        if rule.code in options:
            rule.resolve_options(options[rule.code])  # a config error now, not when the rule first runs
    active = [
        ActiveRule(rule, severities.get(rule.code, rule.severity), options.get(rule.code, {}), rule.code in severities)
        for rule in chosen
        if rule.code not in ignored
    ]
    path_ignores = tuple(
        PathIgnore(text, compile_all([text], "per_file_ignores")[0], frozenset(rule.code for selector in selectors for rule in matching(registry, selector)))
        for text, selectors in config.per_file_ignores.items()
    )
    return Policy(active, config.fail_on, config.min_severity, path_ignores, config.root)


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
