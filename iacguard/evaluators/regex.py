"""Regular expressions as Terraform's `regex`, `regexall` and `replace` read them
(Go's RE2 syntax), matched in time linear in the text, for patterns of bounded size.

Python's `re` backtracks: a scanned file could write `(a|a)*b` and a long string of
`a`s and keep a CPU busy for ever. Here a pattern is compiled to a small program run
by a Pike VM (all alternatives advance together, one step per character of the text).
One step costs at most the program's length plus, for each instruction that records
a group's position, a copy of the positions of every group (`Pattern.cost`); the
search pays that to the evaluation budget for each character before reading it, so
the work is the text's length times the pattern's cost, within the budget. A
character class is one instruction whatever its size (its ranges are searched by
bisection). The pattern is bounded too: at most `MAX_REGEX_PROGRAM` characters,
compiled to as many instructions at most (a class counts its ranges), and
`MAX_REGEX_GROUPS` groups (`iacguard.budgets`); it is parsed in time linear in its
length. The semantics are RE2's leftmost-first ones, captures included.

Supported: literals and escapes (`\\d \\w \\s`, their negations, `\\b \\B \\A \\z`, `\\n \\t`,
escaped punctuation), `.`, classes (`[a-z]`, `[^...]`, escapes inside), `^ $`, groups
(capturing, `(?:...)`, `(?P<name>...)`), `|`, `* + ? {n} {n,} {n,m}` and their lazy
forms, and the flags `i`, `m`, `s` (`(?i)`, `(?i:...)`). Anything else (Unicode
classes, POSIX classes, back-references, which RE2 lacks) raises `Unsupported`, so
the caller can leave the value unknown rather than guess.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable

from iacguard.budgets import MAX_REGEX_GROUPS, MAX_REGEX_PROGRAM
from iacguard.lazy import regex
from iacguard.structs import struct

# Go's syntax limit on counted repeats (`x{n,m}`: n and m at most 1,000); a larger
# count is an invalid pattern there, so Terraform rejects it too.
MAX_REPEAT = 1_000


class Unsupported(ValueError):
    """A pattern outside the supported syntax, or not a valid pattern."""


_MAX_CODE_POINT = 0x10FFFF
# Go's Perl classes (ASCII only): `\d`, `\w`, and `\s` as `[\t\n\f\r ]` (no `\v`).
_PERL_CLASSES: dict[str, tuple[tuple[int, int], ...]] = {
    "d": ((0x30, 0x39),),
    "w": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
    "s": ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)),
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_COUNTED = regex(r"\{([0-9]+)(?:(,)([0-9]*))?\}")  # `{n}`, `{n,}`, `{n,m}`


@struct(frozen=True)
class CharClass:
    """A set of characters as sorted, disjoint code point ranges (`starts[i]` to
    `ends[i]`): a test is one bisection, whatever the size of the class. With `fold`
    (the `i` flag), a character matches when it or its other case is in the set."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    negated: bool = False
    fold: bool = False

    @classmethod
    def of(cls, ranges, negated: bool = False, fold: bool = False) -> CharClass:
        """The class of `ranges` ((low, high) code points, in any order, overlapping)."""
        merged: list[list[int]] = []
        for low, high in sorted(ranges):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        return cls(tuple(low for low, _ in merged), tuple(high for _, high in merged), negated, fold)

    def __call__(self, char: str) -> bool:
        found = self._holds(char) or (self.fold and (self._holds(char.lower()) or self._holds(char.upper())))
        return found != self.negated

    def _holds(self, char: str) -> bool:
        if len(char) != 1:  # a case mapping to several characters ("ß".upper() is "SS")
            return False
        code = ord(char)
        index = bisect_right(self.starts, code) - 1
        return index >= 0 and code <= self.ends[index]

    def ranges(self) -> list[tuple[int, int]]:
        """The ranges of the characters the class matches (negation applied, case
        folding not)."""
        ranges = list(zip(self.starts, self.ends, strict=True))
        if not self.negated:
            return ranges
        gaps, low = [], 0
        for start, end in ranges:
            if start > low:
                gaps.append((low, start - 1))
            low = end + 1
        return gaps + [(low, _MAX_CODE_POINT)] if low <= _MAX_CODE_POINT else gaps


