"""How a rule is declared: metadata, typed options, and a pure check generator.

A rule module holds one `@rule(...)`-decorated generator. The generator receives
one canonical `Resource` and the rule's validated options, and yields `Problem`s;
the engine stamps code, severity, file and fingerprint. Rules keep no state and
know nothing of formats, configuration files or output.

Speaking the user's format. A rule tests canonical attributes, but its messages
name the setting as the user's file spells it: `resource.native_name("https_only")`
is `https_only` for Terraform and `properties.httpsOnly` for ARM and Bicep (the
normalizers record the path they read each attribute from, also when the file
leaves it to the platform default). So:

    https_only = resource.attr("https_only")
    name = resource.native_name("https_only")
    yield setting_problem(https_only, f"{name} is false, ...", f"{name} is not set and defaults to false, ...")

The documentation does the same with per-format subsections: under "How to fix"
and "Example", shared text first, then a `### <format label>` subsection (`###
Terraform`, `### ARM`, `### Bicep`) for every format the rule checks. `iacguard
explain CODE --for bicep` shows the shared text and the Bicep subsections only
(`Rule.doc_for`); the rendered pages and SARIF keep them all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from types import MappingProxyType, SimpleNamespace
from typing import TYPE_CHECKING, Any

from iacguard.errors import ConfigError, shown
from iacguard.lazy import regex
from iacguard.model import Attr, Location, Resource
from iacguard.structs import field, struct

if TYPE_CHECKING:  # what fixes are is imported where a rule declares one, not at start-up
    from iacguard.fixes import Fix, Fixable

SEVERITIES = ("info", "low", "medium", "high", "critical")
DOC_HEADINGS = ("What it checks", "Why it matters", "How to fix", "Example")
# A rule whose default needs a reason (off, narrowed, or kept on although most real
# files fail it) gives it under this heading, after "Why it matters".
WHY_THIS_DEFAULT = "Why this default"

RULE_CODE = regex(r"[A-Z]{2,}[0-9]{3}")  # IG201, ORG101: also the name of a rule's fixture folder
_NAME = regex(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@struct(frozen=True)
class Option:
    """A rule option: name, expected type (`bool`, `int`, `str` or `list`), default.

    `item`, for a list, turns each string into the value the rule receives (a
    compiled pattern, say), so it is checked once when config loads rather than on
    every resource; it raises ValueError saying what is wrong with the string.
    """

    name: str
    type: type
    default: Any
    help: str = ""
    item: Callable[[str], Any] | None = None

    def validate(self, rule_code: str, value: Any) -> Any:
        ok = isinstance(value, self.type) and not (self.type is int and isinstance(value, bool))
        if self.type is list:
            ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        if not ok:
            expected = "a list of strings" if self.type is list else self.type.__name__
            raise ConfigError(f"option {self.name!r} of rule {rule_code} must be {expected}, got {shown(value)}")
        if self.type is not list:
            return value
        return tuple(value) if self.item is None else tuple(self._item(rule_code, text) for text in value)

    def _item(self, rule_code: str, text: str) -> Any:
        try:
            return self.item(text)
        except ValueError as error:
            raise ConfigError(f"option {self.name!r} of rule {rule_code}: {shown(text)} {error}") from None


@struct(frozen=True, slots=True)
class Problem:
    """What a rule yields: a message, where, optionally a severity for this one
    finding (a configured severity for the rule still wins), and the fix for it when
    the rule declares one (`iacguard.fixes`)."""

    location: Location
    message: str
    severity: str | None = None
    fix: Fix | None = None


def problem(at: Attr | Location, message: str, severity: str | None = None, fix: Fix | None = None) -> Problem:
    """A problem located at an attribute (where it was set) or at a location."""
    if severity is not None and severity not in SEVERITIES:
        raise ValueError(f"severity {severity!r} is not one of {SEVERITIES}")
    location = at.location if isinstance(at, Attr) else at
    return Problem(location, message, severity, fix)


def setting_problem(at: Attr, when_set: str, when_unset: str, fix: Fix | None = None) -> Problem:
    """A problem about a setting, worded for the value written in the file or, when
    the setting is absent, for the platform default that applies."""
    return problem(at, when_set if at.is_set else when_unset, fix=fix)


@struct(frozen=True, eq=False)
class Rule:
    """A rule: metadata plus the check function. Created by the `@rule` decorator."""

    code: str
    name: str
    severity: str
    kinds: tuple[str, ...]
    check: Callable[[Resource, SimpleNamespace], Iterator[Problem]]
    doc: str
    references: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    tags: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    enabled: bool = True
    runtime_only: bool = False
    formats: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()
    fix: Fixable | None = None
    linux_only: bool = False

    def fixes_in(self, format_name: str) -> bool:
        """True when the rule declares a fix for its findings in this format."""
        return self.fix is not None and format_name in self.fix.formats

    def answers_to(self, reference: str) -> bool:
        """True when `reference` names this rule exactly: its code, its name, or a code
        or name it was known by before (an alias)."""
        token = reference.strip()
        return not {token.upper(), token.lower()}.isdisjoint((self.code, self.name, *self.aliases))

    @property
    def alias_codes(self) -> tuple[str, ...]:
        """The aliases that are codes; the others are names."""
        return tuple(alias for alias in self.aliases if RULE_CODE.fullmatch(alias))

    @property
    def previous_code(self) -> str:
        """The code this rule's findings carried in the previous fingerprint version:
        a rule split out of another keeps that one's code there (its first alias that
        is a code, see `aliases`); a renamed rule kept its code."""
        return (*self.alias_codes, self.code)[0]

    def applies_to(self, resource: Resource) -> bool:
        """Kinds decide which resources a rule sees; `formats`, when given, narrows
        that to the formats whose schema can express what the rule checks."""
        if self.runtime_only and not resource.runtime:
            return False
        if self.linux_only and resource.value("os") == "windows":
            return False
        return self.formats is None or resource.format in self.formats

    @property
    def summary(self) -> str:
        """The first line of the documentation: a one-sentence description."""
        return self.doc.split("\n", 1)[0].strip()

    @property
    def group(self) -> str:
        return self.code[:-2]

    def doc_for(self, format_label: str) -> str:
        """The documentation for users of one format: every `### <label>`
        subsection of another format is left out (up to the next heading), the
        shared text is kept. Lines inside fenced code are never headings."""
        kept: list[str] = []
        keep, fenced = True, False
        for line in self.doc.split("\n"):
            if line.startswith("```"):
                fenced = not fenced
            elif not fenced and line.startswith("## "):
                keep = True
            elif not fenced and line.startswith("### "):
                keep = line[4:].strip().lower() == format_label.lower()
            if keep:
                kept.append(line)
        return "\n".join(kept).rstrip()

    def resolve_options(self, configured: dict[str, Any]) -> SimpleNamespace:
        """Defaults overlaid with configured values; unknown names are config errors."""
        by_name = {option.name: option for option in self.options}
        unknown = sorted(set(configured) - set(by_name))
        if unknown:
            known = ", ".join(sorted(by_name)) or "none"
            raise ConfigError(f"rule {self.code} ({self.name}) has no option {shown(unknown[0])} (options: {known})")
        values = {name: option.validate(self.code, option.default) for name, option in by_name.items()}
        for name, value in configured.items():
            values[name] = by_name[name].validate(self.code, value)
        return SimpleNamespace(**values)

    @property
    def source_file(self) -> str:
        """The file that defines the check ('' when none is known): the result cache
        keys on its modification time, so an edited or upgraded rule is run again."""
        return getattr(sys.modules.get(self.check.__module__), "__file__", None) or ""

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"


def _cleandoc(doc: str) -> str:
    """A docstring without its indentation: the first line stripped, the rest
    dedented as `textwrap.dedent` does (blank lines emptied, the indentation all
    other lines share removed). Written out because every rule module imported runs
    it, and `textwrap` compiles its regexes when imported and one more for each
    margin: with the compose names' patterns (`iacguard.parsers.compose`), 0.7 ms of
    a check of one Dockerfile."""
    first, _, rest = doc.strip("\n").partition("\n")
    lines = [line if line.strip(" \t") else "" for line in rest.split("\n")]
    margin = os.path.commonprefix([line[: len(line) - len(line.lstrip(" \t"))] for line in lines if line])
    return (first.strip() + "\n" + "\n".join(line[len(margin):] for line in lines)).strip()


def rule(
    *,
    code: str,
    name: str,
    severity: str,
    kinds: tuple[str, ...],
    references: dict[str, list[str]] | None = None,
    tags: tuple[str, ...] = (),
    options: tuple[Option, ...] = (),
    enabled: bool = True,
    runtime_only: bool = False,
    formats: tuple[str, ...] | None = None,
    aliases: tuple[str, ...] = (),
    fix: Fixable | None = None,
    linux_only: bool = False,
) -> Callable[[Callable], Rule]:
    """Declare a rule. The decorated generator's docstring is its documentation.

    `runtime_only` rules see only resources that run as such: every container, but of
    a Dockerfile only the final stage.
    `enabled=False` rules run only when selected by exact code or name.
    A part of a rule that only some uses of a format need is a `bool` option, off by
    default (IG212 `dockerfile_healthcheck`), as a rule that needs input stays
    silent until it is configured (IG103 `allowed_registries`); a finding that weighs
    less in one format says so with `problem(..., severity=...)`.
    `formats` limits a rule to the formats that can express what it checks (an
    azurerm container group cannot set `allowPrivilegeEscalation`, for example).
    `aliases` are the codes and names a rule's checks were reported under before,
    newest first: when a rule that bundled several checks is split, the split-out
    rules name the old code (and the old name), so selecting, ignoring or suppressing
    it still reaches every check, and a baseline written before the split still
    covers their findings. A rule whose name no longer fits after a split keeps its
    code and names its old name here, so configurations that use the name still work.
    `fix` (`safe_fix(...)`, `unsafe_fix(...)` from `iacguard.fixes`) says in which
    formats the problems the rule yields carry a fix, and whether it is safe.
    `linux_only` rules judge settings that exist only on Linux (capabilities,
    seccomp, `no_new_privs`, ...): they do not see a container that runs on Windows
    (its `os` attribute), where the API server refuses those settings.
    """
    if not RULE_CODE.fullmatch(code):
        raise ValueError(f"rule code {code!r} must look like IG201")
    if not _NAME.fullmatch(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {code}: severity {severity!r} is not one of {SEVERITIES}")
    if any(not (RULE_CODE.fullmatch(alias) or _NAME.fullmatch(alias)) or alias in (code, name) for alias in aliases):
        raise ValueError(f"rule {code}: aliases {aliases!r} must be other codes like IG201 or names like container-runs-as-root")

    def decorate(check: Callable) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            kinds=tuple(kinds),
            check=check,
            doc=_cleandoc(check.__doc__ or ""),
            references=MappingProxyType({k: tuple(v) for k, v in (references or {}).items()}),
            tags=tuple(tags),
            options=tuple(options),
            enabled=enabled,
            runtime_only=runtime_only,
            formats=tuple(formats) if formats else None,
            aliases=tuple(aliases),
            fix=fix,
            linux_only=linux_only,
        )

    return decorate
