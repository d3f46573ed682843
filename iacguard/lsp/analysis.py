"""What the language server shows for one buffer: diagnostics, quick fixes,
suppressions and rule help, computed from the buffer's text with the repository's
configuration and the file's neighbours on disk (`iacguard.checker`).

This runs in the analysis worker (`iacguard.lsp.worker`), never in the server's own
process, and returns plain LSP-shaped data (JSON), so the server only routes it.
Positions are converted here to what LSP counts: 0-based lines and UTF-16 code units.
"""

from __future__ import annotations

import os
from pathlib import Path

from iacguard.checker import Checker
from iacguard.diagnostics import READ_ERROR, Diagnostic
from iacguard.fixes.engine import Choice, planned_edits, why_not
from iacguard import inputs
from iacguard.config import find_config
from iacguard.inputs import find_scan_root
from iacguard.suppress import ignore_comment

SOURCE = "iacguard"
REASON_PLACEHOLDER = "TODO: say why this is acceptable here"
# LSP DiagnosticSeverity: 1 Error, 2 Warning, 3 Information, 4 Hint.
_SEVERITY = {"critical": 1, "high": 1, "medium": 2, "low": 3, "info": 4}
_LEVEL = {"error": 1, "warning": 2, "note": 3}


class Analyser:
    """Checkers by scan root and configuration file, made on first use and dropped by
    `forget` when the configuration or files on disk change."""

    def __init__(self) -> None:
        self.checkers: dict[tuple[Path, Path | None], Checker] = {}

    def forget(self) -> None:
        self.checkers.clear()

    def checker(self, path: Path, workspace: Path | None = None) -> Checker:
        """The checker of the file's root, with the worker moved into that root: a
        scan names files relative to the working directory and reads a file's
        neighbours (a Compose `.env`, a module's folder) by those names, and editors
        start the server from anywhere. Outside a git work tree the root is the
        editor's workspace folder holding the file, whose top has the configuration
        and whose modules a file may use, rather than the file's own folder. The
        configuration is the one nearest the file, as `iacguard scan FILE` finds it:
        a folder's own `.iacguard.yaml` applies to its files whichever file was
        opened first."""
        root = find_scan_root(path)
        if workspace is not None and not os.path.lexists(root / ".git") and path.is_relative_to(workspace):
            root = workspace
        while not root.is_dir() and root != root.parent:  # a new file, in a folder not made yet
            root = root.parent
        key = (root, find_config(path, root))
        if key not in self.checkers:
            self.checkers[key] = Checker.for_path(path, root, root=root)
        os.chdir(root)
        return self.checkers[key]

    def analyse(self, path: Path, text: str, workspace: Path | None = None) -> dict:
        """Diagnostics, suppression actions and rule documentation for `text` as
        the content of the file at `path`, in the editor's `workspace` folder (see
        `checker`). Quick fixes are left to `quick_fixes`:
        writing a setting can take a YAML round trip, too slow to make for every
        finding at every pause in typing."""
        checker = self.checker(path, workspace)
        target = checker.target(path, text)
        result = {"diagnostics": [], "actions": [], "docs": {}}
        limit = checker.context.max_file_size
        if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:  # the limit a file on disk has
            message = f"the buffer is over the {limit / 1048576:g} MiB limit (max_file_size); it was not checked"
            result["diagnostics"].append(_scan_diagnostic(Diagnostic(target.display, 1, 1, READ_ERROR, message), [], target.display))
            return result
        findings, problems = self._shown(checker, path, text)
        lines = text.split("\n")
        fmt = getattr(target, "format", None)  # none for a file checked only through others (a chart's template)
        buffer = _Buffer(fmt, target.display, text, lines)
        for finding in findings:
            diagnostic = _diagnostic(finding, lines, checker)
            result["diagnostics"].append(diagnostic)
            if finding.resource.source_template is None and fmt is not None:
                suppression = _suppression(finding, buffer)
                if suppression is not None:
                    result["actions"].append({"title": f"Suppress {finding.code} here, with a reason", "kind": "quickfix", "diagnostics": [diagnostic], "edit": [suppression]})
            rule = finding.active.rule
            result["docs"].setdefault(rule.code, _doc(rule, checker.registry, checker.registry.formats.get(finding.resource.format) or fmt))
        for problem in problems:
            written_here = problem.written_in is not None and problem.written_in[0] == target.display
            if problem.path == target.display or written_here or problem.level == "error":  # another file's errors: this one's verdict may be incomplete
                result["diagnostics"].append(_scan_diagnostic(problem, lines, target.display))
        return result

    def quick_fixes(self, path: Path, text: str, first_line: int, last_line: int, workspace: Path | None = None) -> list[dict]:
        """The quick fixes (unsafe ones say so) of the findings whose diagnostics
        touch the 0-based lines `first_line` to `last_line` of `text`."""
        checker = self.checker(path, workspace)
        display = checker.discovery.display(path)
        if len(text.encode("utf-8", "surrogatepass")) > checker.context.max_file_size:
            return []
        lines = text.split("\n")
        actions = []
        sharing = None  # the files that use this one as a shared piece: looked up once, for the first fix
        for finding in self._shown(checker, path, text)[0]:
            diagnostic = _diagnostic(finding, lines, checker)
            span = diagnostic["range"]
            if span["start"]["line"] > last_line or span["end"]["line"] < first_line or why_not(finding, display, Choice(unsafe=True)) is not None:
                continue
            edits, _ = planned_edits(finding, text)
            if edits:
                if sharing is None:
                    sharing = _shared_with(checker, path)
                safe = finding.active.rule.fix.safe
                actions.append({
                    "title": f"{finding.fix.title} ({finding.code}{'' if safe else ', unsafe'}){sharing}",
                    "kind": "quickfix",
                    "diagnostics": [diagnostic],
                    "isPreferred": safe and not sharing,  # a shared file's fix is never applied unasked
                    "edit": [_text_edit(lines, edit.line, edit.column, edit.end_line, edit.end_column, edit.text) for edit in edits],
                })
        return actions

    @staticmethod
    def _shown(checker: Checker, path: Path, text: str) -> tuple[list, list]:
        """The findings shown in the buffer, as a scan's report shows them (not
        suppressed, not recorded in the config's baseline, at or above its
        `min_severity`), and the scan's problems."""
        checker.forget()  # the files around may have changed since the last check
        findings, problems = checker.check(path, text)
        baseline = checker.baseline
        shown = [
            finding for finding in findings
            if finding.suppression is None and checker.policy.shows(finding.severity) and not (baseline and baseline.holds(finding))
        ]
        return shown, problems


