"""Reporters render a finished scan. They never filter findings and never choose
the exit code: that is the policy's job."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from iacguard.runner import ScanResult


@dataclass(frozen=True)
class ReportContext:
    tool_version: str
    color: bool = False
    verbose: bool = False
    show_suppressed: bool = False


class Reporter(Protocol):
    name: str
    description: str

    def render(self, result: ScanResult, out: TextIO, context: ReportContext) -> None: ...
