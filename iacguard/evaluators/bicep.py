"""Bicep expressions, evaluated as far as the file, its parameter values and a module
call's inputs make knowable.

Parameters take the value given (parameter file or module call) over their default,
which may use other parameters and functions but no variables. A module's optional
parameter (a nullable type, `string?`, with no default) that its caller leaves unset
is null, as Bicep makes it; a file's own parameters without a default are Unknown,
since a deployment may give them. Variables are
evaluated on first use, cycle-safe. Operators follow Bicep: `==` and `!=` compare
exactly, `=~` and `!~` ignore case, `&&` and `||` are decided by a known operand even
when the other is unknown, `??` takes the right side for null, and `?:` with an
unknown condition is known only when both branches agree. Functions are the ones ARM
templates share (`iacguard.evaluators.template_functions`, lambda functions
included), also under the `sys.` and `az.` namespaces, and the file's own `func`
declarations, which see only their arguments. `for` expressions over a known array
(`[for x in xs: ...]`, `[for (x, i) in xs: ...]`, `range(...)`, with an `if` filter)
give the array they make; over an unknown one, or with a filter that cannot be
decided, they are Unknown. Resource and module references and every other function
are Unknown, and so is anything built from them.

Compile-time imports (`import {f, v as w} from './shared.bicep'`, `import * as ns
from ...`, then `ns.f(...)`, `ns.v`) bring the variables and functions the other file
marks `@export()`, evaluated in that file (`Import`; the normalizer reads it) and
usable anywhere, parameter defaults and function bodies included; positions in a value
they give are those of that file. A name the file does not export, or one from a
file that is not read (a registry source, an import cycle), is Unknown. The normalizer expands loops of
resources and modules (`iterations`) and evaluates each instance with its own loop
variables (`evaluate`); an unknown collection binds them to Unknown.

Object and array literals become `YMap`/`YSeq` values that keep the position of each
property and item, so findings point at the line that sets a value, even through a
variable. In a module (`called`), a property or item whose value is one of the
module's parameters is located where the caller wrote the argument, or where the
parameter's default is written when the caller leaves it unset, with the module's
lines as hops (`iacguard.evaluators.module_call`); so is everything inside such a
value, whose positions are `Location`s of the file that wrote them (`placed`).
A value passed in and used in any other way (through a function, say) counts as
written where the module uses it. A value a loop takes from its collection (the loop
item, a property of it, or `xs[i]` with the loop's index) is located at the element
that writes it, wherever the collection is written out, with the line that takes it
and the loop as hops.

Evaluation runs under the fixed budgets of `iacguard.budgets`: each scope counts its
own steps and how deep it nests (a variable's value a level below the expression
that names it), and strings, arrays and integers are sized before they are built.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from iacguard.budgets import Budget, locate, text_size
from iacguard.errors import BudgetExceeded
from iacguard.evaluators.module_call import ModuleCall
from iacguard.evaluators.template_functions import Lambda, apply_function, divided, matching_key, member, text
from iacguard.model import Location, Related, Unknown
from iacguard.parsers.bicep_syntax import Node, Statement
from iacguard.parsers.documents import Mark, YMap, YSeq, new_mark
from iacguard.structs import struct

_NAMESPACES = ("sys.", "az.")
_REFERENCES = ("name", "member", "safe_member", "index", "safe_index", "non_null")  # what can name a parameter or variable


@struct(frozen=True)
class Import:
    """A name a file imports: `name` in the file whose scope is `scope` (a namespace,
    `import * as ns`, when `name` is empty). `scope` is None when that file is not
    read; `unread()` then says so, once, the first time a value is asked of it.
    Positions in the values it gives have the import statement as their hop (`via`)."""

    scope: BicepScope | None
    name: str
    via: tuple[Related, ...] = ()
    unread: Callable[[], None] = lambda: None

    def value(self, member: str | None = None) -> Any:
        """The exported variable `member` of a namespace, or this imported variable."""
        name = self.name or member
        if self.scope is None:
            self.unread()
            return Unknown(name or "import")
        declaration = self.scope.variables.get(name) if name else None
        if declaration is None or not exported(declaration):
            return Unknown(name or "import")
        return placed(self.scope.name(name), self.scope.path, self.via, self.scope.budget)

    def call(self, arguments: list[Any], member: str | None = None) -> Any:
        """The exported function `member` of a namespace, or this imported function,
        applied to `arguments`, which keep where the importer wrote them."""
        name = self.name or member
        if self.scope is None:
            self.unread()
            return Unknown(f"{name}()")
        declaration = self.scope.functions.get(name) if name else None
        if declaration is None or not exported(declaration):
            return Unknown(f"{name}()")
        return placed(self.scope.user_function(name, arguments), self.scope.path, self.via, self.scope.budget)


def exported(statement: Statement) -> bool:
    """Whether a declaration carries `@export()`, so that other files may import it."""
    return any(decorator.kind == "call" and decorator.value in ("export", "sys.export") for decorator in statement.decorators)


@struct(frozen=True)
class Bound:
    """A loop or lambda variable's value and, for a loop item its collection writes
    out, where that element is written (with the loop as a hop)."""

    value: Any
    origin: Location | None = None


@struct(frozen=True, slots=True)
class _Named:
    """A property or item that names a parameter or variable, as `_written` met it:
    its expression, where it is written, where its value was decided, and the local
    variables and sealing in force, so that `origin` can trace its literal later."""

    node: Node
    written: Location
    decided: Location | None
    bound: dict[str, Bound]
    sealed: str


class BicepScope:
    """The parameters, variables and symbols of one Bicep file (or module call). A
    module call's scope shares its caller's `budget`."""

    def __init__(self, statements: list[Statement], given: dict[str, Any], path: str = "", budget: Budget | None = None):
        self.parameters = {s.name: s for s in statements if s.kind == "param"}
        self.variables = {s.name: s for s in statements if s.kind == "var"}
        self.functions = {s.name: s for s in statements if s.kind == "func"}
        self.imported: dict[str, Import] = {}  # by the name each import takes here; the normalizer fills it
        self.given = given
        self.path = path
        self.errors: list[str] = []  # the ARM reader's interface; Bicep expressions never fail
        self.locals: dict[str, Bound] = {}  # loop and lambda variables in reach
        self.sealed = ""  # "default": in a parameter's default (no variables); "function": in a func's body (only its arguments)
        self.budget = budget or Budget()
        self.module_call: ModuleCall | None = None
        self._done: dict[str, Any] = {}
        self._resolving: set[str] = set()
        # Where a property or item that names a parameter or variable stands -> what
        # `origin` needs to trace the literal it names, for each time it was
        # evaluated: traced only when asked, since few are (on the corpus's Bicep
        # files, 153 of 99,169).
        self._literals: dict[Mark | Location, list[_Named]] = {}

    def called(self, call: ModuleCall) -> None:
        """Make this the scope of the module instance `call`, whose `Arguments` are
        the values given."""
        self.module_call = call

    def arguments(self, call: Node, bound: dict[str, Bound], head: Location) -> Arguments | None:
        """The `params` of the module call whose body is `call`, evaluated with the
        loop variables `bound` as the module uses each; None when the body must be
        evaluated whole to find them (a spread, a computed key, `params` not written
        as an object)."""
        if call.kind != "object" or any(not isinstance(prop.key, str) for prop in call.items):
            return None
        written = [prop.value for prop in call.items if prop.key == "params"]
        if not written:
            return Arguments(self, head, {})
        if written[-1].kind != "object" or any(not isinstance(prop.key, str) for prop in written[-1].items):
            return None
        params = {prop.key: (prop.value, new_mark((prop.value_line, prop.value_column, None))) for prop in written[-1].items}
        return Arguments(self, head, _object(new_mark((written[-1].line, written[-1].column, None)), written[-1].end_line), params, bound)

    def written_at(self, node: Node, mark: Mark, bound: dict[str, Bound]) -> tuple[Any, Mark | Location]:
        """The value of `node`, an argument of a module call written at `mark`, and
        where it was decided (see `_written`)."""
        saved, (self.locals, self.sealed) = (self.locals, self.sealed), (bound, "")
        try:
            return self._written(node, mark)
        except RecursionError:  # Python's stack ran out before `MAX_NESTING` did: a budget error all the same, never an unknown
            raise BudgetExceeded("expressions nested too deeply", self.path or None, node.line) from None
        finally:
            self.locals, self.sealed = saved

    def value(self, value: Any) -> Any:
        """Values are evaluated already: the ARM resource reader asks anyway."""
        return value

    def evaluated(self, value: Any, use: Location | None = None) -> tuple[Any, None]:
        """The ARM reader's interface: the value, whose positions say already where
        each part was decided."""
        return value, None

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
        for named in reversed(self._literals.get(mark, ()) if mark is not None else ()):  # the last one traced, as if eagerly
            saved, (self.locals, self.sealed) = (self.locals, self.sealed), (named.bound, named.sealed)
            try:
                literal = self._traced(named.node, named.written, to_literal=True)
            finally:
                self.locals, self.sealed = saved
            if literal is not None and literal != named.decided:
                return literal
        return None

    def evaluate(self, node: Node, bound: dict[str, Bound] | None = None) -> Any:
        """The value of `node`, with the loop variables `bound`."""
        try:
            return self._bound(bound or {}, node)
        except RecursionError:  # Python's stack ran out before `MAX_NESTING` did: a budget error all the same, never an unknown
            raise BudgetExceeded("expressions nested too deeply", self.path or None, node.line) from None

    def _bound(self, bound: dict[str, Bound], node: Node, sealed: str | None = None) -> Any:
        """The value of `node` with exactly the local variables `bound` in reach and,
        when `sealed` is given, that much of the file hidden (see `sealed`): a
        declaration's value or a function's or lambda's body, a level below the
        expression that uses it."""
        self.budget.descend()
        saved = self.locals, self.sealed
        self.locals = bound
        self.sealed = self.sealed if sealed is None else sealed
        try:
            return self._evaluate(node)
        finally:
            self.locals, self.sealed = saved
            self.budget.ascend()

    def iterations(self, loop: Node, bound: dict[str, Bound] | None = None, instances: bool = False) -> list[dict[str, Bound]] | None:
        """The variables of each iteration of `loop` (`[for x in xs: ...]` or `[for (x,
        i) in xs: ...]`), with those `bound` outside it (by default, those in reach):
        the item, with where its collection writes it, and the index. None when the
        collection cannot be known. Refused past `MAX_LOOP_INSTANCES`; `instances`
        (the loop creates resources or modules) costs more."""
        if bound is not None:
            saved, self.locals = self.locals, bound
            try:
                return self.iterations(loop, None, instances)
            finally:
                self.locals = saved
        names, collection_node = loop.value, loop.items[0]
        collection = self._evaluate(collection_node)
        if not isinstance(collection, list):
            return None
        try:
            self.budget.loop(len(collection), "for loop", costly=instances)
        except BudgetExceeded as error:
            locate(error, self.path or None, loop.line)
            raise
        head = Location(self.path, loop.line, loop.column)
        brought = self._traced(collection_node, head, to_literal=False) if self.module_call is not None or self.locals else None
        found = []
        for index, item in enumerate(collection):
            mark = _mark_of(collection, index)
            origin = None
            if mark is not None:
                origin = position(mark, self.path, (head.hop(f"for loop, item {index}"), *(brought.via if brought else ())))
            variables = {**self.locals, names[0]: Bound(item, origin)}
            if len(names) > 1:
                variables[names[1]] = Bound(index)
            found.append(variables)
        return found

    def loop(self, node: Node) -> Any:
        """The array a `for` expression makes, positioned where each item is decided."""
        iterations = self.iterations(node)
        if iterations is None:
            return Unknown("for over an unknown collection")
        result = YSeq()
        result.mark, result.end_line, result.item_marks = new_mark((node.line, node.column, None)), node.end_line, []
        outer = self.locals
        for variables in iterations:
            body = node.items[1]
            self.locals = variables
            try:
                if body.kind == "if":
                    keep = self._evaluate(body.items[0])
                    if not isinstance(keep, bool):
                        return Unknown("for with a filter that cannot be decided")
                    if not keep:
                        continue
                    body = body.items[1]
                value, mark = self._written(body, new_mark((body.line, body.column, None)))
            finally:
                self.locals = outer
            result.append(value)
            result.item_marks.append(mark)
        return result

    def lambda_value(self, node: Node) -> Lambda:
        """A lambda as a value: the function that takes it evaluates the body with its
        variables bound."""
        names, body, outer = node.value, node.items[0], self.locals

        def run(values: tuple) -> Any:
            return self._bound({**outer, **{name: Bound(value) for name, value in zip(names, values)}}, body)

        return Lambda(len(names), run)

    def user_function(self, name: str, arguments: list[Any]) -> Any:
        """One of the file's `func` declarations applied: its body sees its arguments
        and nothing else of the file."""
        declaration = self.functions[name].value
        if "func:" + name in self._resolving or len(arguments) != len(declaration.value):
            return Unknown(f"{name}()")
        self._resolving.add("func:" + name)
        try:
            return self._bound({n: Bound(value) for n, value in zip(declaration.value, arguments)}, declaration.items[0], sealed="function")
        finally:
            self._resolving.discard("func:" + name)

    def _evaluate(self, node: Node) -> Any:
        """The value of `node`, one level down. The kinds are told apart here, not in
        a method of their own: 229,000 nodes are evaluated in a scan of the corpus's
        Bicep files, and that call took 0.01 s of it."""
        self.budget.descend()
        try:
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
            if kind == "for":
                return self.loop(node)
            return Unknown(kind)  # a lambda outside a function's arguments, `a::b`...
        except BudgetExceeded as error:
            locate(error, self.path or None, node.line)
            raise
        finally:
            self.budget.ascend()

    def name(self, name: str) -> Any:
        if name in self.locals:
            return self.locals[name].value
        if name in self.imported:  # usable everywhere, function bodies and parameter defaults included
            return self.imported[name].value() if self.imported[name].name else Unknown(name)
        declaration = self.parameters.get(name) or self.variables.get(name)
        if self.sealed == "function" or (self.sealed == "default" and (declaration is None or declaration.kind != "param")):
            return Unknown(name)
        if name in self._done:
            return self._done[name]
        if declaration is None or name in self._resolving:
            return Unknown(name)  # a resource, module, import, or a cycle
        if declaration.kind == "param" and name in self.given:
            value = self.given[name]
            if self.module_call is not None:  # a caller's argument, placed in its file when first used (most are not)
                value = placed(value, self.module_call.head.path, (), self.budget)
        elif declaration.value is None:
            unset = declaration.kind == "param" and declaration.nullable and self.module_call is not None and self.given.complete
            value = None if unset else Unknown(name)  # a module's optional parameter its caller surely leaves unset is null
        else:
            self._resolving.add(name)
            try:  # declarations see no loop variables
                value = self._bound({}, declaration.value, sealed="default" if declaration.kind == "param" else "")
            finally:  # a budget error must not leave the variable marked as being resolved
                self._resolving.discard(name)
        self._done[name] = value
        return value

    def object(self, node: Node) -> Any:
        result = _object(new_mark((node.line, node.column, None)), node.end_line)
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
            result[key], result.value_marks[key] = self._written(prop.value, new_mark((prop.value_line, prop.value_column, None)))
            result.key_marks[key] = new_mark((prop.line, prop.column, None))
        return result

    def array(self, node: Node) -> Any:
        result = YSeq()
        result.mark, result.end_line, result.item_marks = new_mark((node.line, node.column, None)), node.end_line, []
        for item in node.items:
            if item.kind == "spread":
                spread = self._evaluate(item.items[0])
                if not isinstance(spread, list):
                    return Unknown("array with an unknown spread")
                self.budget.build(len(result) + len(spread), "array spread")
                result.extend(spread)
                result.item_marks.extend([new_mark((item.line, item.column, None))] * len(spread))
                continue
            value, mark = self._written(item, new_mark((item.line, item.column, None)))
            result.append(value)
            result.item_marks.append(mark)
        return result

    def _written(self, node: Node, mark: Mark) -> tuple[Any, Mark | Location]:
        """The value of `node`, written at `mark`, and its position: in a module, where
        the caller decided it, when it did; in a loop, where the collection writes
        what it takes; and where its literal is, for `origin`."""
        value = self._evaluate(node)
        if node.kind not in _REFERENCES:
            return value, mark
        written = Location(self.path, mark.line, mark.column)
        decided = self._traced(node, written, to_literal=False) if self.module_call is not None or self.locals else None
        if decided is not None:
            value, mark = placed(value, self.path, decided.via, self.budget), decided
        self._literals.setdefault(mark, []).append(_Named(node, written, decided, self.locals, self.sealed))
        return value, mark

    def _traced(self, node: Node, written: Location, to_literal: bool) -> Location | None:
        """Where the value of `node`, written at `written`, was decided, with the lines
        it passed through as hops: in a module, the caller's argument, or the
        parameter's default the caller leaves in force, when `node` names a
        parameter (directly, by a property or index of it, or through variables);
        the element of a loop's collection, when `node` takes the loop's item (or a
        property of it) or indexes a collection with a loop's variable.
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
            key = node.value if node.kind.endswith("member") else self._evaluate(node.items[1])
            inner = _mark_of(self._evaluate(node.items[0]), key)
            if outer is None:
                index = node.items[1] if node.kind.endswith("index") else None
                if inner is None or index is None or index.kind != "name" or index.value not in self.locals:
                    return None
                return position(inner, self.path, (use.hop(f"takes item {key} by {index.value}"),))
            return outer if inner is None else position(inner, self.path, outer.via)
        if node.kind != "name":
            return None
        name = node.value
        if name in self.locals:
            origin = self.locals[name].origin
            return origin and position(origin, self.path, (use.hop(f"uses loop item {name}"), *origin.via))
        if name in self.parameters:
            if self.module_call is not None and name in self.given:
                argument, literal = self.given.located(name)
                return self.module_call.passed(name, (to_literal and literal()) or argument, use)
            default = self.parameters[name].value
            if name in self.given or default is None:  # a parameter file's value: where it is written is not tracked
                return None
            at = Location(self.path, default.line, default.column)
            if self.module_call is not None:
                return self.module_call.defaulted(name, at, use)
            return at.by_way_of((use.hop(f"the default of parameter {name} applies"),)) if to_literal else None
        if name in self.variables and name not in seen and self.variables[name].value is not None:
            declared = self.variables[name].value
            here = Location(self.path, declared.line, declared.column)
            found = self._origin(declared, here, seen | {name}, to_literal) or (here if to_literal else None)
            return found and found.by_way_of((use.hop(f"uses variable {name}"), *found.via))
        return None

    def string(self, node: Node) -> Any:
        values = [part if isinstance(part, str) else self._evaluate(part) for part in node.items]
        if any(isinstance(value, Unknown) for value in values):
            return Unknown("interpolated string")
        if any(isinstance(value, (dict, list)) for value in values):
            return Unknown("interpolated object")
        if any(value is None for value in values):
            return Unknown("interpolated null")  # how a deployment writes null in a string is not modelled
        self.budget.build(sum(map(text_size, values)), "string interpolation")
        return "".join(map(text, values))

    def access(self, node: Node) -> Any:
        namespace = self._namespace(node.items[0])
        if namespace is not None and node.kind == "member":
            return namespace.value(node.value)
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
        arguments = [self.lambda_value(argument) if argument.kind == "lambda" else self._evaluate(argument) for argument in node.items]
        if name in self.functions:
            return self.user_function(name, arguments)
        imported = self.imported.get(name)
        if imported is not None and imported.name:
            return imported.call(self._own(arguments))
        namespace, _, member = name.partition(".")
        if member and self._namespace(Node("name", node.line, node.column, namespace)) is not None:
            return self.imported[namespace].call(self._own(arguments), member)
        for namespace in _NAMESPACES:
            name = name.removeprefix(namespace)
        if "." in name:  # another namespace or a resource's function (`vault.getSecret`)
            return Unknown(node.value)
        return apply_function(name, arguments, self.budget)

    def _namespace(self, node: Node) -> Import | None:
        """The namespace `node` names (`import * as ns`), unless a loop or lambda
        variable hides it."""
        if node.kind != "name" or node.value in self.locals:
            return None
        imported = self.imported.get(node.value)
        return imported if imported is not None and not imported.name else None

    def _own(self, values: list[Any]) -> list[Any]:
        """`values` with positions that say they are written in this file, for another
        file's function to take."""
        return [placed(value, self.path, (), self.budget) for value in values]

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
        if operator in ("==", "!="):
            self.budget.compare(left, right)
        return _binary(operator, left, right)


