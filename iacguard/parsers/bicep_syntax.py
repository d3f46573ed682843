"""Bicep source files (`.bicep`, `.bicepparam`), with the position of every node.

A hand-written tokenizer and recursive-descent parser. pycep-parser reads only about
half of the real files in the corpus and the tree-sitter grammar 82% (and is slower
than this parser), both lagging the language; this one follows current Bicep: decorators, user-defined types, `import`
and `extension`, `existing`, `for` loops and `if` conditions, lambdas, `func`,
safe access (`.?`, `[?]`), non-null assertions, spreads, multi-line and interpolated
strings, and newlines as separators.

Only values are modelled: parameters with their defaults, variables, user-defined
functions, resources, modules and outputs. Type expressions are read for their syntax and then skipped,
since no rule depends on them. Newlines end statements and separate object and array
items; inside parentheses they are whitespace, and a line that starts with `?`, `:`,
`&&`, `||` or `??` continues the expression above.

The tokenizer takes about half of the parse's time: one pass of one regex per stretch
of the file between interpolated strings, and tokens that are plain tuples.
"""

from __future__ import annotations

import re
from typing import Any

from iacguard.budgets import number_literal
from iacguard.errors import ParseError
from iacguard.formats import Comment, alone_on_line
from iacguard.lazy import regex
from iacguard.model import Location
from iacguard.parsers.cache import ParseCache
from iacguard.structs import field, struct

# Blanks before a token are part of its match, so each token costs one step of the
# regex. The brackets and commas come first among the operators, and a plain string is
# matched a run of ordinary characters at a time: the regex took 0.34 s on the corpus's
# Bicep files, and takes 0.27. Blank lines after a new line are part of its token.
_TOKEN = regex(
    r"""[ \t\r]*(?:
    (?P<op>[{}\[\](),@]|\.\.\.|=>|==|!=|=~|!~|<=|>=|&&|\|\||\?\?|\.\?|::|[<>.:?!=+\-*%|&]|/(?![/*]))
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<nl>\n(?:[ \t\r]*\n)*)
    |(?P<multiline>\$*'''.*?(?:''''*|\Z))  # quotes after the closing `'''` end the text, as Bicep reads it
    |(?P<plain>'[^'\\$\n]*(?:(?:\\[^\n]|\$(?!\{))[^'\\$\n]*)*')
    |(?P<number>\d+(?:\.\d+)?)
    |(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<pragma>\#[a-z][a-z-]*[^\n]*)
    |(?P<string>')
    |(?P<end>\Z)
    |(?P<other>.))
    """,
    re.VERBOSE | re.DOTALL,
)
# The groups by number (`Match.lastindex`): comparing small integers is cheaper than
# looking up and comparing the group's name.
_OP, _NAME, _NL, _MULTILINE, _PLAIN, _NUMBER, _COMMENT, _PRAGMA, _STRING, _END, _OTHER = range(1, 12)
_ESCAPE = regex(r"\\(u\{[0-9A-Fa-f]+\}|.)")
_LITERAL_RUN = regex(r"[^'\\$\n]+")  # text in a string up to what `_Tokenizer.string` looks at
_INTERPOLATED_NAME = regex(r"([A-Za-z_][A-Za-z0-9_]*)\}")  # `${name}`, after the `${`
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", "$": "$"}
_CLOSING = {"(": ")", "[": "]", "{": "}"}
_CONTINUES = frozenset(("?", ":", "&&", "||", "??"))
_PRIMARY_KINDS = frozenset(("name", "string", "number"))
_ENDS_VALUE = frozenset((",", ")", "]", "}", ":"))
# Binary operators by precedence, loosest first (ternary `?:` is looser still).
_PRECEDENCE = {
    "??": 1,
    "||": 2,
    "&&": 3,
    "==": 4, "!=": 4, "=~": 4, "!~": 4,
    "<": 5, "<=": 5, ">": 5, ">=": 5,
    "+": 6, "-": 6,
    "*": 7, "/": 7, "%": 7,
}


# A token: (kind, value, line, column, end_line). The kind is name, number, string, op,
# nl or eof; a string's value is a list of text parts and interpolated expressions.
# Tuples, not instances: a file has a token for every word and symbol, and building a
# tuple costs a tenth of a struct's `__init__`.
Token = tuple
KIND, VALUE, LINE, COLUMN, END_LINE = range(5)


@struct(slots=True)
class Node:
    """An expression. `kind` names its shape; `value` and `items` hold its parts:

    literal: value is the Python value; string: items are text and expression parts;
    name: value is the identifier; array: items; object: items are `Property`s;
    member / safe_member: items[0] is the object, value the property name;
    index / safe_index: items are the object and the index; call: value is the
    function name (namespace included), items the arguments; unary: value is the
    operator; binary: value is the operator; ternary: condition, then, else;
    lambda: value is the list of variable names, items[0] the body; for, if: see
    the parser; spread and non_null wrap items[0]; resource_access (`a::b`) and
    unknown (an interpolated multi-line string) are left unknown by the evaluator.
    """

    kind: str
    line: int
    column: int
    value: Any = None
    items: list | tuple = ()  # a leaf shares the empty tuple
    end_line: int = 0


