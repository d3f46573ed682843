"""ARM template expressions (`"[concat(parameters('a'), '-x')]"`), evaluated as far as
the template and its parameter file make knowable.

Supported: `parameters()` (parameter file values over `defaultValue`; a default may
use other parameters and functions, not variables), `variables()`, `copy` loops of
variables and of properties (each `copy` array in an object becomes the arrays it
makes), `copyIndex()` with a loop name and an offset inside a loop, `if`, `and`,
`or`, `lambda()` with `lambdaVariables()`, the functions of the template's
`functions` namespaces (`contoso.uniqueName(...)`, given known arguments), property
access and indexing, and the functions ARM and Bicep share
(`iacguard.evaluators.template_functions`). Everything else (`resourceGroup()`,
`reference()`, `uniqueString()`, ...) is `Unknown`, and so is anything built from
it. A malformed expression is reported, not raised.

A value a loop selects from a parameter's default or a variable written out in the
template (`parameters('sites')[copyIndex()].httpsOnly`) is located at the element
that writes it (`evaluated`), with the line that selects it and the loop as hops.
Resource loops themselves are expanded by the ARM normalizer, which gives each
instance a scope of its own (`in_loop`).

Evaluation runs under the fixed budgets of `iacguard.budgets`: each scope counts its
own steps and how deep it nests (an expression in another, a variable's value in the
expression that uses it, a template object or array in the one that holds it), loops
are sized before they are expanded, and functions are sized before they build their
result.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from iacguard.budgets import Budget, locate
from iacguard.errors import BudgetExceeded
from iacguard.evaluators.template_functions import Lambda, apply_function, matching_key, member
from iacguard.lazy import regex
from iacguard.model import Location, Related, Unknown
from iacguard.parsers.documents import Mark, YMap, YSeq
from iacguard.structs import struct

_TOKEN = regex(r"\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)|(\S))")
# A token: its text without white space, then the one of `_TOKEN`'s groups it is
# (string, number, name, symbol; the others None).
Token = tuple[str, "str | None", "str | None", "str | None", "str | None"]


class ExpressionError(ValueError):
    """A malformed template expression."""


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


@struct(frozen=True)
class _Loop:
    """A `copy` loop in reach: its name as written, the current index and where the
    loop is declared."""

    name: str
    index: int
    mark: Mark | None


@struct(frozen=True)
class _Selection:
    """What an expression selects from a parameter or variable: `kind` and `name` of
    the root, the keys after it, and the loops whose index chose any of them."""

    kind: str
    name: str
    keys: tuple = ()
    loops: tuple[str | None, ...] = ()

    def then(self, key: Any, loops: tuple[str | None, ...]) -> _Selection:
        return _Selection(self.kind, self.name, (*self.keys, key), (*self.loops, *loops))


class Scope:
    """Parameters and variables of one template (or inner nested deployment).

    `parameters` holds the values given (a parameter file, the outer template of an
    inner nested deployment), `declared` the template's `parameters` section, whose
    defaults apply to the others. `origins` says where the value of a parameter was
    written in the template, by lower-case name: its default, or the outer template's
    value for an inner nested deployment; a value from a parameter file has none.
    `functions` maps `namespace.member` (lower case) to the template's user-defined
    functions."""

    def __init__(self, parameters: dict[str, Any], variables: dict[str, Any], origins: dict[str, Mark] | None = None,
                 declared: dict[str, Any] | None = None, functions: dict[str, Any] | None = None,
                 budget: Budget | None = None, path: str = ""):
        self.parameters = parameters
        self.variables = variables
        self.origins = origins or {}
        self.declared = declared or {}
        self.functions = functions or {}
        self.path = path
        self.errors: list[str] = []
        self.budget = budget or Budget()
        self.loops: dict[str | None, _Loop] = {}  # by lower-case name; None: the resource's own loop
        self.lambda_values: dict[str, Any] = {}
        self.loop_reads: list[str | None] = []  # the loops whose copyIndex() was read, in order
        self._variables_done: dict[str, Any] = {}
        self._defaults_done: dict[str, Any] = {}
        self._resolving: set[str] = set()

    def in_loop(self, name: str, index: int, mark: Mark | None, resource: bool = False) -> Scope:
        """This scope inside iteration `index` of copy loop `name`; a resource's loop is
        also what `copyIndex()` without a name reads. Parameters, variables, budget
        and errors stay shared."""
        view = copy.copy(self)
        loop = _Loop(name, index, mark)
        view.loops = {**self.loops, name.lower(): loop, **({None: loop} if resource else {})}
        return view

    def value(self, value: Any) -> Any:
        """A JSON value with every expression in it evaluated, and its `copy` arrays
        made."""
        return self.evaluated(value)[0]

    def evaluated(self, value: Any, use: Location | None = None) -> tuple[Any, Location | None]:
        """`value` evaluated and, when a loop selected it from a parameter's default or
        a variable written out in this template, where that element writes it, with
        `use` (where the template takes the value) and the loop as hops."""
        if isinstance(value, (dict, list)):
            return self._members(value), None
        self.budget.step()
        if is_expression(value):
            try:
                result, selection = self.expression(value[1:-1])
            except ExpressionError as error:
                self.errors.append(f"malformed template expression {value!r}: {error}")
                return Unknown(value), None
            except RecursionError:  # Python's stack ran out before `MAX_NESTING` did: a budget error all the same, never an unknown
                raise BudgetExceeded("a template expression nested too deeply") from None
            return result, self._selected_at(selection, use)
        if isinstance(value, str) and value.startswith("[["):
            return value[1:], None
        return value, None

    def _members(self, value: dict | list) -> dict | list:
        """An object's or array's members evaluated, a level deeper, and an object's
        `copy` arrays made."""
        self.budget.descend()
        try:  # loops, not comprehensions: each of those would take a frame of Python's stack a level
            if isinstance(value, list):
                items = []
                for index in range(len(value)):
                    items.append(self.member_value(value, index))
                return items
            copies = _copy_specs(value)
            result = {}
            for key in value:
                if copies is None or key != copies[0]:
                    result[key] = self.member_value(value, key)
            if copies is not None:
                result.update({_field(spec, "name"): self.copy_loop(spec) for spec in copies[1] if isinstance(_field(spec, "name"), str)})
            return result
        finally:
            self.budget.ascend()

    def member_value(self, container: dict | list, key: Any) -> Any:
        """The evaluated value of one property or item; a budget error stopping in it
        is located at its line, when the template gives one."""
        try:
            return self.evaluated(container[key])[0]
        except BudgetExceeded as error:
            locate(error, self.path or None, _line_of(container, key))
            raise

    def expression(self, source: str) -> tuple[Any, _Selection | None]:
        tokens = _tokens(source)
        self.budget.step(len(tokens))
        return _Parser(tokens, self).whole()

    def variable(self, name: str) -> Any:
        key = name.lower()
        if key in self._variables_done:
            return self._variables_done[key]
        match = matching_key(self.variables, name)
        copied = _copy_named(self.variables, name) if match is None else None
        if (match is None and copied is None) or "variables:" + key in self._resolving:
            return Unknown(f"variables('{name}')")
        self._resolving.add("variables:" + key)
        declared = self._outside_loops()  # a variable's value is the same in every loop instance
        try:
            value = declared.member_value(self.variables, match) if match is not None else declared.copy_loop(copied)
        finally:  # a budget error must not leave the variable marked as being resolved
            self._resolving.discard("variables:" + key)
        self._variables_done[key] = value
        return value

    def parameter(self, name: str) -> Any:
        match = matching_key(self.parameters, name)
        if match is not None:
            return self.parameters[match]
        key = name.lower()
        if key not in self._defaults_done:
            self._defaults_done[key] = self._default(name)
        return self._defaults_done[key]

    def _default(self, name: str) -> Any:
        """A parameter's `defaultValue`, which may use other parameters and functions
        but no variables (ARM rejects them there)."""
        spec = self.declared.get(matching_key(self.declared, name) or "")
        default = matching_key(spec, "defaultValue") if isinstance(spec, dict) else None
        if default is None or "parameters:" + name.lower() in self._resolving:
            return Unknown(f"parameters('{name}')")
        view = copy.copy(self._outside_loops())
        view.variables, view._variables_done = {}, {}
        self._resolving.add("parameters:" + name.lower())
        try:
            return view.member_value(spec, default)
        finally:
            self._resolving.discard("parameters:" + name.lower())

    def _outside_loops(self) -> Scope:
        """This scope as the template's top level sees it: no loop and no lambda in reach."""
        if not self.loops and not self.lambda_values:
            return self
        view = copy.copy(self)
        view.loops, view.lambda_values = {}, {}
        return view

    def copy_index(self, arguments: list[Any]) -> Any:
        """`copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`."""
        name = arguments[0] if arguments and isinstance(arguments[0], str) else None
        offsets = arguments[1:] if name is not None else arguments
        loop = self.loops.get(name.lower() if name is not None else None)
        if loop is None or len(offsets) > 1 or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets):
            return Unknown("copyIndex()")
        self.loop_reads.append(name.lower() if name is not None else None)
        return loop.index + sum(offsets)

    def copy_loop(self, spec: dict) -> Any:
        """The array a `copy` element of variables or properties makes: its `input`
        evaluated once per index."""
        name, count = self._copy_count(spec)
        if count is None:
            return Unknown(f"copy loop {name}")
        mark = getattr(spec, "mark", None)
        return [self.in_loop(name, index, mark).value(_field(spec, "input")) for index in range(count)]

    def _copy_count(self, spec: dict) -> tuple[str, int | None]:
        """A copy element's name and its count, checked against the loop budget; None
        for a count that is not known."""
        name, count = _field(spec, "name"), self.value(_field(spec, "count"))
        if not isinstance(name, str) or not isinstance(count, int) or isinstance(count, bool) or count < 0 or _field(spec, "input") is None:
            return str(name), None
        try:
            self.budget.loop(count, f"copy loop {name}", costly=False)
        except BudgetExceeded as error:
            locate(error, self.path or None, spec.mark.line if isinstance(spec, YMap) else None)
            raise
        return name, count

    def with_copies(self, node: Any) -> Any:
        """`node` (a resource's `properties`) with each `copy` array in its objects
        replaced by the arrays it makes; the items are evaluated in this scope, with
        their values positioned where the `input` writes them (or at the element a
        loop selects), and written as a template writes literals, so that reading
        them again changes nothing. `node` itself when it has no copy."""
        if isinstance(node, YSeq):
            items = [self.with_copies(item) for item in node]
            return node if all(new is old for new, old in zip(items, node)) else _seq_like(node, items, node.item_marks)
        if not isinstance(node, YMap):
            return node
        copies = _copy_specs(node)
        members = {key: self.with_copies(item) for key, item in node.items() if copies is None or key != copies[0]}
        if copies is None and all(members[key] is node[key] for key in members):
            return node
        result = _map_like(node, members)
        for spec in copies[1] if copies is not None else ():
            name, count = self._copy_count(spec)
            if count is None:
                result[name] = Unknown(f"copy loop {name}")
                continue
            input_mark = spec.value_marks.get(matching_key(spec, "input")) if isinstance(spec, YMap) else None
            made = [self.in_loop(name, index, spec.mark if isinstance(spec, YMap) else None)._literal(_field(spec, "input"), input_mark) for index in range(count)]
            result[name] = _seq_like(spec, [value for value, _ in made], [where for _, where in made])
            result.value_marks[name] = spec.mark if isinstance(spec, YMap) else None
        return result

    def _literal(self, node: Any, where: Mark | None) -> tuple[Any, Mark | Location | None]:
        """`node` evaluated as a template would write the result, positions kept, and
        where its value stands."""
        if isinstance(node, YMap):
            members = {key: self._literal(item, node.value_marks.get(key)) for key, item in node.items()}
            result = _map_like(node, {key: value for key, (value, _) in members.items()})
            result.value_marks = {key: at for key, (_, at) in members.items()}
            return result, where
        if isinstance(node, YSeq):
            items = [self._literal(item, mark) for item, mark in zip(node, node.item_marks)]
            return _seq_like(node, [value for value, _ in items], [at for _, at in items]), where
        use = Location(self.path, where.line, where.column) if where is not None else None
        value, selected = self.evaluated(node, use)
        return _as_written(value), selected or where

    def _selected_at(self, selection: _Selection | None, use: Location | None) -> Location | None:
        """Where the element a loop selected is written, when it is written out in this
        template (a parameter's default or a variable)."""
        if selection is None or not selection.loops or use is None:
            return None
        if selection.kind == "parameters":
            if matching_key(self.parameters, selection.name) is not None:
                return None  # a parameter file's value: where it is written is not tracked
            spec = self.declared.get(matching_key(self.declared, selection.name) or "")
            node = _field(spec, "defaultValue") if isinstance(spec, dict) else None
        else:
            node = self.variables.get(matching_key(self.variables, selection.name) or "")
        mark = None
        for key in selection.keys:
            if isinstance(node, YMap) and isinstance(key, str) and matching_key(node, key) is not None:
                match = matching_key(node, key)
                mark, node = node.value_marks.get(match), node[match]
            elif isinstance(node, YSeq) and isinstance(key, int) and 0 <= key < len(node):
                mark, node = node.item_marks[key], node[key]
            else:
                return None
        if mark is None:
            return None
        hops = [use.hop(f"selects from {selection.kind}('{selection.name}') by copyIndex()")]
        for name in dict.fromkeys(selection.loops):
            loop = self.loops[name]
            if loop.mark is not None:
                hops.append(Related(f"copy loop {loop.name}, item {loop.index}", use.path, loop.mark.line, loop.mark.column))
        return Location(use.path, mark.line, mark.column, via=tuple(hops))

    def user_function(self, name: str, arguments: list[Any]) -> Any:
        """A function of the template's `functions` namespaces: its `output.value` with
        `parameters()` naming the function's own parameters (the only values it can
        see)."""
        definition = self.functions.get(name.lower())
        names = [_field(p, "name") for p in _field(definition, "parameters") or []] if isinstance(definition, dict) else None
        output = _field(definition, "output") if isinstance(definition, dict) else None
        if names is None or not isinstance(output, dict) or len(names) != len(arguments) or "functions:" + name.lower() in self._resolving:
            return Unknown(f"{name}()")
        inner = Scope(dict(zip(map(str, names), arguments)), {}, functions=self.functions, budget=self.budget, path=self.path)
        inner.errors, inner._resolving = self.errors, self._resolving
        self._resolving.add("functions:" + name.lower())
        try:
            return inner.value(_field(output, "value"))
        finally:
            self._resolving.discard("functions:" + name.lower())

    def lambda_value(self, names: list[str], body: tuple[Token, ...]) -> Lambda:
        """`lambda('x', ..., body)`: the body's tokens, evaluated when the function that
        takes the lambda calls it, with `lambdaVariables('x')` bound."""

        def run(values: tuple) -> Any:
            view = copy.copy(self)
            view.lambda_values = {**self.lambda_values, **dict(zip(names, values))}
            return _Parser(body, view).whole()[0]

        return Lambda(len(names), run)

    def origin(self, container: dict | list, key: Any) -> Mark | None:
        """Where the value of `container[key]` was written when it only names a
        parameter or variable (`[parameters('p')]`, `[variables('v')]`, followed through
        further such names): the parameter's origin or the variable's value; None when
        it is written where it stands or its origin is not known."""
        value, mark, seen = container[key], None, set()
        while isinstance(value, str) and (reference := _REFERENCE.fullmatch(value)) is not None:
            function, name = reference.group(1).lower(), reference.group(2).lower()
            if (function, name) in seen:
                return None
            seen.add((function, name))
            if function == "parameters":
                return self.origins.get(name)
            variable = matching_key(self.variables, name)
            if variable is None:
                return None
            value, mark = self.variables[variable], getattr(self.variables, "value_marks", {}).get(variable)
        return mark