class Arguments:
    """What a module call gives its parameters (its `params`): each value, where the
    caller wrote it, and where the literal it names there is. Arguments written out
    in the call (`written`) are evaluated in the caller's scope when the module first
    uses each: most reach no resource a rule reads (on the corpus's Bicep files,
    24,470 of 33,788 are never evaluated)."""

    def __init__(self, caller: BicepScope, head: Location, values: dict[str, Any],
                 written: dict[str, tuple[Node, Mark]] | None = None, bound: dict[str, Bound] | None = None, complete: bool = True):
        self.caller, self.head = caller, head
        self.values = values  # evaluated; a YMap's `value_marks` say where the caller decided each
        self.written = written or {}  # not evaluated yet, with where each is written
        self.bound = bound or {}
        # Whether a parameter not among them is surely unset: not when the call was
        # evaluated whole, whose keys that cannot be worked out are left out.
        self.complete = complete

    def __contains__(self, name: str) -> bool:
        return name in self.values or name in self.written

    def __getitem__(self, name: str) -> Any:
        if name in self.written:
            node, mark = self.written.pop(name)
            self.values[name], self.values.value_marks[name] = self.caller.written_at(node, mark, self.bound)
        return self.values[name]

    def located(self, name: str) -> tuple[Location, Callable[[], Location | None]]:
        """Where the caller wrote argument `name` (the call's head when it has no
        position of its own: it came from a spread), and how to find the literal it
        names."""
        self[name]  # where it was decided is known once it is evaluated
        marks = getattr(self.values, "value_marks", {})
        argument = position(marks[name], self.caller.path) if name in marks else self.head
        return argument, functools.partial(self.caller.origin, self.values, name)


def _object(mark: Mark, end_line: int) -> YMap:
    """An empty object value written at `mark`, to be filled with its properties."""
    result = YMap()
    result.mark, result.end_line = mark, end_line
    result.key_marks, result.value_marks = {}, {}
    return result


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
    already; with the hops `via` in place of its own, when given."""
    if isinstance(mark, Location):
        return mark if via is None or mark.via == via else mark.by_way_of(via)
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
    return divided(left, right, remainder=operator == "%")


def _same_type(left: Any, right: Any) -> bool:
    """Bicep never equates values of different types (`true == 1` is false)."""
    return isinstance(left, bool) == isinstance(right, bool)