@struct(slots=True)
class Property:
    key: Any  # a str, or a string Node when the key is interpolated; None for a spread
    line: int
    column: int
    value: Any  # a Node, or a Statement for a nested resource
    value_line: int
    value_column: int


@struct(slots=True)
class Statement:
    """A top-level declaration, or a resource nested in another resource's body.

    `kind` is param, var, func, type, resource, module, output, using, import or
    another keyword whose content does not matter (metadata, targetScope...). For a
    resource, `target` is its type string and `existing` says so; for a module,
    `target` is its path; for `using`, the template path; a func's value is a lambda;
    for a compile-time `import`, `target` is the file imported from (see `_import`).
    `target_at` is the line and column where a module's or an import's path is
    written (where a refusal to read that file is told). A param is `nullable` when
    its type ends with `?` (`string?`), has `null` among its members (`'a' |
    null`), or names a `type` of the file that is (`type maybe = string?`): without
    a default, it is null when not given. A `type`'s `target` is the type it names
    when it is one name (`type short = maybe`), and so is a param's.
    """

    kind: str
    name: str
    line: int
    column: int
    end_line: int
    value: Node | None = None
    target: str | None = None
    existing: bool = False
    decorators: list[Node] = field(default_factory=list)
    target_at: tuple[int, int] | None = None
    nullable: bool = False


@struct
class BicepFile:
    statements: list[Statement]
    comments: list[Comment]
    spans: dict[int, int]
    _parameter_places: dict[str, dict[str, Location]] = field(default_factory=dict, repr=False, compare=False)

    def parameter_places(self, path: str) -> dict[str, Location]:
        """Where the file, read at `path` as a module's file, declares each parameter.
        Made once per path and kept with the tree (which the parse cache shares), not
        again for every instance of every call of the module: 45,000 locations on
        the corpus's Bicep files, whose scan now takes 4% less CPU time."""
        if path not in self._parameter_places:
            self._parameter_places[path] = {s.name: Location(path, s.line, s.column) for s in self.statements if s.kind == "param"}
        return self._parameter_places[path]


def parse(text: str) -> BicepFile:
    """Parse a Bicep file. Raises ParseError, with the line, on invalid syntax."""
    comments: list[Comment] = []
    tokens, _ = _Tokenizer(text, comments).tokens(0, 1, 0, nested=False)
    parser = _Parser(tokens)
    statements = parser.file()
    return BicepFile(statements, comments, parser.spans)


parsed_files = ParseCache(parse)  # the scanned file, and the same file read as a module


