"""Terraform expression evaluation, per module directory.

Resolves what a module's own files make knowable: variable defaults overridden by
`terraform.tfvars`, `*.auto.tfvars` (alphabetical; `.json` forms too) and the var files
given on the command line or in the config, in Terraform's order; `locals`; string
interpolation; conditionals; operators; and the common pure functions. Anything else
(resource attributes, data sources, module outputs, `count.index`, `each`, `path`,
unknown functions) is `Unknown`, and so is any expression built from an Unknown.

Evaluation runs under the fixed budgets of `iacguard.budgets`: each scope counts its
own steps, values are sized before they are built, and numbers that cannot be known
exactly (`inf`, `nan`, an index out of any range) are Unknown rather than errors.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from iacguard.budgets import Budget, locate, replace_size, size_of, text_size
from iacguard.errors import BudgetExceeded
from iacguard.evaluators.module_call import ModuleCall
from iacguard.model import Location, Unknown
from iacguard.parsers import hcl
from iacguard.parsers.cache import ParseCache
from iacguard.parsers.hcl import Call, Conditional, Expr, Literal, ObjectExpr, Operation, Template, Traversal, TupleExpr


class ModuleScope:
    """The variables and locals of one module directory, as one file evaluates them.

    `local_paths` names the file each local is declared in and `path` the file whose
    expressions are evaluated, so that a budget error points at the expression it
    stopped in; where they are not known, it carries no line. `declared` holds where
    each variable is declared, with the default written there when it applies.

    The scope of a module instance (`called`) also knows its call: where the caller
    wrote each argument, so that `origin` can point a finding at it."""

    def __init__(self, variables: dict[str, Any], local_values: dict[str, Expr], local_paths: dict[str, str] | None = None, path: str | None = None,
                 declared: dict[str, tuple[Location, Expr | None]] | None = None):
        self.variables = variables
        self.local_values = local_values
        self.local_paths = local_paths or {}
        self.declared = declared or {}
        self.budget = Budget()
        self.module_call: ModuleCall | None = None
        self.arguments: dict[str, Expr] = {}
        self.caller: ModuleScope | None = None
        self._locals_done: dict[str, Any] = {}
        self._resolving: set[str] = set()
        self._current_path = path

    def for_file(self, path: str) -> ModuleScope:
        """A scope with the same declarations and nothing evaluated yet, for the file
        at `path`: evaluated values and budgets never pass from one file to another."""
        return ModuleScope(dict(self.variables), self.local_values, self.local_paths, path, self.declared)

    def called(self, call: ModuleCall, arguments: dict[str, Expr], caller: ModuleScope) -> None:
        """Make this the scope of the module instance `call`: the `arguments` the caller
        wrote for declared variables, evaluated in the `caller`'s scope, set them."""
        self.module_call, self.caller = call, caller
        self.arguments = {name: expr for name, expr in arguments.items() if name in self.variables}
        for name, expr in self.arguments.items():
            self.variables[name] = caller.evaluate(expr)

    def origin(self, expr: Expr, written: Location, to_literal: bool = False) -> Location:
        """Where the value of `expr`, written at `written` in this module, was decided,
        with the lines it passed through as hops: the caller's argument, or the
        variable's default the caller leaves in force, when `expr` names a variable
        of a called module (directly, by a path into it, or through locals); `written`
        itself otherwise. With `to_literal`, the variables and locals of the module
        itself, and of the root module, are followed too, to the default or value
        that writes the literal (where IG214 reports a credential: that text is what
        must go)."""
        if self.module_call is None and not to_literal:  # a root module: nothing outside decides its values
            return written
        try:
            return self._origin(expr, (), written, frozenset(), to_literal) or written
        except RecursionError:
            return written

    def _origin(self, expr: Expr, steps: tuple, use: Location, seen: frozenset[str], to_literal: bool) -> Location | None:
        if not isinstance(expr, Traversal) or expr.root not in ("var", "local") or not expr.steps or not isinstance(expr.steps[0], str):
            return None
        self.budget.step()
        name, steps = expr.steps[0], (*expr.steps[1:], *steps)
        if expr.root == "local":
            if name not in self.local_paths or name in seen:
                return None
            value, rest = _within(self.local_values[name], steps)
            here = _location(self.local_paths[name], value)
            found = self._origin(value, rest, here, seen | {name}, to_literal) or (here if to_literal else None)
            return found and replace(found, via=(use.hop(f"uses local.{name}"), *found.via))
        if name in self.arguments:
            argument, rest = _within(self.arguments[name], steps)
            written = _location(self.module_call.head.path, argument)
            return self.module_call.passed(name, self.caller._origin(argument, rest, written, frozenset(), to_literal) or written, use)
        declaration, default = self.declared.get(name, (None, None))
        if default is None:
            return None
        at = _location(declaration.path, _within(default, steps)[0])
        if self.module_call is not None:
            return self.module_call.defaulted(name, at, use)
        return replace(at, via=(use.hop(f"the default of variable {name} applies"),)) if to_literal else None

    def evaluate(self, expr: Expr | None) -> Any:
        if expr is None:
            return None
        try:
            return self._eval(expr)
        except RecursionError:
            return Unknown("expression nested too deeply")

    def _eval(self, expr: Expr) -> Any:
        self.budget.step()
        try:
            return self._value(expr)
        except BudgetExceeded as error:
            if self._current_path is not None:
                locate(error, self._current_path, expr.line)
            raise

    def _value(self, expr: Expr) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Template):
            parts = [part if isinstance(part, str) else _to_string(self._eval(part)) for part in expr.parts]
            unknown = _unknown_in(parts)
            if unknown:
                return unknown
            self.budget.build(sum(map(len, parts)), "string interpolation")
            return "".join(parts)
        if isinstance(expr, TupleExpr):
            items = [self._eval(item) for item in expr.items]
            return items
        if isinstance(expr, ObjectExpr):
            result = {}
            for key_expr, value_expr in expr.items:
                key = key_expr.root if isinstance(key_expr, Traversal) and not key_expr.steps else self._eval(key_expr)
                if isinstance(key, Unknown):
                    return key
                result[_to_string(key)] = self._eval(value_expr)
            return result
        if isinstance(expr, Traversal):
            return self._traverse(expr)
        if isinstance(expr, Call):
            return self._call(expr)
        if isinstance(expr, Conditional):
            condition = _to_bool(self._eval(expr.condition))
            if isinstance(condition, bool):
                return self._eval(expr.then if condition else expr.otherwise)
            then, otherwise = self._eval(expr.then), self._eval(expr.otherwise)
            known = not isinstance(then, Unknown) and not isinstance(otherwise, Unknown)
            return then if known and then == otherwise else Unknown("conditional on an unknown value")
        if isinstance(expr, Operation):
            return self._operate(expr)
        return Unknown(getattr(expr, "text", ""))

    def _traverse(self, expr: Traversal) -> Any:
        if expr.root == "var" and expr.steps and isinstance(expr.steps[0], str):
            value = self.variables.get(expr.steps[0], Unknown(f"var.{expr.steps[0]}"))
        elif expr.root == "local" and expr.steps and isinstance(expr.steps[0], str):
            value = self._local(expr.steps[0])
        else:
            return Unknown(expr.root)
        for step in expr.steps[1:]:
            if isinstance(value, Unknown):
                return value
            key = step if isinstance(step, str) else self._eval(step)
            if isinstance(key, Unknown) or key == "*":
                return Unknown("splat or unknown index")
            value = _index(value, key)
        return value

    def _local(self, name: str) -> Any:
        if name in self._locals_done:
            return self._locals_done[name]
        if name not in self.local_values or name in self._resolving:
            return Unknown(f"local.{name}")
        self._resolving.add(name)
        saved, self._current_path = self._current_path, self.local_paths.get(name)
        try:
            value = self._eval(self.local_values[name])
        finally:  # a budget error must not leave the local marked as being resolved
            self._resolving.discard(name)
            self._current_path = saved
        self._locals_done[name] = value
        return value

    def _call(self, expr: Call) -> Any:
        function = FUNCTIONS.get(expr.name)
        if function is None:
            return Unknown(f"{expr.name}()")
        args = [self._eval(arg) for arg in expr.args]
        if expr.name not in LENIENT:
            unknown = _unknown_in(args)
            if unknown:
                return unknown
        try:
            if expr.name in RESULT_SIZES:
                self.budget.check(RESULT_SIZES[expr.name](*args), f"{expr.name}()")
            result = _finite(function(*args))
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, ZeroDivisionError):
            return Unknown(f"{expr.name}()")
        self.budget.step(size_of(result))  # a copy costs its size too
        return result

    def _operate(self, expr: Operation) -> Any:
        values = [self._eval(operand) for operand in expr.operands]
        operator = expr.operator
        if len(values) == 1:
            (value,) = values
            if isinstance(value, Unknown):
                return value
            if operator == "!":
                boolean = _to_bool(value)
                return not boolean if isinstance(boolean, bool) else Unknown("!")
            return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else Unknown(operator)
        left, right = values
        if operator in ("&&", "||"):
            left, right = _to_bool(left), _to_bool(right)
            if operator == "&&":
                if left is False or right is False:
                    return False
                return True if left is True and right is True else Unknown("&&")
            if left is True or right is True:
                return True
            return False if left is False and right is False else Unknown("||")
        unknown = _unknown_in(values)
        if unknown:
            return unknown
        try:
            left, right = (_to_number(left), _to_number(right)) if operator in NUMERIC else (left, right)
            self.budget.arithmetic(operator, left, right)
            return _finite(OPERATORS[operator](left, right))
        except (KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError):
            return Unknown(operator)


