"""Terraform expression evaluation, per module directory.

Resolves what a module's own files make knowable: variable defaults overridden by
`terraform.tfvars`, `*.auto.tfvars` (alphabetical; `.json` forms too) and the var files
given on the command line or in the config, in Terraform's order, each converted to the
variable's declared `type` (an object type's missing or null `optional` attributes get their
default, or null); `locals`; string interpolation and heredocs; conditionals;
operators; `for` expressions; splats; `path.module` and `path.root`; and the functions
listed in `iacguard.evaluators.terraform_functions`. Anything else (resource
attributes, data sources, module outputs, unknown functions) is `Unknown`, and so is
any expression built from an Unknown.

Loops. `instances` reads a block's `count` or `for_each` and gives one binding of
`count.index`, or of `each.key` and `each.value`, per instance, with the address
Terraform gives it (`[0]`, `["legacy-api"]`); a collection that cannot be known gives
one instance whose loop values are Unknown, so everything that does not depend on
them is still checked. `expand_dynamic` turns `dynamic` blocks over known collections
into the blocks they generate. A finding on a value taken from `each.value` points at
the element of the collection that wrote it (see `ModuleScope.origin`).

Evaluation runs under the fixed budgets of `iacguard.budgets`: each file's
evaluation (with the module instances it expands) counts its steps and how deep it
nests (a local's value a level below the expression that uses it), values are sized
before they are built, a loop's instances are counted before it is expanded, and
numbers that cannot be known exactly (`inf`, `nan`) are Unknown rather than errors.
"""

from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path
from typing import Any

from iacguard.budgets import Budget, locate, size_of
from iacguard.errors import BudgetExceeded, ParseError
from iacguard.evaluators.module_call import ModuleCall
from iacguard.evaluators.regex import Unsupported
from iacguard.evaluators.terraform_functions import (
    BUDGETED,
    FUNCTIONS,
    LENIENT,
    RESULT_SIZES,
    STRUCTURAL,
    Invalid,
    SetValue,
    finite,
    holds_non_finite,
    to_bool,
    to_number,
    to_set,
    to_string,
    unknown_in,
    unknown_within,
)
from iacguard.inputs import from_real_folder
from iacguard.model import Location, Unknown
from iacguard.parsers import hcl
from iacguard.parsers.cache import ParseCache
from iacguard.parsers.hcl import (
    Attribute,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    Literal,
    ObjectExpr,
    Operation,
    Postfix,
    Splat,
    Template,
    TupleExpr,
    Traversal,
)
from iacguard.structs import field, replace, struct


@struct(frozen=True)
class LoopItem:
    """One element of a loop: `each` in a resource or module, a `dynamic` block's
    iterator. `collection` is the expression that wrote the collection and `path` its
    file, so that a finding on the value can point at the element (None when the
    collection cannot be known, and `key` and `value` are Unknown)."""

    key: Any
    value: Any
    collection: Expr | None = None
    path: str | None = None


@struct(slots=True)
class Bound(Expr):
    """An expression evaluated with loop names bound: an argument of a block a
    `dynamic` block generated, with its iterator."""

    expr: Expr | None = None
    names: dict = field(default_factory=dict)


@struct(frozen=True)
class Instance:
    """One instance of a block with `count` or `for_each`: the address suffix
    Terraform gives it (empty for a block without them, or whose collection cannot
    be known) and the loop names it binds."""

    key: str
    names: dict


@struct(frozen=True)
class _Element:
    """A loop's key as a step of `ModuleScope._origin`: once the element it selects
    is reached, that element is where the value was decided."""

    key: Any


