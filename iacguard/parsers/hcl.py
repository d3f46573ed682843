"""HCL (Terraform) parsing with positions on every attribute, block and expression.

Uses the tree-sitter HCL grammar rather than python-hcl2: on the 1,564 `.tf` files of
the shared corpus it parses 6.2 MB/s against 0.18 MB/s, with no file failing and
positions on every node (python-hcl2 keeps them only in private metadata). The
concrete tree is turned into the small expression model below, which the evaluator
interprets. Nothing is executed.
"""

from __future__ import annotations

import re
from typing import Any

from iacguard import structs
from iacguard.budgets import number_literal
from iacguard.errors import ParseError
from iacguard.formats import Comment, alone_on_line
from iacguard.lazy import regex
from iacguard.structs import field, struct

_PARSER = None
_COMMENTS = None  # a query for the comment nodes, run in the library rather than a walk of every node in Python


def _parser():
    global _PARSER, _COMMENTS
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_hcl

        language = tree_sitter.Language(tree_sitter_hcl.language())
        _PARSER = tree_sitter.Parser(language)
        _COMMENTS = tree_sitter.Query(language, "(comment) @comment")
    return _PARSER


def _comment_nodes(root) -> list:
    """The comment nodes under `root`, in the order they are written."""
    import tree_sitter

    _parser()
    return sorted(tree_sitter.QueryCursor(_COMMENTS).captures(root).get("comment", ()), key=lambda node: node.start_byte)


@struct(slots=True)
class Expr:
    """Base of expressions; positions are 1-based, the end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@struct(slots=True)
class Literal(Expr):
    value: Any = None


@struct(slots=True)
class Template(Expr):
    parts: list = field(default_factory=list)  # str or Expr


@struct(slots=True)
class TupleExpr(Expr):
    items: list = field(default_factory=list)


@struct(slots=True)
class ObjectExpr(Expr):
    items: list = field(default_factory=list)  # (key Expr, value Expr)


@struct(slots=True)
class Traversal(Expr):
    """`root.step[step]...`: steps are attribute names (str), index Exprs, or a
    `Splat`."""

    root: str = ""
    steps: list = field(default_factory=list)


@struct(slots=True)
class Splat:
    """A splat step (`[*]`, `.*`): `steps` apply to each element of the collection,
    the steps after it in the traversal to the list of results."""

    steps: list = field(default_factory=list)


@struct(slots=True)
class Postfix(Expr):
    """Steps (as in `Traversal`) taken from a value that is not a name:
    `split(",", x)[0]`, `{ a = 1 }[var.key]`."""

    base: Expr | None = None
    steps: list = field(default_factory=list)


@struct(slots=True)
class ForExpr(Expr):
    """`[for k, v in coll : value if cond]`, or with `key => value` (and `...` to
    group) inside braces: `key` is None for the list form."""

    key_name: str | None = None
    value_name: str = ""
    collection: Expr | None = None
    key: Expr | None = None
    value: Expr | None = None
    condition: Expr | None = None
    grouping: bool = False


@struct(slots=True)
class Call(Expr):
    """`name(args)`; with `expand` (`f(a, list...)`) the last argument is a list whose
    elements are the call's last arguments."""

    name: str = ""
    args: list = field(default_factory=list)
    expand: bool = False


@struct(slots=True)
class Conditional(Expr):
    condition: Expr | None = None
    then: Expr | None = None
    otherwise: Expr | None = None


@struct(slots=True)
class Operation(Expr):
    operator: str = ""
    operands: list = field(default_factory=list)


@struct(slots=True)
class Opaque(Expr):
    """An expression the evaluator does not interpret (a template with directives);
    it always evaluates to Unknown."""

    text: str = ""


# `path` on an attribute or a block: the file that wrote it, when that is not the file
# of the top-level block holding it (None). Only a Terraform override file's part,
# merged into another file's block, has one (`iacguard.evaluators.terraform_overrides`).


@struct(slots=True)
class Attribute:
    name: str
    value: Expr
    line: int
    column: int
    end_line: int
    path: str | None = None


@struct(slots=True)
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int
    column: int
    end_line: int
    path: str | None = None


