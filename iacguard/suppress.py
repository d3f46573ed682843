"""Suppressions written in the scanned files: one grammar, read strictly.

    # iacguard:ignore IG201,container-runs-as-root -- the reason
    # iacguard:ignore-file IG104 -- the reason
    # iacguard:ignore -- the reason            (every rule)

That is `iacguard:ignore` or `iacguard:ignore-file` (the comment's whole text, after
its `#`, `//` or `/*`), then optionally the rules (codes or names, comma-separated,
no spaces), then optionally `--` and the reason. A block comment's closing `*/` is
never part of the reason. Only a directive without rules suppresses every rule.

`ignore` covers the statement on the same line (a trailing comment) or the next
statement after the comment (all of its lines). `ignore-file` covers the whole file.

The reason needs `--`. Read as free text after the rules, the first word of a reason
and a mistyped rule list cannot be told apart (`ignore IG309 IG302` would suppress
IG309 for the reason "IG302"), and an earlier reading that took unparsable rule lists
for reasons turned typos into "ignore every rule". So anything that is not exactly
this grammar, including the older `ignore IG201 reason` form, suppresses nothing and
gets an IG002 warning showing the syntax. So does any other comment that mentions
both `iacguard` and `ignore` (`iacguard:ignore=IG309`, `iacguard: ignore IG309`):
a near miss must not pass silently, whichever way it misses.

Kubernetes annotations (`iacguard.io/ignore: RULE,RULE`) and ARM metadata
(`"iacguard": {"ignore": ["RULE"], "reason": "..."}`) must name their rules the same
way; a malformed value suppresses nothing and is warned about (IG002). They cannot
suppress every rule: an empty value is more often a template that rendered nothing
than a decision.

A suppression that covered no finding is reported as unused (IG007) on request, but
only when it can be judged: every rule it names ran in this scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from iacguard.formats import ParsedFile
from iacguard.lazy import regex
from iacguard.model import Suppression
from iacguard.structs import struct

if TYPE_CHECKING:
    from iacguard.plugins import Registry
    from iacguard.policy import Policy
    from iacguard.rule import Rule

SYNTAX = "iacguard:ignore[-file] [RULE[,RULE...]] [-- REASON]"
ANNOTATION_SYNTAX = "iacguard.io/ignore: RULE[,RULE...]"
METADATA_SYNTAX = '"iacguard": {"ignore": ["RULE", ...], "reason": "..."}'

_REFERENCE = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"  # a rule code or name
_DIRECTIVE = regex(
    rf"iacguard:(?P<scope>ignore-file|ignore)(?:[ \t]+(?P<rules>{_REFERENCE}(?:,{_REFERENCE})*))?(?:[ \t]+--[ \t]+(?P<reason>\S.*))?",
    re.DOTALL,
)
_ONE_REFERENCE = regex(_REFERENCE)
# How a line comment starts, per format that has comments (Kubernetes YAML; its JSON
# form has none and takes the annotation instead).
COMMENT_MARKERS = {"dockerfile": "#", "kubernetes": "#", "compose": "#", "terraform": "#", "bicep": "//", "arm": "//"}


def ignore_comment(format_name: str, codes: Iterable[str], reason: str) -> str | None:
    """The comment that suppresses `codes` on the statement below it, in the
    format's comment syntax; None for a format without line comments."""
    marker = COMMENT_MARKERS.get(format_name)
    return None if marker is None else f"{marker} iacguard:ignore {','.join(codes)} -- {reason}"


@struct(frozen=True)
class SuppressionWarning:
    line: int
    column: int | None
    message: str
    level: str = "warning"


def _malformed(syntax: str) -> str:
    return f"malformed suppression, so it suppresses nothing; the syntax is: {syntax}"


class FileSuppressions:
    """The suppression comments of one file, matched against findings by line."""

    def __init__(self, parsed: ParsedFile, registry: Registry):
        self.parsed = parsed
        self.whole_file: list[Suppression] = []
        self.by_line: dict[int, list[Suppression]] = {}
        self.written: list[tuple[Suppression, int]] = []  # every well-formed one, with its column
        self.warnings: list[SuppressionWarning] = []
        code_lines = _code_lines(parsed)
        for comment in parsed.comments:
            text = _body(comment.text)
            directive = _DIRECTIVE.fullmatch(text)
            if directive is None:
                lowered = text.lower()
                if "iacguard" in lowered and "ignore" in lowered:
                    self.warnings.append(SuppressionWarning(comment.line, comment.column, _malformed(SYNTAX)))
                continue
            rules = directive["rules"]
            codes = None if rules is None else self._codes(rules.split(","), registry, comment.line, comment.column)
            reason = " ".join((directive["reason"] or "").split())
            if directive["scope"] == "ignore-file":
                suppression = Suppression("file", codes, reason, comment.line)
                self.whole_file.append(suppression)
            else:
                suppression = Suppression("inline", codes, reason, comment.line)
                target = comment.line if not comment.own_line else _next_code_line(code_lines, comment.line)
                if target is not None:
                    self.by_line.setdefault(target, []).append(suppression)
            self.written.append((suppression, comment.column))
            if not reason:
                self.warnings.append(SuppressionWarning(comment.line, comment.column, "suppression without a reason", "note"))

    def _codes(self, references: list[str], registry: Registry, line: int, column: int) -> frozenset[str]:
        codes = set()
        for reference in references:
            rules = registry.find_rules(reference)
            if not rules:
                self.warnings.append(SuppressionWarning(line, column, f"suppression names unknown rule {reference!r}"))
            codes.update(rule.code for rule in rules)
        return frozenset(codes)

    def covering(self, rule: Rule, line: int) -> list[Suppression]:
        """The suppressions of this file that cover a finding of `rule` at `line`."""
        found = [suppression for suppression in self.whole_file if suppression.covers(rule)]
        for target, suppressions in self.by_line.items():
            if self.parsed.covers(target, line):
                found.extend(suppression for suppression in suppressions if suppression.covers(rule))
        return found