_REFERENCE = regex(r"\[\s*(parameters|variables)\s*\(\s*'([^']*)'\s*\)\s*\]", re.IGNORECASE)


def _field(node: Any, name: str) -> Any:
    """A property of a template object, by its name in any case; None when absent."""
    if not isinstance(node, dict):
        return None
    key = matching_key(node, name)
    return node[key] if key is not None else None


def _copy_specs(node: dict) -> tuple[Any, list] | None:
    """The key and elements of an object's `copy` array (of variables or properties),
    when it has one; a resource's own `copy` is an object, and is not one."""
    key = matching_key(node, "copy")
    specs = node[key] if key is not None else None
    if isinstance(specs, list) and specs and all(isinstance(spec, dict) for spec in specs):
        return key, specs
    return None


def _copy_named(variables: dict, name: str) -> dict | None:
    """The element of the `variables` copy array that makes variable `name`."""
    copies = _copy_specs(variables)
    lowered = name.lower()
    return next((spec for spec in copies[1] if str(_field(spec, "name")).lower() == lowered), None) if copies else None


def with_members(node: YMap, members: dict) -> YMap:
    """A copy of `node` with some members replaced (the template's own objects are
    shared by loop instances and never changed)."""
    return _map_like(node, {**node, **members})


def _map_like(node: YMap, members: dict) -> YMap:
    """A YMap with `members`, at `node`'s position."""
    result = YMap(members)
    result.mark, result.end_line = node.mark, node.end_line
    result.key_marks, result.value_marks = dict(node.key_marks), dict(node.value_marks)
    return result