def _location(path: str, expr: Expr) -> Location:
    return Location(path, expr.line, expr.column, expr.end_line, expr.end_column)


def _within(expr: Expr, steps: tuple) -> tuple[Expr, tuple]:
    """The part of an object or tuple literal that `steps` (attribute names and index
    expressions) select, as far as the literal is written out, and the steps left."""
    for position, step in enumerate(steps):
        key = step.value if isinstance(step, Literal) else step
        item = None
        if isinstance(expr, ObjectExpr) and isinstance(key, str):
            # the last one wins, as when the object is evaluated
            item = next((value for name, value in reversed(expr.items) if _literal_key(name) == key), None)
        elif isinstance(expr, TupleExpr) and type(key) is int and 0 <= key < len(expr.items):
            item = expr.items[key]
        if item is None:
            return expr, steps[position:]
        expr = item
    return expr, ()


def _literal_key(expr: Expr) -> str | None:
    """An object key written as a name or a plain string."""
    if isinstance(expr, Traversal) and not expr.steps:
        return expr.root
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
        return expr.parts[0]
    return None


def _index(value: Any, key: Any) -> Any:
    if isinstance(value, dict):
        return value.get(_to_string(key), Unknown(f"missing key {key}"))
    if isinstance(value, list) and isinstance(key, (int, float)) and not isinstance(key, bool) and 0 <= key < len(value):
        return value[int(key)]
    return Unknown(f"index {key}")


