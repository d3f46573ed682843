"""Human-readable output: one `path:line:col: CODE [severity] message (resource)`
line per finding, sorted by file and position, then a summary. Editors and CI logs
parse the same lines; colour is added only on a terminal. A finding's related
locations follow on the same line: `from` the Helm template a manifest was rendered
from, `via` the module lines a caller's value passed through. Every piece of text
that comes from the scanned files goes through `printable`, so each line stays one
line and a CI log shows it rather than obeying it."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from iacguard.reporters import ReportContext, printable, suppressed_by_kind
from iacguard.rule import SEVERITIES
from iacguard.diagnostics import Diagnostic
from iacguard.runner import Finding, ScanResult

_COLORS = {"critical": "1;35", "high": "1;31", "medium": "33", "low": "36", "info": "2", "error": "1;31", "warning": "33", "note": "2"}


class TextReporter:
    name = "text"
    description = "path:line:col lines and a summary, for people, editors and CI logs"

    def render(self, result: ScanResult, out: TextIO, context: ReportContext) -> None:
        paint = _painter(context.color)
        lines: list[tuple[tuple, str]] = []
        for finding in result.findings:
            if finding.suppression is None or context.show_suppressed:
                lines.append((finding.sort_key(), self.finding_line(finding, paint)))
        for diagnostic in result.diagnostics:
            if diagnostic.level != "note" or context.verbose:
                key = (diagnostic.path, diagnostic.line or 0, diagnostic.column or 0, diagnostic.code)
                lines.append((key, self.diagnostic_line(diagnostic, paint)))
        for _, line in sorted(lines, key=lambda item: item[0]):
            out.write(line + "\n")
        out.write(summary(result) + "\n")

    def finding_line(self, finding: Finding, paint) -> str:
        loc = finding.location
        text = (
            f"{paint('1', f'{printable(loc.path)}:{loc.line}:{loc.column}:')} {paint('1', finding.code)} "
            f"{paint(_COLORS[finding.severity], f'[{finding.severity}]')} {printable(finding.message)} ({printable(finding.resource.address)})"
        )
        rendered_from = [related.path for related in finding.related if related.line is None]
        hops = [f"{related.path}:{related.line}" for related in finding.related if related.line is not None]
        if rendered_from:
            text += " from " + ", ".join(map(printable, rendered_from))
        if hops:
            text += " via " + ", ".join(map(printable, hops))
        if finding.suppression is not None:
            reason = f": {printable(finding.suppression.reason)}" if finding.suppression.reason else ""
            text += paint("2", f" [suppressed{reason}]")
        return text

    def diagnostic_line(self, diagnostic: Diagnostic, paint) -> str:
        where = printable(diagnostic.path)
        if diagnostic.line is not None:
            where += f":{diagnostic.line}:{diagnostic.column or 1}"
        return f"{paint('1', where + ':')} {paint('1', diagnostic.code)} {paint(_COLORS[diagnostic.level], f'[{diagnostic.level}]')} {printable(diagnostic.message)}"


def summary(result: ScanResult) -> str:
    """One line: the findings by severity, the suppressed ones by kind (so a review
    sees what a change hides), and how many files were not analysed completely."""
    active = result.active_findings
    scanned = _count(len(result.files), "file")
    if active:
        counts = Counter(finding.severity for finding in active)
        parts = ", ".join(f"{counts[level]} {level}" for level in reversed(SEVERITIES) if counts[level])
        text = f"Found {_count(len(active), 'finding')} ({parts}) in {scanned}"
    else:
        text = f"No findings in {scanned}"
    by_kind = suppressed_by_kind(result)
    if by_kind:
        kinds = ", ".join(f"{count} {kind}" for kind, count in by_kind.items())
        text += f"; {sum(by_kind.values())} suppressed ({kinds})"
    if result.incomplete:
        text += f"; {_count(len(result.incomplete), 'file')} incomplete (analysis did not finish)"
    return text + "."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _painter(enabled: bool):
    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if enabled else text

    return paint
