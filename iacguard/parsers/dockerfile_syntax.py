"""Dockerfile parser that keeps exact line and column positions (the format, which
every scan asks to claim files by name, is `iacguard.parsers.dockerfile`).

Written for iacguard rather than using dockerfile-parse, which does not handle
`RUN <<EOF` heredocs, blank lines inside continuations or columns, and which writes
to disk when content is assigned. The grammar is small: parser directives at the top,
whole-line comments, instructions continued by the escape character at line end,
comment and blank lines skipped inside continuations, heredoc bodies after the
instruction line.
"""

from __future__ import annotations

import bisect
import json
import re

from iacguard import shell
from iacguard.errors import ParseError
from iacguard.formats import Comment
from iacguard.lazy import regex
from iacguard.structs import field, struct

KEYWORDS = frozenset(
    ["FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"]
)
_FLAGGED = frozenset({"FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"})
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
# What BuildKit's readers take for a blank (Go's `unicode.IsSpace`), and its regular
# expressions (`\s`, ASCII only).
_BLANKS = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_ASCII_BLANKS = "\t\n\f\r "
# A parser directive, as BuildKit matches a line: blanks, `#`, blanks, then
# `key=value` with ASCII blanks around `=`; an empty value makes it a comment.
_DIRECTIVE = regex(f"[{_BLANKS}]*#[{_BLANKS}]*([A-Za-z][A-Za-z0-9]*)[{_ASCII_BLANKS}]*=[{_ASCII_BLANKS}]*(.+?)[{_ASCII_BLANKS}]*")
_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_FLAG = regex(r"--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?=\s|$)")
# A word of the instruction line (`_line_words`) that opens a heredoc, as BuildKit
# matches it: `<<EOF`, `3<<-"EOF"`, `<<  EOF`, `<<'one two'`.
_HEREDOC_WORD = regex(r"[0-9]*<<(-?)[\t\n\f\r ]*([^<]*)")
# A quoted part of a word, or an escaped character (BuildKit's lexer takes `\` for
# its escape whatever the escape directive names).
_WORD_PART = regex(r"""'(?P<single>[^']*)'|"(?P<double>(?:\\.|[^"\\])*)"|\\(?P<escaped>.?)""", re.DOTALL)
_DOUBLE_QUOTED_ESCAPE = regex(r'\\([\\"$])')
_INSTRUCTION = regex(r"([A-Za-z]+)(?=\s|$)")