def _finite(value: Any) -> Any:
    """Terraform's numbers are exact: a float that overflowed (`inf`) or is not a
    number (`nan`) stands for a value we cannot know."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _unknown_in(values) -> Unknown | None:
    return next((value for value in values if isinstance(value, Unknown)), None)


def _to_string(value: Any) -> Any:
    """Terraform's string conversion: true/false, numbers without a trailing .0."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return Unknown("collection used as a string")
    return str(value)


def _to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return value if isinstance(value, Unknown) else Unknown(f"{value!r} is not a bool")


def _to_number(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(value)
    number = _finite(float(str(value)))
    return int(number) if number.is_integer() else number


_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])")


def _format(template: str, *args: Any) -> str:
    """Terraform's format(): %s %v %q %d %f %x %X %o %e with flags and widths;
    any other verb raises, so the result becomes Unknown rather than wrong."""
    values = iter(args)

    def substitute(match: re.Match) -> str:
        spec, verb = match.groups()
        if verb == "%":
            return "%"
        value = next(values)
        if verb == "q":
            return json.dumps(_string_or_fail(value))
        if verb in "sv":
            return ("%" + spec + "s") % _string_or_fail(value)
        if verb in "dxXo":
            return ("%" + spec + verb) % int(_to_number(value))
        if verb in "feE":
            return ("%" + spec + verb) % float(_to_number(value))
        raise ValueError(f"format verb %{verb}")

    return _VERB.sub(substitute, template)


