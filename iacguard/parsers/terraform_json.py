"""Terraform's JSON syntax (`*.tf.json`), read into the HCL model that the Terraform
evaluator and normaliser read, with the JSON text's positions, so that its resources
get the same rules, defaults and lines as those of a `.tf` file, and its variables,
locals and module calls count as a `.tf` file's do.

The mapping is Terraform's own (developer.hashicorp.com/terraform/language/syntax/json):
a top-level property names a block type, one nested object per label (or an array of
such objects, which keeps their order); in a block body a JSON string is a string
template (`"${var.x}"` is the variable's value, whatever its type), numbers, booleans,
`null`, arrays and objects are what they are. JSON writes a nested block and an
argument whose value is an object alike, so which names are blocks is the
normaliser's to say (`iacguard.normalizers.terraform.NESTED_BLOCKS`, passed in as
`is_block`): `site_config` is a block, `app_settings` a map. A string where a block
goes is an expression, read as an argument: the list of objects azurerm takes in
place of some blocks (`"network_rule_set": "${var.rules}"`).

Read: `resource` blocks (with `count`, `for_each`, and `dynamic` blocks), `variable`
(its `default` taken literally, as Terraform takes it), `locals` and `module` calls
(`source` taken literally). Not read: `data`, `output`, `provider` and `terraform`
blocks, which nothing checks, and `"//"` comment properties, so a `.tf.json` file
holds no suppression comments. A template with a `%{ }` directive is Unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from iacguard.errors import ParseError
from iacguard.parsers import hcl
from iacguard.parsers.documents import Mark, YamlFile
from iacguard.parsers.hcl import Attribute, Block, Body, Expr, HclFile, Literal, ObjectExpr, Opaque, Template, TupleExpr
from iacguard.parsers.positional_json import JsonMap, JsonSeq

COMMENT = "//"
# Arguments of a resource that Terraform's JSON syntax takes literally or that name
# things rather than values; none of them is a resource setting.
_RESOURCE_META = frozenset({COMMENT, "provider", "depends_on", "lifecycle", "provisioner", "connection"})
_MODULE_META = frozenset({COMMENT, "providers", "depends_on"})
_DYNAMIC_ARGUMENTS = ("for_each", "iterator", "labels")


def read(document: YamlFile, is_block: Callable[[str, str], bool]) -> HclFile:
    """The blocks of a `.tf.json` document that iacguard reads, as HCL blocks;
    `is_block(resource_type, path)` says which names of a resource are nested blocks."""
    root = document.documents[0].root if document.documents else None
    if not isinstance(root, JsonMap):
        raise ParseError("a Terraform JSON file holds one JSON object", 1, 1)
    reader = _Reader(is_block)
    body = Body()
    for block_type, value in root.items():
        labels_expected = _LABELS.get(block_type)
        if labels_expected is None:
            continue
        read_body = getattr(reader, block_type)
        for labels, content, mark in _labelled(value, labels_expected, root.key_marks[block_type]):
            body.blocks.append(_block(block_type, labels, read_body(content, labels), content, mark))
    return HclFile(body, [], {})


def _labelled(value, depth: int, mark: Mark) -> Iterator[tuple[list[str], JsonMap, Mark]]:
    """(labels, body, where the block starts) for each block that `value` writes with
    `depth` labels: nested objects, one per label, or arrays of them. A block starts
    at its last label (the property whose value is its body)."""
    if isinstance(value, JsonSeq):
        for item, item_mark in zip(value, value.item_marks):
            yield from _labelled(item, depth, item_mark)
    elif isinstance(value, JsonMap):
        if depth == 0:
            yield [], value, mark
            return
        for label, inner in value.items():
            if label != COMMENT:
                for labels, content, where in _labelled(inner, depth - 1, value.key_marks[label]):
                    yield [label, *labels], content, where


def _block(block_type: str, labels: list[str], body: Body, content: JsonMap, mark: Mark) -> Block:
    return Block(block_type, labels, body, mark.line, mark.column, content.end_line)


class _Reader:
    """Reads the body of each top-level block type (the method of its name)."""

    def __init__(self, is_block: Callable[[str, str], bool]):
        self.is_block = is_block

    def resource(self, content: JsonMap, labels: list[str]) -> Body:
        return self.resource_body(content, labels[0], "")

    def resource_body(self, content: JsonMap, resource_type: str, path: str) -> Body:
        """A resource's body, or the body of one of its nested blocks at `path`."""
        body = Body()
        for name, value in content.items():
            if name in _RESOURCE_META:
                continue
            inner = f"{path}.{name}" if path else name
            if name == "dynamic":
                for labels, spec, mark in _labelled(value, 1, content.key_marks[name]):
                    generated = f"{path}.{labels[0]}" if path else labels[0]
                    body.blocks.append(_block(name, labels, self.dynamic(spec, resource_type, generated), spec, mark))
            elif self.is_block(resource_type, inner) and not isinstance(value, str):
                for _, nested, mark in _labelled(value, 0, content.value_marks[name]):
                    body.blocks.append(_block(name, [], self.resource_body(nested, resource_type, inner), nested, mark))
            else:
                body.attributes[name] = _attribute(content, name)
        return body

    def dynamic(self, spec: JsonMap, resource_type: str, path: str) -> Body:
        """A `dynamic` block: its `for_each` (and iterator, labels) and its `content`."""
        body = Body({name: _attribute(spec, name) for name in _DYNAMIC_ARGUMENTS if name in spec})
        for _, content, mark in _labelled(spec.get("content"), 0, spec.key_marks.get("content", spec.mark)):
            body.blocks.append(_block("content", [], self.resource_body(content, resource_type, path), content, mark))
        return body

    @staticmethod
    def variable(content: JsonMap, labels: list[str]) -> Body:
        """`default`, and the `sensitive` and `nullable` flags a plan's reading looks at;
        Terraform takes each literally (no templates). `type` is a string holding a
        type expression (`"list(string)"`), read as the `.tf` syntax's; one that does
        not parse is left out (Terraform would reject it)."""
        body = Body({name: _attribute(content, name, literal=True) for name in ("default", "sensitive", "nullable") if name in content})
        if isinstance(content.get("type"), str):
            key, mark = content.key_marks["type"], content.value_marks["type"]
            try:
                body.attributes["type"] = Attribute("type", hcl.parse_expression(content["type"], mark.line), key.line, key.column, mark.line)
            except ParseError:
                pass
        return body

    @staticmethod
    def locals(content: JsonMap, labels: list[str]) -> Body:
        return Body({name: _attribute(content, name) for name in content if name != COMMENT})

    @staticmethod
    def module(content: JsonMap, labels: list[str]) -> Body:
        """A module call: `source` and `version` are literal, the other arguments are
        expressions (the module's inputs, `count`, `for_each`)."""
        return Body({name: _attribute(content, name, literal=name in ("source", "version")) for name in content if name not in _MODULE_META})


