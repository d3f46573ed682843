"""Fixing one file's text: which findings may be fixed, their edits, and the re-scan
that proves each fix did what it promised.

A fix is kept only when the re-scan of the fixed text parses, no longer has the
finding, has no finding that the text before did not have (counted by rule,
resource and message, since fingerprints follow the edited lines), and no diagnostic
that says the file is broken that it did not have (an error, or a warning of what the
platform rejects: a duplicate key that kubectl refuses is a warning of the scan, and
fatal to the fix). Fixes are applied in passes: the first pass applies every fix
that touches no other's text and keeps them if the re-scan agrees, else tries them
one by one; a later pass picks up what an earlier one made possible (a second
setting written into the `securityContext` the first one created). Nothing here
writes files: `iacguard.cli` and the language server decide what to do with the
text.
"""

from __future__ import annotations

import os
from collections import Counter

from iacguard.fixes import Edit, Written, apply_edits, lines_with_ends, overlapping
from iacguard.structs import field, struct

MAX_PASSES = 8  # each pass fixes at least one finding or ends the loop; a bound all the same


@struct(frozen=True, slots=True)
class Choice:
    """Which fixes to apply besides the safe ones in the file itself: unsafe ones
    too. Findings that point into another file (a Kustomize base, a module) or come
    from rendered Helm output (the next render overwrites the file) are not fixed;
    nor is anything in a file that other files use when `withheld` says so (why)."""

    unsafe: bool = False
    withheld: str | None = None


@struct
class FileFix:
    """What fixing one file gave: its text before and after, the findings fixed, and
    those with a fix that was not applied, with the reason."""

    display: str
    original: str
    fixed: str
    applied: list = field(default_factory=list)
    skipped: list[tuple[object, str]] = field(default_factory=list)
    remaining: list = field(default_factory=list)  # the findings the fixed text still has
    errors: set = field(default_factory=set)  # the file's errors (code, message): its analysis did not complete
    written: Counter = field(default_factory=Counter)  # applied settings by how their writer made the edits (`Written.how`)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def why_unfixed(self, finding) -> str | None:
        """Why a remaining finding that has a fix was not fixed, if it has one."""
        return next((reason for skipped, reason in self.skipped if _key(skipped) == _key(finding)), None)

    def why_unwritten(self, finding) -> str | None:
        """Why a finding of the original text remains when the fixed text could not
        be written: a fix was made for it, or `why_unfixed`."""
        if any(_key(applied) == _key(finding) for applied in self.applied):
            return "the file could not be written"
        return self.why_unfixed(finding)


def why_not(finding, display: str, choice: Choice) -> str | None:
    """Why a finding's fix is not to be applied to the file shown as `display`; None
    when it is."""
    if finding.fix is None:
        return "no fix"
    if finding.fix.declined is not None:
        return finding.fix.declined
    if finding.resource.source_template is not None:
        return "rendered Helm output: fix the chart's template"
    if choice.withheld is not None:
        return choice.withheld
    if finding.location.path != display:
        return f"the value is written in {finding.location.path}, which other files share: fix it there"
    if not (finding.active.rule.fix.safe or choice.unsafe):
        return "unsafe fix: apply it with --unsafe-fixes"
    return None


def planned_edits(finding, text: str) -> tuple[tuple[Edit, ...] | None, str | None]:
    """The edits of a finding's fix, or None and why there are none. A bug of ours
    in a writer costs that one fix, never the run."""
    try:
        edits = edits_for(finding, text)
    except Exception as error:
        return None, f"internal error while writing the fix: {type(error).__name__}: {error}"
    return edits, None if edits else "the file is not written in a way the fix can edit"


def edits_for(finding, text: str) -> tuple[Edit, ...] | None:
    """The text edits of a finding's fix: the rule's own, or the setting written by
    the resource's format."""
    fix = finding.fix
    if fix.setting is None:
        return fix.edits or None
    writer = _writer(finding.resource.format)
    return None if writer is None else writer(finding.resource, fix.setting, text)


def _writer(format_name: str):
    """The function that writes a setting in a format's syntax, imported when a fix
    needs it."""
    if format_name == "kubernetes":
        from iacguard.fixes.yaml_writer import setting_edits
    elif format_name in ("terraform", "arm", "bicep"):
        from iacguard.fixes.azure_writer import writer_for

        return writer_for(format_name)
    else:
        return None
    return setting_edits