class ModuleScope:
    """The variables and locals of one module directory, as one file evaluates them.

    `local_paths` names the file each local is declared in and `path` the file whose
    expressions are evaluated, so that a budget error points at the expression it
    stopped in; where they are not known, it carries no line. `declared` holds where
    each variable is declared, with the `default` argument written there when it
    applies (with its own file when an override file wrote it),
    `types` each variable's declared type, and `non_nullable` the variables declared
    `nullable = false` (given null, such a variable keeps its default).

    The scope of a module instance (`called`) also knows its call: where the caller
    wrote each argument, so that `origin` can point a finding at it. `names` are the
    loop names bound where an expression stands (`each`, `count`, a `for`
    expression's variables, a `dynamic` block's iterator); `with_names` gives a scope
    that shares everything else."""

    def __init__(self, variables: dict[str, Any], local_values: dict[str, Expr], local_paths: dict[str, str] | None = None, path: str | None = None,
                 declared: dict[str, tuple[Location, Attribute | None]] | None = None, types: dict[str, Expr] | None = None,
                 non_nullable: frozenset[str] = frozenset()):
        self.variables = variables
        self.local_values = local_values
        self.local_paths = local_paths or {}
        self.declared = declared or {}
        self.types = types or {}
        self.non_nullable = non_nullable
        self.budget = Budget()
        self.module_call: ModuleCall | None = None
        self.arguments: dict[str, Attribute] = {}
        self.caller: ModuleScope | None = None
        self.names: dict[str, Any] = {}
        self.context = None  # the ScanContext that reads files (`templatefile`); None: no file is read
        self.templates: dict[str, Expr | None] = {}  # `templatefile`'s files, parsed once per file scanned (None: broken)
        self.module_path: str | None = None  # path.module, relative to the root module's directory
        self.root_directory: str | None = None  # where the root module's relative paths start
        self.scanned_path: str | None = None  # the scanned file, when this scope evaluates its expressions
        # The scope without loop names, where locals are evaluated: None for this one
        # (not itself: a scope in a cycle would wait for the collector, which is paused
        # while a file is scanned, so every scope let go would be kept to its end).
        self._module: ModuleScope | None = None
        self._locals_done: dict[str, Any] = {}
        self._resolving: set[str] = set()
        self._current_path = path

    def for_file(self, path: str, context=None, scanned: bool = True) -> ModuleScope:
        """A scope with the same declarations and nothing evaluated yet, for the file
        at `path` of the root module: evaluated values and budgets never pass from one
        file to another. With the scan's `context`, `templatefile` reads files. Not
        `scanned`: the file is read for another one (a plan's configuration), so no
        refusal is told at its lines."""
        scope = ModuleScope(dict(self.variables), self.local_values, self.local_paths, path, self.declared, self.types, self.non_nullable)
        scope.context = context
        scope.scanned_path = path if scanned else None
        if context is not None and os.path.isfile(path):
            scope.module_path, scope.root_directory = ".", os.path.dirname(path) or "."
        return scope

    def with_names(self, names: dict[str, Any]) -> ModuleScope:
        """This scope with more loop names bound: the variables, locals, budget and
        module call are shared."""
        scope = copy.copy(self)
        scope.names = {**self.names, **names}
        scope._module = self._module or self
        return scope

    def called(self, call: ModuleCall, arguments: dict[str, Attribute], caller: ModuleScope, directory: str) -> None:
        """Make this the scope of the module instance `call`, in `directory`: the
        `arguments` the caller wrote for declared variables, evaluated in the
        `caller`'s scope (with its loop names), set them. The instance spends the
        caller's budget: it is part of the caller's file's evaluation. A null given
        to a variable declared `nullable = false` leaves its default in force, as
        Terraform does."""
        self.module_call, self.caller, self.budget = call, caller, caller.budget
        self.context, self.root_directory, self.templates = caller.context, caller.root_directory, caller.templates
        if self.root_directory is not None:
            # As Terraform has it: from the root's real folder to the module's (both
            # resolved, as Terraform resolves a local module's folder), so that a path
            # built on it leads where Terraform's does when a link is on the way.
            real = self.context.real_path
            self.module_path = Path(os.path.relpath(real(directory), real(self.root_directory))).as_posix()
        self.arguments = {}
        for name, argument in arguments.items():
            value = conform(caller.evaluate(argument.value), self.types.get(name)) if name in self.variables else None
            if value is not None or name in self.variables and name not in self.non_nullable:
                self.arguments[name], self.variables[name] = argument, value

    def origin(self, expr: Expr, written: Location, to_literal: bool = False) -> Location:
        """Where the value of `expr`, written at `written` in this module, was decided,
        with the lines it passed through as hops: the caller's argument, or the
        variable's default the caller leaves in force, when `expr` names a variable
        of a called module (directly, by a path into it, or through locals); the
        element of a loop's collection, wherever it is written, when `expr` takes
        `each.value` or a `dynamic` block's iterator value; `written` itself
        otherwise. With `to_literal`, the variables and locals of the module itself,
        and of the root module, are followed too, to the default or value that writes
        the literal (where IG214 reports a credential: that text is what must go)."""
        looped = any(isinstance(item, LoopItem) for item in self.names.values()) or isinstance(expr, Bound)
        if self.module_call is None and not to_literal and not looped:  # a root module: nothing outside decides its values
            return written
        try:
            return self._origin(expr, (), written, frozenset(), to_literal) or written
        except RecursionError:
            return written

    def _origin(self, expr: Expr, steps: tuple, use: Location, seen: frozenset[str], to_literal: bool) -> Location | None:
        self.budget.step()
        if isinstance(expr, Bound):
            return self.with_names(expr.names)._origin(expr.expr, steps, use, seen, to_literal)
        if _looking_for_element(steps) and not isinstance(expr, Traversal):
            return self._element_origin(expr, steps, use, seen, to_literal)
        if not isinstance(expr, Traversal) or not expr.steps or not isinstance(expr.steps[0], str):
            return None
        if isinstance(self.names.get(expr.root), LoopItem):
            return self._loop_value_origin(expr, steps, use, seen, to_literal)
        if expr.root not in ("var", "local"):
            return None
        name, steps = expr.steps[0], (*expr.steps[1:], *steps)
        if expr.root == "local":
            if name not in self.local_paths or name in seen:
                return None
            value, rest = _within(self.local_values[name], steps)
            here = _location(self.local_paths[name], value)
            found = self._origin(value, rest, here, seen | {name}, to_literal) or (here if to_literal or _reached(steps, rest) else None)
            return found and replace(found, via=(use.hop(f"uses local.{name}"), *found.via))
        if name in self.arguments:
            argument, rest = _within(self.arguments[name].value, steps)
            written = _location(self.arguments[name].path or self.module_call.head.path, argument)
            return self.module_call.passed(name, self.caller._origin(argument, rest, written, frozenset(), to_literal) or written, use)
        declaration, default = self.declared.get(name, (None, None))
        if default is None:
            return None
        value, rest = _within(default.value, steps)
        at = _location(default.path or declaration.path, value)
        if self.module_call is not None:
            return self.module_call.defaulted(name, at, use)
        return replace(at, via=(use.hop(f"the default of variable {name} applies"),)) if to_literal or _reached(steps, rest) else None

    def _loop_value_origin(self, expr: Traversal, steps: tuple, use: Location, seen: frozenset[str], to_literal: bool) -> Location | None:
        """`each.value...` (or an iterator's): the element of the loop's collection
        that holds the value, as far as the collection is written out."""
        item: LoopItem = self.names[expr.root]
        if expr.steps[0] != "value" or item.collection is None:
            return None
        start = _location(item.path, item.collection)
        found = self._origin(item.collection, (_Element(item.key), *expr.steps[1:], *steps), start, seen, to_literal)
        return found and replace(found, via=(use.hop(f"{expr.root}.value for key {key_text(item.key)}"), *found.via))

    def _element_origin(self, expr: Expr, steps: tuple, use: Location, seen: frozenset[str], to_literal: bool) -> Location | None:
        """In a collection written out (a map, a list, `toset([...])`), the element a
        loop's key selects, and the part of it the steps after the key select."""
        value, rest = _within(expr, steps)
        if value is expr or _looking_for_element(rest):
            return None
        here = _location(use.path, value)
        return self._origin(value, rest, here, seen, to_literal) or here

    def binding(self, expr: Expr) -> tuple[ModuleScope, Expr]:
        """The scope an argument of a generated block is evaluated in, and the
        argument's own expression (see `Bound`)."""
        if isinstance(expr, Bound):
            return self.with_names(expr.names).binding(expr.expr)
        return self, expr

    def evaluate(self, expr: Expr | None) -> Any:
        if expr is None:
            return None
        try:
            return self._eval(expr)
        except RecursionError:  # Python's stack ran out before `MAX_NESTING` did: a budget error all the same, never an unknown
            raise BudgetExceeded("expressions or locals nested too deeply", self._current_path, expr.line) from None

    def _eval(self, expr: Expr) -> Any:
        self.budget.descend()
        try:
            return self._value(expr)
        except BudgetExceeded as error:
            if self._current_path is not None:
                locate(error, self._current_path, expr.line)
            raise
        finally:
            self.budget.ascend()

    def _value(self, expr: Expr) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Template):
            if len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
                # `"${x}"` is x itself: a null stays unset, a collection stays one (a
                # scalar goes on as text, as the provider reads it).
                value = self._eval(expr.parts[0])
                if value is None or isinstance(value, (dict, list)):
                    return value
                parts = [to_string(value)]
            else:
                parts = [part if isinstance(part, str) else to_string(self._eval(part)) for part in expr.parts]
            unknown = unknown_in(parts)
            if unknown:
                return unknown
            self.budget.build(sum(map(len, parts)), "string interpolation")
            return "".join(parts)
        if isinstance(expr, TupleExpr):
            items = [self._eval(item) for item in expr.items]
            return _invalid_in(items) or items
        if isinstance(expr, ObjectExpr):
            result = {}
            for key_expr, value_expr in expr.items:
                key = key_expr.root if isinstance(key_expr, Traversal) and not key_expr.steps else to_string(self._eval(key_expr))
                if isinstance(key, Unknown):
                    return key
                result[key] = self._eval(value_expr)
            return _invalid_in(result.values()) or result
        if isinstance(expr, Traversal):
            return self._traverse(expr)
        if isinstance(expr, Postfix):
            return self._steps(self._eval(expr.base), expr.steps)
        if isinstance(expr, Call):
            return self._call(expr)
        if isinstance(expr, Conditional):
            condition = to_bool(self._eval(expr.condition))
            if isinstance(condition, bool):
                return self._eval(expr.then if condition else expr.otherwise)
            if isinstance(condition, Invalid):
                return condition
            then, otherwise = self._eval(expr.then), self._eval(expr.otherwise)
            known = not isinstance(then, Unknown) and not isinstance(otherwise, Unknown)
            return then if known and then == otherwise else Unknown("conditional on an unknown value")
        if isinstance(expr, Operation):
            return self._operate(expr)
        if isinstance(expr, ForExpr):
            return self._for(expr)
        if isinstance(expr, Bound):
            return self.with_names(expr.names)._eval(expr.expr)
        return Unknown(getattr(expr, "text", ""))

    def _traverse(self, expr: Traversal) -> Any:
        name = expr.steps[0] if expr.steps and isinstance(expr.steps[0], str) else None
        if expr.root in self.names:
            return self._steps(self.names[expr.root], expr.steps)
        if expr.root == "var" and name is not None:
            value = self.variables.get(name, Unknown(f"var.{name}"))
        elif expr.root == "local" and name is not None:
            value = (self._module or self)._local(name)
        elif expr.root == "path" and name in ("module", "root") and self.module_path is not None:
            value = self.module_path if name == "module" else "."
        else:
            return Unknown(expr.root)
        return self._steps(value, expr.steps[1:])

    def _steps(self, value: Any, steps: list) -> Any:
        """Attribute names, indexes and splats taken from `value`, in order."""
        for step in steps:
            if isinstance(value, Unknown):
                return value
            if isinstance(step, Splat):
                # A splat makes a list of a single value, and an empty one of null.
                items = value if isinstance(value, list) else [] if value is None else [value]
                self.budget.step(len(items))
                value = [self._steps(item, step.steps) for item in items]
                value = _invalid_in(value) or value
                continue
            key = step if isinstance(step, str) else self._eval(step)
            if isinstance(key, Unknown):
                return key
            value = _index(value, key)
        return value

    def _local(self, name: str) -> Any:
        if name in self._locals_done:
            return self._locals_done[name]
        if name not in self.local_values or name in self._resolving:
            return Unknown(f"local.{name}")
        self.budget.descend()  # a local's value: a level below the expression that uses it
        self._resolving.add(name)
        saved, self._current_path = self._current_path, self.local_paths.get(name)
        try:
            value = self._eval(self.local_values[name])
        finally:  # a budget error must not leave the local marked as being resolved
            self._resolving.discard(name)
            self._current_path = saved
            self.budget.ascend()
        self._locals_done[name] = value
        return value

    def _for(self, expr: ForExpr) -> Any:
        """A `for` expression: a list, or a map (`key => value`, with `...` grouping the
        values of a key into a list), over a list or a map in key order."""
        collection = self._eval(expr.collection)
        if isinstance(collection, Unknown):
            return collection
        if not isinstance(collection, (list, dict)):
            return Invalid("for over a value that is not a collection")
        pairs = sorted(collection.items()) if isinstance(collection, dict) else _pairs(collection)
        self.budget.step(len(pairs))
        items: list = []
        grouped: dict = {}
        for key, value in pairs:
            names = {expr.value_name: value, **({expr.key_name: key} if expr.key_name else {})}
            scope = self.with_names(names)
            if expr.condition is not None:
                keep = to_bool(scope._eval(expr.condition))
                if not isinstance(keep, bool):
                    return keep
                if not keep:
                    continue
            result = scope._eval(expr.value)
            if expr.key is None:
                items.append(result)
                continue
            result_key = to_string(scope._eval(expr.key))
            if isinstance(result_key, Unknown):
                return result_key
            if expr.grouping:
                grouped.setdefault(result_key, []).append(result)
            elif result_key in grouped:
                return Invalid(f"for expression makes key {result_key!r} twice")
            else:
                grouped[result_key] = result
        results = items if expr.key is None else grouped
        return _invalid_in(results.values() if isinstance(results, dict) else results) or results

    def _call(self, expr: Call) -> Any:
        name = expr.name
        if name == "templatefile":
            return self._templatefile(expr)
        function = FUNCTIONS.get(name) or BUDGETED.get(name)
        if function is None:
            return Unknown(f"{name}()")
        args = self._arguments(expr)
        if isinstance(args, Unknown):
            return args
        if name not in LENIENT:
            unknown = unknown_in(args) if name in STRUCTURAL else unknown_in(map(unknown_within, args))
            if unknown:
                return unknown
        try:
            if name in RESULT_SIZES:
                self.budget.check(RESULT_SIZES[name](*args), f"{name}()")
            result = function(self.budget, *args) if name in BUDGETED else function(*args)
        except Unsupported:
            return Unknown(f"{name}() with a pattern iacguard does not read")
        except OverflowError:
            return Unknown(f"{name}()")
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, StopIteration):
            return Invalid(f"{name}()")
        try:
            result = finite(result)
        except OverflowError:
            return Unknown(f"{name}()")
        self.budget.step(size_of(result))  # a copy costs its size too
        return result

    def _arguments(self, expr: Call) -> list | Unknown:
        """A call's argument values, the elements of an expanded last argument
        (`f(list...)`) among them. What is expanded must be a list (or set, or tuple):
        anything else is an error, and an unknown one leaves the arguments unknown."""
        args = [self._eval(arg) for arg in expr.args]
        if not expr.expand or not args:
            return args
        expanded = args.pop()
        if isinstance(expanded, Unknown):
            return expanded
        if not isinstance(expanded, list):
            return Invalid(f"{expr.name}() expanding a value that is not a list")
        self.budget.step(len(expanded))
        return [*args, *expanded]

    def _templatefile(self, expr: Call) -> Any:
        """`templatefile(path, vars)`: the file read through the scan's input door
        (inside the scan root, within the size limit), its `${...}` interpolations
        evaluated with `vars` as their only names. A relative path starts at the root
        module's directory, as Terraform runs there; a template cannot call
        `templatefile` again. A template that is refused (IG005) is told at the path
        argument when the scanned file writes the call; one named in a sibling's
        local or in a module has no line (a diagnostic's line is the scanned file's)."""
        args = [self._eval(arg) for arg in expr.args]
        unknown = unknown_in(args)
        if unknown or self.context is None or self.root_directory is None:
            return unknown or Unknown("templatefile()")
        if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], dict):
            return Invalid("templatefile()")
        path = from_real_folder(self.root_directory, args[0], self.context.real_path)
        if path not in self.templates:
            named = expr.args[0]
            at = (named.line, named.column) if self.scanned_path is not None and self._current_path == self.scanned_path else None
            text = self.context.read_dependency(path, at=at)
            if text is None:
                return Unknown("templatefile() of a file not read")
            self.budget.build(len(text), "templatefile()")  # a template is a value the file builds
            try:
                self.templates[path] = hcl.parse_template(text)
            except ParseError:
                self.templates[path] = None
        template = self.templates[path]
        if template is None:
            return Invalid("templatefile() of a broken template")
        self.budget.step(template.end_line - template.line + 1)  # each rendering is paid for, by the template's lines
        rendering = ModuleScope({}, {}, path=path)
        rendering.budget = self.budget
        return rendering.with_names(args[1])._eval(template)

    def _operate(self, expr: Operation) -> Any:
        values = [self._eval(operand) for operand in expr.operands]
        operator = expr.operator
        if len(values) == 1:
            (value,) = values
            if isinstance(value, Unknown):
                return value
            if operator == "!":
                return not value if isinstance(value := to_bool(value), bool) else value
            return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else Invalid(operator)
        left, right = values
        if operator in ("&&", "||"):
            left, right = to_bool(left), to_bool(right)
            if operator == "&&":
                if left is False or right is False:
                    return False
                return True if left is True and right is True else unknown_in([left, right])
            if left is True or right is True:
                return True
            return False if left is False and right is False else unknown_in([left, right])
        unknown = unknown_in(values) if operator not in ("==", "!=") else unknown_in(map(unknown_within, values))
        if unknown:
            return unknown
        try:
            left, right = (to_number(left), to_number(right)) if operator in NUMERIC else (left, right)
            self.budget.arithmetic(operator, left, right)
            return finite(OPERATORS[operator](left, right))
        except OverflowError:
            return Unknown(operator)
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            return Invalid(operator)

    # Loops.

    def instances(self, block: Block, path: str, costly: bool = True) -> list[Instance]:
        """The instances a resource or module block creates: one per `count` or
        `for_each` element, none when the collection is known to be empty, and one
        with Unknown loop values when it cannot be known (or the block has neither).
        Each costs `INSTANCE_STEPS` of the budget, as what is then read and checked for
        it; not `costly`, one step (a plan's instances are read from the plan, and only
        looked up here: `iacguard.normalizers.terraform_plan`)."""
        count, for_each = block.body.attributes.get("count"), block.body.attributes.get("for_each")
        if count is not None:
            number = self.evaluate(count.value)
            if isinstance(number, str):  # Terraform converts `count = "2"`
                try:
                    number = to_number(number)
                except (ValueError, OverflowError):
                    number = Unknown("count")
            if isinstance(number, Unknown) or isinstance(number, bool) or not isinstance(number, (int, float)) \
                    or (isinstance(number, float) and not math.isfinite(number)) or number < 0 or number != int(number):
                return [Instance("", {"count": {"index": Unknown("count.index")}})]
            self._check_loop(int(number), count.path or path, count.value, costly)
            return [Instance(f"[{index}]", {"count": {"index": index}}) for index in range(int(number))]
        if for_each is not None:
            items = self.loop_items(for_each.value, for_each.path or path, keyed=True, costly=costly)
            if items is None:
                return [Instance("", {"each": LoopItem(Unknown("each.key"), Unknown("each.value"))})]
            return [Instance(f"[{key_text(item.key)}]", {"each": item}) for item in items]
        return [Instance("", {})]

    def loop_items(self, expr: Expr, path: str, keyed: bool, costly: bool = True) -> list[LoopItem] | None:
        """The elements a `for_each` iterates over, None when they cannot be known. A
        map's keys come in Terraform's order (sorted); a list is a set of strings in a
        resource or module (`keyed`: each key is the string), and is taken by index
        in a `dynamic` block."""
        collection = self.evaluate(expr)
        if isinstance(collection, dict):
            pairs = sorted(collection.items())
        elif isinstance(collection, list) and keyed:
            if not all(isinstance(item, str) for item in collection):
                return None
            pairs = [(item, item) for item in to_set(collection)]
        elif isinstance(collection, list):
            pairs = _pairs(collection)
        else:
            return None
        self._check_loop(len(pairs), path, expr, costly)
        return [LoopItem(key, value, expr, path) for key, value in pairs]

    def _check_loop(self, instances: int, path: str, expr: Expr, costly: bool = True) -> None:
        try:
            self.budget.loop(instances, "a loop", costly)
        except BudgetExceeded as error:
            locate(error, path, expr.line)
            raise

    def expand_dynamic(self, body: Body, path: str) -> Body:
        """`body` with each `dynamic` block whose `for_each` is known replaced by the
        blocks it generates (nested ones too), their arguments bound to the iterator;
        a `dynamic` block over a collection that cannot be known stays as it is."""
        if not _has_dynamic(body):
            return body
        blocks = []
        for block in body.blocks:
            if block.type == "dynamic" and len(block.labels) == 1:
                blocks += self._generate(block, path)
            else:
                blocks.append(replace(block, body=self.expand_dynamic(block.body, path)))
        return Body(body.attributes, blocks)

    def _generate(self, dynamic: Block, path: str) -> list[Block]:
        for_each = dynamic.body.attributes.get("for_each")
        contents = dynamic.body.blocks_of("content")
        items = self.loop_items(for_each.value, for_each.path or path, keyed=False) if for_each is not None and contents else None
        if items is None:
            return [dynamic]
        iterator = dynamic.body.attributes.get("iterator")
        name = iterator.value.root if iterator is not None and isinstance(iterator.value, Traversal) else dynamic.labels[0]
        generated = []
        for item in items:
            names = {name: item}
            body = self.with_names(names).expand_dynamic(_bind(contents[0].body, names, self.budget), path)
            generated.append(Block(dynamic.labels[0], [], body, dynamic.line, dynamic.column, dynamic.end_line, dynamic.path))
        return generated


