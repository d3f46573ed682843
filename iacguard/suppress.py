"""Suppressions written in the scanned files.

    # iacguard:ignore IG201,IG304 the reason, in free text
    # iacguard:ignore-file IG104 the reason

`ignore` covers the statement on the same line (a trailing comment) or the next
statement after the comment (all of its lines). `ignore-file` covers the whole file.
Rules are named by code or name, comma-separated; without any, every rule is
covered. The reason is optional but recommended: verbose mode lists suppressions
without one, and unknown rule names are always warned about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iacguard.formats import ParsedFile
from iacguard.model import Suppression
from iacguard.plugins import Registry

_MARKER = re.compile(r"iacguard:(ignore-file|ignore)\b[ \t]*(.*)")
_RULE_LIST = re.compile(r"[A-Za-z0-9-]+(?:,[A-Za-z0-9-]+)*")


@dataclass(frozen=True)
class SuppressionWarning:
    line: int
    column: int
    message: str
    level: str = "warning"


class FileSuppressions:
    """The suppressions of one file, matched against findings by line."""

    def __init__(self, parsed: ParsedFile, registry: Registry):
        self.parsed = parsed
        self.whole_file: list[Suppression] = []
        self.by_line: dict[int, list[Suppression]] = {}
        self.warnings: list[SuppressionWarning] = []
        code_lines = _code_lines(parsed)
        for comment in parsed.comments:
            match = _MARKER.search(comment.text)
            if not match:
                continue
            scope, rest = match.groups()
            codes, reason = self._rules(rest.strip(), registry, comment.line, comment.column)
            if scope == "ignore-file":
                self.whole_file.append(Suppression("file", codes, reason, comment.line))
                continue
            target = comment.line if not comment.own_line else _next_code_line(code_lines, comment.line)
            if target is not None:
                self.by_line.setdefault(target, []).append(Suppression("inline", codes, reason, comment.line))
            if not reason:
                self.warnings.append(SuppressionWarning(comment.line, comment.column, "suppression without a reason", "note"))

    def _rules(self, rest: str, registry: Registry, line: int, column: int) -> tuple[frozenset[str] | None, str]:
        first, _, reason = rest.partition(" ")
        if not first or not _RULE_LIST.fullmatch(first):
            return None, rest
        codes = set()
        for reference in first.split(","):
            rule = registry.find_rule(reference)
            if rule is None:
                self.warnings.append(SuppressionWarning(line, column, f"suppression names unknown rule {reference!r}"))
            else:
                codes.add(rule.code)
        return frozenset(codes), reason.strip()

    def match(self, code: str, line: int) -> Suppression | None:
        for suppression in self.whole_file:
            if suppression.covers(code, ""):
                return suppression
        for target, suppressions in self.by_line.items():
            if self.parsed.covers(target, line):
                for suppression in suppressions:
                    if suppression.covers(code, ""):
                        return suppression
        return None


def _code_lines(parsed: ParsedFile) -> list[bool]:
    """For each line (1-based), whether it holds something other than a comment."""
    comment_lines = {comment.line for comment in parsed.comments if comment.own_line}
    lines = parsed.text.split("\n")
    return [False] + [bool(text.strip()) and number not in comment_lines for number, text in enumerate(lines, 1)]


def _next_code_line(code_lines: list[bool], line: int) -> int | None:
    for number in range(line + 1, len(code_lines)):
        if code_lines[number]:
            return number
    return None


def unknown_references(suppression: Suppression, registry: Registry) -> list[str]:
    """The rule references of a suppression that name no known rule."""
    return sorted(reference for reference in suppression.rules or () if registry.find_rule(reference) is None)