def _perl_class(letter: str) -> CharClass:
    """`\\d \\w \\s` and, upper-case, their negations."""
    return CharClass.of(_PERL_CLASSES[letter.lower()], negated=letter.isupper())


_WORD = _perl_class("w")


@struct(frozen=True)
class Pattern:
    """A compiled pattern: its program, the number of capture groups and their names
    (None for an unnamed group), in order."""

    program: tuple
    names: tuple[str | None, ...]

    @functools.cached_property
    def cost(self) -> int:
        """The most work one step of the machine does: every instruction followed
        once, and each that records a position copies every group's positions."""
        saves = sum(1 for op in self.program if op[0] == "save")
        return len(self.program) + saves * 2 * (len(self.names) + 1)

    def search(self, text: str, start: int = 0, spend: Callable[[int], None] = lambda cost: None) -> list[int | None] | None:
        """The leftmost-first match at or after `start`: the start and end of the
        whole match, then of each group (None where a group took no part); None
        when nothing matches. `spend` is paid the pattern's `cost` for each
        character read: the most work one step of the machine can do."""
        slots = 2 * (len(self.names) + 1)
        program, cost = self.program, self.cost
        matched = None
        current: list[tuple[int, tuple]] = []
        for position in range(start, len(text) + 1):
            spend(cost)
            if matched is None:
                current = current + [(0, (None,) * slots)]
            following: list[tuple[int, tuple]] = []
            seen: set[int] = set()
            threads = []
            for pc, saved in current:
                self._follow(pc, saved, position, text, seen, threads)
            char = text[position] if position < len(text) else None
            for pc, saved in threads:
                op = program[pc]
                if op[0] == "match":
                    matched = list(saved)
                    break  # lower-priority threads lose to this match
                if char is not None and op[1](char):
                    following.append((pc + 1, saved))
            current = following
            if not current and matched is not None:
                break
        return matched

    def _follow(self, pc: int, saved: tuple, position: int, text: str, seen: set[int], threads: list) -> None:
        """Add the thread at `pc` and every thread it reaches without reading a
        character, in priority order; a program point already reached at this
        position is not added again (a higher-priority thread got there first)."""
        stack = [(pc, saved)]
        while stack:
            pc, saved = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            op = self.program[pc]
            kind = op[0]
            if kind == "split":
                stack.append((op[2], saved))
                stack.append((op[1], saved))
            elif kind == "jump":
                stack.append((op[1], saved))
            elif kind == "save":
                stack.append((pc + 1, (*saved[: op[1]], position, *saved[op[1] + 1 :])))
            elif kind == "assert":
                if op[1](text, position):
                    stack.append((pc + 1, saved))
            else:
                threads.append((pc, saved))


def compile_pattern(pattern: str) -> Pattern:
    if len(pattern) > MAX_REGEX_PROGRAM:
        raise Unsupported("pattern too long")
    parser = _Parser(pattern)
    node = parser.alternation()
    if parser.index < len(pattern):
        raise Unsupported(f"unexpected {pattern[parser.index]!r}")
    program = _Program()
    program.add(("save", 0))
    _emit(node, program)
    program.add(("save", 1))
    program.add(("match",))
    return Pattern(tuple(program), tuple(parser.names))


class _Program(list):
    """The instructions emitted so far, refused past `MAX_REGEX_PROGRAM`: a class
    counts as many as it has ranges (its size is the pattern's, not the program's
    work: it is tested by bisection)."""

    size = 0

    def add(self, instruction: tuple | None, size: int = 1) -> int:
        """Append `instruction` (None: a placeholder set later); its index."""
        self.size += size
        if self.size > MAX_REGEX_PROGRAM:
            raise Unsupported("pattern too large")
        self.append(instruction)
        return len(self) - 1