class _Tokenizer:
    def __init__(self, text: str, comments: list[Comment]):
        self.text = text
        self.comments = comments

    def tokens(self, position: int, line: int, line_start: int, nested: bool) -> tuple[list[Token], tuple[int, int, int]]:
        """Tokens from `position` to the end, or, when `nested` (inside `${`), to the
        `}` that closes the interpolation; returns them with where scanning stopped."""
        text, found = self.text, []
        append = found.append
        depth = 0
        while True:  # one pass of the regex up to each string with interpolations
            for match in _TOKEN.finditer(text, position):
                group = match.lastindex
                # The kinds by how often they come (operators, names, new lines, strings).
                if group == _OP:
                    value = match[_OP]
                    if nested:
                        if value == "}" and depth == 0:
                            return found, (match.end(), line, line_start)
                        if value in _CLOSING:
                            depth += 1
                        elif value in ")]}":
                            depth -= 1
                    append(("op", value, line, match.start(_OP) - line_start + 1, line))
                elif group == _NAME:
                    append(("name", match[_NAME], line, match.start(_NAME) - line_start + 1, line))
                elif group == _NL:
                    append(("nl", "\n", line, match.start(_NL) - line_start + 1, line))
                    line, line_start = line + match[_NL].count("\n"), match.end()
                elif group == _PLAIN:
                    raw = match[_PLAIN][1:-1]
                    append(("string", [_ESCAPE.sub(_unescape, raw) if "\\" in raw else raw], line, match.start(_PLAIN) - line_start + 1, line))
                elif group == _NUMBER:
                    append(("number", number_literal(match[_NUMBER], line), line, match.start(_NUMBER) - line_start + 1, line))
                elif group == _COMMENT:
                    comment, start = match[_COMMENT], match.start(_COMMENT)
                    column = start - line_start + 1
                    self.comments.append(Comment(line, column, comment.rstrip(), alone_on_line(text, line_start, start)))
                    if comment.startswith("/*") and (len(comment) < 4 or not comment.endswith("*/")):
                        raise ParseError("unterminated comment", line, column)
                    newlines = comment.count("\n")
                    if newlines:
                        line, line_start = line + newlines, start + comment.rfind("\n") + 1
                elif group == _MULTILINE:
                    token, line, line_start = self.multiline(match, line, line_start)
                    append(token)
                elif group == _STRING:  # a string with interpolations, or an unterminated one
                    token, (position, line, line_start) = self.string(match.start(_STRING), line, line_start)
                    append(token)
                    break  # the regex starts again after the string
                elif group == _END:
                    position = match.start(_END)
                    if nested:
                        raise ParseError("unterminated interpolation", line, position - line_start + 1)
                    append(("eof", None, line, position - line_start + 1, line))
                    return found, (position, line, line_start)
                elif group == _OTHER:
                    raise ParseError(f"unexpected character {match[_OTHER]!r}", line, match.start(_OTHER) - line_start + 1)
                # a pragma (`#disable-next-line BCP081` and the like) is skipped

    def multiline(self, match: re.Match, line: int, line_start: int) -> tuple[Token, int, int]:
        """A `'''` string: no escapes. With a `$` prefix it may interpolate; its value
        is then left unknown rather than parsed. Returns the token and the line and
        line start where it ends."""
        raw, start = match[_MULTILINE], match.start(_MULTILINE)
        column = start - line_start + 1
        if not raw.endswith("'''") or len(raw) < 6 + raw.index("'"):
            raise ParseError("unterminated multi-line string", line, column)
        dollars = raw.index("'")
        body = raw[dollars + 3:-3]
        newlines = raw.count("\n")
        end_line = line + newlines
        if newlines:
            line_start = start + raw.rfind("\n") + 1
        interpolated = dollars and "$" * dollars + "{" in body
        parts: list = [Node("unknown", line, column, "interpolated multi-line string")] if interpolated else [body.removeprefix("\r\n").removeprefix("\n")]
        return ("string", parts, line, column, end_line), end_line, line_start

    def string(self, position: int, line: int, line_start: int) -> tuple[Token, tuple[int, int, int]]:
        """A quoted string with `${...}` interpolations, each parsed as an expression."""
        text = self.text
        start_line, column = line, position - line_start + 1
        parts: list = []
        literal: list[str] = []
        index = position + 1
        while True:
            if index >= len(text) or text[index] == "\n":
                raise ParseError("unterminated string", start_line, column)
            char = text[index]
            if char == "'":
                break
            if char == "\\":
                escape = _ESCAPE.match(text, index)
                if escape is None:
                    raise ParseError("unterminated string", start_line, column)
                literal.append(_unescape(escape))
                index = escape.end()
            elif text.startswith("${", index):
                if literal:
                    parts.append("".join(literal))
                    literal = []
                name = _INTERPOLATED_NAME.match(text, index + 2)
                if name is not None:  # `${name}`, most interpolations: no tokens and parser of its own
                    parts.append(_named(name[1], line, index + 3 - line_start))
                    index = name.end()
                    continue
                inner, (index, line, line_start) = self.tokens(index + 2, line, line_start, nested=True)
                inner.append(("eof", "}", line, index - line_start, line))  # the interpolation's end
                parser = _Parser(inner)
                parts.append(parser.expression_only())
            else:  # the text up to the next quote, escape, `$` or end of line, at once
                run = _LITERAL_RUN.match(text, index)
                literal.append(run[0] if run is not None else char)
                index = run.end() if run is not None else index + 1
        if literal or not parts:
            parts.append("".join(literal))
        return ("string", parts, start_line, column, line), (index + 1, line, line_start)