def _seq_like(node: Any, items: list, marks: list) -> YSeq:
    result = YSeq(items)
    result.mark, result.end_line, result.item_marks = getattr(node, "mark", None), getattr(node, "end_line", None), list(marks)
    return result


def _as_written(value: Any) -> Any:
    """An evaluated value as a template writes it literally: a string that starts
    with `[` escaped as `[[`, so that evaluating it again gives it back."""
    if isinstance(value, str) and value.startswith("["):
        return "[" + value
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_written(item) for item in value]
    return value


def _line_of(container: dict | list, key: Any) -> int | None:
    """The line a template value starts on (JSON and YAML documents keep them)."""
    marks = getattr(container, "value_marks" if isinstance(container, dict) else "item_marks", None)
    try:
        return marks[key].line
    except (TypeError, KeyError, IndexError, AttributeError):
        return None


def _tokens(source: str) -> tuple[Token, ...]:
    """The expression's tokens, each matched and stripped once: the parser looks at
    each several times. (Keeping them per expression text for the next template was
    measured too: no faster, and 16 MB more on the corpus's ARM files.)"""
    matches = [match for match in _TOKEN.finditer(source) if match.group().strip()]
    if not matches or matches[-1].end() != len(source.rstrip()):
        raise ExpressionError("cannot read it")
    return tuple((match.group().strip(), *match.groups()) for match in matches)


