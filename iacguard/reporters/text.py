"""Human-readable output: one `path:line:col: CODE [severity] message (resource)`
line per finding, sorted by file and position, then a summary. Editors and CI logs
parse the same lines; colour is added only on a terminal."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from iacguard.reporters import ReportContext
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
            f"{paint('1', f'{loc.path}:{loc.line}:{loc.column}:')} {paint('1', finding.code)} "
            f"{paint(_COLORS[finding.severity], f'[{finding.severity}]')} {finding.message} ({finding.resource.address})"
        )
        if finding.resource.source_template:
            text += f" from {finding.resource.source_template}"
        if finding.suppression is not None:
            reason = f": {finding.suppression.reason}" if finding.suppression.reason else ""
            text += paint("2", f" [suppressed{reason}]")
        return text

    def diagnostic_line(self, diagnostic: Diagnostic, paint) -> str:
        where = diagnostic.path
        if diagnostic.line is not None:
            where += f":{diagnostic.line}:{diagnostic.column or 1}"
        return f"{paint('1', where + ':')} {paint('1', diagnostic.code)} {paint(_COLORS[diagnostic.level], f'[{diagnostic.level}]')} {diagnostic.message}"


def summary(result: ScanResult) -> str:
    active = result.active_findings
    baselined = sum(1 for finding in result.findings if finding.suppression and finding.suppression.kind == "baseline")
    suppressed = len(result.findings) - len(active) - baselined
    files = len(result.files)
    scanned = f"{files} file{'s' if files != 1 else ''}"
    if active:
        counts = Counter(finding.severity for finding in active)
        parts = ", ".join(f"{counts[level]} {level}" for level in reversed(SEVERITIES) if counts[level])
        text = f"Found {len(active)} finding{'s' if len(active) != 1 else ''} ({parts}) in {scanned}"
    else:
        text = f"No findings in {scanned}"
    if suppressed:
        text += f"; {suppressed} suppressed"
    if baselined:
        text += f"; {baselined} in the baseline"
    failed = len({diagnostic.path for diagnostic in result.errors})
    if failed:
        text += f"; {failed} file{'s' if failed != 1 else ''} could not be scanned"
    return text + "."


def _painter(enabled: bool):
    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if enabled else text

    return paint