def _body(comment: str) -> str:
    """A comment's text without its marks: `#`, `//`, or `/*` and `*/`."""
    if comment.startswith("/*"):
        return comment[2:].removesuffix("*/").strip()
    return comment[2:].strip() if comment.startswith("//") else comment.removeprefix("#").strip()


def _code_lines(parsed: ParsedFile) -> list[bool]:
    """For each line (1-based), whether it holds something other than a comment
    (a block comment may run over several lines)."""
    comment_lines = {
        line for comment in parsed.comments if comment.own_line for line in range(comment.line, comment.line + comment.text.count("\n") + 1)
    }
    lines = parsed.text.split("\n")
    return [False] + [bool(text.strip()) and number not in comment_lines for number, text in enumerate(lines, 1)]


def _next_code_line(code_lines: list[bool], line: int) -> int | None:
    for number in range(line + 1, len(code_lines)):
        if code_lines[number]:
            return number
    return None


def _references(items: Any) -> frozenset[str] | None:
    """The rule references in `items`, or None unless there is at least one and
    each is a single well-formed code or name."""
    if not isinstance(items, list) or not items:
        return None
    if not all(isinstance(item, str) and _ONE_REFERENCE.fullmatch(item) for item in items):
        return None
    return frozenset(items)


def annotation_suppression(value: Any, reason: str, line: int, path: str | None = None) -> Suppression:
    """The suppression a Kubernetes `iacguard.io/ignore` annotation writes at `line`
    of `path`."""
    rules = _references(value.strip().split(",")) if isinstance(value, str) else None
    if rules is None:
        return Suppression("annotation", frozenset(), reason, line, _malformed(ANNOTATION_SYNTAX), path)
    return Suppression("annotation", rules, reason, line, path=path)


def metadata_suppression(metadata: Any, line: int) -> Suppression:
    """The suppression an ARM resource's `metadata.iacguard` object writes."""
    rules = _references(metadata.get("ignore")) if isinstance(metadata, dict) else None
    reason = metadata.get("reason", "") if isinstance(metadata, dict) else None
    if rules is None or not isinstance(reason, str):
        return Suppression("metadata", frozenset(), "", line, _malformed(METADATA_SYNTAX))
    return Suppression("metadata", rules, reason, line)


def resource_warnings(suppressions: Iterable[Suppression], registry: Registry) -> list[SuppressionWarning]:
    """What is wrong with the suppressions resources carry (annotations, metadata):
    a malformed one, or rule references that name no known rule."""
    warnings = []
    for suppression in suppressions:
        if suppression.malformed:
            warnings.append(SuppressionWarning(suppression.line, None, suppression.malformed))
        for reference in sorted(suppression.rules or ()):
            if not registry.find_rules(reference):
                warnings.append(SuppressionWarning(suppression.line, None, f"suppression names unknown rule {reference!r}"))
    return warnings


def unused(written: Iterable[tuple[Suppression, int | None]], used: set[Suppression], policy: Policy, registry: Registry) -> list[SuppressionWarning]:
    """The written suppressions that covered no finding (IG007). One that names rules
    is judged only when each of them ran in this scan (an unknown name is already an
    IG002 and is left out); one without rules, which names them all, when every rule
    that runs by default ran (not under a narrower `--select` or an `--ignore`) and
    it covered nothing at all."""
    warnings = []
    every_default_ran = None
    for suppression, column in written:
        if suppression in used or suppression.malformed:
            continue
        if suppression.rules is None:
            if every_default_ran is None:
                every_default_ran = all(policy.by_code(rule.code) is not None for rule in registry.rules.values() if rule.enabled)
            if every_default_ran:
                warnings.append(SuppressionWarning(suppression.line, column, "unused suppression: it suppressed no finding"))
            continue
        rules = [rule for reference in sorted(suppression.rules) for rule in registry.find_rules(reference)]
        if rules and all(policy.by_code(rule.code) is not None for rule in rules):
            codes = ",".join(sorted(rule.code for rule in rules))
            warnings.append(SuppressionWarning(suppression.line, column, f"unused suppression: no finding of {codes} was suppressed"))
    return warnings
