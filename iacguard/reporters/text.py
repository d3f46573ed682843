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

from iacguard.reporters import ReportContext, findings_by_rule, printable, suppressed_by_kind
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
            if not context.statistics and (finding.suppression is None or context.show_suppressed):
                lines.append((finding.sort_key(), self.finding_line(finding, paint)))
        for diagnostic in result.diagnostics:
            if diagnostic.level != "note" or context.verbose:
                key = (diagnostic.path, diagnostic.line or 0, diagnostic.column or 0, diagnostic.code)
                lines.append((key, self.diagnostic_line(diagnostic, paint)))
        for _, line in sorted(lines, key=lambda item: item[0]):
            out.write(line + "\n")
        if context.statistics:
            out.writelines(line + "\n" for line in statistics(result))
        if not context.quiet:
            out.writelines(line + "\n" for line in busiest_files(result))
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
        text = f"Found {_count(len(active), 'finding')} ({_by_severity(Counter(finding.severity for finding in active))}) in {scanned}"
    else:
        text = f"No findings in {scanned}"
    by_kind = suppressed_by_kind(result)
    if by_kind:
        kinds = ", ".join(f"{count} {kind}" for kind, count in by_kind.items())
        text += f"; {sum(by_kind.values())} suppressed ({kinds})"
    if result.hidden:
        text += f"; {result.hidden} below {result.policy.min_severity} not shown"
    if result.incomplete:
        text += f"; {_count(len(result.incomplete), 'file')} incomplete (analysis did not finish)"
    return text + "."


def statistics(result: ScanResult) -> list[str]:
    """`--statistics`: one line per rule with unsuppressed findings, most first, in
    place of the findings (`COUNT  CODE  [severity]  name`, as ruff's)."""
    rules = {finding.code: finding.active for finding in result.active_findings}
    counts = findings_by_rule(result)
    if not counts:
        return []
    count_width, code_width = len(str(max(counts.values()))), max(map(len, counts))
    return [
        f"{count:>{count_width}}  {code:<{code_width}}  {f'[{rules[code].severity}]':<10}  {rules[code].rule.name}"
        for code, count in counts.items()
    ]


MANY_FINDINGS = 50  # about a screen: below it, the lines themselves are the overview
BUSIEST_FILES = 10


def busiest_files(result: ScanResult) -> list[str]:
    """When the findings fill more than a screen and more than one file, the files
    with the most of them (with their severities), so a long report ends with where
    to start; nothing otherwise."""
    active = result.active_findings
    by_file: dict[str, Counter] = {}
    for finding in active:
        by_file.setdefault(finding.location.path, Counter())[finding.severity] += 1
    if len(active) <= MANY_FINDINGS or len(by_file) < 2:
        return []
    ranked = sorted(by_file.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    width = len(str(sum(ranked[0][1].values())))
    lines = ["Files with the most findings:"]
    for path, counts in ranked[:BUSIEST_FILES]:
        lines.append(f"  {sum(counts.values()):>{width}}  {printable(path)} ({_by_severity(counts)})")
    if len(ranked) > BUSIEST_FILES:
        lines.append(f"  and {_count(len(ranked) - BUSIEST_FILES, 'more file')} with findings")
    return lines


def _by_severity(counts: Counter) -> str:
    return ", ".join(f"{counts[level]} {level}" for level in reversed(SEVERITIES) if counts[level])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _painter(enabled: bool):
    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if enabled else text

    return paint
