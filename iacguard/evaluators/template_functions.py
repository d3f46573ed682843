"""The template functions ARM templates and Bicep share, applied to evaluated values.

Both evaluators evaluate the arguments (ARM's `[concat(...)]`, Bicep's `concat(...)`)
and hand them here; a lambda argument (Bicep's `x => ...`, ARM's `lambda('x', ...)`)
arrives as a `Lambda` that evaluates its body in the evaluator it came from.

Supported, by group (names ignore case, as in ARM):

- strings: `concat`, `format`, `toLower`, `toUpper`, `trim`, `replace`, `split`,
  `join`, `substring`, `indexOf`, `lastIndexOf` (of strings: ignoring case; of
  arrays: exact), `startsWith`, `endsWith`, `string` (objects and arrays as compact
  JSON), `base64`, `base64ToString`, `json`;
- arrays and objects: `createArray`, `createObject`, `union`, `first`, `last`,
  `skip`, `take`, `range`, `flatten`, `contains`, `empty`, `length`, `items` (sorted
  by key), `objectKeys`, `tryGet`, `coalesce`;
- numbers: `add`, `sub`, `mul`, `div`, `mod` (of integers; division truncates
  toward zero), `min`, `max`;
- logic and conversion: `equals`, `less`, `lessOrEquals`, `greater`,
  `greaterOrEquals` (of two integers or two strings), `not`, `bool`, `int`, `true`,
  `false`, `null`, and `resourceId`, which yields a symbolic id;
- lambdas: `filter`, `map` (both also with the index as a second lambda variable),
  `mapValues`, `reduce`, `sort`, `groupBy`, `toObject`.

Any other function is Unknown (`uniqueString`, `resourceGroup`, `reference`, the
date and list functions...), and so is a call whose arguments are Unknown or do not
fit the function. Functions whose result can outgrow their arguments are sized
against the budgets before the result is built. Semantics follow the Bicep function
reference (learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions),
which ARM shares.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import Callable
from typing import Any

from iacguard.budgets import Budget, check_json_nesting, json_size, replace_size, size_of, text_size
from iacguard.lazy import regex
from iacguard.model import Unknown
from iacguard.structs import struct


def matching_key(mapping: dict, name: str) -> Any:
    """The key of `mapping` that spells `name`, ignoring case as ARM does for
    parameter, variable and property names; None when there is none. Keys that are
    not strings (a template read as YAML may have them) match nothing."""
    if name in mapping:
        return name
    lowered = name.lower()
    return next((key for key in mapping if isinstance(key, str) and key.lower() == lowered), None)


def member(value: Any, key: Any) -> Any:
    """Property `key` of an object or item `key` of an array; names ignore case."""
    if isinstance(value, Unknown) or isinstance(key, Unknown):
        return Unknown("property of an unknown value")
    if isinstance(value, dict) and isinstance(key, str):
        match = matching_key(value, key)
        return value[match] if match is not None else Unknown(f"missing property {key}")
    if isinstance(value, list) and _is_int(key) and 0 <= key < len(value):
        return value[key]
    return Unknown(f"[{key}]")


@struct(frozen=True)
class Lambda:
    """A lambda expression passed to a function: how many variables it declares, and
    `body`, which evaluates it with those variables bound to the values given."""

    arity: int
    body: Callable[[tuple], Any]

    def __call__(self, *values: Any) -> Any:
        return self.body(values[: self.arity])


def apply_function(name: str, arguments: list[Any], budget: Budget) -> Any:
    """Function `name` applied to evaluated arguments; Unknown when any argument is,
    when the function is not modelled, or when the arguments do not fit it. A result
    over the budgets is refused before it is built. A value too deep for Python's
    stack to walk (`RecursionError`) is not caught here: the evaluator stops the file
    on it, as on a budget, since an unknown would let the file pass unread."""
    if any(isinstance(argument, Unknown) for argument in arguments):
        return Unknown(f"{name}()")
    lowered = name.lower()
    function = _FUNCTIONS.get(lowered)
    takes_lambda = lowered in _LAMBDA_FUNCTIONS
    if function is None or takes_lambda != any(isinstance(argument, Lambda) for argument in arguments):
        return Unknown(f"{name}()")
    try:
        if lowered in _ARITHMETIC:
            budget.arithmetic(_ARITHMETIC[lowered], *arguments)
        if lowered in _COMPARING:
            budget.compare(*arguments)
        result_size = _RESULT_SIZES.get(lowered)
        if result_size is not None:
            budget.check(result_size(*arguments), f"{name}()")
        result = function(*arguments)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, StopIteration, OverflowError, _UnknownResult):
        return Unknown(f"{name}()")
    budget.step(size_of(result))  # a copy costs its size too
    return result


def text(value: Any) -> str:
    """A value as `string()`, `format()` and interpolation render a string, number
    or bool."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dict, list)) or value is None:
        raise ValueError("not a string")  # a function given one is unknown, not "None"
    return str(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> int:
    """An integer argument (`skip`, `take`, `range`...); anything else does not fit."""
    if not _is_int(value):
        raise TypeError("not an integer")
    return value


class _UnknownResult(Exception):
    """A lambda gave Unknown where the result depends on it (a filter's test, a sort's
    comparison, a key): the whole result is Unknown."""


def _known(value: Any) -> Any:
    if isinstance(value, Unknown):
        raise _UnknownResult
    return value


def _concat(*items: Any) -> Any:
    if items and all(isinstance(item, list) for item in items):
        return [element for item in items for element in item]
    return "".join(text(item) for item in items)


_PLACEHOLDER = regex(r"\{(\d+)(?::[^}]*)?\}")


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
    """Objects merged, the later's members winning, nested objects merged the same
    way (as ARM and Bicep merge them); arrays joined without repeats."""
    if all(isinstance(item, dict) for item in items):
        merged: dict = {}
        for item in items:
            for key, value in item.items():
                merged[key] = _union(merged[key], value) if isinstance(merged.get(key), dict) and isinstance(value, dict) else value
        return merged
    joined, seen = [], set()
    for element in (element for item in items for element in item):
        key = json.dumps(element, sort_keys=True, default=repr)  # objects and arrays too, which are no dict keys
        if key not in seen:
            seen.add(key)
            joined.append(element)
    return joined


def _resource_id(*parts: Any) -> str:
    """A symbolic resource id: enough to tell ids apart and to read their names."""
    return "resourceId(" + ",".join(text(part) for part in parts) + ")"


def _string(value: Any) -> str:
    """`string()`: objects and arrays as compact JSON."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text(value)


def _json(value: str) -> Any:
    """`json()` of a JSON text; `null` is null. A text nested past the budget is
    refused before it is decoded."""
    if not isinstance(value, str):
        raise TypeError("not a string")
    check_json_nesting(value)
    return json.loads(value)


def _substring(value: str, start: int = 0, length: int | None = None) -> str:
    """Fails, as the platform does, when the span leaves the string."""
    if not isinstance(value, str):
        raise TypeError("not a string")
    start = _count(start)
    end = len(value) if length is None else start + _count(length)
    if not 0 <= start <= end <= len(value):
        raise IndexError("outside the string")
    return value[start:end]


def _index_of(container: Any, item: Any, last: bool = False) -> int:
    """Strings are searched ignoring case, arrays for an equal item; -1 when absent."""
    if isinstance(container, str) and isinstance(item, str):
        return container.lower().rfind(item.lower()) if last else container.lower().find(item.lower())
    if not isinstance(container, list):
        raise TypeError("not a string or array")
    found = [index for index, element in enumerate(container) if element == item and isinstance(element, bool) == isinstance(item, bool)]
    return (found[-1] if last else found[0]) if found else -1


def _sequence(value: Any) -> Any:
    if not isinstance(value, (str, list)):
        raise TypeError("not a string or array")
    return value


def _object(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


def _items(value: dict) -> list[dict]:
    return [{"key": key, "value": value[key]} for key in sorted(_object(value), key=str)]


def _try_get(value: Any, *keys: Any) -> Any:
    """`tryGet(object, key...)`: null where a key is missing."""
    for key in keys:
        if value is None:
            return None
        found = member(value, key)
        if isinstance(found, Unknown):
            if isinstance(value, (dict, list)):
                return None
            raise TypeError("not an object or array")
        value = found
    return value


def _each(items: Any, function: Lambda) -> list:
    """`function` applied to each item, with the index as its second variable."""
    if not isinstance(items, list):
        raise TypeError("not an array")
    return [function(item, index) for index, item in enumerate(items)]


def _filter(items: list, test: Lambda) -> list:
    kept = _each(items, test)
    return [item for item, keep in zip(items, kept) if _bool(_known(keep))]


def _map_values(value: dict, function: Lambda) -> dict:
    return {key: function(item) for key, item in _object(value).items()}


def _reduce(items: list, initial: Any, function: Lambda) -> Any:
    if not isinstance(items, list):
        raise TypeError("not an array")
    result = initial
    for index, item in enumerate(items):
        result = function(result, item, index)
    return result


def _sort(items: list, before: Lambda) -> list:
    """Ordered so that `before(a, b)` holds for neighbours, as Bicep's comparison
    lambda says."""
    if not isinstance(items, list):
        raise TypeError("not an array")

    def compare(first: Any, second: Any) -> int:
        if _bool(_known(before(first, second))):
            return -1
        return 1 if _bool(_known(before(second, first))) else 0

    return sorted(items, key=functools.cmp_to_key(compare))


def _key(value: Any) -> str:
    if not isinstance(_known(value), str):
        raise TypeError("a key must be a string")
    return value


def _group_by(items: list, key_of: Lambda) -> dict:
    groups: dict[str, list] = {}
    for item, key in zip(items, _each(items, key_of)):
        groups.setdefault(_key(key), []).append(item)
    return groups


def _to_object(items: list, key_of: Lambda, value_of: Lambda | None = None) -> dict:
    keys = _each(items, key_of)
    return {_key(key): (value_of(item) if value_of else item) for item, key in zip(items, keys)}


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """A comparison of two integers or two strings; others do not fit."""

    def apply(first: Any, second: Any) -> bool:
        if not ((_is_int(first) and _is_int(second)) or (isinstance(first, str) and isinstance(second, str))):
            raise TypeError("not comparable")
        return compare(first, second)

    return apply


def divided(left: int, right: int, remainder: bool = False) -> int:
    """Integer division as ARM and Bicep do it: the quotient truncates toward zero, and
    the remainder has the sign of `left`."""
    if not (_is_int(left) and _is_int(right)) or right == 0:
        raise ValueError("not a division of integers")
    quotient = abs(left) // abs(right) * (1 if (left < 0) == (right < 0) else -1)
    return left - quotient * right if remainder else quotient


def _integers(operation: Callable[[int, int], int]) -> Callable[[Any, Any], int]:
    def apply(left: Any, right: Any) -> int:
        if not (_is_int(left) and _is_int(right)):
            raise TypeError("not integers")
        return operation(left, right)

    return apply


def _range(start: int, count: int) -> list[int]:
    return list(range(_count(start), _count(start) + _count(count)))


def _flatten(items: list) -> list:
    if not all(isinstance(item, list) for item in items):
        raise TypeError("not an array of arrays")
    return [element for item in items for element in item]


def _extreme(pick: Callable, *values: Any) -> int:
    """`min` and `max` of integers, given one by one or as one array."""
    numbers = values[0] if len(values) == 1 and isinstance(values[0], list) else list(values)
    if not numbers or not all(_is_int(number) for number in numbers):
        raise TypeError("not integers")
    return pick(numbers)


_FUNCTIONS: dict[str, Callable] = {
    "concat": _concat,
    "format": _format,
    "equals": lambda a, b: a == b,
    "add": _integers(lambda a, b: a + b),
    "sub": _integers(lambda a, b: a - b),
    "mul": _integers(lambda a, b: a * b),
    "div": divided,
    "mod": lambda a, b: divided(a, b, remainder=True),
    "less": _ordered(lambda a, b: a < b),
    "lessorequals": _ordered(lambda a, b: a <= b),
    "greater": _ordered(lambda a, b: a > b),
    "greaterorequals": _ordered(lambda a, b: a >= b),
    "not": lambda a: not _bool(a),
    "tolower": lambda s: s.lower(),
    "toupper": lambda s: s.upper(),
    "bool": _bool,
    "string": _string,
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
    "first": lambda value: _sequence(value)[0],
    "last": lambda value: _sequence(value)[-1],
    "skip": lambda value, count: _sequence(value)[max(_count(count), 0):],
    "take": lambda value, count: _sequence(value)[: max(_count(count), 0)],
    "startswith": lambda value, prefix: value.lower().startswith(prefix.lower()),
    "endswith": lambda value, suffix: value.lower().endswith(suffix.lower()),
    "replace": lambda value, old, new: value.replace(old, new),
    "split": lambda value, separator: value.split(separator) if isinstance(separator, str) else _split_any(value, separator),
    "join": lambda items, separator: separator.join(items),
    "trim": lambda value: value.strip(),
    "substring": _substring,
    "indexof": _index_of,
    "lastindexof": lambda container, item: _index_of(container, item, last=True),
    "range": _range,
    "flatten": _flatten,
    "items": _items,
    "objectkeys": lambda value: list(_object(value)),
    "tryget": _try_get,
    "json": _json,
    "base64": lambda value: base64.b64encode(value.encode("utf-8")).decode("ascii"),
    "base64tostring": lambda value: base64.b64decode(value, validate=True).decode("utf-8"),
    "min": lambda *values: _extreme(min, *values),
    "max": lambda *values: _extreme(max, *values),
    "filter": _filter,
    "map": _each,
    "mapvalues": _map_values,
    "reduce": _reduce,
    "sort": _sort,
    "groupby": _group_by,
    "toobject": _to_object,
}
_ARITHMETIC = {"add": "+", "sub": "-", "mul": "*"}  # integers grow: sized against the budget first
_COMPARING = frozenset(("equals", "contains", "indexof", "lastindexof"))  # objects and arrays are compared part by part: paid for first
_LAMBDA_FUNCTIONS = frozenset(("filter", "map", "mapvalues", "reduce", "sort", "groupby", "toobject"))


_RESULT_SIZES: dict[str, Callable[..., int]] = {
    # The functions whose result can be longer than any argument, with a bound of its size.
    "concat": lambda *items: sum(map(text_size, items)),
    "union": lambda *items: sum(map(size_of, items)),
    "format": _format_size,
    "replace": replace_size,
    "join": lambda items, separator: len(separator) * len(items) + sum(map(text_size, items)),
    "split": lambda value, separator: len(value) + 1,
    "range": lambda start, count: count if _is_int(count) else 0,
    "flatten": lambda items: sum(map(size_of, items)),
    "base64": lambda value: (len(value.encode("utf-8")) + 2) // 3 * 4,
    "string": json_size,
}


def _split_any(value: str, separators: list[str]) -> list[str]:
    return re.split("|".join(re.escape(separator) for separator in separators), value)
