"""Regular expressions as Terraform's `regex`, `regexall` and `replace` read them
(Go's RE2 syntax), matched in time linear in the text.

Python's `re` backtracks: a scanned file could write `(a|a)*b` and a long string of
`a`s and keep a CPU busy for ever. Here a pattern is compiled to a small program run
by a Pike VM (all alternatives advance together, one step per character of the text),
so matching costs at most the program's weight (`Pattern.cost`: its instructions, the
items of its classes, the slots each `save` copies) times the text's length, and each
character's share is paid to the evaluation budget before it is read. The semantics
are RE2's leftmost-first ones, captures included.

Supported: literals and escapes (`\\d \\w \\s`, their negations, `\\b \\B \\A \\z`, `\\n \\t`,
escaped punctuation), `.`, classes (`[a-z]`, `[^...]`, escapes inside), `^ $`, groups
(capturing, `(?:...)`, `(?P<name>...)`), `|`, `* + ? {n} {n,} {n,m}` and their lazy
forms, and the flags `i`, `m`, `s` (`(?i)`, `(?i:...)`). Anything else (Unicode
classes, POSIX classes, back-references, which RE2 lacks) raises `Unsupported`, so
the caller can leave the value unknown rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_PROGRAM = 10_000  # instructions: RE2 also refuses patterns that compile to huge programs
MAX_REPEAT = 1_000  # RE2's limit on {n,m}
_COUNT = re.compile(r"\{(\d+)(,?)(\d*)\}", re.ASCII)


class Unsupported(ValueError):
    """A pattern outside the supported syntax, or not a valid pattern."""


_CLASSES: dict[str, Callable[[str], bool]] = {
    "d": lambda c: "0" <= c <= "9",
    "w": lambda c: c.isascii() and (c.isalnum() or c == "_"),
    "s": lambda c: c in " \t\n\f\r\v",
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern: its program, the number of capture groups and their names
    (None for an unnamed group), in order."""

    program: tuple
    names: tuple[str | None, ...]

    @property
    def cost(self) -> int:
        """The most work one character can take: every instruction followed once, a
        class's test trying each of its items, a `save` copying every slot."""
        slots = 2 * (len(self.names) + 1)
        return sum(getattr(op[1], "size", 1) if op[0] == "char" else slots if op[0] == "save" else 1 for op in self.program)

    def search(self, text: str, start: int = 0, spend: Callable[[int], None] = lambda cost: None) -> list[int | None] | None:
        """The leftmost-first match at or after `start`: the start and end of the
        whole match, then of each group (None where a group took no part); None
        when nothing matches. `spend` is paid `cost` for each character read: the
        most work one step of the machine can do."""
        slots, cost = 2 * (len(self.names) + 1), self.cost
        program = self.program
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
    parser = _Parser(pattern)
    node = parser.alternation()
    if parser.index < len(pattern):
        raise Unsupported(f"unexpected {pattern[parser.index]!r}")
    program: list = [("save", 0)]
    _emit(node, program)
    program += [("save", 1), ("match",)]
    return Pattern(tuple(program), tuple(parser.names))


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
        brace that opens no count is a literal, as in RE2."""
        count = _COUNT.match(self.pattern, self.index)  # anchored: a brace costs only its own count
        if count is None:
            return None
        self.index = count.end()
        low, comma, high = count.group(1), count.group(2), count.group(3)
        if max(len(low), len(high)) > len(str(MAX_REPEAT)):
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
            return ("char", self.char_class())
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
        if char.lower() in _CLASSES:
            test = _CLASSES[char.lower()]
            return ("char", test if char.islower() else (lambda c: not test(c)))
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
        saved = set(self.flags)
        inner = self.alternation()
        self.flags = saved
        self._close()
        return ("group", number, inner)

    def _close(self) -> None:
        if self.take() != ")":
            raise Unsupported("missing )")

    def char_class(self) -> Callable[[str], bool]:
        negated = self.peek() == "^"
        self.index += negated
        tests: list[Callable[[str], bool]] = []
        first = True
        while first or self.peek() != "]":
            first = False
            char = self.take()
            if char == "[" and self.peek() == ":":
                raise Unsupported("POSIX classes")
            if char == "\\":
                escaped = self.take()
                if escaped.lower() in _CLASSES:
                    test = _CLASSES[escaped.lower()]
                    tests.append(test if escaped.islower() else (lambda c, test=test: not test(c)))
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
                tests.append(self._range(char, high))
            else:
                tests.append(self._range(char, char))
        self.index += 1
        matches = lambda c: any(test(c) for test in tests) != negated  # noqa: E731 (a function with a size)
        matches.size = len(tests)  # what one test costs (`Pattern.cost`)
        return matches

    def _range(self, low: str, high: str) -> Callable[[str], bool]:
        if "i" in self.flags:
            return lambda c: low <= c <= high or low <= c.lower() <= high or low <= c.upper() <= high
        return lambda c: low <= c <= high


def _emit(node: tuple, program: list) -> None:
    if len(program) > MAX_PROGRAM:
        raise Unsupported("pattern too large")
    kind = node[0]
    if kind == "seq":
        for item in node[1]:
            _emit(item, program)
    elif kind == "char":
        program.append(("char", node[1]))
    elif kind == "assert":
        program.append(("assert", node[1]))
    elif kind == "group":
        program.append(("save", 2 * node[1]))
        _emit(node[2], program)
        program.append(("save", 2 * node[1] + 1))
    elif kind == "alt":
        jumps = []
        for branch in node[1][:-1]:
            split = len(program)
            program.append(None)
            _emit(branch, program)
            jumps.append(len(program))
            program.append(None)
            program[split] = ("split", split + 1, len(program))
        _emit(node[1][-1], program)
        for jump in jumps:
            program[jump] = ("jump", len(program))
    else:
        _emit_repeat(node, program)


def _emit_repeat(node: tuple, program: list) -> None:
    _, atom, low, high, greedy = node
    for _ in range(low):
        _emit(atom, program)
    if high is None:
        split = len(program)
        program.append(None)
        _emit(atom, program)
        program.append(("jump", split))
        program[split] = _split(split + 1, len(program), greedy)
        return
    ends = []
    for _ in range(high - low):
        ends.append(len(program))
        program.append(None)
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
    word = _CLASSES["w"]
    before = at > 0 and word(text[at - 1])
    after = at < len(text) and word(text[at])
    return before != after
