"""Diagnostics: problems with the scan itself, not with the scanned infrastructure.

A diagnostic is never a finding and never suppressible. Its level decides what it
does to the run: an error-level diagnostic means the analysis of that file did not
complete, and an incomplete file fails the run (exit 4) unless the user opts out on
the command line. Warnings and notes never change the exit status.

The codes are fixed, so output consumers and later formats can rely on them.
"""

from __future__ import annotations

from iacguard.lazy import regex
from iacguard.structs import struct

PARSE_ERROR = "IG000"
READ_ERROR = "IG001"
SUPPRESSION_WARNING = "IG002"
CONTENT_WARNING = "IG003"
BUDGET_EXCEEDED = "IG004"
DEPENDENCY_REFUSED = "IG005"
NOT_FETCHED = "IG006"
UNUSED_SUPPRESSION = "IG007"
RENDER_ERROR = "IG008"
INTERNAL_ERROR = "IG999"

LEVELS = ("error", "warning", "note")  # what `Diagnostic.level` may be

# code -> (name, what it means); `iacguard explain` prints these.
CODES: dict[str, tuple[str, str]] = {
    PARSE_ERROR: ("parse-error", "The file is claimed by a format (by its name or its content) but could not be parsed, "
                  "or an object in it has a shape its schema rejects (a Kubernetes pod spec's `containers` written as a "
                  "mapping), so what that part holds is not read. Its analysis is incomplete: the run exits 4."),
    READ_ERROR: ("read-error", "The file could not be read: not a regular file, over `max_file_size`, binary content, "
                 "or an operating-system error; or a file whose name a format may claim (`*.yaml`, `*.json`) could not "
                 "be read to tell its format by content; or a folder could not be listed. An error makes the file "
                 "(or folder) incomplete (exit 4); text that is not UTF-8 is read as Latin-1 with a warning."),
    SUPPRESSION_WARNING: ("suppression-warning", "A suppression comment that does not parse exactly, or names an "
                          "unknown rule. It suppresses nothing; the message shows the accepted syntax."),
    CONTENT_WARNING: ("content-warning", "Something in the file that its platform would reject or that cannot be "
                      "evaluated (a duplicate YAML key, a malformed ARM expression). A warning only; a note for what "
                      "is a fragment of a larger whole, not checked alone (a Compose service with neither image nor build)."),
    BUDGET_EXCEEDED: ("budget-exceeded", "Evaluating the file went over one of iacguard's fixed budgets (the size of "
                      "a value, the magnitude of a number, evaluation steps, module instances, loop expansion). "
                      "Evaluation stopped at once; the file is incomplete (exit 4)."),
    DEPENDENCY_REFUSED: ("dependency-refused", "A local file that this file depends on (a sibling or module file, a "
                         "variable or parameter file) was refused or could not be read: outside the scan root, not "
                         "a regular file, too large, or unparsable. The file is incomplete (exit 4). It is told at "
                         "the line of this file that names the dependency (a module source, an import, an env_file "
                         "or resources entry), and on the file as a whole when none does (a var file, a sibling)."),
    NOT_FETCHED: ("not-fetched", "An input that iacguard never fetches by design (a remote or registry module, a "
                  "remote base, a chart dependency that is not vendored, a remote Compose file or build context), "
                  "a Kustomize field it does not apply (replacements, transformer plugins, Helm charts...), or the "
                  "configuration a Terraform plan's resource is written in when it is not on disk (its findings "
                  "then point into the plan). A note: what it would contribute is not checked, and the file is not "
                  "incomplete."),
    UNUSED_SUPPRESSION: ("unused-suppression", "A suppression that suppressed nothing: the finding it was written "
                         "for is gone, or it names the wrong rule or line. A warning (`--report-unused-suppressions`, "
                         "on with `-v`)."),
    RENDER_ERROR: ("render-error", "A Helm chart could not be rendered: a template failed (`fail`, `required`, a "
                   "syntax error), the chart's Chart.yaml cannot be read, or no renderer is installed (`helm` on "
                   "PATH, or `pip install 'iacguard-lint[helm]'`). The chart is incomplete (exit 4)."),
    INTERNAL_ERROR: ("internal-error", "A bug in iacguard or in a plugin while analysing the file. The file is "
                     "incomplete (exit 4); please report it."),
}


def says_broken(diagnostic: Diagnostic) -> bool:
    """True when the diagnostic says the file is broken: an error (its analysis did
    not complete), or a content warning (what its platform rejects, a duplicate key
    say). A fix must not bring one (`iacguard.fixes.engine`)."""
    return diagnostic.level == "error" or (diagnostic.level == "warning" and diagnostic.code == CONTENT_WARNING)


# The user part of a URL (`https://TOKEN@host/...`, `git::https://user:password@...`):
# module sources, chart repositories and remote build contexts carry credentials there.
_URL_USER = regex(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/\s@]+@")


@struct(frozen=True)
class Diagnostic:
    """A problem with the scan of one file. `level` is error, warning or note.

    `written_in` is where the problem is written when that is another file than
    `path` (a chart's template that does not render, a module's file that does not
    parse): the diagnostic stays the scanned file's (it is that file's analysis that
    did not complete, and its message names the other file), and an editor showing
    the other file puts it at that line.

    A message quotes what the file wrote (a module source, a chart repository, a
    remote build context); any user and password in a URL there is masked, so that a
    token written in a scanned file never reaches a CI log or a SARIF upload."""

    path: str
    line: int | None
    column: int | None
    code: str
    message: str
    level: str = "error"  # one of LEVELS
    written_in: tuple[str, int | None, int | None] | None = None  # (path, line, column)

    def __post_init__(self) -> None:
        if "@" in self.message:
            object.__setattr__(self, "message", _URL_USER.sub(r"\1***@", self.message))


def incomplete_files(diagnostics: list[Diagnostic]) -> list[str]:
    """The files whose analysis did not complete: those with an error-level diagnostic."""
    return sorted({diagnostic.path for diagnostic in diagnostics if diagnostic.level == "error"})