def _bind(body: Body, names: dict, budget: Budget) -> Body:
    """A copy of `body` whose arguments, in nested blocks too, evaluate with `names`."""
    budget.step(len(body.attributes) + len(body.blocks))
    attributes = {
        key: Attribute(attribute.name, Bound(attribute.value.line, attribute.value.column, attribute.value.end_line, attribute.value.end_column, attribute.value, names),
                       attribute.line, attribute.column, attribute.end_line, attribute.path)
        for key, attribute in body.attributes.items()
    }
    return Body(attributes, [replace(block, body=_bind(block.body, names, budget)) for block in body.blocks])


def _has_dynamic(body: Body) -> bool:
    return any(block.type == "dynamic" or _has_dynamic(block.body) for block in body.blocks)


def _pairs(items: list) -> list[tuple[Any, Any]]:
    """A list's keys and elements as a loop takes them: by index, or, over a set,
    each element its own key."""
    return [(item, item) for item in items] if isinstance(items, SetValue) else list(enumerate(items))


def key_text(key: Any) -> str:
    """An instance key as Terraform writes it in an address: `0`, `"legacy-api"`."""
    return str(key) if isinstance(key, int) else json.dumps(to_string(key) if not isinstance(key, Unknown) else str(key), ensure_ascii=False)