_LABELS = {"resource": 2, "variable": 1, "locals": 0, "module": 1}


def _attribute(content: JsonMap, name: str, literal: bool = False) -> Attribute:
    key, value = content.key_marks[name], content[name]
    end_line = value.end_line if isinstance(value, (JsonMap, JsonSeq)) else content.value_marks[name].line
    return Attribute(name, _expression(value, content.value_marks[name], literal), key.line, key.column, end_line)


def _expression(value, mark: Mark, literal: bool = False) -> Expr:
    """A JSON value where Terraform expects an expression: strings are templates
    unless `literal`. Every expression is placed at its JSON value."""
    position = (mark.line, mark.column, mark.line, mark.column)
    if isinstance(value, str):
        return Literal(*position, value=value) if literal else _template(value, position)
    if isinstance(value, JsonSeq):
        return TupleExpr(*position, items=[_expression(item, item_mark, literal) for item, item_mark in zip(value, value.item_marks)])
    if isinstance(value, JsonMap):
        items = []
        for key, item in value.items():
            key_mark = value.key_marks[key]
            items.append((Literal(key_mark.line, key_mark.column, key_mark.line, key_mark.column, value=key), _expression(item, value.value_marks[key], literal)))
        return ObjectExpr(*position, items=items)
    return Literal(*position, value=value)


def _template(text: str, position: tuple[int, int, int, int]) -> Expr:
    """A JSON string where an expression is expected: a string template. One that is
    a single interpolation is its expression, whatever its type, as Terraform takes
    it; one that does not parse is Opaque (Terraform would reject it). The
    expression is placed where the string is."""
    try:
        expr = hcl.parse_template(text, position[0], position[1])
    except ParseError:
        return Opaque(*position, text=text)
    if isinstance(expr, Template) and len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
        expr = expr.parts[0]
    expr.line, expr.column, expr.end_line, expr.end_column = position
    return expr