def _shared_with(checker: Checker, path: Path) -> str:
    """What a quick fix's title adds when the file is a shared piece of others (a
    Kustomize base or patch, a module's file): the files its change affects, as
    `iacguard fix` names them before it fixes such a file with `--fix-shared`, and
    as safely: a name from the repository is shown, never obeyed (`printable`)."""
    from iacguard.fixes.command import shared_by
    from iacguard.reporters import printable

    tree = checker.tree  # the check just made read the files again
    users = list(dict.fromkeys(printable(tree.display(use.user)) for use in shared_by(path, tree)))
    return f", in a file shared with {', '.join(users)}" if users else ""


def _diagnostic(finding, lines: list[str], checker: Checker) -> dict:
    from iacguard import __version__
    from iacguard.reporters.sarif import RULE_HELP_URI

    rule = finding.active.rule
    root = checker.root
    loc = finding.location
    return {
        "range": _range(lines, loc.line, loc.column, loc.end_line or loc.line, loc.end_column or loc.column),
        "severity": _SEVERITY[finding.severity],
        "code": rule.code,
        "codeDescription": {"href": RULE_HELP_URI.format(version=__version__, code=rule.code)},
        "source": SOURCE,
        "message": f"{finding.message} ({rule.name})",
        "relatedInformation": [
            {"location": {"uri": (root / hop.path).as_uri(), "range": _range(_lines_of(root / hop.path, root, checker.context.max_file_size), hop.line or 1, hop.column or 1)},
             "message": hop.message}
            for hop in finding.related
        ],
    }