def _invalid_in(values) -> Invalid | None:
    return next((value for value in values if isinstance(value, Invalid)), None)


def _location(path: str, expr: Expr) -> Location:
    return Location(path, expr.line, expr.column, expr.end_line, expr.end_column)


def _looking_for_element(steps: tuple) -> bool:
    return any(isinstance(step, _Element) for step in steps)


def _reached(steps: tuple, rest: tuple) -> bool:
    """Whether taking `steps` into a literal reached a loop's element."""
    return _looking_for_element(steps) and not _looking_for_element(rest)


_SET_CONVERSIONS = ("toset", "tolist", "tomap")  # written around a collection, they keep its elements


def _within(expr: Expr, steps: tuple) -> tuple[Expr, tuple]:
    """The part of an object or tuple literal that `steps` (attribute names, index
    expressions, a loop's element) select, as far as the literal is written out, and
    the steps left. A set's element is the item that writes its value."""
    for position, step in enumerate(steps):
        while isinstance(expr, Call) and expr.name in _SET_CONVERSIONS and len(expr.args) == 1 and not expr.expand:
            expr = expr.args[0]
        key = step.key if isinstance(step, _Element) else step.value if isinstance(step, Literal) else step
        item = None
        if isinstance(expr, ObjectExpr) and isinstance(key, str):
            # the last one wins, as when the object is evaluated
            item = next((value for name, value in reversed(expr.items) if _literal_key(name) == key), None)
        elif isinstance(expr, TupleExpr) and type(key) is int and 0 <= key < len(expr.items):
            item = expr.items[key]
        elif isinstance(expr, TupleExpr) and isinstance(step, _Element) and isinstance(key, str):
            item = next((value for value in expr.items if _literal_key(value) == key), None)
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
    """`value[key]` or `value.key`; taking what is not there is an error."""
    if isinstance(value, LoopItem):
        return value.key if key == "key" else value.value if key == "value" else Invalid(f"{key} of a loop element")
    if isinstance(value, dict):
        key = to_string(key)
        return value[key] if key in value else Invalid(f"missing key {key}")
    if isinstance(value, list) and isinstance(key, (int, float)) and not isinstance(key, bool) and key == int(key) and 0 <= key < len(value):
        return value[int(key)]
    if isinstance(value, list) and isinstance(key, str) and key.isdigit() and int(key) < len(value):
        return value[int(key)]
    return Invalid(f"index {key}")