def fix_text(display: str, text: str, scan, choice: Choice) -> FileFix:
    """Fix what can be fixed in `text`. `scan(text)` returns the file's unsuppressed
    findings with that text and a Counter of its diagnostics that say it is broken
    (each as level, code and message: `diagnostics.says_broken`)."""
    result = FileFix(display, text, text)
    findings, broken = scan(text)
    result.errors = {(code, message) for level, code, message in broken if level == "error"}
    for _ in range(MAX_PASSES):
        progress, findings = _one_pass(result, findings, lambda fixed: _scan_no_worse(scan, fixed, broken), choice)
        if not progress:
            break
    result.remaining = findings
    return result


def _one_pass(result: FileFix, findings: list, scan, choice: Choice) -> tuple[bool, list]:
    candidates = []
    for finding in findings:
        reason = why_not(finding, result.display, choice)
        if reason is None:
            edits, reason = planned_edits(finding, result.fixed)
        if reason is None:
            candidates.append((finding, edits))
        elif finding.fix is not None:
            _note_skip(result, finding, reason)
    batch, taken = [], ()
    for finding, edits in candidates:
        if not overlapping(edits, taken):
            batch.append((finding, edits))
            taken += edits
    if not batch:
        return False, findings
    for attempt in [batch] + ([[one] for one in batch] if len(batch) > 1 else []):
        fixed = apply_edits(result.fixed, [edit for _, edits in attempt for edit in edits])
        after = _verified(findings, [finding for finding, _ in attempt], fixed, scan)
        if after is None:
            continue
        result.fixed, findings = fixed, after
        result.applied += [finding for finding, _ in attempt]
        result.written.update(edits.how for _, edits in attempt if isinstance(edits, Written))
        # kept: the next pass plans the rest on the new text
        return True, findings
    for finding, _ in batch:
        _note_skip(result, finding, "the fixed text did not pass the re-scan (it would not parse, its platform would reject it, or another finding would change)")
    return False, findings


def _scan_no_worse(scan, text: str, broken_before: Counter) -> list | None:
    """The findings of `text`, or None when it has a diagnostic that says it is broken
    more than the original had (it does not parse, or has a duplicate key)."""
    findings, broken = scan(text)
    return None if broken - broken_before else findings


def _verified(before: list, fixed_findings: list, text: str, scan) -> list | None:
    """The findings of the fixed text, when it is no more broken, none of the fixed
    findings (one fewer of each kind) and no finding the text before did not have."""
    after = scan(text)
    if after is None:
        return None
    wanted = Counter(map(_key, before))
    wanted.subtract(map(_key, fixed_findings))
    got = Counter(map(_key, after))
    return after if all(got[key] <= max(wanted[key], 0) for key in got) else None


def _key(finding) -> tuple[str, str, str]:
    return finding.code, finding.resource.address, finding.message


def _note_skip(result: FileFix, finding, reason: str) -> None:
    if all(_key(other) != _key(finding) for other, _ in result.skipped):
        result.skipped.append((finding, reason))


def diff(fix: FileFix) -> str:
    """The change as a unified diff, paths as shown; lines end at "\n" only, as
    `patch` and `git apply` read them (a "\r" before it stays the line's). A name
    with white space in it ends with a tab, as `diff` writes its date after one:
    GNU `patch` reads a name up to a tab, else up to the first space. A name that
    cannot be written as it is is quoted (`diff_name`)."""
    import difflib

    end = "\t" if any(character.isspace() for character in fix.display) else ""
    lines = difflib.unified_diff(lines_with_ends(fix.original), lines_with_ends(fix.fixed), diff_name(f"a/{fix.display}") + end,
                                 diff_name(f"b/{fix.display}") + end)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


# The C escapes git writes in a quoted name; other bytes it quotes are written in octal.
_C_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def diff_name(name: str) -> str:
    """A file name as a diff's `---` and `+++` lines write it: as it is, or, when it
    holds a control character, a `"`, a `\\` or anything outside ASCII, as git
    quotes it (`quote_c_style` with core.quotePath, git's default): in double quotes,
    those bytes as C escapes (`\\n`, `\\t`, `\\"`, `\\\\`) or in octal (`\\303\\251` for
    `é`), which `git apply` and GNU `patch` read back. Written as it is, a new line in
    a name from the repository would end the header and start lines of its own: a
    hunk for another file."""
    data = os.fsencode(name)
    if all(0x20 <= byte < 0x7F and byte not in (0x22, 0x5C) for byte in data):
        return name
    return '"' + "".join(_C_ESCAPES.get(byte) or (chr(byte) if 0x20 <= byte < 0x7F else f"\\{byte:03o}") for byte in data) + '"'