def _coalesce(*args: Any) -> Any:
    for value in args:
        if isinstance(value, Unknown):
            return value
        if value is not None and value != "":
            return value
    raise ValueError("no non-null argument")


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, Unknown) or isinstance(key, Unknown):
        return Unknown("lookup()")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _try(*args: Any) -> Any:
    if not args or isinstance(args[0], Unknown):
        return Unknown("try()")
    return args[0]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "title": lambda s: s.title(),
    "trimspace": lambda s: s.strip(),
    "trim": lambda s, chars: s.strip(chars),
    "trimprefix": lambda s, prefix: s.removeprefix(prefix),
    "trimsuffix": lambda s, suffix: s.removesuffix(suffix),
    "replace": lambda s, old, new: s.replace(old, new),
    "format": _format,
    "join": lambda separator, items: separator.join(_to_string(item) for item in items),
    "split": lambda separator, s: s.split(separator),
    "substr": lambda s, offset, length: s[offset : None if length < 0 else offset + length],
    "startswith": lambda s, prefix: s.startswith(prefix),
    "endswith": lambda s, suffix: s.endswith(suffix),
    "strcontains": lambda s, part: part in s,
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next(items for items in lists if items),
    "lookup": _lookup,
    "try": _try,
    "can": lambda value: not isinstance(value, Unknown) or Unknown("can()"),
    "merge": lambda *maps: {key: value for mapping in maps for key, value in mapping.items()},
    "concat": lambda *lists: [item for items in lists for item in items],
    "contains": lambda items, value: value in items,
    "length": lambda value: len(value),
    "keys": lambda mapping: sorted(mapping),
    "values": lambda mapping: [mapping[key] for key in sorted(mapping)],
    "element": lambda items, index: items[int(index) % len(items)],
    "flatten": lambda items: [leaf for item in items for leaf in (item if isinstance(item, list) else [item])],
    "distinct": lambda items: list(dict.fromkeys(items)),
    "compact": lambda items: [item for item in items if item not in (None, "")],
    "tobool": lambda value: _bool_or_fail(value),
    "tostring": lambda value: _string_or_fail(value),
    "tonumber": _to_number,
    "tolist": lambda items: list(items),
    "toset": lambda items: list(dict.fromkeys(items)),
    "tomap": lambda mapping: dict(mapping),
    "min": lambda *numbers: min(numbers),
    "max": lambda *numbers: max(numbers),
    "abs": lambda number: abs(number),
    "ceil": lambda number: math.ceil(number),
    "floor": lambda number: math.floor(number),
}
LENIENT = {"coalesce", "try", "can", "lookup"}  # they decide themselves what an Unknown argument means


def _format_size(template: str, *args: Any) -> int:
    """At most how long format() makes its result: the template, every width and
    precision it asks for, and each argument as text."""
    widths = sum(int(number) for spec, _ in _VERB.findall(template) for number in re.findall(r"\d+", spec))
    return len(template) + widths + sum(map(text_size, args))