def conform(value: Any, declared: Expr | None) -> Any:
    """`value` converted to a variable's declared type, as Terraform converts input:
    an object type keeps its declared attributes, a missing or null `optional` one
    set to its default or null; lists, sets, maps and tuples convert their elements; strings,
    numbers and bools convert from each other where Terraform allows. A value that
    does not convert, or a type iacguard does not read, is left as it is."""
    if declared is None or isinstance(value, Unknown) or value is None:
        return value
    if isinstance(declared, Traversal) and not declared.steps:
        primitive = declared.root
        converted = {"string": to_string, "number": to_number, "bool": to_bool}.get(primitive)
        if converted is None or isinstance(value, (list, dict)):
            return value
        try:
            result = converted(value)
        except (ValueError, OverflowError):
            return value
        return value if isinstance(result, Unknown) else result
    if not isinstance(declared, Call) or not declared.args:
        return value
    kind, inner = declared.name, declared.args[0]
    if kind in ("list", "set") and isinstance(value, list):
        items = [conform(item, inner) for item in value]
        return to_set(items) if kind == "set" else items
    if kind == "map" and isinstance(value, dict):
        return {key: conform(item, inner) for key, item in value.items()}
    if kind == "tuple" and isinstance(value, list) and isinstance(inner, TupleExpr) and len(inner.items) == len(value):
        return [conform(item, item_type) for item, item_type in zip(value, inner.items, strict=True)]
    if kind == "object" and isinstance(value, dict) and isinstance(inner, ObjectExpr):
        return _conform_object(value, inner)
    return value


