"""Fixes: text edits that make a finding disappear without changing anything else.

A rule declares whether it can fix what it finds, in which formats, and whether the
fix is safe (`fix=safe_fix("dockerfile")`) or unsafe (`fix=unsafe_fix(...)`), as
ruff does. Safe means the fix changes neither what the image contains nor how the
workload behaves, and can be undone by hand: cleaning a package cache in the same
`RUN`. Every setting that changes how a container or an Azure service runs is
unsafe, because a working deployment may depend on it; a setting that cannot be
turned back (Key Vault purge protection) is never a fix.

The rule attaches the concrete fix to each problem it yields (`problem(...,
fix=...)`), in one of two shapes:

- `Fix.edits`: text edits the rule computes itself from positions it knows (the
  words of a Dockerfile `RUN` step);
- `Fix.setting`: "set this canonical attribute to this value", which the resource's
  format writes in its own syntax (`iacguard.fixes.writers`), so a rule stays free of
  formats as its check is.

Where the rule's usual fix would do harm here, it attaches `declined(why)` instead:
the finding stays, and `iacguard fix` lists it with the reason.

Positions are 1-based lines and columns counted in characters, end exclusive, like
every `Location`.
"""

from __future__ import annotations

from typing import Any

from iacguard.structs import struct

SAFE, UNSAFE = "safe", "unsafe"


@struct(frozen=True, slots=True)
class Fixable:
    """What a rule declares: the formats whose findings it can fix, and how safe."""

    safety: str
    formats: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.safety not in (SAFE, UNSAFE) or not self.formats:
            raise ValueError("declare a fix with safe_fix(FORMAT, ...) or unsafe_fix(FORMAT, ...)")

    @property
    def safe(self) -> bool:
        return self.safety == SAFE


def safe_fix(*formats: str) -> Fixable:
    """The rule fixes its findings in `formats`, and the fix is applied by default."""
    return Fixable(SAFE, formats)


def unsafe_fix(*formats: str) -> Fixable:
    """The rule fixes its findings in `formats` only when unsafe fixes are asked for."""
    return Fixable(UNSAFE, formats)


@struct(frozen=True, slots=True)
class Edit:
    """Replace the text from (line, column) up to (end_line, end_column) with `text`;
    an insertion when both ends are one position."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str

    @classmethod
    def insert(cls, line: int, column: int, text: str) -> Edit:
        return cls(line, column, line, column, text)


class Written(tuple):
    """A setting's edits, and how the format's writer made them (`how`: for YAML,
    `ROUND_TRIP` or `TEXT_EDIT`), which `iacguard fix -v` counts."""

    how: str

    def __new__(cls, edits: tuple[Edit, ...], how: str) -> Written:
        written = super().__new__(cls, edits)
        written.how = how
        return written


ROUND_TRIP, TEXT_EDIT = "round trip", "text edit"


@struct(frozen=True, slots=True)
class Setting:
    """Set the canonical attribute `attribute` of the finding's resource to `value`
    (a bool, a string, or a list of strings to add)."""

    attribute: str
    value: Any


@struct(frozen=True, slots=True)
class Fix:
    """How to fix one finding: a title for editors and either edits or a setting;
    or, `declined`, why the rule's fix is not offered for this finding."""

    title: str
    edits: tuple[Edit, ...] = ()
    setting: Setting | None = None
    declined: str | None = None


def declined(why: str) -> Fix:
    """No fix for this finding, and why (a later build stage needs what it removes)."""
    return Fix("", declined=why)


def set_to(attribute: str, value: Any, title: str) -> Fix:
    """A fix that sets a canonical attribute, written by the resource's format."""
    return Fix(title, setting=Setting(attribute, value))


def apply_edits(text: str, edits: list[Edit] | tuple[Edit, ...]) -> str:
    """`text` with `edits` applied; the edits must not overlap (see `overlapping`)."""
    starts = line_starts(text)
    pieces, cursor = [], 0
    for start, end, replacement in sorted((offset(starts, e.line, e.column), offset(starts, e.end_line, e.end_column), e.text) for e in edits):
        pieces += [text[cursor:start], replacement]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def overlapping(first: tuple[Edit, ...], second: tuple[Edit, ...]) -> bool:
    """True when an edit of `first` touches the span of one of `second` (two
    insertions at one place count: their order would be a guess)."""
    return any(
        (a.line, a.column) <= (b.end_line, b.end_column) and (b.line, b.column) <= (a.end_line, a.end_column)
        for a in first
        for b in second
    )


def edits_between(old: str, new: str) -> tuple[Edit, ...]:
    """The smallest edits, one per changed run of lines, that turn `old` into `new`:
    the lines are matched first (so an edit never spans unchanged lines), then the
    characters both ends of a changed run share are left out of it."""
    from difflib import SequenceMatcher

    old_lines, new_lines = lines_with_ends(old), lines_with_ends(new)
    starts, edits = line_starts(old), []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        head = len(_common_prefix(before, after))
        tail = len(_common_prefix(before[head:][::-1], after[head:][::-1]))
        start = (starts[i1] if i1 < len(starts) else len(old)) + head
        end = start + len(before) - head - tail
        edits.append(Edit(*position(starts, start), *position(starts, end), after[head: len(after) - tail]))
    return tuple(edits)


def lines_with_ends(text: str) -> list[str]:
    """The lines of `text`, each with its newline; only "\\n" ends a line, as in
    `line_starts` (str.splitlines would also split at form feeds and the like)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def line_ending(lines: list[str]) -> str:
    """The line ending of the file split at "\\n" into `lines`: its first line's,
    which has one unless the file is that line (its last line need have none)."""
    return "\r\n" if len(lines) > 1 and lines[0].endswith("\r") else "\n"


def _common_prefix(first: str, second: str) -> str:
    from os.path import commonprefix

    return commonprefix([first, second])


def position(starts: list[int], at: int) -> tuple[int, int]:
    """The 1-based (line, column) of the offset `at` of the text whose lines start at
    `starts`."""
    from bisect import bisect_right

    line = bisect_right(starts, at)
    return line, at - starts[line - 1] + 1


def line_starts(text: str) -> list[int]:
    """The offset where each line starts (index 0 is line 1)."""
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def offset(starts: list[int], line: int, column: int) -> int:
    """The offset of a 1-based (line, column) of the text whose lines start at
    `starts`."""
    if not 0 < line <= len(starts) or column < 1:
        raise ValueError(f"no line {line}, column {column} in the text")
    return starts[line - 1] + column - 1