def _unescape(match: re.Match) -> str:
    escape = match.group(1)
    if escape.startswith("u{"):
        try:
            return chr(int(escape[2:-1], 16))
        except (ValueError, OverflowError):
            return escape
    return _ESCAPES.get(escape, escape)


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.position = 0
        self.spans: dict[int, int] = {}
        self.last_line = 1  # end line of the last token taken
        self.newlines_are_space = 0  # inside parentheses

    # -- tokens --------------------------------------------------------------------

    def peek(self) -> Token:
        if self.newlines_are_space:
            while self.tokens[self.position][KIND] == "nl":
                self.position += 1
        return self.tokens[self.position]

    def peek_after_newlines(self) -> Token:
        index = self.position
        while self.tokens[index][KIND] == "nl":
            index += 1
        return self.tokens[index]

    # `at`, `take` and `expect` look at the next token as `peek` does, written out, and
    # the hot paths below (`object`, `call`, `postfix`, `end_of_item`) take a token
    # they have looked at without looking again: for the 1.25 million tokens of the
    # corpus's Bicep files `peek` was called 2.83 million times, now 1.40 million, and
    # their parse (tokenizer and parser) took 1.152 s, now 1.107 s.

    def at(self, value: str) -> bool:
        if self.newlines_are_space:
            self.skip_newlines()
        token = self.tokens[self.position]
        return token[VALUE] == value and token[KIND] == "op"

    def at_name(self, value: str) -> bool:
        token = self.peek()
        return token[KIND] == "name" and token[VALUE] == value

    def take(self) -> Token:
        if self.newlines_are_space:
            self.skip_newlines()
        token = self.tokens[self.position]
        if token[KIND] == "eof":
            raise ParseError("unexpected end of file", token[LINE], token[COLUMN])
        self.position += 1
        self.last_line = token[END_LINE]
        return token

    def expect(self, value: str) -> Token:
        if self.newlines_are_space:
            self.skip_newlines()
        token = self.tokens[self.position]
        if token[VALUE] != value or token[KIND] not in ("op", "name"):
            raise ParseError(f"expected {value!r}, found {_describe(token)}", token[LINE], token[COLUMN])
        self.position += 1
        self.last_line = token[END_LINE]
        return token

    def expect_kind(self, kind: str, what: str) -> Token:
        token = self.peek()
        if token[KIND] != kind:
            raise ParseError(f"expected {what}, found {_describe(token)}", token[LINE], token[COLUMN])
        return self.take()

    def skip_newlines(self) -> None:
        while self.tokens[self.position][KIND] == "nl":
            self.position += 1

    def end_of_statement(self) -> None:
        token = self.tokens[self.position]
        if token[KIND] not in ("nl", "eof"):
            raise ParseError(f"expected a new line, found {_describe(token)}", token[LINE], token[COLUMN])

    # -- statements ----------------------------------------------------------------

    def file(self) -> list[Statement]:
        statements = []
        while True:
            self.skip_newlines()
            if self.tokens[self.position][KIND] == "eof":
                _alias_nullable(statements)
                return statements
            statement = self.statement()
            if statement is not None:
                statements.append(statement)
            self.end_of_statement()

    def statement(self) -> Statement | None:
        first = self.peek()
        decorators = self.decorators()
        token = self.expect_kind("name", "a declaration")
        keyword = token[VALUE]
        handler = _STATEMENTS.get(keyword)
        if handler is None:
            raise ParseError(f"unknown declaration {keyword!r}", token[LINE], token[COLUMN])
        statement = handler(self, token)
        self.spans[first[LINE]] = self.last_line
        if statement is not None:
            statement.decorators = decorators
            statement.line, statement.column = token[LINE], token[COLUMN]
            statement.end_line = self.last_line
        return statement

    def decorators(self) -> list[Node]:
        found = []
        while self.at("@"):
            self.take()
            found.append(self.postfix(self.primary()))
            self.skip_newlines()
        return found

    def _declared_name(self) -> str:
        return self.expect_kind("name", "a name")[VALUE]

    def _param(self, token: Token) -> Statement:
        name = self._declared_name()
        nullable, named = False, None
        if not self.at("="):
            start = self.position
            nullable, named = self.typed(self.skip_type(stop_at_equals=True), start)  # `string?`, `'a' | null`: null when not given
        default = None
        if self.at("="):
            self.take()
            default = self.expression()
        return Statement("param", name, 0, 0, 0, default, target=named, nullable=nullable)

    def _var(self, token: Token) -> Statement:
        name = self._declared_name()
        if not self.at("="):
            self.skip_type(stop_at_equals=True)
        self.expect("=")
        return Statement("var", name, 0, 0, 0, self.expression())

    def _output(self, token: Token) -> Statement:
        name = self._declared_name()
        self.skip_type(stop_at_equals=True)
        self.expect("=")
        return Statement("output", name, 0, 0, 0, self.expression())

    def _metadata(self, token: Token) -> None:
        self._declared_name()
        self.expect("=")
        self.expression()

    _assert = _metadata

    def _targetScope(self, token: Token) -> None:
        self.expect("=")
        self.expression()

    def _type(self, token: Token) -> Statement:
        name = self._declared_name()
        self.expect("=")
        start = self.position
        nullable, named = self.typed(self.skip_type(stop_at_equals=False), start)
        return Statement("type", name, 0, 0, 0, target=named, nullable=nullable)

    def typed(self, with_null: bool, start: int) -> tuple[bool, str | None]:
        """Of the type expression just stepped over from `start` (`skip_type`, which
        said whether `null` is among its members): whether it is nullable, and the
        type it names when it is one name (an alias, perhaps of a nullable type)."""
        written = [token for token in self.tokens[start:self.position] if token[KIND] != "nl"]
        last = written[-1] if written else None
        nullable = with_null or (last is not None and last[KIND] == "op" and last[VALUE] == "?")
        return nullable, written[0][VALUE] if len(written) == 1 and written[0][KIND] == "name" else None

    def _func(self, token: Token) -> Statement:
        """`func name(a string, b int) string => body`: a lambda named `name`."""
        name = self._declared_name()
        start = self.position
        self.skip_balanced("(")
        names, depth = [], 0
        tokens = [token for token in self.tokens[start:self.position] if token[KIND] != "nl"]
        for previous, current in zip(tokens, tokens[1:]):
            if previous[KIND] == "op" and previous[VALUE] in _CLOSING:
                depth += 1
            elif previous[KIND] == "op" and previous[VALUE] in ")]}":
                depth -= 1
            if depth == 1 and current[KIND] == "name" and previous[KIND] == "op" and previous[VALUE] in ("(", ","):
                names.append(current[VALUE])  # a parameter's name opens the list or follows a comma
        self.skip_type(stop_at_equals=False, stop_at_arrow=True)
        self.expect("=>")
        self.skip_newlines()
        body = self.expression()
        return Statement("func", name, 0, 0, 0, Node("lambda", token[LINE], token[COLUMN], names, [body], self.last_line))

    def _import(self, token: Token) -> Statement | None:
        """`import {a, b as c} from 'x'` (the value lists each name with the name it
        takes here) and `import * as x from 'x'` (the statement is named `x`); an
        extension's `import 'az@1.0'` declares nothing that is evaluated."""
        if not (self.at("{") or self.at("*")):
            self.skip_type(stop_at_equals=False)
            return None
        names, namespace = [], ""
        if self.at("*"):
            self.take()
            self.expect("as")
            namespace = self._declared_name()
        else:
            self.take()
            self.newlines_are_space += 1
            while not self.at("}"):
                name = self.expect_kind("name", "an imported name")[VALUE]
                alias = name
                if self.at_name("as"):
                    self.take()
                    alias = self._declared_name()
                names.append((name, alias))
                if self.at(","):  # or a new line
                    self.take()
            self.newlines_are_space -= 1
            self.take()
        self.expect("from")
        source = self.expect_kind("string", "the file imported from")
        return Statement("import", namespace, 0, 0, 0, Node("import", token[LINE], token[COLUMN], names), _plain(source), target_at=(source[LINE], source[COLUMN]))

    def _extension(self, token: Token) -> None:
        self.skip_type(stop_at_equals=False)

    _provider = _extension

    def _using(self, token: Token) -> Statement:
        path = self.peek()
        if path[KIND] == "string":
            self.take()
            target = _plain(path)
        else:
            self.expect("none")
            target = None
        if self.at_name("with"):
            self.take()
            self.expression()
        return Statement("using", "", 0, 0, 0, target=target)

    def _resource(self, token: Token) -> Statement:
        name = self._declared_name()
        type_token = self.expect_kind("string", "a resource type")
        resource_type = _plain(type_token)
        existing = self.at_name("existing")
        if existing:
            self.take()
        self.expect("=")
        return Statement("resource", name, 0, 0, 0, self.body(), resource_type, existing)

    def _module(self, token: Token) -> Statement:
        name = self._declared_name()
        path = self.expect_kind("string", "a module path")
        self.expect("=")
        return Statement("module", name, 0, 0, 0, self.body(), _plain(path), target_at=(path[LINE], path[COLUMN]))

    def _test(self, token: Token) -> None:
        self._module(token)

    def body(self) -> Node:
        """A resource or module body: an object, `if (...) {...}` or a `for` loop."""
        token = self.peek()
        if token[KIND] == "name" and token[VALUE] == "if":
            return self.condition()
        return self.expression()

    def condition(self) -> Node:
        token = self.take()
        self.expect("(")
        self.newlines_are_space += 1
        test = self.expression()
        self.newlines_are_space -= 1
        self.expect(")")
        return Node("if", token[LINE], token[COLUMN], items=[test, self.expression()], end_line=self.last_line)

    # -- types ---------------------------------------------------------------------

    def skip_type(self, stop_at_equals: bool, stop_at_arrow: bool = False) -> bool:
        """Step over a type expression (or an import clause): up to `=` (or `=>`) or
        the end of the line, brackets balanced. A line that starts with `|` continues
        a union type. Returns whether `null` is one of the type's own members
        (`'a' | 'b' | null`; not `(string | null)[]`, whose items may be null)."""
        with_null = False
        while True:
            token = self.tokens[self.position]
            if token[KIND] == "eof":
                return with_null
            if token[KIND] == "nl":
                following = self.peek_after_newlines()
                if following[KIND] == "op" and following[VALUE] == "|":
                    self.skip_newlines()
                    continue
                return with_null
            if token[KIND] == "op":
                if (stop_at_equals and token[VALUE] == "=") or (stop_at_arrow and token[VALUE] == "=>"):
                    return with_null
                if token[VALUE] in _CLOSING:
                    self.skip_balanced(token[VALUE])
                    continue
                if token[VALUE] in ")]}":
                    raise ParseError(f"unexpected {token[VALUE]!r}", token[LINE], token[COLUMN])
            with_null = with_null or (token[KIND] == "name" and token[VALUE] == "null")
            self.take()

    def skip_balanced(self, opening: str) -> None:
        start = self.expect(opening)
        closing, depth = _CLOSING[opening], 1
        while depth:
            token = self.tokens[self.position]
            if token[KIND] == "eof":
                raise ParseError(f"{opening!r} is never closed", start[LINE], start[COLUMN])
            if token[KIND] == "op":
                if token[VALUE] in _CLOSING:
                    depth += 1
                elif token[VALUE] in ")]}":
                    depth -= 1
                    if depth == 0 and token[VALUE] != closing:
                        raise ParseError(f"{opening!r} closed by {token[VALUE]!r}", token[LINE], token[COLUMN])
            self.position += 1
            self.last_line = token[END_LINE]

    # -- expressions ---------------------------------------------------------------

    def expression_only(self) -> Node:
        """The whole token list as one expression (an interpolation)."""
        self.newlines_are_space += 1
        node = self.expression()
        token = self.peek()
        if token[KIND] != "eof":
            raise ParseError(f"unexpected {_describe(token)} in interpolation", token[LINE], token[COLUMN])
        return node

    def expression(self) -> Node:
        token = self.peek()
        if token[KIND] in _PRIMARY_KINDS and self.value_ends(self.position + 1):
            return self.primary()  # a lone name, string or number: most values are
        # Only `x =>` and `(` may start a lambda: `maybe_lambda` was called for 104,136
        # expressions of the corpus's Bicep files to find 425 lambdas, now for 2,739
        # (their parse took 1.107 s, and takes 1.075 s with the statements' table below).
        if (token[KIND] == "name" and self.tokens[self.position + 1][VALUE] == "=>") or (token[KIND] == "op" and token[VALUE] == "("):
            lambda_node = self.maybe_lambda()
            if lambda_node is not None:
                return lambda_node
        condition = self.binary(1)
        if self.continues("?"):
            self.take()
            self.skip_newlines()
            then = self.expression()
            if not self.continues(":"):
                token = self.peek()
                raise ParseError(f"expected ':', found {_describe(token)}", token[LINE], token[COLUMN])
            self.take()
            self.skip_newlines()
            otherwise = self.expression()
            return Node("ternary", condition.line, condition.column, items=[condition, then, otherwise], end_line=self.last_line)
        return condition

    def value_ends(self, index: int) -> bool:
        """True when the token at `index` ends the expression before it, so that the
        expression is that one value: a closing bracket, a comma or colon, the end,
        or a new line that no operator continues."""
        token = self.tokens[index]
        if token[KIND] == "op":
            return token[VALUE] in _ENDS_VALUE
        if token[KIND] == "nl" and not self.newlines_are_space:
            while token[KIND] == "nl":
                index += 1
                token = self.tokens[index]
            return not (token[KIND] == "op" and token[VALUE] in _CONTINUES)
        return token[KIND] == "eof"

    def continues(self, operator: str) -> bool:
        """True when the next token is `operator`, on this line or starting the next."""
        token = self.peek()
        if token[KIND] == "nl" and operator in _CONTINUES:
            following = self.peek_after_newlines()
            if following[KIND] == "op" and following[VALUE] == operator:
                self.skip_newlines()
                return True
            return False
        return token[KIND] == "op" and token[VALUE] == operator

    def maybe_lambda(self) -> Node | None:
        """`x => ...`, `(x, y) => ...` or `() => ...`; None when not a lambda."""
        tokens, start = self.tokens, self.position
        if self.newlines_are_space:
            self.peek()
            start = self.position
        first = tokens[start]
        if first[KIND] == "name" and tokens[start + 1][KIND] == "op" and tokens[start + 1][VALUE] == "=>":
            self.position = start + 2
            names = [first[VALUE]]
        elif first[KIND] == "op" and first[VALUE] == "(":
            index = start + 1
            while tokens[index][KIND] in ("name", "nl") or (tokens[index][KIND] == "op" and tokens[index][VALUE] == ","):
                index += 1
            if not (tokens[index][VALUE] == ")" and tokens[index + 1][VALUE] == "=>" and tokens[index][KIND] == "op"):
                return None
            names = [token[VALUE] for token in tokens[start + 1:index] if token[KIND] == "name"]
            self.position = index + 2
        else:
            return None
        self.skip_newlines()
        body = self.expression()
        return Node("lambda", first[LINE], first[COLUMN], names, [body], self.last_line)

    def binary(self, minimum: int) -> Node:
        left = self.unary()
        while True:
            token = self.peek()
            if token[KIND] == "nl":
                following = self.peek_after_newlines()
                if following[KIND] == "op" and following[VALUE] in _CONTINUES and following[VALUE] in _PRECEDENCE:
                    token = following
                else:
                    return left
            if token[KIND] != "op":
                return left
            precedence = _PRECEDENCE.get(token[VALUE])
            if precedence is None or precedence < minimum:
                return left
            self.skip_newlines()
            self.take()
            self.skip_newlines()
            right = self.binary(precedence + 1)
            left = Node("binary", left.line, left.column, token[VALUE], [left, right], self.last_line)

    def unary(self) -> Node:
        token = self.peek()
        if token[KIND] == "op" and token[VALUE] in ("!", "-", "+"):
            self.take()
            operand = self.unary()
            return Node("unary", token[LINE], token[COLUMN], token[VALUE], [operand], self.last_line)
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            token = self.peek()
            if token[KIND] != "op":
                return node
            value = token[VALUE]
            if value in (".", ".?", "::"):
                self.position += 1
                member = self.peek()
                if member[KIND] != "name":
                    raise ParseError(f"expected a property name, found {_describe(member)}", member[LINE], member[COLUMN])
                self.position += 1
                self.last_line = member[END_LINE]
                if value == "." and self.at("("):
                    # A namespaced function (`sys.concat`) or a resource's own (`vault.getSecret`).
                    node = self.call(f"{node.value if node.kind == 'name' else ''}.{member[VALUE]}", node, token)
                    continue
                kind = {".": "member", ".?": "safe_member", "::": "resource_access"}[value]
                node = Node(kind, node.line, node.column, member[VALUE], [node], self.last_line)
            elif value == "[":
                self.take()
                self.newlines_are_space += 1
                safe = self.at("?")
                if safe:
                    self.take()
                index = self.expression()
                self.newlines_are_space -= 1
                self.expect("]")
                node = Node("safe_index" if safe else "index", node.line, node.column, None, [node, index], self.last_line)
            elif value == "!" and self.tokens[self.position][KIND] == "op":  # non-null assertion, same line
                self.take()
                node = Node("non_null", node.line, node.column, None, [node], self.last_line)
            else:
                return node

    def call(self, name: str, callee: Node, token: Token) -> Node:
        arguments = []
        self.expect("(")
        self.newlines_are_space += 1
        token = self.peek()
        while not (token[KIND] == "op" and token[VALUE] == ")"):
            arguments.append(self.expression())
            token = self.peek()
            if not (token[KIND] == "op" and token[VALUE] == ")"):
                self.expect(",")
                token = self.peek()
        self.newlines_are_space -= 1
        self.position += 1  # the `)`, new lines before it skipped
        self.last_line = token[END_LINE]
        return Node("call", callee.line, callee.column, name, arguments, self.last_line)

    def primary(self) -> Node:
        token = self.peek()
        kind, value = token[KIND], token[VALUE]
        if kind in _PRIMARY_KINDS:  # taken here: `take` would peek at it again (the parse floor: 1.17 -> 1.11 s)
            self.position += 1
            self.last_line = token[END_LINE]
            if kind == "name":
                node = _named(value, token[LINE], token[COLUMN])
                if node.kind == "name" and self.at("("):
                    return self.call(value, node, token)
                return node
            if kind == "string":
                plain = _plain(token)
                if plain is not None:
                    return Node("literal", token[LINE], token[COLUMN], plain, (), token[END_LINE])
                return Node("string", token[LINE], token[COLUMN], None, value, token[END_LINE])
            return Node("literal", token[LINE], token[COLUMN], value, (), token[LINE])
        if kind == "op":
            if value == "{":
                return self.object()
            if value == "[":
                return self.array()
            if value == "(":
                self.take()
                self.newlines_are_space += 1
                inner = self.expression()
                self.newlines_are_space -= 1
                self.expect(")")
                return inner
        raise ParseError(f"expected a value, found {_describe(token)}", token[LINE], token[COLUMN])

    def object(self) -> Node:
        start = self.take()
        saved, self.newlines_are_space = self.newlines_are_space, 0
        tokens, properties = self.tokens, []
        while True:
            self.skip_newlines()
            token = tokens[self.position]
            if token[KIND] == "op" and token[VALUE] == "}":
                break
            first_line = token[LINE]
            decorators = []
            if token[VALUE] == "@":  # legal before nested resources only; kept for syntax
                decorators = self.decorators()
                token = self.peek()
            if token[KIND] == "op" and token[VALUE] == "...":
                self.take()
                spread = self.expression()
                properties.append(Property(None, token[LINE], token[COLUMN], Node("spread", token[LINE], token[COLUMN], items=[spread]), spread.line, spread.column))
            elif token[KIND] == "name" and token[VALUE] == "resource" and self.tokens[self.position + 1][KIND] == "name":
                nested = self.statement_at(token, decorators)
                properties.append(Property(None, token[LINE], token[COLUMN], nested, token[LINE], token[COLUMN]))
            else:
                key = self.property_key()
                self.expect(":")
                value_token = tokens[self.position]
                value = self.expression()
                properties.append(Property(key, token[LINE], token[COLUMN], value, value_token[LINE], value_token[COLUMN]))
            self.spans[first_line] = self.last_line
            self.end_of_item("}", "a property")
        self.position += 1  # the `}`
        self.last_line = token[END_LINE]
        self.newlines_are_space = saved
        return Node("object", start[LINE], start[COLUMN], None, properties, self.last_line)

    def end_of_item(self, closing: str, what: str) -> None:
        """Object properties and array items end with a comma, a new line, or the
        closing bracket."""
        token = self.tokens[self.position]  # new lines are not space in an object or array
        if token[KIND] == "op" and token[VALUE] == ",":
            self.position += 1
            self.last_line = token[END_LINE]
        elif token[KIND] != "nl" and not (token[KIND] == "op" and token[VALUE] == closing):
            raise ParseError(f"expected a new line or ',' after {what}, found {_describe(token)}", token[LINE], token[COLUMN])

    def statement_at(self, token: Token, decorators: list[Node]) -> Statement:
        self.take()
        statement = self._resource(token)
        statement.line, statement.column, statement.end_line = token[LINE], token[COLUMN], self.last_line
        statement.decorators = decorators
        return statement

    def property_key(self) -> Any:
        token = self.take()
        if token[KIND] == "name":
            return token[VALUE]
        if token[KIND] == "string":
            plain = _plain(token)
            if plain is not None:
                return plain
            return Node("string", token[LINE], token[COLUMN], None, token[VALUE], token[END_LINE])
        raise ParseError(f"expected a property name, found {_describe(token)}", token[LINE], token[COLUMN])

    def array(self) -> Node:
        start = self.take()
        saved, self.newlines_are_space = self.newlines_are_space, 0
        self.skip_newlines()
        if self.at_name("for") and self.tokens[self.position + 1][KIND] in ("name", "op"):
            node = self.loop(start)
            self.newlines_are_space = saved
            return node
        items = []
        while True:
            self.skip_newlines()
            if self.at("]"):
                break
            token = self.peek()
            if token[KIND] == "op" and token[VALUE] == "...":
                self.take()
                item = Node("spread", token[LINE], token[COLUMN], items=[self.expression()])
            else:
                item = self.expression()
            self.spans[token[LINE]] = self.last_line
            items.append(item)
            self.end_of_item("]", "an item")
        self.take()
        self.newlines_are_space = saved
        return Node("array", start[LINE], start[COLUMN], None, items, self.last_line)

    def loop(self, start: Token) -> Node:
        """`[for item in items: body]`, `[for (item, i) in items: if (c) body]`."""
        self.take()
        self.newlines_are_space += 1
        names = []
        if self.at("("):
            self.take()
            while not self.at(")"):
                names.append(self._declared_name())
                if not self.at(")"):
                    self.expect(",")
            self.take()
        else:
            names.append(self._declared_name())
        self.expect("in")
        iterable = self.expression()
        self.expect(":")
        self.newlines_are_space -= 1
        self.skip_newlines()
        body = self.body()
        self.skip_newlines()
        self.expect("]")
        return Node("for", start[LINE], start[COLUMN], names, [iterable, body], self.last_line)


