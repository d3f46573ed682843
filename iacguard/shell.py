"""A small POSIX shell reader for the commands inside Dockerfile `RUN` steps.

It does not execute or expand anything. It splits a script into pipelines of simple
commands, removes quotes, and remembers the offset of every word so that a finding
about `curl -k` points at the line where `curl` stands, not at the `RUN` line.
Wrappers that run another program (`sudo`, `env`, `exec`, ...) are seen through by
`Command.argv`, and `sh -c '...'` scripts and the commands substituted into words
(`$(...)`, backticks, `<(...)`) are read recursively, to `MAX_NESTING` deep.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iacguard.lazy import regex
from iacguard.structs import field, struct

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})

# Programs that only run another: for each, its options whose value is the next word
# (`sudo -u app`, `timeout -s KILL`) and how many words it takes before the program
# (`gosu app`, `timeout 60`), so that the program run is seen through them.
_WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    "sudo": (frozenset({"-u", "--user", "-g", "--group", "-C", "--close-from", "-D", "--chdir", "-h", "--host", "-p", "--prompt",
                        "-r", "--role", "-t", "--type", "-T", "--command-timeout", "-U", "--other-user", "-R", "--chroot"}), 0),
    "doas": (frozenset({"-u", "-C"}), 0),
    "env": (frozenset({"-u", "--unset", "-C", "--chdir"}), 0),
    "exec": (frozenset({"-a"}), 0),
    "command": (frozenset(), 0),
    "nohup": (frozenset(), 0),
    "time": (frozenset({"-f", "--format", "-o", "--output"}), 0),
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "stdbuf": (frozenset({"-i", "-o", "-e"}), 0),
    "xargs": (frozenset({"-a", "--arg-file", "-d", "--delimiter", "-E", "-I", "-L", "--max-lines", "-n", "--max-args", "-P", "--max-procs", "-s", "--max-chars"}), 0),
    "timeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), 1),
    "gosu": (frozenset(), 1),
    "su-exec": (frozenset(), 1),
    "runuser": (frozenset({"-u", "--user", "-g", "--group", "-G", "--supp-group"}), 0),
    "chroot": (frozenset({"--userspec", "--groups"}), 1),
}
_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done", "time"})
_OPERATORS = ("&&", "||", ";;", "|&", "|", ";", "&", "\n", "(", ")")
_REDIRECT = regex(r"\d*(?:&>>|&>|>>|>&|>\||<<<|<<-|<<|<&|<>|>|<)")
_ASSIGNMENT = regex(r"[A-Za-z_][A-Za-z0-9_]*=")
_REDIRECT_START = frozenset("0123456789&<>")


@struct(frozen=True, slots=True)
class Word:
    """A shell word: `text` with quotes removed, `at` where it stands in the file.

    `literal` is false when the word contains an expansion (`$X`, `$(...)`, backticks)
    whose value is unknown statically.
    """

    text: str
    at: Any
    literal: bool = True


@struct(slots=True)
class Command:
    """A simple command: leading `NAME=value` assignments, then the words.

    `wrappers` are the leading words that only run another program (`sudo -E`,
    `env X=1`); `argv` is what follows them and `program` the basename of the program
    actually run (`apt-get` for `sudo /usr/bin/apt-get`). They are computed once:
    rules ask for them many times.
    """

    words: list[Word]
    assignments: list[Word] = field(default_factory=list)
    wrappers: list[Word] = field(init=False)
    argv: list[Word] = field(init=False)
    program: str = field(init=False)

    def __post_init__(self) -> None:
        count, words = 0, self.words
        while count < len(words) and _basename(words[count].text) in _WRAPPERS:
            if words[count].text == "command" and count + 1 < len(words) and words[count + 1].text in ("-v", "-V"):
                break  # `command -v sudo` only says where sudo is: it runs nothing
            if _basename(words[count].text) == "runuser" and _switched_user_script(words[count:]) is not None:
                break  # `runuser -l app -c 'script'`: su's form, read as an inline script
            with_value, operands = _WRAPPERS[_basename(words[count].text)]
            count += 1
            while count < len(words) and (words[count].text.startswith("-") or _ASSIGNMENT.match(words[count].text)):
                text = words[count].text
                count += 2 if text in with_value else 1
                if text == "--":
                    break
            count += operands
        self.wrappers, self.argv = words[:count], words[count:]
        self.program = _basename(self.argv[0].text) if self.argv else ""

    @property
    def at(self) -> Any:
        """Where the command starts (its first assignment or word)."""
        return (self.assignments or self.words)[0].at

    @property
    def args(self) -> list[Word]:
        return self.argv[1:]

    def has_flag(self, *flags: str, valued: frozenset[str] = frozenset()) -> bool:
        """True when any argument is one of the long flags, or a short flag in a cluster.

        A short flag given as `-y` also matches inside clusters such as `-qy`. A
        cluster ends at a short option that takes a value (`valued`): the rest of the
        word is that value (`-oDebug::Solver=yes` sets an option and holds no `-y`).
        """
        for word in self.args:
            text = word.text
            if any(text == flag or (flag.startswith("--") and text.startswith(flag + "=")) for flag in flags):
                return True
            if text[:1] == "-" and text[1:2] not in ("", "-"):
                for letter in text[1:]:
                    if f"-{letter}" in flags:
                        return True
                    if f"-{letter}" in valued:
                        break
        return False


Pipeline = list[Command]


def _basename(text: str) -> str:
    return text.rsplit("/", 1)[-1]


# How deep scripts inside scripts are read (`$(...)` in `$(...)`, `sh -c` in `sh -c`):
# deeper ones stay words, so that a hostile file cannot exhaust the stack.
MAX_NESTING = 16


def parse(script: str, locate: Callable[[int], Any] = lambda offset: offset, depth: int = 0) -> list[Pipeline]:
    """Split a script into pipelines of commands.

    `locate` turns an offset in `script` into whatever the caller uses as a position
    (the Dockerfile normalizer gives file Locations); it becomes each word's `at`.
    The commands a pipeline substitutes (`$(curl -k ...)`, backticks, `<(...)`) run
    too: their pipelines follow it, located where they stand.
    """
    pipelines: list[Pipeline] = []
    substitutions: list[tuple[int, int]] = []  # where the scripts of substitutions stand
    pipeline: Pipeline = []
    current: list[Word] = []

    def end_command() -> None:
        command = _make_command(current) if current else None
        if command is not None:
            pipeline.append(command)
        current.clear()

    def end_pipeline() -> None:
        nonlocal pipeline
        end_command()
        read: list[tuple[int, int]] = []  # where the inline scripts read with the pipeline stand
        if pipeline:
            pipelines.append(pipeline)
            nested, scripts = _run_by(pipeline, depth)
            pipelines.extend(nested)
            read = [spans[id(word)] for word in scripts if id(word) in spans]
            pipeline = []
        for start, end in substitutions if depth < MAX_NESTING else ():
            if any(first <= start < last for first, last in read):
                continue  # inside an inline script (`bash -c "echo $(curl ...)"`), read with it
            pipelines.extend(parse(script[start:end], lambda offset, start=start: locate(start + offset), depth + 1))
        substitutions.clear()

    skip_next_word = False
    spans: dict[int, tuple[int, int]] = {}
    for token in _tokens(script, locate, substitutions, spans=spans):
        if isinstance(token, Word):
            if skip_next_word:
                skip_next_word = False
            else:
                current.append(token)
        elif token in ("|", "|&"):
            end_command()
        elif token in ("redirect", "heredoc"):
            skip_next_word = True
        else:
            end_pipeline()
    end_pipeline()
    return pipelines


def heredoc_scripts(script: str) -> list[bool]:
    """For each heredoc a script opens (`<<EOF`, `<<-EOF`), in order, whether its body
    is shell: no command reads it (`RUN <<EOF`: the body is the step's script), or a
    shell does, itself (`bash <<EOF`) or at the end of the pipe it is fed into (`cat
    <<EOF | sh`). What any other command reads is data (`cat <<EOF > file`, a loop's
    `done <<EOF`)."""
    found: list[bool] = []
    words: list[Word] = []
    pipeline: list[tuple[Command | None, int, bool]] = []  # each command, the heredocs it opens, whether it has words
    opened, skip_next_word = 0, False

    def end_command() -> None:
        nonlocal words, opened
        pipeline.append((_make_command(words) if words else None, opened, bool(words)))
        words, opened = [], 0

    for token in (*_tokens(script, lambda offset: offset, []), ";"):
        if isinstance(token, Word):
            if not skip_next_word:
                words.append(token)
            skip_next_word = False
        elif token in ("redirect", "heredoc"):
            opened += token == "heredoc"
            skip_next_word = True
        elif token in ("|", "|&"):
            end_command()
        else:
            end_command()
            for position, (command, count, worded) in enumerate(pipeline):
                readers = [command, *(later for later, _, _ in pipeline[position + 1 :])]
                found += [not worded or any(reads_script_from_input(reader) for reader in readers if reader)] * count
            pipeline = []
    return found


def reads_script_from_input(command: Command) -> bool:
    """A shell that runs what it reads from standard input (`sh`, `bash -s`, `sudo
    bash -e`, `bash -o pipefail`); not one given its script (`sh -c '...'`, `bash -e
    -c '...'`, `bash install.sh`, `bash -o pipefail install.sh`). Its options are
    read as `script_index` reads them."""
    if command.program not in SHELLS:
        return False
    argv = [command.program, *(word.text for word in command.args)]
    operands, inline, from_input = _shell_options(argv)
    return not inline and (from_input or operands >= len(argv))


def commands(pipelines: list[Pipeline]) -> list[Command]:
    return [command for pipeline in pipelines for command in pipeline]


def _make_command(words: list[Word]) -> Command | None:
    while words and words[0].text in _KEYWORDS and words[0].literal:
        words = words[1:]
    assignments = []
    while words and _ASSIGNMENT.match(words[0].text):
        assignments.append(words[0])
        words = words[1:]
    if not words and not assignments:
        return None
    return Command(list(words), assignments)


def _run_by(pipeline: Pipeline, depth: int) -> tuple[list[Pipeline], list[Word]]:
    """What a pipeline runs besides its own commands, and the inline scripts read: the
    commands `find -exec` runs, and the pipelines of the script of a lone `sh -c
    'script'` (or of one that `find` runs). The shell command itself stays (its
    argument may be a substitution worth checking); the inner words are located at
    the script argument, because offsets inside a quoted string do not map back to
    the file one to one."""
    nested: list[Pipeline] = []
    callers = [pipeline[0]] if len(pipeline) == 1 else []
    for command in pipeline:
        if command.program == "find":
            for executed in _executed_by_find(command):
                nested.append([executed])
                callers.append(executed)
    scripts = []
    for command in callers if depth < MAX_NESTING else ():
        script = _inline_script(command)
        if script is None or script.text.startswith(("$(", "`")):
            continue
        scripts.append(script)
        nested.extend(parse(script.text, lambda offset, at=script.at: at, depth + 1))
    return nested, scripts


def _executed_by_find(command: Command) -> list[Command]:
    """The commands `find` runs: each `-exec`, `-execdir`, `-ok` or `-okdir` up to its
    `;` or `+` (`find /app -exec chmod 777 {} +` runs `chmod 777`)."""
    executed, words = [], None
    for word in command.args:
        if words is None:
            words = [] if word.text in ("-exec", "-execdir", "-ok", "-okdir") else None
        elif word.text in (";", "+"):
            executed.extend([Command(words)] if words else [])
            words = None
        else:
            words.append(word)
    return executed


def _inline_script(command: Command) -> Word | None:
    if command.program in _SWITCH_USER:
        return _switched_user_script(command.argv)
    index = script_index([word.text for word in command.argv])
    return None if index is None else command.argv[index]


# `su app -c 'script'`, `runuser -l app -c 'script'`: the user's shell runs the script.
_SWITCH_USER = frozenset({"su", "runuser"})


def _switched_user_script(argv: list[Word]) -> Word | None:
    """The script `su` or `runuser` gives the user's shell: the value of `-c` (also at
    the end of a cluster, `-lc`) or `--command`, before any `--` (after which come the
    program and its own arguments: `runuser -u app -- curl -c jar ...`)."""
    for index, word in enumerate(argv[1:], start=1):
        text = word.text
        if text == "--":
            return None
        if text.startswith("--command="):
            return Word(text.removeprefix("--command="), word.at, word.literal)
        if text == "--command" or (len(text) > 1 and text[0] == "-" and text[1] != "-" and text.endswith("c")):
            return argv[index + 1] if index + 1 < len(argv) else None
    return None


# Shell options whose value is the next word: `-o pipefail` (also in a cluster, `-eo
# pipefail`), bash's `-O extglob`, `--rcfile FILE`.
_OPTIONS_WITH_VALUE = frozenset("oO")
_LONG_OPTIONS_WITH_VALUE = frozenset({"--rcfile", "--init-file"})


def script_index(argv: list[str]) -> int | None:
    """Where the script of an inline shell call stands among its words (`sh -c
    'script'`), or None when `argv` runs none. As a POSIX shell reads its options:
    `-c` anywhere among them (`-ec`, `-c -x`) makes the first word after them the
    script; `-o pipefail`, `-eo pipefail` and long options (`--login`) come before it,
    and `--` or `-` ends them."""
    if len(argv) < 3 or _basename(argv[0]) not in SHELLS:
        return None
    index, inline, _ = _shell_options(argv)
    return index if inline and index < len(argv) else None


def _shell_options(argv: list[str]) -> tuple[int, bool, bool]:
    """A shell call's options read as a POSIX shell reads them: where its operands
    start among `argv`, and whether `-c` (the first operand is the script) and `-s`
    (the script comes from standard input) were among them."""
    inline = from_input = False
    index = 1
    while index < len(argv):
        word = argv[index]
        if word in ("--", "-"):
            index += 1
            break
        if len(word) < 2 or word[0] not in "-+":
            break
        if word.startswith("--"):
            index += 2 if word in _LONG_OPTIONS_WITH_VALUE else 1
            continue
        if word[0] == "-":
            inline = inline or "c" in word[1:]
            from_input = from_input or "s" in word[1:]
        index += 1 + sum(letter in _OPTIONS_WITH_VALUE for letter in word[1:])
    return index, inline, from_input


def comments(script: str) -> list[tuple[int, str]]:
    """The comments of a script (a `#` where a word would start, outside quotes, to
    the line's end), each with its offset. One after a `$'` on its line is none:
    bash and busybox read `$'...'` with C escapes (`\'` does not end it), dash, the
    `/bin/sh` of Debian's images, as `$` and a plain quote; commands are read as dash
    reads them (it runs what follows `$'x\'`), and a comment is one for both."""
    found: list[tuple[int, str]] = []
    for _ in _tokens(script, lambda offset: offset, [], found):
        pass
    return [(offset, text) for offset, text in found if "$'" not in script[script.rfind("\n", 0, offset) + 1 : offset]]


def _tokens(script: str, locate: Callable[[int], Any], substitutions: list[tuple[int, int]], comments: list[tuple[int, str]] | None = None,
            spans: dict[int, tuple[int, int]] | None = None):
    """Yield Words, operator strings and 'redirect' or 'heredoc' (`<<EOF`) markers
    (the word after either is its target); add where the script of each
    substitution stands to `substitutions`, the comments to `comments`, and where
    each word that holds a substitution stands to `spans` (by the word's id)."""
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "\\" and script.startswith("\\\n", i):
            i += 2
            continue
        if ch == "#":
            start = i
            while i < n and script[i] != "\n":
                i += 1
            if comments is not None:
                comments.append((start, script[start:i]))
            continue
        if script.startswith(("<(", ">("), i):
            end = _skip_substitution(script, i)
            _note_substitution(substitutions, script, i, end)
            yield Word(script[i:end], locate(i), literal=False)
            i = end
            continue
        redirect = _REDIRECT.match(script, i) if ch in _REDIRECT_START else None
        if redirect:
            i = redirect.end()
            yield "heredoc" if redirect.group().lstrip("0123456789") in ("<<", "<<-") else "redirect"
            continue
        operator = next((op for op in _OPERATORS if script.startswith(op, i)), None) if ch in "&|;\n()" else None
        if operator:
            i += len(operator)
            yield operator
            continue
        start, noted = i, len(substitutions)
        word, i = _read_word(script, i, substitutions)
        token = Word(word[0], locate(word[1]), word[2])
        if spans is not None and len(substitutions) > noted:  # only a word holding a substitution is asked about
            spans[id(token)] = (start, i)
        yield token


def _read_word(script: str, i: int, substitutions: list[tuple[int, int]]) -> tuple[tuple[str, int, bool], int]:
    start, n = i, len(script)
    out: list[str] = []
    literal = True
    while i < n:
        ch = script[i]
        if ch in " \t\r\n;&|()<>":
            break
        if ch == "\\":
            if i + 1 < n and script[i + 1] != "\n":
                out.append(script[i + 1])
            i += 2
        elif ch == "'":
            end = script.find("'", i + 1)
            end = n if end < 0 else end
            out.append(script[i + 1 : end])
            i = end + 1
        elif ch == '"':
            i += 1
            while i < n and script[i] != '"':
                if script[i] == "\\" and i + 1 < n and script[i + 1] in '$`"\\\n':
                    if script[i + 1] != "\n":
                        out.append(script[i + 1])
                    i += 2
                    continue
                if script[i] in "$`":
                    literal = False
                    if script.startswith("$(", i) or script[i] == "`":
                        end = _skip_substitution(script, i)
                        _note_substitution(substitutions, script, i, end)
                        out.append(script[i:end])
                        i = end
                        continue
                out.append(script[i])
                i += 1
            i += 1
        elif ch in "$`":
            literal = False
            end = _skip_substitution(script, i) if (script.startswith("$(", i) or ch == "`") else i + 1
            if end > i + 1:
                _note_substitution(substitutions, script, i, end)
            if script.startswith("${", i):
                close = script.find("}", i)
                end = n if close < 0 else close + 1
            out.append(script[i:end])
            i = end
        else:
            out.append(ch)
            i += 1
    return ("".join(out), start, literal), i


def _note_substitution(substitutions: list[tuple[int, int]], script: str, start: int, end: int) -> None:
    """Add where the script of the substitution `script[start:end]` stands: inside
    `$(` and `)`, or the backticks (either possibly unclosed at the script's end).
    Arithmetic (`$((1+2))`) runs no command."""
    if script.startswith("$((", start):
        return
    opening = 1 if script[start] == "`" else 2  # `$(`, `<(`, `>(`
    closed = end - (start + opening) >= 1 and script[end - 1] == ("`" if opening == 1 else ")")
    substitutions.append((start + opening, end - 1 if closed else end))


def _skip_substitution(script: str, i: int) -> int:
    """End offset of a `$(...)`, `<(...)` or backtick substitution starting at i."""
    n = len(script)
    if script[i] == "`":
        end = script.find("`", i + 1)
        return n if end < 0 else end + 1
    depth, i = 0, i + 1
    quote = ""
    while i < n:
        ch = script[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n
