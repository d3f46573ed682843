"""Reporters render a finished scan. They never filter findings and never choose
the exit code: that is the policy's job.

What a scanned repository controls (file names, resource names, messages built from
its values) reaches terminals, CI logs and other tools through these reporters, so
the helpers here make such text safe to show, and say in one place what the
summaries count."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Protocol, TextIO

from iacguard.diagnostics import Diagnostic
from iacguard.inputs import from_root, work_tree_of
from iacguard.lazy import regex
from iacguard.runner import ScanResult
from iacguard.structs import struct

# What a terminal or log viewer would act on instead of showing: C0 and C1 control
# characters (escape sequences, carriage return, line breaks), DEL, the Unicode line
# and paragraph separators, the bidirectional controls (they reorder what a reviewer
# reads), lone surrogates (from file names that are not UTF-8 or `\ud800` escapes;
# they cannot even be written as UTF-8) and the two non-characters that XML forbids.
_UNPRINTABLE = regex(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_LOG_COMMAND = regex(r"(##\w*)\[")


def printable(text: str) -> str:
    """`text` as one visible line that nothing downstream interprets.

    Unprintable characters are written as Python escapes (`\\x1b`, `\\n`, `\\u2028`),
    so a name stays one line and a terminal shows it instead of obeying it. CI systems
    also run commands written in their logs: GitHub Actions a line that starts with
    `::` after white space (`::error ...::`, `::add-mask::`), and `##[` anywhere in a
    line (its older syntax); Azure Pipelines `##vso[`, TeamCity `##teamcity[`. Every
    line a reporter writes starts with a file path, so a leading `::` and the bracket
    of any `##name[` are escaped too (`\\x3a:`, `##vso\\x5b`)."""
    text = _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
    text = _LOG_COMMAND.sub(r"\1\\x5b", text)
    if text.lstrip().startswith("::"):
        text = text.replace(":", "\\x3a", 1)
    return text


def diagnostic_message(diagnostic: Diagnostic) -> str:
    """The diagnostic's message; for an error, also what it means: the file's
    analysis did not complete, which is what fails the run."""
    if diagnostic.level == "error":
        return f"{diagnostic.message} (the file's analysis is incomplete)"
    return diagnostic.message


def findings_by_rule(result: ScanResult) -> dict[str, int]:
    """How many unsuppressed findings each rule has, by rule code, most first (ties
    in code order): what `--statistics` shows, and the JSON summary's `by_rule`."""
    counts = Counter(finding.code for finding in result.active_findings)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def suppressed_by_kind(result: ScanResult) -> dict[str, int]:
    """How many findings each kind of suppression hid (`inline`, `file`,
    `annotation`, `metadata`, `baseline`, ...), by kind name: a reviewer must see
    when a change suppresses findings, and how."""
    counts = Counter(finding.suppression.kind for finding in result.findings if finding.suppression is not None)
    return dict(sorted(counts.items()))


@struct(frozen=True)
class ReportContext:
    """What a reporter may know besides the result. `root` is the directory that
    relative paths are relative to (the working directory); `scan_root` the scan's
    root (see `repository_path`). `quiet` asks for the findings and nothing else;
    `statistics` for counts per rule in their place."""

    tool_version: str
    color: bool = False
    verbose: bool = False
    show_suppressed: bool = False
    root: Path | None = None
    quiet: bool = False
    statistics: bool = False
    scan_root: Path | None = None

    def repository_path(self, path: str) -> str:
        """A shown path as GitHub names the file: relative to the top of the git
        work tree that holds the scan root, whatever folder the step ran in and
        whatever `--root` names (code scanning and annotations read paths from the
        repository's top); as shown outside a work tree."""
        return from_root(path, self.scan_root)

    @property
    def base(self) -> Path | None:
        """The folder `repository_path`s are relative to."""
        top = work_tree_of(self.scan_root) if self.scan_root is not None else None
        return top or self.root


class Reporter(Protocol):
    name: str
    description: str

    def render(self, result: ScanResult, out: TextIO, context: ReportContext) -> None: ...