@struct(slots=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> list[Block]:
        return [block for block in self.blocks if block.type == block_type]


@struct
class HclFile:
    body: Body
    comments: list[Comment]
    spans: dict[int, int]


def parse(text: str) -> HclFile:
    """Parse HCL text. Raises ParseError at the first syntax error."""
    source = text.encode("utf-8")
    root = _parser().parse(source).root_node
    if root.has_error:  # perhaps only a number the grammar refuses: read it again without them
        readable = _BARE_EXPONENT.sub(lambda number: b"_" * len(number.group()), source)
        root = _parser().parse(readable).root_node if readable != source else root
    reader = _Reader(source)
    if root.has_error:
        error = _first_error(root)
        raise ParseError(f"syntax error near {_text(source, error)[:40]!r}", error.start_point.row + 1, reader.col(error.start_point))
    body_node = next((child for child in root.children if child.type == "body"), None)
    body = reader.body(body_node) if body_node is not None else Body()
    return HclFile(body, reader.comments(root), reader.spans)


# The grammar reads an exponent only after a fraction (`1.5e9`, not `1e9`): in a file it
# refuses, each number written so is parsed as a name of its length, so that every
# column stays, and read back from the source as the number it writes. (In a string or
# a comment the name changes nothing: their text is read from the source too.) Files
# the grammar reads, nearly all, are not searched for them.
_BARE_EXPONENT = regex(rb"(?<![\w.])[0-9]+[eE][+-]?[0-9]+(?![\w.])")


def _first_error(node):
    stack = [node]
    while stack:
        current = stack.pop(0)
        if current.type == "ERROR" or current.is_missing:
            return current
        stack[0:0] = [child for child in current.children if child.has_error or child.is_missing or child.type == "ERROR"]
    return node


def _text(source: bytes, node) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


class _Reader:
    def __init__(self, source: bytes):
        self.source = source
        self.ascii = source.isascii()
        self.spans: dict[int, int] = {}
        self.line_starts = [0, *(newline.end() for newline in re.finditer(b"\n", source))]

    def position(self, node) -> tuple[int, int, int, int]:
        start, end = node.start_point, node.end_point
        return start.row + 1, self.col(start), end.row + 1, self.col(end)

    def col(self, point) -> int:
        if self.ascii:
            return point.column + 1
        line_start = self.line_starts[point.row]
        return len(self.source[line_start : line_start + point.column].decode("utf-8", errors="replace")) + 1

    def body(self, node) -> Body:
        body = Body()
        for child in node.children:
            if child.type == "attribute":
                name_node = child.children[0]
                expression = next(c for c in child.children if c.type == "expression")
                line, column, end_line, _ = self.position(child)
                body.attributes[_text(self.source, name_node)] = Attribute(
                    _text(self.source, name_node), self.expression(expression), line, column, end_line
                )
                self.spans[line] = max(self.spans.get(line, line), end_line)
            elif child.type == "block":
                body.blocks.append(self.block(child))
        return body

    def block(self, node) -> Block:
        block_type, labels, inner = "", [], None
        for child in node.children:
            if child.type == "identifier" and not block_type:
                block_type = _text(self.source, child)
            elif child.type == "string_lit":
                labels.append(self.string(child))
            elif child.type == "identifier":
                labels.append(_text(self.source, child))
            elif child.type == "body":
                inner = child
        line, column, end_line, _ = self.position(node)
        self.spans[line] = max(self.spans.get(line, line), end_line)
        return Block(block_type, labels, self.body(inner) if inner is not None else Body(), line, column, end_line)

    def string(self, node) -> str:
        """The text between a string's quotes, escapes as written. (The grammar's
        literal tokens leave out white space at their ends, so the text is taken
        from the source.)"""
        return self.source[node.children[0].end_byte : node.children[-1].start_byte].decode("utf-8")

    def template_parts(self, node, start: int, end: int, literal) -> list | None:
        """The parts of the template `node` whose text runs from byte `start` to `end`:
        the literal text between interpolations, read by `literal`, and the
        interpolations' expressions; None when it holds a directive (`%{ }`)."""
        parts: list = []
        offset = start
        for child in node.children:
            if child.type == "template_directive":
                return None
            if child.type == "template_interpolation":
                parts.append(literal(self.source[offset : child.start_byte].decode("utf-8")))
                inner = next((c for c in child.children if c.type == "expression"), None)
                parts.append(self.expression(inner) if inner is not None else Opaque(*self.position(child), text=""))
                offset = child.end_byte
        parts.append(literal(self.source[offset:end].decode("utf-8")))
        return [part for part in parts if part != ""]

    def comments(self, root) -> list[Comment]:
        if b"#" not in self.source and b"//" not in self.source and b"/*" not in self.source:
            return []  # no comment can start anywhere: the query is not run
        found = []
        for node in _comment_nodes(root):
            line, column, _, _ = self.position(node)
            own_line = alone_on_line(self.source, self.line_starts[node.start_point.row], node.start_byte)
            found.append(Comment(line, column, _text(self.source, node).rstrip(), own_line))
        return found

    def expression(self, node) -> Expr:
        kind = node.type
        position = self.position(node)
        if kind in ("expression", "collection_value", "operation") and node.named_child_count:
            named = [child for child in node.children if child.is_named and child.type != "comment"]
            if kind == "expression" and len(named) > 1:
                return self.postfix(named[0], named[1:], position)
            return self.expression(named[0])
        if kind == "literal_value":
            return self.literal(node.children[0], position)
        if kind == "template_expr":
            return self.template(node.children[0], position)
        if kind == "variable_expr":
            name = _text(self.source, node)
            if _BARE_EXPONENT.fullmatch(name.encode()):  # a number the grammar was given as a name
                return Literal(*position, value=number_literal(name, position[0]))
            return Traversal(*position, root=name)
        if kind == "tuple":
            return TupleExpr(*position, items=[self.expression(c) for c in node.children if c.type == "expression"])
        if kind == "object":
            items = []
            for element in (c for c in node.children if c.type == "object_elem"):
                key, value = [c for c in element.children if c.type == "expression"]
                items.append((self.expression(key), self.expression(value)))
            return ObjectExpr(*position, items=items)
        if kind == "function_call":
            name = _text(self.source, node.children[0])
            arguments = next((c for c in node.children if c.type == "function_arguments"), None)
            args = [self.expression(c) for c in arguments.children if c.type == "expression"] if arguments else []
            expand = arguments is not None and any(c.type == "ellipsis" for c in arguments.children)
            return Call(*position, name=name, args=args, expand=expand)
        if kind == "conditional":
            condition, then, otherwise = [self.expression(c) for c in node.children if c.type == "expression"]
            return Conditional(*position, condition=condition, then=then, otherwise=otherwise)
        if kind in ("unary_operation", "binary_operation"):
            return self.operation(node, position)
        if kind == "for_expr":
            return self.for_expr(node.children[0], position)
        return Opaque(*position, text=_text(self.source, node))

    def operation(self, node, position) -> Expr:
        """Operands are runs of named children around the operator token (a traversal
        such as `var.x` arrives as a primary followed by its steps)."""
        operator, groups = "", [[]]
        for child in node.children:
            if child.type in ("(", ")", "comment"):
                continue
            if not child.is_named and not operator:
                operator = _text(self.source, child)
                groups.append([])
            elif child.is_named:
                groups[-1].append(child)
        operands = []
        for group in groups:
            if len(group) == 1:
                operands.append(self.expression(group[0]))
            elif group:
                start, end = self.position(group[0]), self.position(group[-1])
                operands.append(self.postfix(group[0], group[1:], (start[0], start[1], end[2], end[3])))
        return Operation(*position, operator=operator, operands=operands)

    def for_expr(self, node, position) -> ForExpr:
        intro = next(c for c in node.children if c.type == "for_intro")
        names = [_text(self.source, c) for c in intro.children if c.type == "identifier"]
        collection = self.expression(next(c for c in intro.children if c.type == "expression"))
        results = [self.expression(c) for c in node.children if c.type == "expression"]
        condition = next((c for c in node.children if c.type == "for_cond"), None)
        return ForExpr(
            *position,
            key_name=names[0] if len(names) == 2 else None,
            value_name=names[-1],
            collection=collection,
            key=results[0] if node.type == "for_object_expr" else None,
            value=results[-1],
            condition=self.expression(next(c for c in condition.children if c.type == "expression")) if condition else None,
            grouping=any(c.type == "ellipsis" for c in node.children),
        )

    def postfix(self, primary, steps_nodes, position) -> Expr:
        base = self.expression(primary)
        steps = self.steps(steps_nodes)
        if isinstance(base, Traversal):
            return Traversal(*position, root=base.root, steps=[*base.steps, *steps])
        return Postfix(*position, base=base, steps=steps)

    def steps(self, nodes) -> list:
        """Attribute names, index expressions and splats, in order. After `.*` only
        attribute names apply to each element (an index applies to the result)."""
        steps: list = []
        for step in nodes:
            if step.type == "get_attr":
                steps.append(_text(self.source, step.children[-1]))
            elif step.type == "index":
                inner = step.children[0]
                if inner.type == "legacy_index":
                    steps.append(Literal(*self.position(inner), value=int(_text(self.source, inner).lstrip("."))))
                else:
                    steps.append(self.expression(next(c for c in inner.children if c.type == "expression")))
            elif step.type == "splat":
                kind = step.children[0]
                inner = [c for c in kind.children if c.is_named]
                each = len(inner) if kind.type == "full_splat" else next((i for i, c in enumerate(inner) if c.type != "get_attr"), len(inner))
                steps.append(Splat(self.steps(inner[:each])))
                steps += self.steps(inner[each:])
        return steps

    def literal(self, node, position) -> Literal:
        kind = node.type
        text = _text(self.source, node)
        if kind == "numeric_lit":
            if not _NUMBER.fullmatch(text):  # the grammar reads `0x10` as one number; HCL has none such
                raise ParseError(f"invalid number {text[:40]!r}", position[0], position[1])
            return Literal(*position, value=number_literal(text, position[0]))
        if kind == "bool_lit":
            return Literal(*position, value=text == "true")
        if kind == "null_lit":
            return Literal(*position, value=None)
        return Literal(*position, value=unescape(self.string(node)))

    def template(self, node, position) -> Expr:
        if node.type == "heredoc_template":
            # The grammar's literal tokens drop the heredoc's white space: the body is
            # read again from the source text.
            return _heredoc(_text(self.source, node), position)
        parts = self.template_parts(node, node.children[0].end_byte, node.children[-1].start_byte, unescape)
        if parts is None:
            return Opaque(*position, text=_text(self.source, node))
        if all(isinstance(part, str) for part in parts):
            return Literal(*position, value="".join(parts))
        return Template(*position, parts=parts)


def parse_template(text: str, line: int = 1, column: int = 1) -> Expr:
    """A template's text (a file `templatefile` renders, a heredoc's body), starting
    at `line`, as an expression: its literal text and its `${...}` interpolations,
    each parsed at its own line; `$${` and `%%{` escape. A template with `%{...}`
    directives is Opaque (not evaluated); a broken interpolation raises ParseError."""
    end_line = line + text.count("\n")
    parts: list = []
    literal: list[str] = []
    index, at = 0, line
    while (found := _TEMPLATE_SPECIAL.search(text, index)) is not None:
        literal.append(text[index : found.start()])
        at += text.count("\n", index, found.start())
        marker = found.group()
        if marker in ("$${", "%%{"):
            literal.append(marker[1:])
            index = found.end()
            continue
        if marker == "%{":
            return Opaque(line, column, end_line, 1, text=text)
        end = _interpolation_end(text, found.end())
        if end is None:
            raise ParseError("interpolation not closed", at)
        inner = text[found.end() : end]
        if inner.startswith("~"):  # strip markers trim the white space beside them
            inner = inner[1:]
            literal[-1] = literal[-1].rstrip()
        parts += ["".join(literal), parse_expression(inner.removesuffix("~"), at)]
        literal = []
        index = end + 1
        at += inner.count("\n")
        if inner.endswith("~"):
            index = _SPACE.match(text, index).end()
    literal.append(text[index:])
    parts.append("".join(literal))
    parts = [part for part in parts if part != ""]
    if all(isinstance(part, str) for part in parts):
        return Literal(line, column, end_line, 1, value="".join(parts))
    return Template(line, column, end_line, 1, parts=parts)


_TEMPLATE_SPECIAL = regex(r"\$\$\{|%%\{|\$\{|%\{")
_SPACE = regex(r"\s*")


def _interpolation_end(text: str, start: int) -> int | None:
    """The index of the `}` that closes an interpolation whose expression starts at
    `start`: braces and quoted strings (with their own interpolations) nest."""
    contexts, index = ["expression"], start
    depth = [0]
    while index < len(text):
        char = text[index]
        if contexts[-1] == "string":
            if char == "\\":
                index += 1
            elif char == '"':
                contexts.pop()
            elif text.startswith("${", index):
                contexts.append("expression")
                depth.append(0)
                index += 1
        elif char == '"':
            contexts.append("string")
        elif char == "{":
            depth[-1] += 1
        elif char == "}":
            if depth[-1] == 0:
                contexts.pop()
                depth.pop()
                if not contexts:
                    return index
            else:
                depth[-1] -= 1
        index += 1
    return None


def parse_expression(text: str, line: int = 1) -> Expr:
    """An expression written alone (an interpolation's, a `.tf.json` variable's
    `type`), parsed alone (parentheses allow line breaks) and moved to `line`:
    parsing it behind `line` blank lines would make a template of many
    interpolations cost the square of its length. Raises ParseError."""
    try:
        parsed = parse("x = (" + text + "\n)\n")
    except ParseError as error:
        raise ParseError(error.message, error.line + line - 1 if error.line else line, error.column) from None
    attribute = parsed.body.attributes.get("x")
    if attribute is None or len(parsed.body.attributes) != 1 or parsed.body.blocks:
        raise ParseError("not an expression", line)
    return _moved(attribute.value, line - 1, set())


def _moved(node: Any, lines: int, seen: set[int]) -> Any:
    """`node` and everything in it, `lines` lines further down (each node once)."""
    if id(node) in seen or not lines:
        return node
    if isinstance(node, (list, tuple)):
        for item in node:
            _moved(item, lines, seen)
    elif isinstance(node, dict):
        for key, value in node.items():
            _moved(key, lines, seen)
            _moved(value, lines, seen)
    elif structs.is_struct(node) and not isinstance(node, type):
        seen.add(id(node))
        for member in structs.fields(node):
            value = getattr(node, member.name)
            if member.name in ("line", "end_line") and isinstance(value, int):
                setattr(node, member.name, value + lines)
            else:
                _moved(value, lines, seen)
    return node


def _heredoc(source: str, position: tuple[int, int, int, int]) -> Expr:
    """A heredoc's value: the lines between its opening and closing markers, each
    with its line break; `<<-` removes the indentation of the least indented line."""
    opening, _, rest = source.partition("\n")
    lines = rest.split("\n")[:-1]  # the last line holds the closing marker
    if opening.startswith("<<-"):
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        lines = [line[min(indents, default=0) :] for line in lines]
    try:
        value = parse_template("".join(line + "\n" for line in lines), position[0] + 1)
    except ParseError:
        return Opaque(*position, text=source)
    value.line, value.column, value.end_line, value.end_column = position  # where the heredoc is written
    return value


_NUMBER = regex(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")  # HCL's numeric literal
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_UNICODE_ESCAPES = {"u": 4, "U": 8}  # `\uNNNN` and `\UNNNNNNNN`: hexadecimal digits of a code point


def unescape(text: str) -> str:
    """A quoted string's text as its value: the escapes of the HCL specification
    (`\\n`, `\\"`, `\\u00e9`, ..., and `$${`, `%%{`). An escape Terraform would reject
    stands for the character after the backslash."""
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text
    out, index = [], 0
    while index < len(text):
        ch = text[index]
        if ch == "\\" and index + 1 < len(text):
            marker = text[index + 1]
            code_point = _code_point(text[index + 2 : index + 2 + _UNICODE_ESCAPES[marker]]) if marker in _UNICODE_ESCAPES else None
            if code_point is None:
                out.append(_ESCAPES.get(marker, marker))
                index += 2
            else:
                out.append(code_point)
                index += 2 + _UNICODE_ESCAPES[marker]
        elif text.startswith(("$${", "%%{"), index):
            out.append(text[index + 1 : index + 3])
            index += 3
        else:
            out.append(ch)
            index += 1
    return "".join(out)


def _code_point(digits: str) -> str | None:
    """The character of a `\\u`/`\\U` escape's digits, None when they are no code point."""
    if len(digits) not in _UNICODE_ESCAPES.values() or not re.fullmatch(r"[0-9A-Fa-f]+", digits):
        return None
    value = int(digits, 16)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value < 0xE000 else None
