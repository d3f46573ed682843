"""ARM template expressions (`"[concat(parameters('a'), '-x')]"`), evaluated as far as
the template and its parameter file make knowable.

Supported: `parameters()` (parameter file values over `defaultValue`),
`variables()`, `concat`, `format`, `if`, `equals`, `not`, `and`, `or`, `toLower`,
`toUpper`, `bool`, `string`, `int`, `union`, `coalesce`, `contains`, `empty`,
`length`, `createArray`, `createObject`, `first`, `last`, `startsWith`, `endsWith`,
`replace`, `split`, `join`, `trim`, `true`, `false`, `null`, property access
and indexing, and `resourceId()`, which yields a symbolic id. Everything else
(`resourceGroup()`, `reference()`, `uniqueString()`, ...) is `Unknown`, and so is
anything built from it. A malformed expression is reported, not raised.

Evaluation runs under the fixed budgets of `iacguard.budgets`: each scope counts its
own steps and functions are sized before they build their result.
"""

from __future__ import annotations

import re
from typing import Any

from iacguard.budgets import Budget, locate, replace_size, size_of, text_size
from iacguard.errors import BudgetExceeded
from iacguard.model import Unknown
from iacguard.parsers.yaml import Mark

_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)|(\S))")


class ExpressionError(ValueError):
    """A malformed template expression."""


def matching_key(mapping: dict, name: str) -> Any:
    """The key of `mapping` that spells `name`, ignoring case as ARM does for
    parameter, variable and property names; None when there is none. Keys that are
    not strings (a template read as YAML may have them) match nothing."""
    if name in mapping:
        return name
    lowered = name.lower()
    return next((key for key in mapping if isinstance(key, str) and key.lower() == lowered), None)


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


class Scope:
    """Parameters and variables of one template (or inner nested deployment).

    `origins` says where the value of a parameter was written in the template, by
    lower-case name: its default, or the outer template's value for an inner nested
    deployment; a value from a parameter file has none."""

    def __init__(self, parameters: dict[str, Any], variables: dict[str, Any], origins: dict[str, Mark] | None = None):
        self.parameters = parameters
        self.variables = variables
        self.origins = origins or {}
        self.errors: list[str] = []
        self.budget = Budget()
        self._variables_done: dict[str, Any] = {}
        self._resolving: set[str] = set()

    def value(self, value: Any) -> Any:
        """A JSON value with every expression in it evaluated."""
        self.budget.step()
        if is_expression(value):
            try:
                return self.expression(value[1:-1])
            except ExpressionError as error:
                self.errors.append(f"malformed template expression {value!r}: {error}")
                return Unknown(value)
            except RecursionError:
                return Unknown(value)
        if isinstance(value, str) and value.startswith("[["):
            return value[1:]
        if isinstance(value, dict):
            return {key: self.member_value(value, key) for key in value}
        if isinstance(value, list):
            return [self.member_value(value, index) for index in range(len(value))]
        return value

    def member_value(self, container: dict | list, key: Any) -> Any:
        """The evaluated value of one property or item; a budget error stopping in it
        is located at its line, when the template gives one."""
        try:
            return self.value(container[key])
        except BudgetExceeded as error:
            locate(error, None, _line_of(container, key))
            raise

    def expression(self, source: str) -> Any:
        tokens = [match for match in _TOKEN.finditer(source) if match.group().strip()]
        if not tokens or tokens[-1].end() != len(source.rstrip()):
            raise ExpressionError("cannot read it")
        self.budget.step(len(tokens))
        parser = _Parser(tokens, self)
        result = parser.expression()
        if parser.position != len(tokens):
            raise ExpressionError("unexpected text after the expression")
        return result

    def variable(self, name: str) -> Any:
        key = name.lower()
        if key in self._variables_done:
            return self._variables_done[key]
        match = matching_key(self.variables, name)
        if match is None or key in self._resolving:
            return Unknown(f"variables('{name}')")
        self._resolving.add(key)
        try:
            value = self.member_value(self.variables, match)
        finally:  # a budget error must not leave the variable marked as being resolved
            self._resolving.discard(key)
        self._variables_done[key] = value
        return value

    def parameter(self, name: str) -> Any:
        match = matching_key(self.parameters, name)
        return self.parameters[match] if match is not None else Unknown(f"parameters('{name}')")

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


_REFERENCE = re.compile(r"\[\s*(parameters|variables)\s*\(\s*'([^']*)'\s*\)\s*\]", re.IGNORECASE)


def _line_of(container: dict | list, key: Any) -> int | None:
    """The line a template value starts on (JSON and YAML documents keep them)."""
    marks = getattr(container, "value_marks" if isinstance(container, dict) else "item_marks", None)
    try:
        return marks[key].line
    except (TypeError, KeyError, IndexError):
        return None


