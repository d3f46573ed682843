"""Reporters render a finished scan. They never filter findings and never choose
the exit code: that is the policy's job."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from iacguard.runner import ScanResult


def printable(text: str) -> str:
    """Control characters and line breaks shown escaped, so text from a scanned
    repository cannot steer a terminal or a CI log."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text)


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may know besides the result. `root` is the directory that
    relative paths are relative to (the working directory)."""

    tool_version: str
    color: bool = False
    verbose: bool = False
    show_suppressed: bool = False
    root: Path | None = None


class Reporter(Protocol):
    name: str
    description: str

    def render(self, result: ScanResult, out: TextIO, context: ReportContext) -> None: ...
