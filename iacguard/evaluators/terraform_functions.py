"""Terraform's built-in functions that iacguard evaluates, and the conversions they
share with the evaluator (`iacguard.evaluators.terraform`).

Supported (Terraform's semantics; anything else is Unknown):

- strings: `lower`, `upper`, `title`, `trimspace`, `trim`, `trimprefix`,
  `trimsuffix`, `format`, `join`, `split`, `substr`, `startswith`, `endswith`,
  `strcontains`, `replace` (a `/pattern/` replaces by regular expression), `regex`,
  `regexall` (RE2 syntax, matched in time linear in the text, for patterns of
  bounded size: `iacguard.evaluators.regex`);
- collections: `length`, `concat`, `merge`, `flatten`, `distinct`, `compact`,
  `contains`, `element`, `one`, `keys`, `values`, `lookup`, `zipmap`, `setunion`,
  `coalesce`, `coalescelist`;
- conversions: `tobool`, `tostring`, `tonumber`, `tolist`, `toset`, `tomap`,
  `jsondecode`, `yamldecode` (of text the configuration writes: literals, heredocs,
  rendered templates);
- numbers: `min`, `max`, `abs`, `ceil`, `floor`;
- errors: `try` (the first argument that evaluates without an error) and `can`;
- files: `templatefile`, evaluated by the scope (it reads a file): a template beside
  the configuration, read through the scan's input door inside the scan root, with
  `${...}` interpolations (a template with `%{...}` directives is Unknown).

A function given arguments Terraform rejects gives `Invalid` (an Unknown that `try`
and `can` know to be an error). Sets are lists here, ordered as Terraform orders a
set of strings (lexically) or of numbers. Results that can outgrow their arguments
are sized before they are built (`RESULT_SIZES`), and the functions that do more
than linear work in their arguments pay it to the evaluation budget (`BUDGETED`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from iacguard import lazy
from iacguard.budgets import MAX_DISTINCT_COLLECTIONS, MAX_VALUE_SIZE, Budget, check_json_nesting, check_nesting, number_literal, replace_size, size_of, text_size
from iacguard.errors import BudgetExceeded, ParseError
from iacguard.evaluators import regex
from iacguard.model import Unknown
from iacguard.structs import struct


@struct(frozen=True, slots=True)
class Invalid(Unknown):
    """A value Terraform would refuse with an error (a missing key, an index out of
    range, a function given arguments it rejects). Rules see an Unknown; `try` and
    `can` know that evaluating it failed."""


def unknown_in(values) -> Unknown | None:
    """The first Unknown among `values` (an Invalid first: an error wins)."""
    found = None
    for value in values:
        if isinstance(value, Invalid):
            return value
        if found is None and isinstance(value, Unknown):
            found = value
    return found


def unknown_within(value: Any) -> Unknown | None:
    """An Unknown anywhere inside `value` (lists and maps are walked). A value can
    share its parts (a list holding one local twice), so the walk is bounded: past
    `MAX_VALUE_SIZE` parts the value counts as unknown."""
    stack = [value]
    visited = 0
    while stack:
        visited += 1
        if visited > MAX_VALUE_SIZE:
            return Unknown("value too large to inspect")
        current = stack.pop()
        if isinstance(current, Unknown):
            return current
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return None


def finite(value: Any) -> Any:
    """Terraform's numbers are exact: a float that overflowed (`inf`) or is not a
    number (`nan`) stands for a value we cannot know."""
    if isinstance(value, float) and not math.isfinite(value):
        raise OverflowError("not a finite number")
    return value


def holds_non_finite(value: Any, step: Callable[[], object] | None = None) -> bool:
    """True when `value` (decoded JSON or YAML) holds a float that is not finite,
    which no Terraform number is: `.inf` and `.nan` in YAML, a number JSON reads as
    infinity (`1e999`). `step` is called for each value walked (a budget's)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if step is not None:
            step()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            return True
    return False


def to_string(value: Any) -> Any:
    """Terraform's string conversion: true/false, numbers without a trailing .0. A
    null is no string: Terraform refuses it in a template, a `join`, a string
    argument (`tostring(null)` alone stays null)."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return Invalid("null used as a string")
    if isinstance(value, (list, dict)):
        return Invalid("collection used as a string")
    return str(value)


def to_bool(value: Any) -> Any:
    """cty's bool conversion: of the strings, "true" and "1", "false" and "0"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "1", "false", "0"):
        return value in ("true", "1")
    return value if isinstance(value, Unknown) else Invalid(f"{value!r} is not a bool")


_DECIMAL = lazy.regex(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def to_number(value: Any) -> Any:
    """cty's number conversion: of a string, only a plain decimal number (no `1_000`,
    no white space around it, no `inf`), which Python's float() would also take."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return finite(value)
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise ValueError(f"{value!r} is not a number")
    number = finite(float(value))
    return int(number) if number.is_integer() else number


class SetValue(list):
    """A list that is a set: read as any list, but a loop over it (`for`, a `dynamic`
    block) takes each element as its key too, as Terraform iterates a set."""


def to_set(items: Any) -> Any:
    """A set as Terraform orders it: strings lexically, numbers by value (a mix of
    strings and other primitives converts to strings); other elements keep the order
    they came in."""
    items = _list(items)
    primitives = all(isinstance(item, (str, int, float)) for item in items)
    if primitives and any(isinstance(item, str) for item in items):
        return SetValue(sorted({to_string(item) for item in items}))
    if primitives and not any(isinstance(item, bool) for item in items):
        return SetValue(sorted(set(items)))
    unique = _distinct(items)
    return SetValue(unique) if isinstance(unique, list) else unique


def _distinct(items: Any) -> Any:
    """The items without repeats, first occurrences kept in order."""
    items = _list(items)
    if all(isinstance(item, (str, int, float, bool)) or item is None for item in items):
        return list({(type(item), item): item for item in items}.values())
    if len(items) > MAX_DISTINCT_COLLECTIONS:  # compared pairwise: quadratic in their number
        return Unknown("too many collections to compare")
    unique: list = []
    for item in items:
        if item not in unique:
            unique.append(item)
    return unique


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError("a list or set is required")
    return value


def _map(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError("a map or object is required")
    return value


def _string(value: Any) -> str:
    result = to_string(value)
    if isinstance(result, Unknown) or isinstance(value, (list, dict)):
        raise TypeError(f"{value!r} is not a string")
    return result


def _bool(value: Any) -> bool:
    result = to_bool(value)
    if isinstance(result, Unknown):
        raise TypeError(f"{value!r} is not a bool")
    return result


_VERB = lazy.regex(r"%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%\[])")


_NONE = object()  # past the last argument


def _format(template: str, *args: Any) -> str:
    """Terraform's format(): %s %v %q %d %f %x %X %o %e with flags and widths;
    any other verb raises, so the result is not a guess."""
    values = iter(args)

    def substitute(match: re.Match) -> str:
        spec, verb = match.groups()
        if verb == "%":
            return "%"
        if verb in "[tbgG" or "#" in spec:  # Terraform's, not read here: an argument index, %t, %b, %#v
            raise regex.Unsupported(f"format verb %{spec}{verb}")
        value = next(values, _NONE)
        if value is _NONE:
            raise ValueError("fewer arguments than verbs")
        if verb == "q":
            return json.dumps(_string(value))
        if verb in "sv":
            return ("%" + spec + "s") % _string(value)
        if verb in "dxXo":
            number = to_number(value)
            if number != int(number):
                raise ValueError(f"%{verb} of a number with a fraction")
            return ("%" + spec + verb) % int(number)
        if verb in "feE":
            return ("%" + spec + verb) % float(to_number(value))
        raise ValueError(f"format verb %{verb}")  # no verb of Terraform's: it refuses the call

    result = _VERB.sub(substitute, template)
    if next(values, _NONE) is not _NONE:
        raise ValueError("more arguments than verbs")
    return result


def _format_size(template: str, *args: Any) -> int:
    """At most how long format() makes its result: the template, every width and
    precision it asks for, and each argument as text."""
    widths = sum(int(number) for spec, _ in _VERB.findall(template) for number in re.findall(r"\d+", spec))
    return len(template) + widths + sum(map(text_size, args))


def _title(text: Any) -> str:
    """Terraform's `title` (Go's `strings.Title`): the first letter of each word
    upper-cased, every other letter left as written ("HELLO wORLD" stays "HELLO WORLD";
    Python's `str.title` would lower the rest of each word). A word starts after a
    space or ASCII punctuation; letters, digits and `_` continue one."""
    characters, previous = [], " "
    for char in _string(text):
        title = char.title() if _separates_words(previous) else char
        characters.append(title if len(title) == 1 else char)  # one character for one, as Go maps runes
        previous = char
    return "".join(characters)


def _separates_words(char: str) -> bool:
    if char.isascii():
        return not (char.isalnum() or char == "_")
    return not (char.isalpha() or char.isdecimal()) and char.isspace()


def _substr(text: Any, offset: Any, length: Any) -> str:
    """A negative offset counts from the end of the text; a negative length takes
    the rest."""
    text, offset, length = _string(text), int(to_number(offset)), int(to_number(length))
    if offset < 0:
        offset += len(text)
        if offset < 0:
            raise ValueError("offset before the start of the text")
    return text[offset : None if length < 0 else offset + length]


def _coalesce(*args: Any) -> Any:
    for value in args:
        if isinstance(value, Unknown):
            return value
        if value is not None and value != "":
            return value
    raise ValueError("no non-null argument")


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, Unknown) or isinstance(key, Unknown):
        return unknown_in([mapping, key])
    if key in _map(mapping):
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _try(*args: Any) -> Any:
    """The first argument that is not an error; an argument that cannot be known
    might be one, so the result is then unknown too."""
    for value in args:
        if not isinstance(value, Invalid):
            return value
    return args[-1] if args else Invalid("try()")


def _can(value: Any) -> Any:
    if isinstance(value, Invalid):
        return False
    return value if isinstance(value, Unknown) else True


def _one(items: Any) -> Any:
    items = _list(items)
    if len(items) > 1:
        raise ValueError("more than one element")
    return items[0] if items else None


def _element(items: Any, index: Any) -> Any:
    index = int(to_number(index))
    if index < 0:
        raise IndexError("negative index")
    return _list(items)[index % len(items)]


def _flatten(items: Any) -> Any:
    """Nested lists flattened to any depth; a list that shares its parts can hold far
    more leaves than it took to build, so the items visited are bounded."""
    flat, stack, visited = [], [iter(_list(items))], 0
    while stack:
        visited += 1
        if visited > MAX_VALUE_SIZE:
            raise BudgetExceeded(f"flatten() would visit more than {MAX_VALUE_SIZE:,} items")
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
        elif isinstance(item, Unknown):
            return item  # it may be a list, whose items belong in the result
        elif isinstance(item, list):
            stack.append(iter(item))
        else:
            flat.append(item)
    return flat


_END = object()


def _zipmap(keys: Any, values: Any) -> Any:
    keys, values = _list(keys), _list(values)
    if len(keys) != len(values):
        raise ValueError("zipmap needs as many values as keys")
    unknown = unknown_in(keys)
    return unknown or {_string(key): value for key, value in zip(keys, values, strict=True)}


def _join(separator: str, *lists: Any) -> str:
    return _string(separator).join(_string(item) for items in lists for item in _list(items))


def _contains(items: Any, value: Any) -> bool:
    return value in _list(items)


def _compiled(budget: Budget, pattern: Any) -> regex.Pattern:
    """`pattern` compiled, paid for first: a step per character read."""
    pattern = _string(pattern)
    budget.step(len(pattern))
    return regex.compile_pattern(pattern)


def _captures(pattern: regex.Pattern, text: str, found: list) -> Any:
    """What `regex` returns for a match: the matched text without groups, a list of
    the groups' texts, or a map when the groups are named (mixing is an error)."""
    groups = [None if found[2 * n] is None else text[found[2 * n] : found[2 * n + 1]] for n in range(1, len(pattern.names) + 1)]
    if not pattern.names:
        return text[found[0] : found[1]]
    named = [name is not None for name in pattern.names]
    if all(named):
        return dict(zip(pattern.names, groups, strict=True))
    if any(named):
        raise ValueError("named and unnamed groups mixed")
    return groups


def _matches(pattern: regex.Pattern, text: str, budget: Budget):
    """Every match, left to right, without overlaps (an empty match moves on by one)."""
    start = 0
    while start <= len(text):
        found = pattern.search(text, start, budget.step)
        if found is None:
            return
        yield found
        start = found[1] + (found[1] == found[0])


def _regex(budget: Budget, pattern: Any, text: Any) -> Any:
    compiled, text = _compiled(budget, pattern), _string(text)
    found = compiled.search(text, 0, budget.step)
    if found is None:
        raise ValueError("no match")
    return _captures(compiled, text, found)


def _regexall(budget: Budget, pattern: Any, text: Any) -> list:
    compiled, text = _compiled(budget, pattern), _string(text)
    return [_captures(compiled, text, found) for found in _matches(compiled, text, budget)]


_GROUP_REFERENCE = lazy.regex(r"\$(\$|\{(\w+)\}|(\w+))")


def _replace(budget: Budget, text: Any, old: Any, new: Any) -> str:
    """Terraform's replace: a substring, or, when `old` is written `/.../`, every
    match of that pattern, with `$1`, `${name}` and `$$` in `new` as Go expands
    them (a name that is no group is empty)."""
    text, old, new = _string(text), _string(old), _string(new)
    if not (len(old) > 1 and old.startswith("/") and old.endswith("/")):
        budget.check(replace_size(text, old, new), "replace()")
        return text.replace(old, new)
    compiled = _compiled(budget, old[1:-1])
    parts, end = [], 0
    for found in _matches(compiled, text, budget):
        parts += [text[end : found[0]], _expand(new, compiled, text, found)]
        end = found[1]
        budget.check(sum(map(len, parts)), "replace()")
    return "".join([*parts, text[end:]])


def _expand(template: str, pattern: regex.Pattern, text: str, found: list) -> str:
    def group(match: re.Match) -> str:
        if match.group(1) == "$":
            return "$"
        name = match.group(2) or match.group(3)
        number = int(name) if name.isdigit() else (pattern.names.index(name) + 1 if name in pattern.names else None)
        if number is None or number > len(pattern.names) or found[2 * number] is None:
            return ""
        return text[found[2 * number] : found[2 * number + 1]]

    return _GROUP_REFERENCE.sub(group, template)


def _jsondecode(budget: Budget, text: Any) -> Any:
    """A text nested past the budget is refused before it is decoded."""
    text = _string(text)
    budget.step(len(text))
    check_json_nesting(text)

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_int=number_literal, parse_float=_finite_float, parse_constant=refuse)


def _yamldecode(budget: Budget, text: Any) -> Any:
    """YAML read as iacguard reads Kubernetes files (YAML 1.1: Terraform reads 1.2,
    where `yes` stays a string; the rules convert such a value only where both agree).
    A text nested past the budget is refused before it is decoded."""
    from iacguard.parsers import yaml  # loaded by the few configurations that decode YAML

    text = _string(text)
    budget.step(len(text))
    try:
        _check_yaml_nesting(text, yaml.Loader)
        documents = yaml.load(text).documents
    except ParseError as error:
        raise ValueError(str(error)) from None
    if len(documents) > 1:
        raise ValueError("more than one YAML document")
    root = documents[0].root if documents else None
    if holds_non_finite(root, budget.step):  # `.inf` and `.nan` are YAML numbers
        raise ValueError("a number that is not finite")
    return root


def _check_yaml_nesting(text: str, loader: type) -> None:
    """Refuse a YAML text nested past `MAX_NESTING`, from its events, before a value
    is built of it (which takes a level of Python's stack for each level). An alias
    is as deep as the node its anchor names, which a chain of anchors, each using the
    one before, makes deeper than the text. Text that is no YAML is left to the
    loader to say why (from a lone surrogate, which libyaml cannot take, to a
    syntax error)."""
    import yaml as pyyaml

    open_nodes: list[list] = [[0, None]]  # for each collection open: how deep its members go, its anchor
    heights: dict[str, int] = {}  # by anchor: how deep the node it names goes
    try:
        for event in pyyaml.parse(text, Loader=loader):
            if isinstance(event, pyyaml.CollectionStartEvent):
                open_nodes.append([0, event.anchor])
                check_nesting(len(open_nodes) - 1, "a decoded YAML document nests")
            elif isinstance(event, pyyaml.CollectionEndEvent):
                below, anchor = open_nodes.pop()
                if anchor is not None:
                    heights[anchor] = below + 1
                open_nodes[-1][0] = max(open_nodes[-1][0], below + 1)
            elif isinstance(event, pyyaml.AliasEvent):
                height = heights.get(event.anchor, 0)
                check_nesting(len(open_nodes) - 1 + height, "a decoded YAML document nests")
                open_nodes[-1][0] = max(open_nodes[-1][0], height)
    except (pyyaml.YAMLError, UnicodeEncodeError) as error:
        if getattr(error, "problem", None) == "exceeded maximum nesting depth":  # libyaml's own limit, met before the first event of a flow collection
            check_nesting(_LIBYAML_NESTING + 1, "a decoded YAML document nests")


_LIBYAML_NESTING = 1_000  # how deep libyaml reads (its `max_nest_level`)


def _finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent: `1e999` overflows to infinity,
    which no Terraform number is."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": lambda s: _string(s).lower(),
    "upper": lambda s: _string(s).upper(),
    "title": _title,
    "trimspace": lambda s: _string(s).strip(),
    "trim": lambda s, chars: _string(s).strip(_string(chars)),
    "trimprefix": lambda s, prefix: _string(s).removeprefix(_string(prefix)),
    "trimsuffix": lambda s, suffix: _string(s).removesuffix(_string(suffix)),
    "format": _format,
    "join": _join,
    "split": lambda separator, s: _string(s).split(_string(separator)),
    "substr": _substr,
    "startswith": lambda s, prefix: _string(s).startswith(_string(prefix)),
    "endswith": lambda s, suffix: _string(s).endswith(_string(suffix)),
    "strcontains": lambda s, part: _string(part) in _string(s),
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next(items for items in map(_list, lists) if items),
    "lookup": _lookup,
    "try": _try,
    "can": _can,
    "one": _one,
    "merge": lambda *maps: {key: value for mapping in maps if mapping is not None for key, value in _map(mapping).items()},
    "concat": lambda *lists: [item for items in lists for item in _list(items)],
    "contains": _contains,
    "length": lambda value: len(value if isinstance(value, (dict, str)) else _list(value)),
    "keys": lambda mapping: sorted(_map(mapping)),
    "values": lambda mapping: [mapping[key] for key in sorted(_map(mapping))],
    "element": _element,
    "flatten": _flatten,
    "distinct": _distinct,
    "compact": lambda items: [item for item in _list(items) if item not in (None, "")],
    "zipmap": _zipmap,
    "setunion": lambda *sets: to_set([item for items in sets for item in _list(items)]),
    # A conversion of null is a null of the type.
    "tobool": lambda value: None if value is None else _bool(value),
    "tostring": lambda value: None if value is None else _string(value),
    "tonumber": lambda value: None if value is None else to_number(value),
    "tolist": lambda items: list(_list(items)),
    "toset": to_set,
    "tomap": lambda mapping: dict(_map(mapping)),
    "min": lambda *numbers: min(map(to_number, numbers)),
    "max": lambda *numbers: max(map(to_number, numbers)),
    "abs": lambda number: abs(to_number(number)),
    "ceil": lambda number: math.ceil(to_number(number)),
    "floor": lambda number: math.floor(to_number(number)),
}
# They take the evaluation budget first: their work is not linear in their arguments.
BUDGETED: dict[str, Callable[..., Any]] = {
    "regex": _regex,
    "regexall": _regexall,
    "replace": _replace,
    "jsondecode": _jsondecode,
    "yamldecode": _yamldecode,
}
LENIENT = {"coalesce", "try", "can", "lookup"}  # they decide themselves what an Unknown argument means
# They move values without reading them: an Unknown inside an argument stays where it is.
STRUCTURAL = {"concat", "merge", "length", "element", "keys", "values", "tolist", "tomap", "one", "coalescelist", "zipmap", "flatten"}

RESULT_SIZES: dict[str, Callable[..., int]] = {
    # The functions whose result can be longer than any argument, with a bound of its size.
    "format": _format_size,
    "join": lambda separator, *lists: sum((len(separator) + 1) * len(items) + sum(map(text_size, items)) for items in lists if isinstance(items, list)),
    "split": lambda separator, s: s.count(separator) + 1 if isinstance(s, str) and isinstance(separator, str) and separator else 0,
    "merge": lambda *maps: sum(map(size_of, maps)),
    "concat": lambda *lists: sum(map(size_of, lists)),
    "setunion": lambda *sets: sum(map(size_of, sets)),
}
