"""Bicep expressions, evaluated as far as the file, its parameter values and a module
call's inputs make knowable.

Parameters take the value given (parameter file or module call) over their default;
variables are evaluated on first use, cycle-safe. Operators follow Bicep: `==` and
`!=` compare exactly, `=~` and `!~` ignore case, `&&` and `||` are decided by a known
operand even when the other is unknown, `??` takes the right side for null, and `?:`
with an unknown condition is known only when both branches agree. Functions are the
ones ARM templates share (`iacguard.evaluators.arm`), also under the `sys.` and `az.`
namespaces. Resource and module references, loop variables, lambdas, `for`
expressions and every other function are Unknown, and so is anything built from them.

Object and array literals become `YMap`/`YSeq` values that keep the position of each
property and item, so findings point at the line that sets a value, even through a
variable. In a module (`called`), a property or item whose value is one of the
module's parameters is located where the caller wrote the argument, or where the
parameter's default is written when the caller leaves it unset, with the module's
lines as hops (`iacguard.evaluators.module_call`); so is everything inside such a
value, whose positions are `Location`s of the file that wrote them (`placed`).
A value passed in and used in any other way (through a function, say) counts as
written where the module uses it.

Evaluation runs under the fixed budgets of `iacguard.budgets`: each scope counts its
own steps, and strings, arrays and integers are sized before they are built.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from iacguard.budgets import Budget, locate, text_size
from iacguard.errors import BudgetExceeded
from iacguard.evaluators.arm import apply_function, matching_key, member, text
from iacguard.evaluators.module_call import ModuleCall
from iacguard.model import Location, Related, Unknown
from iacguard.parsers.bicep_syntax import Node, Statement
from iacguard.parsers.yaml import Mark, YMap, YSeq

_NAMESPACES = ("sys.", "az.")
_REFERENCES = ("name", "member", "safe_member", "index", "safe_index", "non_null")  # what can name a parameter or variable


class BicepScope:
    """The parameters, variables and symbols of one Bicep file (or module call)."""

    def __init__(self, statements: list[Statement], given: dict[str, Any], path: str = ""):
        self.parameters = {s.name: s for s in statements if s.kind == "param"}
        self.variables = {s.name: s for s in statements if s.kind == "var"}
        self.given = given
        self.path = path
        self.errors: list[str] = []  # the ARM reader's interface; Bicep expressions never fail
        self.local_names: frozenset[str] = frozenset()  # loop variables in reach
        self.budget = Budget()
        self.module_call: ModuleCall | None = None
        self.arguments: dict[str, tuple[Location, Location | None]] = {}
        self._done: dict[str, Any] = {}
        self._resolving: set[str] = set()
        # Where a property or item that names a parameter or variable stands -> where
        # the literal it names is written (see `origin`).
        self._literals: dict[Mark | Location, Location] = {}

    def called(self, call: ModuleCall, arguments: dict[str, tuple[Location, Location | None]]) -> None:
        """Make this the scope of the module instance `call`. `arguments` says, for
        each parameter value the caller gives, where the caller wrote it and, when
        that names one of the caller's own parameters or variables, where their
        literal is."""
        self.module_call, self.arguments = call, arguments

    def value(self, value: Any) -> Any:
        """Values are evaluated already: the ARM resource reader asks anyway."""
        return value

    def origin(self, container: dict | list, key: Any) -> Location | None:
        """The ARM reader's interface: where the literal is written that
        `container[key]` names through parameters and variables (a default, a
        variable's value, a module caller's argument), with the lines between as
        hops; None when the value is written where it stands. Where IG214 reports a
        credential: that text is what must go."""
        marks = getattr(container, "value_marks", None) if isinstance(container, dict) else getattr(container, "item_marks", None)
        if marks is None:
            return None
        mark = marks.get(key) if isinstance(marks, dict) else (marks[key] if isinstance(key, int) and 0 <= key < len(marks) else None)
        return self._literals.get(mark) if mark is not None else None

    def evaluate(self, node: Node, local_names: frozenset[str] = frozenset()) -> Any:
        """The value of `node`, with `local_names` bound to unknown values."""
        saved, self.local_names = self.local_names, local_names
        try:
            return self._evaluate(node)
        except RecursionError:
            return Unknown("expression nested too deeply")
        finally:
            self.local_names = saved

    def _evaluate(self, node: Node) -> Any:
        self.budget.step()
        try:
            return self._value(node)
        except BudgetExceeded as error:
            locate(error, None, node.line)
            raise

    def _value(self, node: Node) -> Any:
        kind = node.kind
        if kind == "literal":
            return node.value
        if kind == "name":
            return self.name(node.value)
        if kind == "object":
            return self.object(node)
        if kind == "array":
            return self.array(node)
        if kind == "string":
            return self.string(node)
        if kind in ("member", "safe_member", "index", "safe_index"):
            return self.access(node)
        if kind == "call":
            return self.call(node)
        if kind == "unary":
            return _unary(node.value, self._evaluate(node.items[0]))
        if kind == "binary":
            return self.binary(node)
        if kind == "ternary":
            condition, then, otherwise = node.items
            test = self._evaluate(condition)
            if isinstance(test, bool):
                return self._evaluate(then if test else otherwise)
            first, second = self._evaluate(then), self._evaluate(otherwise)
            return first if first == second and not isinstance(first, Unknown) else Unknown("?:")
        if kind == "non_null":
            return self._evaluate(node.items[0])
        return Unknown(kind)

    def name(self, name: str) -> Any:
        if name in self.local_names:
            return Unknown(name)
        if name in self._done:
            return self._done[name]
        declaration = self.parameters.get(name) or self.variables.get(name)
        if declaration is None or name in self._resolving:
            return Unknown(name)  # a resource, module, import, or a cycle
        if declaration.kind == "param" and name in self.given:
            value = self.given[name]
        elif declaration.value is None:
            value = Unknown(name)
        else:
            self._resolving.add(name)
            try:
                value = self.evaluate(declaration.value)  # declarations see no loop variables
            finally:  # a budget error must not leave the variable marked as being resolved
                self._resolving.discard(name)
        self._done[name] = value
        return value

    def object(self, node: Node) -> Any:
        result = YMap()
        result.mark, result.end_line = Mark(node.line, node.column), node.end_line
        result.key_marks, result.value_marks = {}, {}
        for prop in node.items:
            if isinstance(prop.value, Statement):
                continue  # a nested resource: declared on its own
            if prop.key is None:  # ...spread
                spread = self._evaluate(prop.value.items[0])
                if not isinstance(spread, dict):
                    return Unknown("object with an unknown spread")
                self.budget.build(len(result) + len(spread), "object spread")
                result.update(spread)
                continue
            key = prop.key if isinstance(prop.key, str) else self._evaluate(prop.key)
            if not isinstance(key, str):
                continue
            result[key], result.value_marks[key] = self._written(prop.value, Mark(prop.value_line, prop.value_column))
            result.key_marks[key] = Mark(prop.line, prop.column)
        return result

    def array(self, node: Node) -> Any:
        result = YSeq()
        result.mark, result.end_line, result.item_marks = Mark(node.line, node.column), node.end_line, []
        for item in node.items:
            if item.kind == "spread":
                spread = self._evaluate(item.items[0])
                if not isinstance(spread, list):
                    return Unknown("array with an unknown spread")
                self.budget.build(len(result) + len(spread), "array spread")
                result.extend(spread)
                result.item_marks.extend([Mark(item.line, item.column)] * len(spread))
                continue
            value, mark = self._written(item, Mark(item.line, item.column))
            result.append(value)
            result.item_marks.append(mark)
        return result

    def _written(self, node: Node, mark: Mark) -> tuple[Any, Mark | Location]:
        """The value of `node`, written at `mark`, and its position: in a module, where
        the caller decided it, when it did; and where its literal is, for `origin`."""
        value = self._evaluate(node)
        if node.kind not in _REFERENCES:
            return value, mark
        written = Location(self.path, mark.line, mark.column)
        decided = self._traced(node, written, to_literal=False) if self.module_call is not None else None
        if decided is not None:
            value, mark = placed(value, self.path, decided.via, self.budget), decided
        literal = self._traced(node, written, to_literal=True)
        if literal is not None and literal != decided:
            self._literals[mark] = literal
        return value, mark

    def _traced(self, node: Node, written: Location, to_literal: bool) -> Location | None:
        """Where the value of `node`, written at `written`, was decided, with the lines
        it passed through as hops: in a module, the caller's argument, or the
        parameter's default the caller leaves in force, when `node` names a
        parameter (directly, by a property or index of it, or through variables).
        With `to_literal`, variables and parameter defaults of a root file are
        followed too, and a caller's argument to the literal it names. None when the
        value is decided where it is written."""
        try:
            return self._origin(node, written, frozenset(), to_literal)
        except RecursionError:
            return None

    def _origin(self, node: Node, use: Location, seen: frozenset[str], to_literal: bool) -> Location | None:
        self.budget.step()
        if node.kind == "non_null":
            return self._origin(node.items[0], use, seen, to_literal)
        if node.kind in ("member", "safe_member", "index", "safe_index"):
            outer = self._origin(node.items[0], use, seen, to_literal)
            if outer is None:
                return None
            key = node.value if node.kind.endswith("member") else self._evaluate(node.items[1])
            inner = _mark_of(self._evaluate(node.items[0]), key)
            return outer if inner is None else position(inner, self.path, outer.via)
        if node.kind != "name" or node.value in self.local_names:
            return None
        name = node.value
        if name in self.parameters:
            if name in self.arguments:
                argument, literal = self.arguments[name]
                return self.module_call.passed(name, literal if to_literal and literal else argument, use)
            default = self.parameters[name].value
            if name in self.given or default is None:  # a parameter file's value: where it is written is not tracked
                return None
            at = Location(self.path, default.line, default.column)
            if self.module_call is not None:
                return self.module_call.defaulted(name, at, use)
            return replace(at, via=(use.hop(f"the default of parameter {name} applies"),)) if to_literal else None
        if name in self.variables and name not in seen and self.variables[name].value is not None:
            declared = self.variables[name].value
            here = Location(self.path, declared.line, declared.column)
            found = self._origin(declared, here, seen | {name}, to_literal) or (here if to_literal else None)
            return found and replace(found, via=(use.hop(f"uses variable {name}"), *found.via))
        return None

    def string(self, node: Node) -> Any:
        values = [part if isinstance(part, str) else self._evaluate(part) for part in node.items]
        if any(isinstance(value, Unknown) for value in values):
            return Unknown("interpolated string")
        if any(isinstance(value, (dict, list)) for value in values):
            return Unknown("interpolated object")
        self.budget.build(sum(map(text_size, values)), "string interpolation")
        return "".join(map(text, values))

    def access(self, node: Node) -> Any:
        target = self._evaluate(node.items[0])
        key = node.value if node.kind.endswith("member") else self._evaluate(node.items[1])
        if node.kind.startswith("safe"):  # `.?` and `[?]`: null where the value is missing
            if target is None:
                return None
            if isinstance(target, dict) and isinstance(key, str) and matching_key(target, key) is None:
                return None
            if isinstance(target, list) and _is_int(key) and not 0 <= key < len(target):
                return None
        return member(target, key)

    def call(self, node: Node) -> Any:
        name = node.value
        for namespace in _NAMESPACES:
            name = name.removeprefix(namespace)
        if "." in name:  # another namespace or a resource's function (`vault.getSecret`)
            return Unknown(node.value)
        return apply_function(name, [self._evaluate(argument) for argument in node.items], self.budget)

    def binary(self, node: Node) -> Any:
        operator, (left_node, right_node) = node.value, node.items
        left = self._evaluate(left_node)
        if operator in ("&&", "||"):
            decisive = operator == "||"
            if left is decisive:
                return decisive
            right = self._evaluate(right_node)
            if right is decisive and isinstance(left, (bool, Unknown)):
                return decisive
            return right if isinstance(left, bool) and isinstance(right, bool) else Unknown(operator)
        if operator == "??":
            if isinstance(left, Unknown):
                return left
            return self._evaluate(right_node) if left is None else left
        right = self._evaluate(right_node)
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown(operator)
        self.budget.arithmetic(operator, left, right)
        return _binary(operator, left, right)


def placed(value: Any, path: str, via: tuple[Related, ...], budget: Budget | None = None) -> Any:
    """A copy of `value` whose positions are `Location`s (those of `path` for its
    marks) with the hops `via`. A value a module's caller passes keeps in this way the
    places where the caller wrote it, with no hops: the ARM reader does not use such a
    position until a use in the module traced back to the caller gives it its hops."""
    if not isinstance(value, (YMap, YSeq)):
        return value
    if budget is not None:
        budget.step(len(value))

    def moved(mark: Mark | Location | None) -> Location | None:
        return None if mark is None else position(mark, path, via)

    if isinstance(value, YSeq):
        copy = YSeq(placed(item, path, via, budget) for item in value)
        copy.item_marks = [moved(mark) for mark in value.item_marks]
    else:
        copy = YMap((key, placed(item, path, via, budget)) for key, item in value.items())
        copy.key_marks = {key: moved(mark) for key, mark in value.key_marks.items()}
        copy.value_marks = {key: moved(mark) for key, mark in value.value_marks.items()}
    copy.mark, copy.end_line = moved(value.mark), value.end_line
    return copy


def position(mark: Mark | Location, path: str, via: tuple[Related, ...] | None = None) -> Location:
    """A position as a `Location`: a mark of the file at `path`, or a `Location`
    already; with the hops `via` in place of its own, when given. (Built directly:
    `dataclasses.replace` costs ten times as much, and modules move many values.)"""
    if isinstance(mark, Location):
        return mark if via is None or mark.via == via else replace(mark, via=via)
    return Location(path, mark.line, mark.column, via=via or ())


def _mark_of(value: Any, key: Any) -> Mark | Location | None:
    """Where property or item `key` of an evaluated object or array is written."""
    if isinstance(value, YMap) and isinstance(key, str):
        match = matching_key(value, key)
        return value.value_marks.get(match) if match is not None else None
    if isinstance(value, YSeq) and _is_int(key) and 0 <= key < len(value.item_marks):
        return value.item_marks[key]
    return None


def _unary(operator: str, operand: Any) -> Any:
    if operator == "!" and isinstance(operand, bool):
        return not operand
    if operator == "-" and _is_int(operand):
        return -operand
    return Unknown(operator)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _binary(operator: str, left: Any, right: Any) -> Any:
    if operator == "==":
        return _same_type(left, right) and left == right
    if operator == "!=":
        return not (_same_type(left, right) and left == right)
    if operator in ("=~", "!~"):
        if not (isinstance(left, str) and isinstance(right, str)):
            return Unknown(operator)
        return (left.lower() == right.lower()) == (operator == "=~")
    if not ((_is_int(left) and _is_int(right)) or (operator in ("<", "<=", ">", ">=") and isinstance(left, str) and isinstance(right, str))):
        return Unknown(operator)
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    if operator == ">=":
        return left >= right
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0:
        return Unknown(operator)
    quotient = abs(left) // abs(right) * (1 if (left < 0) == (right < 0) else -1)  # truncates toward zero
    return quotient if operator == "/" else left - quotient * right


def _same_type(left: Any, right: Any) -> bool:
    """Bicep never equates values of different types (`true == 1` is false)."""
    return isinstance(left, bool) == isinstance(right, bool)