@struct(frozen=True, slots=True)
class TextMap:
    """Maps offsets in text joined from several physical lines back to the file."""

    starts: tuple[int, ...]
    lines: tuple[int, ...]
    columns: tuple[int, ...]

    def position(self, offset: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        return self.lines[index], self.columns[index] + offset - self.starts[index]


@struct(slots=True)
class Heredoc:
    """A heredoc body; `line` is its first body line, `expand` false when quoted;
    `indents` the tabs `<<-` took from the start of each body line."""

    name: str
    body: str
    line: int
    end_line: int
    expand: bool
    indents: tuple[int, ...] = ()


@struct(slots=True)
class Flag:
    name: str
    value: str | None
    offset: int


@struct(slots=True)
class Instruction:
    """One instruction. `args` is the text after keyword and flags; offsets into
    it (plus `args_offset`) map to file positions through `position`."""

    keyword: str
    line: int
    column: int
    end_line: int
    args: str
    args_offset: int
    text_map: TextMap
    flags: list[Flag] = field(default_factory=list)
    exec_form: list[str] | None = None
    heredocs: list[Heredoc] = field(default_factory=list)

    def position(self, args_index: int) -> tuple[int, int]:
        """File (line, column) of the character at `args_index` in `args`."""
        return self.text_map.position(self.args_offset + args_index)

    def flag(self, name: str) -> str | None:
        return next((flag.value for flag in self.flags if flag.name == name), None)

    def flag_values(self, name: str) -> list[str]:
        return [flag.value or "" for flag in self.flags if flag.name == name]


@struct(slots=True)
class Dockerfile:
    instructions: list[Instruction]
    directives: dict[str, str]
    escape: str


def is_instruction(line: str) -> bool:
    """True when the line (stripped, not a comment) starts with an instruction."""
    match = _INSTRUCTION.match(line)
    return bool(match) and match.group(1).upper() in KEYWORDS


def parse(text: str) -> tuple[Dockerfile, list[Comment], dict[int, int]]:
    """Parse Dockerfile text. Raises ParseError with the line of the first problem."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    comments: list[Comment] = []
    directives: dict[str, str] = {}
    index = 0
    while index < len(lines):
        match = _DIRECTIVE.fullmatch(lines[index])
        key = match.group(1).lower() if match else ""
        if key not in _KNOWN_DIRECTIVES or key in directives:
            break
        directives[key] = match.group(2)
        comments.append(Comment(index + 1, 1, lines[index].strip()))
        index += 1
    escape = directives.get("escape", "\\")
    if escape not in ("\\", "`"):
        raise ParseError(f"invalid escape directive {escape!r}: must be \\ or `", 1)
    # As BuildKit reads it: an escape character that is itself escaped (`C:\\`) ends
    # the line.
    continuation = re.compile(f"(?<!{re.escape(escape)}){re.escape(escape)}[ \\t]*$")

    instructions: list[Instruction] = []
    spans: dict[int, int] = {}
    while index < len(lines):
        raw = lines[index]
        stripped = raw.lstrip()
        if not stripped:
            index += 1
            continue
        if stripped.startswith("#"):
            comments.append(Comment(index + 1, len(raw) - len(stripped) + 1, stripped.rstrip()))
            index += 1
            continue
        start_line = index + 1
        joined, starts, line_numbers, columns = "", [], [], []
        piece, column = stripped, len(raw) - len(stripped) + 1
        while True:
            starts.append(len(joined))
            line_numbers.append(index + 1)
            columns.append(column)
            match = continuation.search(piece)
            if not match:
                joined += piece
                index += 1
                break
            joined += piece[: match.start()]
            index += 1
            while index < len(lines) and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
                if lines[index].strip():
                    comment_line = lines[index].lstrip()
                    comments.append(Comment(index + 1, len(lines[index]) - len(comment_line) + 1, comment_line.rstrip()))
                index += 1
            if index >= len(lines):
                break
            piece, column = lines[index], 1
        end_line = index
        text_map = TextMap(tuple(starts), tuple(line_numbers), tuple(columns))
        instruction = _instruction(joined, text_map, start_line, end_line)
        if instruction.keyword == "RUN" and instruction.exec_form is None:
            comments += _suppressions_in_script(instruction)
        if _opens_heredocs(instruction):
            index = _read_heredocs(instruction, lines, index)
        spans[start_line] = max(instruction.end_line, start_line)
        instructions.append(instruction)
    return Dockerfile(instructions, directives, escape), comments, spans


def _instruction(joined: str, text_map: TextMap, line: int, end_line: int) -> Instruction:
    match = _INSTRUCTION.match(joined)
    keyword = match.group(1).upper() if match else ""
    if keyword not in KEYWORDS:
        word = joined.split(None, 1)[0] if joined.split() else joined
        raise ParseError(f"unknown instruction {word!r}", line, text_map.columns[0])
    offset = match.end()
    flags: list[Flag] = []
    if keyword in _FLAGGED:
        while True:
            rest = joined[offset:]
            skipped = len(rest) - len(rest.lstrip())
            flag = _FLAG.match(joined, offset + skipped)
            if not flag:
                break
            flags.append(Flag(flag.group(1).lower(), flag.group(2), flag.start()))
            offset = flag.end()
    rest = joined[offset:]
    offset += len(rest) - len(rest.lstrip())
    args = joined[offset:].rstrip()
    instruction = Instruction(keyword, line, text_map.columns[0], end_line, args, offset, text_map, flags)
    if args.startswith("["):
        try:
            value = json.loads(args)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            instruction.exec_form = value
    return instruction


def _suppressions_in_script(instruction: Instruction) -> list[Comment]:
    """The shell comments of a RUN step's script that speak to iacguard, as trailing
    comments of the step (`RUN curl -k ... # iacguard:ignore IG309 -- reason`): a
    suppression there covers the step, and a near miss is warned about, as in every
    other format. Other shell comments are the script's own."""
    if "iacguard" not in instruction.args.lower():
        return []  # most steps: no need to read the script here
    found = []
    for offset, text in shell.comments(instruction.args):
        if "iacguard" in text.lower():
            line, column = instruction.position(offset)
            found.append(Comment(line, column, text.rstrip(), own_line=False))
    return found


def _opens_heredocs(instruction: Instruction) -> bool:
    """A shell-form RUN, COPY or ADD may open heredocs, also as the instruction an
    ONBUILD holds (`ONBUILD RUN <<EOF`), as BuildKit reads it."""
    if instruction.keyword == "ONBUILD":
        return instruction.args.split(None, 1)[0].upper() in _HEREDOC_KEYWORDS if instruction.args.strip() else False
    return instruction.keyword in _HEREDOC_KEYWORDS and instruction.exec_form is None


def _read_heredocs(instruction: Instruction, lines: list[str], index: int) -> int:
    """Consume the bodies of the heredocs the instruction line opens."""
    for offset, strip_tabs, expand, name in _heredoc_words(instruction.args):
        first = index
        while index < len(lines):
            candidate = lines[index].lstrip("\t") if strip_tabs else lines[index]
            if candidate == name:
                break
            index += 1
        else:
            raise ParseError(f"heredoc <<{name} is never terminated", *instruction.position(offset))
        body_lines = lines[first:index]
        indents = tuple(len(line) - len(line.lstrip("\t")) for line in body_lines) if strip_tabs else ()
        if strip_tabs:
            body_lines = [line.lstrip("\t") for line in body_lines]
        body = "\n".join(body_lines) + ("\n" if body_lines else "")
        instruction.heredocs.append(Heredoc(name, body, first + 1, index + 1, expand=expand, indents=indents))
        instruction.end_line = index + 1
        index += 1
    return index


def _heredoc_words(args: str) -> list[tuple[int, bool, bool, str]]:
    """The heredocs an instruction line opens, as BuildKit finds them: each word of
    the line that is `<<` and a name (`_HEREDOC_WORD`), the name's quotes removed,
    as (offset, whether tabs are stripped, whether the body expands, name). Where
    the heredocs are decides what is an instruction and what is data (a body line
    `# iacguard:ignore-file` is no comment), so the reading is BuildKit's, names with
    blanks (`<<'one two'`) and blanks after `<<` included."""
    found = []
    if "<<" not in args:  # most lines: the word walk is a loop over every character
        return found
    for offset, word in _line_words(args) or ():
        match = _HEREDOC_WORD.fullmatch(word)
        if match and match.group(2):  # `<<-` and no name: none (`<<- EOF` is two words)
            written = match.group(2)
            quoted = any(part["escaped"] is None for part in _WORD_PART.finditer(written))
            found.append((offset, match.group(1) == "-", not quoted, _WORD_PART.sub(_unquoted, written)))
    return found


def _line_words(line: str) -> list[tuple[int, str]] | None:
    """The words of a line split at blanks, quotes and escapes kept as written (a
    blank quoted or escaped is part of its word, and so are the blanks after `<<`),
    with their offsets. None for a quote that is never closed: BuildKit then finds no
    heredoc on the line."""
    words: list[tuple[int, str]] = []
    start, position = None, 0
    while position < len(line):
        character = line[position]
        if character in _BLANKS:
            if start is not None:
                words.append((start, line[start:position]))
                start = None
            position += 1
            continue
        start = position if start is None else start
        if character in "'\"\\":
            part = _WORD_PART.match(line, position)
            if part is None:
                return None
            position = part.end()
        elif line.startswith("<<", position):
            position += 2
            while position < len(line) and line[position] in " \t\r":
                position += 1
        else:
            position += 1
    if start is not None:
        words.append((start, line[start:]))
    return words


def _unquoted(part: re.Match) -> str:
    """A quoted part of a heredoc's name or an escaped character, as the shell reads it."""
    if part["single"] is not None:
        return part["single"]
    if part["double"] is not None:
        return _DOUBLE_QUOTED_ESCAPE.sub(r"\1", part["double"])
    return part["escaped"]