def _scan_diagnostic(problem, lines: list[str], display: str) -> dict:
    """A diagnostic about the scan itself (a parse error, a budget exceeded). One of
    another file's scan stands where it is written in this one (a chart's template
    that does not render), else on the first line, and names that file."""
    here = problem.path == display
    if here:
        line, column = problem.line or 1, problem.column or 1
    elif problem.written_in is not None and problem.written_in[0] == display:
        line, column = problem.written_in[1] or 1, problem.written_in[2] or 1
    else:
        line, column = 1, 1
    return {
        "range": _range(lines, line, column, line, column + 1),
        "severity": _LEVEL.get(problem.level, 1),
        "code": problem.code,
        "source": SOURCE,
        "message": problem.message if here else f"{problem.path}: {problem.message}",
    }


class _Buffer:
    """The buffer being analysed: its format, name, text and lines, and its
    statements, parsed once when a suppression first needs them."""

    def __init__(self, fmt, display: str, text: str, lines: list[str]):
        self.format, self.display, self.text, self.lines = fmt, display, text, lines
        self._spans: dict[int, int] | None = None

    def statement_start(self, line: int) -> int:
        """The first line of the innermost statement holding `line` (a Dockerfile
        instruction continued over several lines starts on its keyword)."""
        if self._spans is None:
            self._spans = self.format.parse(self.text, self.display).spans
        starts = [start for start, end in self._spans.items() if start <= line <= end]
        return max(starts) if starts else line


def _suppression(finding, buffer: _Buffer) -> dict | None:
    """A comment line above the statement that holds the finding; for a format
    without comments (Kubernetes JSON), the object's ignore annotations."""
    text, lines = buffer.text, buffer.lines
    fmt = buffer.format.name
    if fmt == "kubernetes" and text.lstrip().startswith(("{", "[")):
        from iacguard.fixes.azure_writer import annotation_edits

        edits = annotation_edits(finding.resource, finding.code, REASON_PLACEHOLDER, text)
        return None if not edits else _text_edit(lines, edits[0].line, edits[0].column, edits[0].end_line, edits[0].end_column, edits[0].text)
    comment = ignore_comment(fmt, [finding.code], REASON_PLACEHOLDER)
    if comment is None:
        return None
    line = buffer.statement_start(finding.location.line)
    statement = lines[line - 1]
    indent = statement[: len(statement) - len(statement.lstrip(" \t"))]
    newline = "\r\n" if statement.endswith("\r") else "\n"
    return _text_edit(lines, line, 1, line, 1, f"{indent}{comment}{newline}")


def _doc(rule, registry, fmt) -> str:
    """The rule's documentation for users of the format of the resource found (all
    of it when that is not known), as Markdown."""
    text = rule.doc_for(registry.rendered(fmt).label) if fmt is not None else rule.doc
    return f"**{rule.code} {rule.name}** ({rule.severity})\n\n{text}"


def _lines_of(path: Path, root: Path, max_size: int) -> list[str]:
    """The lines of a related file, read through the input door (inside the root,
    a regular file, within the size limit); none when it cannot be read."""
    try:
        return inputs.read_text(path, max_size, root).text.split("\n")
    except inputs.Refused:
        return []


def _utf16(lines: list[str], line: int, column: int) -> int:
    """A 1-based character column as the 0-based UTF-16 offset LSP counts."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    before = text[: max(column - 1, 0)]
    return len(before) + sum(1 for ch in before if ord(ch) > 0xFFFF) + max(column - 1 - len(text), 0)


def _range(lines: list[str], line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict:
    end_line, end_column = end_line or line, end_column or column
    return {
        "start": {"line": line - 1, "character": _utf16(lines, line, column)},
        "end": {"line": end_line - 1, "character": _utf16(lines, end_line, end_column)},
    }


def _text_edit(lines: list[str], line: int, column: int, end_line: int, end_column: int, text: str) -> dict:
    return {"range": _range(lines, line, column, end_line, end_column), "newText": text}