RESULT_SIZES: dict[str, Callable[..., int]] = {
    # The functions whose result can be longer than any argument, with a bound of its size.
    "replace": replace_size,
    "format": _format_size,
    "join": lambda separator, items: len(separator) * len(items) + sum(map(text_size, items)),
    "split": lambda separator, s: s.count(separator) + 1,
    "merge": lambda *maps: sum(map(size_of, maps)),
    "concat": lambda *lists: sum(map(size_of, lists)),
    "flatten": lambda items: sum(len(item) if isinstance(item, list) else 1 for item in items),
}

NUMERIC = {"<", ">", "<=", ">=", "+", "-", "*", "/", "%"}  # operators that take numbers (strings convert)
OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
}


def _bool_or_fail(value: Any) -> bool:
    result = _to_bool(value)
    if isinstance(result, Unknown):
        raise ValueError(value)
    return result


def _string_or_fail(value: Any) -> str:
    result = _to_string(value)
    if isinstance(result, Unknown):
        raise ValueError(value)
    return result


# Loading a module directory.

parsed_files = ParseCache(hcl.parse)  # a module's files: scanned, and read by their siblings


def module_scope(files: list[hcl.HclFile | None], var_files: list[tuple[Path, Any]], paths: list[str] | None = None) -> ModuleScope:
    """Variables and locals declared in `files` (None stands for a file that does not
    parse), with values from the var files (each read by `read_var_file`). `paths`,
    when given, names each of the files, so that budget errors can point into them."""
    defaults: dict[str, Any] = {}
    declared: dict[str, tuple[Location, Expr | None]] = {}
    local_values: dict[str, Expr] = {}
    local_paths: dict[str, str] = {}
    for parsed, path in zip(files, paths or [None] * len(files), strict=True):
        if parsed is None:
            continue
        literal = ModuleScope({}, {}, path=path)
        for block in parsed.body.blocks:
            if block.type == "variable" and block.labels:
                default = block.body.attributes.get("default")
                defaults[block.labels[0]] = literal.evaluate(default.value) if default else Unknown(f"var.{block.labels[0]}")
                if path is not None:
                    declared[block.labels[0]] = (Location(path, block.line, block.column), default.value if default else None)
            elif block.type == "locals":
                local_values.update({name: attribute.value for name, attribute in block.body.attributes.items()})
                if path is not None:
                    local_paths.update(dict.fromkeys(block.body.attributes, path))
    for path, content in var_files:
        for name, value in _var_file_values(path, content).items():
            if name in defaults:
                defaults[name] = value
                if name in declared:  # where a var file wrote the value is not tracked: findings stay at the reference
                    declared[name] = (declared[name][0], None)
    return ModuleScope(defaults, local_values, local_paths, declared=declared)


def var_files_of(directory: Path) -> list[Path]:
    """The var files Terraform loads by itself, in its order."""
    names = ["terraform.tfvars", "terraform.tfvars.json"]
    automatic = sorted(path.name for path in directory.glob("*.auto.tfvars*") if path.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [directory / name for name in names + automatic if os.path.lexists(directory / name)]


def read_var_file(path: Path, context) -> tuple[Path, Any]:
    """A var file read through the scan's input door: its parsed HCL, or its JSON
    document; None when it is refused or does not parse (the depending file is then
    incomplete)."""
    if not path.name.endswith(".json"):
        return path, parsed_files.dependency(path, context)
    text = context.read_dependency(path)
    if text is None:
        return path, None
    try:
        return path, json.loads(text)
    except (ValueError, RecursionError):
        context.refuse(path, "not valid JSON")
        return path, None


def _var_file_values(path: Path, content: Any) -> dict[str, Any]:
    if isinstance(content, hcl.HclFile):
        literal = ModuleScope({}, {}, path=str(path))
        return {name: literal.evaluate(attribute.value) for name, attribute in content.body.attributes.items()}
    return content if isinstance(content, dict) else {}