class _Parser:
    def __init__(self, tokens: tuple[Token, ...], scope: Scope):
        self.tokens = tokens
        self.position = 0
        self.scope = scope

    def peek(self) -> str:
        return self.tokens[self.position][0] if self.position < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> Token:
        if self.position >= len(self.tokens):
            raise ExpressionError("unexpected end")
        token = self.tokens[self.position]
        if expected is not None and token[0] != expected:
            raise ExpressionError(f"expected {expected!r}")
        self.position += 1
        return token

    def whole(self) -> tuple[Any, _Selection | None]:
        """A whole expression (a property's value, a variable's, a parameter's default,
        a function's output, a lambda's body), a level below what uses it."""
        budget = self.scope.budget
        budget.descend()
        try:
            result = self.selection()
            if self.position != len(self.tokens):
                raise ExpressionError("unexpected text after the expression")
            return result
        finally:
            budget.ascend()

    def expression(self) -> Any:
        return self.selection()[0]

    def selection(self) -> tuple[Any, _Selection | None]:
        """An expression's value and, when it only selects from a parameter or a
        variable (`parameters('p')[copyIndex()].x`), what it selects. Each expression
        is a level deeper than the one it is written in (or whose variable it is)."""
        budget = self.scope.budget
        budget.descend()
        try:
            token = self.take()
            _, string, number, name, symbol = token
            selected = None
            if string is not None:
                value: Any = string[1:-1].replace("''", "'")
            elif number is not None:
                try:
                    value = float(number) if "." in number else int(number)
                except ValueError:  # more digits than Python converts
                    raise ExpressionError("number too long") from None
            elif name is not None and name.lower() == "lambda":
                value = self.lambda_expression()
            elif name is not None:
                arguments = self.arguments()
                value = self.call(name, arguments)
                if name.lower() in ("parameters", "variables") and len(arguments) == 1 and isinstance(arguments[0], str):
                    selected = _Selection(name.lower(), arguments[0])
            else:
                raise ExpressionError(f"unexpected {symbol!r}")
            while self.peek() in (".", "["):
                if self.take()[0] == ".":
                    for key in self.take()[0].split("."):  # `a.b` reads as one token
                        value, selected = member(value, key), selected and selected.then(key, ())
                    continue
                reads = len(self.scope.loop_reads)
                key = self.expression()
                self.take("]")
                value, selected = member(value, key), selected and selected.then(key, tuple(self.scope.loop_reads[reads:]))
            return value, selected
        finally:
            budget.ascend()

    def arguments(self) -> list[Any]:
        self.take("(")
        arguments = []
        while self.peek() != ")":
            arguments.append(self.expression())
            if self.peek() == ",":
                self.take(",")
            elif self.peek() != ")":
                raise ExpressionError("expected ',' or ')'")
        self.take(")")
        return arguments

    def lambda_expression(self) -> Lambda:
        """`lambda('a', 'b', body)`: the names, then the body's tokens up to the
        closing parenthesis, kept unevaluated."""
        self.take("(")
        names = []
        while self.peek().startswith("'") and self.position + 1 < len(self.tokens) and self.tokens[self.position + 1][0] == ",":
            names.append(self.take()[0][1:-1].replace("''", "'"))
            self.take(",")
        start, depth = self.position, 0
        while depth or self.peek() != ")":
            if self.position >= len(self.tokens):
                raise ExpressionError("unexpected end")
            symbol = self.take()[0]
            depth += (symbol in "([") - (symbol in ")]") if len(symbol) == 1 else 0
        body = self.tokens[start:self.position]
        self.take(")")
        if not body:
            raise ExpressionError("lambda() without a body")
        return self.scope.lambda_value(names, body)

    def call(self, name: str, arguments: list[Any]) -> Any:
        lowered = name.lower()
        if lowered == "parameters":
            return self.scope.parameter(arguments[0]) if arguments and isinstance(arguments[0], str) else Unknown(name)
        if lowered == "variables":
            return self.scope.variable(arguments[0]) if arguments and isinstance(arguments[0], str) else Unknown(name)
        if lowered == "copyindex":
            return self.scope.copy_index(arguments)
        if lowered == "lambdavariables":
            found = arguments[0] in self.scope.lambda_values if len(arguments) == 1 and isinstance(arguments[0], str) else False
            return self.scope.lambda_values[arguments[0]] if found else Unknown(name)
        if "." in lowered:
            return self.scope.user_function(name, arguments)
        if lowered == "if":
            if len(arguments) != 3:
                raise ExpressionError("if() takes three arguments")
            condition = arguments[0]
            if isinstance(condition, bool):
                return arguments[1] if condition else arguments[2]
            return arguments[1] if arguments[1] == arguments[2] and not isinstance(arguments[1], Unknown) else Unknown("if()")
        if lowered in ("and", "or"):
            values = [argument if isinstance(argument, (bool, Unknown)) else Unknown("not a bool") for argument in arguments]
            decisive = lowered == "or"
            if decisive in values:
                return decisive
            return not decisive if all(isinstance(v, bool) for v in values) else Unknown(name)
        return apply_function(name, arguments, self.scope.budget)
