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
variable.

Evaluation runs under the fixed budgets of `iacguard.budgets`: each scope counts its
own steps, and strings, arrays and integers are sized before they are built.
"""

from __future__ import annotations

from typing import Any

from iacguard.budgets import Budget, locate, text_size
from iacguard.errors import BudgetExceeded
from iacguard.evaluators.arm import apply_function, matching_key, member, text
from iacguard.model import Unknown
from iacguard.parsers.bicep_syntax import Node, Statement
from iacguard.parsers.yaml import Mark, YMap, YSeq

_NAMESPACES = ("sys.", "az.")


class BicepScope:
    """The parameters, variables and symbols of one Bicep file (or module call)."""

    def __init__(self, statements: list[Statement], given: dict[str, Any]):
        self.parameters = {s.name: s for s in statements if s.kind == "param"}
        self.variables = {s.name: s for s in statements if s.kind == "var"}
        self.given = given
        self.errors: list[str] = []  # the ARM reader's interface; Bicep expressions never fail
        self.local_names: frozenset[str] = frozenset()  # loop variables in reach
        self.budget = Budget()
        self._done: dict[str, Any] = {}
        self._resolving: set[str] = set()
        # Where a property value that only names a parameter or variable stands ->
        # where the value it names was written.
        self._origins: dict[Mark, Mark] = {}

    def value(self, value: Any) -> Any:
        """Values are evaluated already: the ARM resource reader asks anyway."""
        return value

    def origin(self, container: dict | list, key: Any) -> Mark | None:
        """Where the value of `container[key]` was written when the property only names
        a parameter or variable: the default or value written in this file (followed
        through further such names); None otherwise, and for parameters given by a
        parameter file or module call."""
        mark = getattr(container, "value_marks", {}).get(key)
        return self._origins.get(mark) if mark is not None else None

    def _written(self, name: str) -> Mark | None:
        seen: set[str] = set()
        while name not in seen and name not in self.local_names:
            seen.add(name)
            declaration = self.parameters.get(name) or self.variables.get(name)
            if declaration is None or declaration.value is None or (declaration.kind == "param" and name in self.given):
                return None
            if declaration.value.kind != "name":
                return Mark(declaration.value.line, declaration.value.column)
            name = declaration.value.value
        return None

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
            result[key] = self._evaluate(prop.value)
            result.key_marks[key] = Mark(prop.line, prop.column)
            result.value_marks[key] = Mark(prop.value_line, prop.value_column)
            if prop.value.kind == "name" and (written := self._written(prop.value.value)) is not None:
                self._origins[result.value_marks[key]] = written
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
            result.append(self._evaluate(item))
            result.item_marks.append(Mark(item.line, item.column))
        return result

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