def _alias_nullable(statements: list[Statement]) -> None:
    """Make nullable each param and `type` whose type names a nullable `type` of the
    file, through aliases of aliases (declared in any order; a cycle of aliases,
    which Bicep refuses, ends the search). What each alias comes to is worked out
    once: a file of a chain of 8,000 aliases, each walked to its end, took 3 s to
    parse, and the time grew with the square of the chain."""
    types = {statement.name: statement for statement in statements if statement.kind == "type"}
    known: dict[str, bool] = {}  # a type's name -> whether it is nullable, aliases followed
    for statement in statements:
        if statement.kind not in ("param", "type") or statement.nullable:
            continue
        chain: dict[str, None] = {}  # the aliases walked through, in order (a set that keeps it)
        named = statement.target
        while named in types and named not in known and named not in chain and not types[named].nullable:
            chain[named] = None
            named = types[named].target
        nullable = known.get(named, named in types and types[named].nullable)
        known.update(dict.fromkeys(chain, nullable))
        statement.nullable = nullable


# The parser's method for each declaration keyword, looked up once here rather than by
# name for every statement.
_STATEMENTS = {keyword: getattr(_Parser, f"_{keyword}") for keyword in (
    "param", "var", "output", "metadata", "assert", "targetScope", "type", "func", "import", "extension", "provider", "using", "resource", "module", "test")}
_LITERALS = {"true": True, "false": False, "null": None}


def _named(name: str, line: int, column: int) -> Node:
    """A name read as a value: `true`, `false` and `null` are literals."""
    if name in _LITERALS:
        return Node("literal", line, column, _LITERALS[name], (), line)
    return Node("name", line, column, name, (), line)


def _plain(token: Token) -> str | None:
    """The text of a string without interpolations; None for an interpolated one."""
    parts = token[VALUE]
    return parts[0] if len(parts) == 1 and isinstance(parts[0], str) else None


def _describe(token: Token) -> str:
    if token[KIND] == "eof":
        return "'}'" if token[VALUE] == "}" else "the end of the file"
    if token[KIND] == "nl":
        return "a new line"
    if token[KIND] == "string":
        return "a string"
    return repr(str(token[VALUE]))