class _Parser:
    def __init__(self, tokens: list[re.Match], scope: Scope):
        self.tokens = tokens
        self.position = 0
        self.scope = scope

    def peek(self) -> str:
        return self.tokens[self.position].group().strip() if self.position < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> re.Match:
        if self.position >= len(self.tokens):
            raise ExpressionError("unexpected end")
        token = self.tokens[self.position]
        if expected is not None and token.group().strip() != expected:
            raise ExpressionError(f"expected {expected!r}")
        self.position += 1
        return token

    def expression(self) -> Any:
        token = self.take()
        string, number, name, symbol = token.groups()
        if string is not None:
            value: Any = string[1:-1].replace("''", "'")
        elif number is not None:
            try:
                value = float(number) if "." in number else int(number)
            except ValueError:  # more digits than Python converts
                raise ExpressionError("number too long") from None
        elif name is not None:
            self.take("(")
            arguments = []
            while self.peek() != ")":
                arguments.append(self.expression())
                if self.peek() == ",":
                    self.take(",")
                elif self.peek() != ")":
                    raise ExpressionError("expected ',' or ')'")
            self.take(")")
            value = self.call(name, arguments)
        else:
            raise ExpressionError(f"unexpected {symbol!r}")
        while self.peek() in (".", "["):
            if self.take().group().strip() == ".":
                value = member(value, self.take().group().strip())
            else:
                index = self.expression()
                self.take("]")
                value = member(value, index)
        return value

    def call(self, name: str, arguments: list[Any]) -> Any:
        lowered = name.lower()
        if lowered == "parameters":
            return self.scope.parameter(arguments[0]) if arguments and isinstance(arguments[0], str) else Unknown(name)
        if lowered == "variables":
            return self.scope.variable(arguments[0]) if arguments and isinstance(arguments[0], str) else Unknown(name)
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


def apply_function(name: str, arguments: list[Any], budget: Budget) -> Any:
    """A template function shared by ARM and Bicep applied to evaluated arguments;
    Unknown when any argument is, when the function is not modelled, or when the
    arguments do not fit it. A result over the budgets is refused before it is built."""
    if any(isinstance(argument, Unknown) for argument in arguments):
        return Unknown(f"{name}()")
    function = _FUNCTIONS.get(name.lower())
    if function is None:
        return Unknown(f"{name}()")
    try:
        result_size = _RESULT_SIZES.get(name.lower())
        if result_size is not None:
            budget.check(result_size(*arguments), f"{name}()")
        result = function(*arguments)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, StopIteration, OverflowError):
        return Unknown(f"{name}()")
    budget.step(size_of(result))  # a copy costs its size too
    return result


def member(value: Any, key: Any) -> Any:
    """Property `key` of an object or item `key` of an array; names ignore case."""
    if isinstance(value, Unknown) or isinstance(key, Unknown):
        return Unknown("property of an unknown value")
    if isinstance(value, dict) and isinstance(key, str):
        match = matching_key(value, key)
        return value[match] if match is not None else Unknown(f"missing property {key}")
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return Unknown(f"[{key}]")


def _concat(*items: Any) -> Any:
    if items and all(isinstance(item, list) for item in items):
        return [element for item in items for element in item]
    return "".join(text(item) for item in items)


def text(value: Any) -> str:
    """A value as `string()` and `format()` render it."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dict, list)):
        raise ValueError("not a string")
    return str(value)


_PLACEHOLDER = re.compile(r"\{(\d+)(?::[^}]*)?\}")


def _format(template: str, *arguments: Any) -> str:
    return _PLACEHOLDER.sub(lambda match: text(arguments[int(match.group(1))]), template)


def _format_size(template: str, *arguments: Any) -> int:
    """At most how long format() makes its result: each placeholder may repeat the
    longest argument."""
    return len(template) + len(_PLACEHOLDER.findall(template)) * max(map(text_size, arguments), default=0)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, int):
        return value != 0
    raise ValueError(value)


def _union(*items: Any) -> Any:
    if all(isinstance(item, dict) for item in items):
        merged: dict = {}
        for item in items:
            merged.update(item)
        return merged
    return list(dict.fromkeys(element for item in items for element in item))


def _resource_id(*parts: Any) -> str:
    """A symbolic resource id: enough to tell ids apart and to read their names."""
    return "resourceId(" + ",".join(text(part) for part in parts) + ")"


_FUNCTIONS = {
    "concat": _concat,
    "format": _format,
    "equals": lambda a, b: a == b,
    "not": lambda a: not _bool(a),
    "tolower": lambda s: s.lower(),
    "toupper": lambda s: s.upper(),
    "bool": _bool,
    "string": text,
    "int": lambda v: int(v),
    "union": _union,
    "coalesce": lambda *values: next(v for v in values if v is not None),
    "contains": lambda container, item: (item in container) if not isinstance(container, str) else (str(item) in container),
    "empty": lambda value: len(value) == 0 if value is not None else True,
    "length": lambda value: len(value),
    "createarray": lambda *items: list(items),
    "createobject": lambda *items: {items[i]: items[i + 1] for i in range(0, len(items), 2)},
    "true": lambda: True,
    "false": lambda: False,
    "null": lambda: None,
    "resourceid": _resource_id,
    "first": lambda value: value[0],
    "last": lambda value: value[-1],
    "startswith": lambda value, prefix: value.lower().startswith(prefix.lower()),
    "endswith": lambda value, suffix: value.lower().endswith(suffix.lower()),
    "replace": lambda value, old, new: value.replace(old, new),
    "split": lambda value, separator: value.split(separator) if isinstance(separator, str) else _split_any(value, separator),
    "join": lambda items, separator: separator.join(items),
    "trim": lambda value: value.strip(),
}


_RESULT_SIZES = {
    # The functions whose result can be longer than any argument, with a bound of its size.
    "concat": lambda *items: sum(map(text_size, items)),
    "union": lambda *items: sum(map(size_of, items)),
    "format": _format_size,
    "replace": replace_size,
    "join": lambda items, separator: len(separator) * len(items) + sum(map(text_size, items)),
    "split": lambda value, separator: len(value) + 1,
}


def _split_any(value: str, separators: list[str]) -> list[str]:
    return re.split("|".join(re.escape(separator) for separator in separators), value)
