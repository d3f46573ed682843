"""GitHub Actions workflow commands: each finding becomes an annotation on the pull
request's diff (`::error file=...,line=...::message`), and so does each error that
left a file's analysis incomplete.

Property values keep the file's real name (escaped as the runner expects), so the
annotation lands on the file; messages are shown to people and go through
`printable` first."""

from __future__ import annotations

from typing import TextIO

from iacguard.reporters import ReportContext, diagnostic_message, printable
from iacguard.reporters.text import summary
from iacguard.runner import ScanResult

COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


class GithubReporter:
    name = "github"
    description = "GitHub Actions annotations (workflow commands)"

    def render(self, result: ScanResult, out: TextIO, context: ReportContext) -> None:
        for finding in result.active_findings:
            loc = finding.location
            properties = {
                "file": context.repository_path(loc.path),
                "line": loc.line,
                "col": loc.column,
                "endLine": loc.end_line or loc.line,
                "endColumn": loc.end_column,
                "title": f"{finding.code} {finding.active.rule.name} [{finding.severity}]",
            }
            message = f"{finding.message} ({finding.resource.address})"
            out.write(_command(COMMAND[finding.severity], properties, message))
        for diagnostic in result.diagnostics:
            if diagnostic.level == "note" and not context.verbose:
                continue
            properties = {"file": diagnostic.path and context.repository_path(diagnostic.path), "line": diagnostic.line, "col": diagnostic.column, "title": diagnostic.code}
            out.write(_command("error" if diagnostic.level == "error" else "warning", properties, diagnostic_message(diagnostic)))
        if not context.quiet:
            out.write(summary(result) + "\n")


def _command(name: str, properties: dict, message: str) -> str:
    fields = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name} {fields}::{_escape_data(printable(message))}\n"


def _escape_data(text: str) -> str:
    # A lone surrogate (a file name that is not UTF-8) cannot be written as UTF-8.
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