def _conform_object(value: dict, declared: ObjectExpr) -> dict:
    result = {}
    for key_expr, attribute_type in declared.items:
        name = _literal_key(key_expr)
        if name is None:
            return value
        optional = isinstance(attribute_type, Call) and attribute_type.name == "optional" and attribute_type.args
        if name in value and (value[name] is not None or not optional):
            result[name] = conform(value[name], attribute_type.args[0] if optional else attribute_type)
        elif optional:  # missing or null, as HCL's typeexpr applies defaults
            default = ModuleScope({}, {}).evaluate(attribute_type.args[1]) if len(attribute_type.args) > 1 else None
            result[name] = conform(default, attribute_type.args[0])
        else:
            return value  # Terraform refuses the value: it is not converted here
    return result


NUMERIC = {"<", ">", "<=", ">=", "+", "-", "*", "/", "%"}  # operators that take numbers (strings convert)
OPERATORS = {
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


# Loading a module directory.

parsed_files = ParseCache(hcl.parse)  # a module's files: scanned, and read by their siblings


def module_scope(files: list[hcl.HclFile | None], var_files: list[tuple[Path, Any]], paths: list[str] | None = None) -> ModuleScope:
    """Variables and locals declared in `files` (None stands for a file that does not
    parse), with values from the var files (each read by `read_var_file`). `paths`,
    when given, names each of the files, so that budget errors can point into them."""
    defaults: dict[str, Any] = {}
    declared: dict[str, tuple[Location, Attribute | None]] = {}
    types: dict[str, Expr] = {}
    local_values: dict[str, Expr] = {}
    local_paths: dict[str, str] = {}
    non_nullable: set[str] = set()
    for parsed, path in zip(files, paths or [None] * len(files), strict=True):
        if parsed is None:
            continue
        literal = ModuleScope({}, {}, path=path)
        for block in parsed.body.blocks:
            if block.type == "variable" and block.labels:
                default, declared_type = block.body.attributes.get("default"), block.body.attributes.get("type")
                if declared_type is not None:
                    types[block.labels[0]] = declared_type.value
                if declares(block, "nullable", False):
                    non_nullable.add(block.labels[0])
                defaults[block.labels[0]] = conform(literal.evaluate(default.value), types.get(block.labels[0])) if default else Unknown(f"var.{block.labels[0]}")
                if path is not None:
                    declared[block.labels[0]] = (Location(path, block.line, block.column), default)
            elif block.type == "locals":
                local_values.update({name: attribute.value for name, attribute in block.body.attributes.items()})
                if path is not None:
                    local_paths.update({name: attribute.path or path for name, attribute in block.body.attributes.items()})
    written = (dict(defaults), dict(declared))  # a null given to a variable that is not nullable restores these
    for path, content in var_files:
        for name, value in _var_file_values(path, content).items():
            if name not in defaults:
                continue
            if value is None and name in non_nullable:
                defaults[name] = written[0][name]
                if name in declared:
                    declared[name] = written[1][name]
                continue
            defaults[name] = conform(value, types.get(name))
            if name in declared:  # where a var file wrote the value is not tracked: findings stay at the reference
                declared[name] = (declared[name][0], None)
    return ModuleScope(defaults, local_values, local_paths, declared=declared, types=types, non_nullable=frozenset(non_nullable))


def declares(block: Block, name: str, value: bool) -> bool:
    """Whether the `variable` block writes its flag `name` (`sensitive`, `nullable`)
    as `value`: the literal, or its string (`"false"`), which Terraform converts. A
    flag an expression computes is not read."""
    attribute = block.body.attributes.get(name)
    written = attribute.value.value if attribute is not None and isinstance(attribute.value, Literal) else None
    return written is value or written == str(value).lower()


def var_files_of(directory: Path) -> list[Path]:
    """The var files Terraform loads by itself, in its order."""
    names = ["terraform.tfvars", "terraform.tfvars.json"]
    automatic = sorted(path.name for path in directory.glob("*.auto.tfvars*") if path.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [directory / name for name in names + automatic if os.path.lexists(directory / name)]


def read_var_file(path: Path, context) -> tuple[Path, Any]:
    """A var file read through the scan's input door: its parsed HCL, or its JSON
    document (a number JSON reads as no finite float, `1e400`, is Unknown; `NaN` and
    `Infinity` are no JSON); None when it is refused or does not parse (the depending
    file is then incomplete). No line of the scanned file names a var file (the
    command line, the config or Terraform's own names do), so its refusal (IG005)
    stands on the file as a whole."""
    if not path.name.endswith(".json"):
        return path, parsed_files.dependency(path, context)
    text = context.read_dependency(path)
    if text is None:
        return path, None
    try:
        return path, json.loads(text, parse_float=_exact_or_unknown, parse_constant=_not_json)
    except (ValueError, RecursionError):
        context.refuse(path, "not valid JSON")
        return path, None


def exact(value: Any) -> Any:
    """`value` (decoded JSON), or Unknown when it holds a float that is not finite:
    Terraform's numbers are exact, and such a float stands for one iacguard cannot
    know (a plan's values are read by JSON's own rules)."""
    return Unknown("a number that is not finite") if holds_non_finite(value) else value


def _exact_or_unknown(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else Unknown(f"{text[:20]}: a number that is not finite")


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def _var_file_values(path: Path, content: Any) -> dict[str, Any]:
    if isinstance(content, hcl.HclFile):
        literal = ModuleScope({}, {}, path=str(path))
        return {name: literal.evaluate(attribute.value) for name, attribute in content.body.attributes.items()}
    return content if isinstance(content, dict) else {}