# Parsing: into nested tuples (kind, ...), then emitted as a program.


class _Parser:
    def __init__(self, pattern: str):
        self.pattern = pattern
        self.index = 0
        self.names: list[str | None] = []
        self.flags: set[str] = set()

    def peek(self) -> str | None:
        return self.pattern[self.index] if self.index < len(self.pattern) else None

    def take(self) -> str:
        if self.index >= len(self.pattern):
            raise Unsupported("pattern ends too early")
        self.index += 1
        return self.pattern[self.index - 1]

    def alternation(self) -> tuple:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.index += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self) -> tuple:
        items = []
        while self.peek() not in (None, "|", ")"):
            atom = self.atom()
            if atom is not None:
                items.append(self.quantified(atom))
        return ("seq", items)

    def quantified(self, atom: tuple) -> tuple:
        while True:
            char = self.peek()
            if char in ("*", "+", "?"):
                self.index += 1
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
            elif char == "{" and (bounds := self._counted()) is not None:
                low, high = bounds
            else:
                return atom
            lazy = self.peek() == "?"
            self.index += lazy
            atom = ("repeat", atom, low, high, not lazy)

    def _counted(self) -> tuple[int, int | None] | None:
        """`{n}`, `{n,}` or `{n,m}` at the current position (consumed), else None: a
        brace that opens no count is a literal, as in RE2. Matched where it stands,
        so that a pattern of many braces is read in one pass."""
        counted = _COUNTED.match(self.pattern, self.index)
        if counted is None:
            return None
        self.index = counted.end()
        low, comma, high = counted.groups()
        if any(len(number) > len(str(MAX_REPEAT)) for number in (low, high or "")):
            raise Unsupported("bad repeat count")
        bounds = int(low), (int(high) if high else None) if comma else int(low)
        if max(bound or 0 for bound in bounds) > MAX_REPEAT or (bounds[1] is not None and bounds[1] < bounds[0]):
            raise Unsupported("bad repeat count")
        return bounds

    def atom(self) -> tuple | None:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            test = self.char_class()
            return ("char", test, len(test.starts))
        if char == ".":
            dot_all = "s" in self.flags
            return ("char", (lambda c: True) if dot_all else (lambda c: c != "\n"))
        if char == "^":
            return ("assert", _line_start if "m" in self.flags else _text_start)
        if char == "$":
            return ("assert", _line_end if "m" in self.flags else _text_end)
        if char == "\\":
            return self.escape()
        if char in "*+?":
            raise Unsupported(f"nothing to repeat before {char!r}")
        return ("char", self.literal(char))

    def literal(self, char: str) -> Callable[[str], bool]:
        if "i" in self.flags and char.lower() != char.upper():
            folded = char.casefold()
            return lambda c: c.casefold() == folded
        return lambda c: c == char

    def escape(self) -> tuple:
        char = self.take()
        if char.lower() in _PERL_CLASSES:
            return ("char", _perl_class(char))
        if char in "bB":
            return ("assert", _word_boundary if char == "b" else (lambda text, at: not _word_boundary(text, at)))
        if char == "A":
            return ("assert", _text_start)
        if char == "z":
            return ("assert", _text_end)
        if char in _ESCAPES:
            return ("char", self.literal(_ESCAPES[char]))
        if char.isascii() and not char.isalnum():
            return ("char", self.literal(char))
        raise Unsupported(f"escape \\{char}")

    def group(self) -> tuple | None:
        name = None
        if self.pattern.startswith("?P<", self.index) or self.pattern.startswith("?<", self.index):
            self.index = self.pattern.index("<", self.index) + 1
            end = self.pattern.find(">", self.index)
            name = self.pattern[self.index : end]
            if end < 0 or not name.replace("_", "a").isalnum():
                raise Unsupported("bad group name")
            self.index = end + 1
        elif self.peek() == "?":
            self.index += 1
            flags = ""
            while self.peek() not in (None, ":", ")"):
                flags += self.take()
            if set(flags) - {"i", "m", "s"}:
                raise Unsupported(f"flags {flags}")
            saved = set(self.flags)
            self.flags |= set(flags)
            if self.take() == ")":  # (?i): for the rest of the enclosing group
                return None
            inner = self.alternation()
            self._close()
            self.flags = saved
            return inner
        self.names.append(name)
        number = len(self.names)
        if number > MAX_REGEX_GROUPS:
            raise Unsupported(f"more than {MAX_REGEX_GROUPS} groups")
        saved = set(self.flags)
        inner = self.alternation()
        self.flags = saved
        self._close()
        return ("group", number, inner)

    def _close(self) -> None:
        if self.take() != ")":
            raise Unsupported("missing )")

    def char_class(self) -> CharClass:
        negated = self.peek() == "^"
        self.index += negated
        ranges: list[tuple[int, int]] = []
        first = True
        while first or self.peek() != "]":
            first = False
            char = self.take()
            if char == "[" and self.peek() == ":":
                raise Unsupported("POSIX classes")
            if char == "\\":
                escaped = self.take()
                if escaped.lower() in _PERL_CLASSES:
                    ranges += _perl_class(escaped).ranges()
                    continue
                if escaped.isascii() and escaped.isalnum() and escaped not in _ESCAPES:
                    raise Unsupported(f"escape \\{escaped} in a class")
                char = _ESCAPES.get(escaped, escaped)
            if self.peek() == "-" and self.pattern[self.index + 1 : self.index + 2] not in ("]", ""):
                self.index += 1
                high = self.take()
                if high == "\\":
                    high = _ESCAPES.get(self.take(), self.pattern[self.index - 1])
                if high < char:
                    raise Unsupported("bad class range")
                ranges.append((ord(char), ord(high)))
            else:
                ranges.append((ord(char), ord(char)))
        self.index += 1
        return CharClass.of(ranges, negated, fold="i" in self.flags)


