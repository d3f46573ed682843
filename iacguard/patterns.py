"""Gitignore-style path patterns, matched in time linear in the pattern and the path.

Patterns come from `.gitignore` files in the scanned tree, the config's `exclude`
and `--exclude`; a scanned repository writes the first two. Translating a pattern
into one regular expression, the usual way, lets the engine backtrack without
bound: `************b` against a long name never finishes, and every extra `*` in
`a*a*a*!` multiplies the work. So a pattern is matched one path component at a time:

- within a component, `*` never crosses `/`, so the text between two stars can be
  taken at its first occurrence and committed to (an atomic group): the leftmost
  choice leaves the most room for the rest, and nothing is ever retried;
- a `**` component spans any number of folders; components are walked once while
  keeping the set of pattern positions still alive, never by backtracking.

The meaning is git's (wildmatch and gitignore): a run of stars is one star unless it
is a whole component, where it is `**`; a pattern with no `/` but a trailing one
matches at any depth; `!` re-includes; a trailing `/` matches folders only; `\\`
escapes the next character. A pattern longer than `MAX_PATTERN_LENGTH` is not used.

Every path is checked against every pattern in force, so their number is bounded
too: a file's patterns past `MAX_PATTERNS` are not used, and neither is a
`.gitignore` that would bring more than `MAX_PATTERNS_IN_FORCE` to a folder (real
`.gitignore` files hold tens to a few hundred). Not applying a `.gitignore` pattern
only makes the scan wider.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from iacguard.errors import ConfigError, shown
from iacguard.lazy import regex
from iacguard.structs import struct

MAX_PATTERN_LENGTH = 1024
MAX_PATTERNS = 1_000
MAX_PATTERNS_IN_FORCE = 2_000
_ANY_DEPTH = None  # a `**` component
_STARS = regex(r"\*{2,}")


class PatternError(ValueError):
    """A pattern that is not used, and why."""


@struct(frozen=True)
class Pattern:
    """One compiled pattern. `parts` holds one expression per path component, or
    None for a `**` component; `line` is where the pattern stands in its file."""

    line: int
    negated: bool
    folders_only: bool
    parts: tuple[re.Pattern | None, ...]

    def matches(self, components: Sequence[str], is_dir: bool) -> bool:
        """True when the path, given as its components, matches the pattern."""
        if self.folders_only and not is_dir:
            return False
        alive = self._skip_any_depth({0})
        for name in components:
            following = set()
            for position in alive:
                if position == len(self.parts):
                    continue
                part = self.parts[position]
                if part is _ANY_DEPTH:
                    following.add(position)
                elif part.fullmatch(name):
                    following.add(position + 1)
            alive = self._skip_any_depth(following)
            if not alive:
                return False
        return len(self.parts) in alive

    def _skip_any_depth(self, positions: set[int]) -> set[int]:
        """Add the positions reached by letting `**` components match nothing."""
        pending = list(positions)
        while pending:
            position = pending.pop()
            if position < len(self.parts) and self.parts[position] is _ANY_DEPTH and position + 1 not in positions:
                positions.add(position + 1)
                pending.append(position + 1)
        return positions


def parse(line: str, number: int = 0) -> Pattern | None:
    """The pattern on one line; None for a blank line or a comment. Raises
    `PatternError` for a pattern that is not used."""
    text = _strip_unescaped_trailing_spaces(line.rstrip("\r\n"))
    if not text or text.startswith("#"):
        return None
    if len(text) > MAX_PATTERN_LENGTH:
        raise PatternError(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    negated = text.startswith("!")
    text = text[1:] if negated else text
    folders_only = text.endswith("/")
    text = text.rstrip("/")
    if not text:
        return None
    anchored = "/" in text
    names = _STARS.sub("**", text.lstrip("/")).split("/")
    parts: list[re.Pattern | None] = [] if anchored else [_ANY_DEPTH]
    for name in names:
        part = _ANY_DEPTH if name == "**" else _component(name)
        if not (part is _ANY_DEPTH and parts and parts[-1] is _ANY_DEPTH):  # `**/**` is `**`
            parts.append(part)
    if parts[-1] is _ANY_DEPTH:  # a trailing `**` matches what is inside, not the folder itself
        parts.append(_component("*"))
    return Pattern(number, negated, folders_only, tuple(parts))


def parse_lines(lines: Iterable[str]) -> tuple[list[Pattern], list[tuple[int, str]]]:
    """The patterns of a file, and (line number, reason) for each one not used."""
    patterns, problems = [], []
    for number, line in enumerate(lines, 1):
        try:
            pattern = parse(line, number)
        except PatternError as error:
            problems.append((number, str(error)))
            continue
        if pattern is not None and len(patterns) == MAX_PATTERNS:
            problems.append((number, f"more than {MAX_PATTERNS:,} patterns: this one and those after it"))
            break
        if pattern is not None:
            patterns.append(pattern)
    return patterns, problems


def compile_all(lines: Iterable[str], source: str) -> list[Pattern]:
    """Patterns given by the user or the config (`source` names where): one that
    cannot be used is a usage error, not a note."""
    lines = list(lines)
    patterns, problems = parse_lines(lines)
    if problems:
        number, reason = problems[0]
        raise ConfigError(f"{source}: pattern {shown(lines[number - 1])}: {reason}")
    return patterns


def decide(patterns: Sequence[Pattern], components: Sequence[str], is_dir: bool) -> Pattern | None:
    """The last pattern that matches the path, which decides as in git, or None."""
    return next((pattern for pattern in reversed(patterns) if pattern.matches(components, is_dir)), None)


def _component(name: str) -> re.Pattern:
    """One component as an expression that cannot backtrack without bound: the
    pieces between stars are found at their first occurrence (atomic groups)."""
    pieces, atoms, index = [], [], 0
    while index < len(name):
        char = name[index]
        index += 1
        if char == "*":
            pieces.append("".join(atoms))
            atoms = []
            while index < len(name) and name[index] == "*":
                index += 1
        elif char == "?":
            atoms.append(".")
        elif char == "[" and (end := _class_end(name, index)) is not None:
            atoms.append(_class(name[index:end]))
            index = end + 1
        elif char == "\\":
            if index == len(name):
                raise PatternError("a trailing backslash escapes nothing (git matches nothing with it)")
            atoms.append(re.escape(name[index]))
            index += 1
        else:
            atoms.append(re.escape(char))
    pieces.append("".join(atoms))
    if len(pieces) == 1:
        expression = pieces[0]
    else:
        first, *middle, last = pieces
        expression = first + "".join(f"(?>.*?{piece})" for piece in middle) + ".*" + last
    try:
        return re.compile(expression, re.DOTALL)
    except re.error as error:
        raise PatternError(f"invalid pattern: {error}") from None


def _class_end(name: str, start: int) -> int | None:
    """The index of the `]` closing a class opened just before `start`, or None
    (then `[` is an ordinary character)."""
    index = start + (name[start : start + 1] in ("!", "^"))
    index += name[index : index + 1] == "]"  # a leading `]` is a member
    while index < len(name):
        if name[index] == "\\":
            index += 2
        elif (named := _POSIX_CLASS.match(name, index)) is not None:
            index = named.end()
        elif name[index] == "]":
            return index
        else:
            index += 1
    return None


def _class(members: str) -> str:
    negated = members[:1] in ("!", "^")
    members = members[1:] if negated else members
    out, index = [], 0
    while index < len(members):
        if (named := _POSIX_CLASS.match(members, index)) is not None:
            out.append(_POSIX_CLASSES.get(named.group(1), ""))
            index = named.end()
            continue
        char = members[index]
        escaped = char == "\\" and index + 1 < len(members)
        if escaped:
            index += 1
            char = members[index]
        if char == "-" and not escaped and out and index + 1 < len(members):
            out.append("-")  # a range; an escaped `-` is itself
        else:
            out.append(re.escape(char))
        index += 1
    return f"[{'^' if negated else ''}{''.join(out)}]"


# The character classes of wildmatch, as members of an expression's class.
_POSIX_CLASS = regex(r"\[:([a-z]+):\]")
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9",
    "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z", "xdigit": "0-9A-Fa-f",
}


def _strip_unescaped_trailing_spaces(text: str) -> str:
    stripped = text.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(text):
        return stripped + " "
    return stripped
