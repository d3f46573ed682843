"""Writing a setting into a Terraform block, an ARM template (JSON) or a Bicep object
as a minimal text edit.

The attribute's native name (`Attr.native`: `site_config.minimum_tls_version`,
`properties.siteConfig.minTlsVersion`) is the path from the resource to the setting.
A value written as one literal where the finding points is replaced in place (not a
literal that only starts an expression, as Bicep's `true ? '1.0' : '1.2'`), in
the member that holds it, whatever the case of its name (ARM and Bicep read
property names so, `matching_key`). A missing
setting is inserted with the blocks or objects that lead to it: in Terraform as new
lines before the closing brace of the deepest block that exists, in JSON and Bicep as
a new first member after the opening brace of the deepest object that exists,
indented like that block's or object's members and nested by the file's own step
(two spaces, four, a tab: from a brace's line to its members'). A value that comes from elsewhere (a variable,
a parameter, an expression: ARM's `"[parameters('tls')]"`, Bicep's `'${tls}'`) is
not fixed here: the edit would belong to whatever decides it, which may be shared.

The same object writer serves Kubernetes manifests written as JSON, for the
suppression annotations that format takes instead of comments (`annotation_edits`).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from iacguard.evaluators.arm import is_expression
from iacguard.evaluators.template_functions import matching_key
from iacguard.fixes import Edit, Setting, line_ending
from iacguard.model import Resource
from iacguard.parsers.hcl import Literal, Template
from iacguard.structs import replace, struct

INDENT = "  "


@struct(frozen=True)
class ObjectSyntax:
    """How one format writes object members and scalars, and reads them."""

    key: Any  # key -> text
    scalar: Any  # value -> text
    separator: str  # after a member that others follow
    token: re.Pattern  # a scalar where it stands
    member: Any  # (object, name) -> the key of the object's member of that name, or None
    literal: Any = lambda token, lines, line, column: True  # whether the scalar `token` at (line, column) is the whole value


def _exact_key(node: dict, name: str) -> str | None:
    return name if name in node else None


def _arm_literal(token: str, lines: list[str], line: int, column: int) -> bool:
    """ARM reads a string in brackets as an expression."""
    return not is_expression(json.loads(token))


@functools.lru_cache(maxsize=1)
def _parsed_bicep(text: str):
    """The Bicep text parsed, the last text kept: a pass plans every fix of a file on
    one text, and each literal it replaces asks of the whole file."""
    from iacguard.parsers.bicep_syntax import parse

    return parse(text)


def _bicep_literal(token: str, lines: list[str], line: int, column: int) -> bool:
    """Whether the value that starts at (line, column) is that literal alone, not an
    interpolated string or an expression that starts with a literal (an operator may
    continue it on the next line): the parsed property tells. The tree the scan
    parsed is of another time than this text (an earlier fix may have changed it)."""
    from iacguard.parsers.bicep_syntax import Node, Property, Statement

    stack: list = list(_parsed_bicep("\n".join(lines)).statements)
    while stack:
        item = stack.pop()
        if isinstance(item, Property):
            if (item.value_line, item.value_column) == (line, column):
                return isinstance(item.value, Node) and item.value.kind == "literal"
            stack.append(item.value)
        elif isinstance(item, Statement):
            stack.append(item.value)
        elif isinstance(item, Node):
            stack.extend(item.items)
    return False


JSON = ObjectSyntax(json.dumps, lambda value: json.dumps(value), ",",
                    re.compile(r'true|false|null|-?\d[\d.eE+-]*|"(?:[^"\\]|\\.)*"'), _exact_key)
ARM = replace(JSON, member=matching_key, literal=_arm_literal)
BICEP = ObjectSyntax(lambda key: key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else _bicep_string(key),
                     lambda value: _bicep_scalar(value), "",
                     re.compile(r"true|false|null|-?\d+|'(?:[^'\\]|\\.)*'(?!')"), matching_key, _bicep_literal)


def writer_for(format_name: str):
    if format_name == "terraform":
        return hcl_setting_edits
    syntax = ARM if format_name == "arm" else BICEP
    return lambda resource, setting, text: object_setting_edits(resource, setting, text, syntax)


def object_setting_edits(resource: Resource, setting: Setting, text: str, syntax: ObjectSyntax) -> tuple[Edit, ...] | None:
    attr = resource.attr(setting.attribute)
    if not attr.native or "[" in attr.native or not isinstance(resource.native, dict):
        return None
    written_at = (attr.location.line, attr.location.column) if attr.is_set else None
    return set_member(resource.native, attr.native.split("."), setting.value, text.split("\n"), syntax, written_at)


def set_member(node, keys: list[str], value: Any, lines: list[str], syntax: ObjectSyntax, written_at: tuple[int, int] | None = None) -> tuple[Edit, ...] | None:
    """Edits that make the object `node[keys...]` hold `value`: the literal replaced
    where it stands (only when that is `written_at`, if given: else the value is
    decided elsewhere, a parameter or a variable), or the missing members inserted.
    A member is found by `syntax.member`: where ARM reads `HttpsOnly` as `httpsOnly`,
    a second member of the other spelling would leave the template two values."""
    for depth, key in enumerate(keys):
        name = syntax.member(node, key)
        if name is None:
            return insert_member(node, keys[depth:], value, lines, syntax)
        if depth == len(keys) - 1:
            mark = node.value_marks[name]
            if written_at is not None and written_at != (mark.line, mark.column):
                return None
            return _replace(lines, mark.line, mark.column, syntax, syntax.scalar(value))
        node = node[name]
        if not isinstance(node, dict) or not hasattr(node, "mark"):
            return None
    return None


def insert_member(node, keys: list[str], value: Any, lines: list[str], syntax: ObjectSyntax) -> tuple[Edit, ...] | None:
    """`keys: value` (the keys nested) as the first member of the object `node`, on
    lines of their own after the opening brace, indented like the members below it
    (and nested by the step from the brace's line to them); an empty object (`{}`)
    is opened onto lines of its own."""
    mark = node.mark
    opening = lines[mark.line - 1]
    newline = line_ending(lines)
    for key in reversed(keys[1:]):
        value = {key: value}
    empty = re.match(r"[ \t]*\}", opening[mark.column:])
    if opening[mark.column - 1: mark.column] == "{" and not node and empty:
        outer = _leading(opening)
        text = "\n" + _member(syntax, keys[0], value, outer + INDENT, INDENT) + "\n" + outer
        return (Edit(mark.line, mark.column + 1, mark.line, mark.column + len(empty.group(0)), text.replace("\n", newline)),)
    if opening[mark.column - 1: mark.column] != "{" or opening[mark.column:].strip():
        return None
    below = [m for m in node.key_marks.values() if m.line > mark.line]
    if not below:
        return None
    first = min(below, key=lambda m: (m.line, m.column))
    indent = lines[first.line - 1][: first.column - 1]
    if indent.strip():
        return None
    text = _member(syntax, keys[0], value, indent, _step(_leading(opening), indent)) + syntax.separator
    return (Edit.insert(mark.line, len(opening.removesuffix("\r")) + 1, ("\n" + text).replace("\n", newline)),)


def _member(syntax: ObjectSyntax, key: str, value: Any, indent: str, step: str) -> str:
    """One member at `indent`; an object value (a dict) on the lines below, each
    level `step` further in."""
    if not isinstance(value, dict):
        return f"{indent}{syntax.key(key)}: {syntax.scalar(value)}"
    inner = [_member(syntax, name, item, indent + step, step) for name, item in value.items()]
    return f"{indent}{syntax.key(key)}: {{\n" + (syntax.separator + "\n").join(inner) + f"\n{indent}}}"


def annotation_edits(resource: Resource, code: str, reason: str, text: str) -> tuple[Edit, ...] | None:
    """The ignore annotations for `code` in the metadata of a Kubernetes object
    written as JSON (`iacguard.normalizers.kubernetes`)."""
    from iacguard.normalizers.kubernetes import IGNORE_ANNOTATION, REASON_ANNOTATION

    metadata = resource.native.get("metadata") if isinstance(resource.native, dict) else None
    if not isinstance(metadata, dict) or "annotations" in metadata:
        return None
    annotations = {IGNORE_ANNOTATION: code, REASON_ANNOTATION: reason}
    return insert_member(metadata, ["annotations"], annotations, text.split("\n"), JSON)


def hcl_setting_edits(resource: Resource, setting: Setting, text: str) -> tuple[Edit, ...] | None:
    """The setting in a Terraform resource block: the literal replaced, or the
    attribute (and the nested blocks that lead to it) inserted before a closing
    brace. Not in a nested block an override file wrote (`Block.path`): its lines
    are that file's."""
    attr = resource.attr(setting.attribute)
    block = resource.native
    if not attr.native or "[" in attr.native or not hasattr(block, "body"):
        return None
    lines = text.split("\n")
    *path, name = attr.native.split(".")
    for depth, block_type in enumerate(path):
        found = block.body.blocks_of(block_type)
        if len(found) != 1:
            return None if found else _hcl_insert(block, [*path[depth:], name], setting.value, lines)
        block = found[0]
        if block.path is not None:
            return None
    attribute = block.body.attributes.get(name)
    if attribute is None:
        return _hcl_insert(block, [name], setting.value, lines)
    value = attribute.value
    literal = isinstance(value, Literal) or (isinstance(value, Template) and all(isinstance(part, str) for part in value.parts))
    if (attr.location.line, attr.location.column) != (value.line, value.column) or not literal:
        return None
    return (Edit(value.line, value.column, value.end_line, value.end_column, _hcl_scalar(setting.value)),)


def _hcl_insert(block, names: list[str], value: Any, lines: list[str]) -> tuple[Edit, ...] | None:
    closing = lines[block.end_line - 1]
    if block.end_line == block.line or closing.strip().removesuffix("\r") != "}":
        return None
    outer = _leading(closing)
    members = [member.line for member in (*block.body.attributes.values(), *block.body.blocks) if member.line > block.line]
    step = _step(outer, _leading(lines[min(members) - 1])) if members else INDENT
    text = f"{names[-1]} = {_hcl_scalar(value)}"
    for depth, block_type in reversed(list(enumerate(names[:-1]))):
        inner = outer + step * (depth + 2)
        text = f"{block_type} {{\n{inner}{text}\n{outer + step * (depth + 1)}}}"
    newline = line_ending(lines)
    return (Edit.insert(block.end_line, 1, (outer + step + text + "\n").replace("\n", newline)),)


def _leading(line: str) -> str:
    """The blanks a line starts with."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def _step(outer: str, inner: str) -> str:
    """How far the file indents a level: from a brace's line (`outer`) to its
    members' (`inner`); two spaces when that does not tell."""
    return inner[len(outer):] if inner.startswith(outer) and len(inner) > len(outer) else INDENT


def _replace(lines: list[str], line: int, column: int, syntax: ObjectSyntax, replacement: str) -> tuple[Edit, ...] | None:
    """The literal at (line, column) replaced; None when the value there is not one
    literal the fix can edit."""
    match = syntax.token.match(lines[line - 1], column - 1)
    if match is None or not syntax.literal(match.group(0), lines, line, column):
        return None
    return (Edit(line, column, line, column + len(match.group(0)), replacement),)


def _hcl_scalar(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else json.dumps(str(value))


def _bicep_scalar(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else _bicep_string(str(value))


def _bicep_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