def _emit(node: tuple, program: _Program) -> None:
    kind = node[0]
    if kind == "seq":
        for item in node[1]:
            _emit(item, program)
    elif kind == "char":
        program.add(("char", node[1]), *node[2:])
    elif kind == "assert":
        program.add(("assert", node[1]))
    elif kind == "group":
        program.add(("save", 2 * node[1]))
        _emit(node[2], program)
        program.add(("save", 2 * node[1] + 1))
    elif kind == "alt":
        jumps = []
        for branch in node[1][:-1]:
            split = program.add(None)
            _emit(branch, program)
            jumps.append(program.add(None))
            program[split] = ("split", split + 1, len(program))
        _emit(node[1][-1], program)
        for jump in jumps:
            program[jump] = ("jump", len(program))
    else:
        _emit_repeat(node, program)


def _emit_repeat(node: tuple, program: _Program) -> None:
    _, atom, low, high, greedy = node
    for _ in range(low):
        _emit(atom, program)
    if high is None:
        split = program.add(None)
        _emit(atom, program)
        program.add(("jump", split))
        program[split] = _split(split + 1, len(program), greedy)
        return
    ends = []
    for _ in range(high - low):
        ends.append(program.add(None))
        _emit(atom, program)
    for split in ends:
        program[split] = _split(split + 1, len(program), greedy)


def _split(inside: int, past: int, greedy: bool) -> tuple:
    return ("split", inside, past) if greedy else ("split", past, inside)


def _text_start(text: str, at: int) -> bool:
    return at == 0


def _text_end(text: str, at: int) -> bool:
    return at == len(text)


def _line_start(text: str, at: int) -> bool:
    return at == 0 or text[at - 1] == "\n"


def _line_end(text: str, at: int) -> bool:
    return at == len(text) or text[at] == "\n"


def _word_boundary(text: str, at: int) -> bool:
    before = at > 0 and _WORD(text[at - 1])
    after = at < len(text) and _WORD(text[at])
    return before != after
