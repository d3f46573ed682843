"""Bicep files as canonical resources, through the ARM resource model.

Each `resource` declaration is evaluated (`iacguard.evaluators.bicep`) into the
object an ARM template would hold, and the ARM reader turns it into resources with
the same API defaults, so a Bicep file and its compiled template give the same
findings. What the declarations add:

- a child nested in its parent's body has a relative type (`config`); one declared
  on its own names its parent with `parent: site`, or an instance of a looped
  parent with `parent: sites[0]` or `parent: sites[i]` (the index evaluated with the
  child's own loop variables). Either way its full type and
  name (`site-name/web`) are derived, and `sites/config` children merge into that
  very site;
- `if (condition)` known to be false means not created. A `for` loop over a known
  array creates one resource (or module instance) per element that its `if` filter
  keeps, each evaluated with its own loop variables, so a finding on a value taken
  from the element points at the element; `@batchSize` changes nothing. Instances
  are addressed by their evaluated name (`Microsoft.Web/sites/app-0`), or by symbol
  and index (`sites[1]`) when the name is unknown or repeated; module instances as
  `module.NAME[i].`. A loop over an array that cannot be known is read once, its
  variables unknown, so what does not depend on them is still checked;
- `existing` resources are references, not declarations: a `config` child of one
  changes the site its name names, found by name as in an ARM template: one declared
  in the scan (a module given a site's name configures it this way), else a site
  deployed elsewhere. When the name is not known (a parameter; `site.name` passed to
  a module), neither is the site: what the config sets is not known on a site of
  the scan that it may be;
- `module` declarations with a local path, to a `.bicep` file or an ARM JSON
  template, are followed with the module call's `params`; their resources get the
  address prefix `module.NAME.`. Findings about a value a Bicep module takes from
  its caller point at the caller's argument (or at the parameter's default, when the
  caller leaves it unset), with the module's lines as related locations; the others
  point into the module's file, and so do all findings in an ARM template module.
  Registry modules (`br:`, `ts:`) are not fetched, and a note says so;
- compile-time `import`s from a local Bicep file read it (once per scan of the
  file) for the variables and functions it exports; an import from a registry
  (`br:`, `ts:`) or an ARM template is not read, and a note says so when one of its
  names is used. An import cycle is not followed, with a warning.

A resource whose name cannot be known is named by its symbol in addresses. Bodies of
resource types no rule reads (storage, networks...) are never evaluated, nor are the
calls of modules whose files declare none that is read and call and import nothing
(each instance still counts against the module budget).

Parameter values: the default, overridden by `NAME.parameters.json` or
`NAME.bicepparam` beside the file, then by `--param-file`. In a module, an optional
parameter (a nullable type, `string?`, with no default) that the call leaves unset
is null: a loop over it `?? []` makes no instance, a property given it is not set.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from iacguard.budgets import MAX_MODULE_DEPTH, Budget
from iacguard.diagnostics import CONTENT_WARNING, NOT_FETCHED
from iacguard.errors import BudgetExceeded, ParseError
from iacguard.evaluators.bicep import Arguments, BicepScope, Bound, Import
from iacguard.evaluators.module_call import ModuleCall
from iacguard.formats import ParsedFile, ScanContext
from iacguard.lazy import regex
from iacguard.model import Location, Resource, Unknown
from iacguard.normalizers.arm import READ_TYPES, Declared, declarations, parameter_file_values, resources
from iacguard.parsers import bicep_syntax
from iacguard.parsers.bicep_syntax import BicepFile, Node, Statement
from iacguard.parsers.documents import Mark, YMap
from iacguard.structs import replace



def normalize(parsed: ParsedFile, context: ScanContext | None = None) -> Iterator[Resource]:
    file: BicepFile = parsed.native
    if not any(statement.kind in ("resource", "module") for statement in file.statements):
        return  # a parameter file, or types and functions only
    context = context or ScanContext()
    stem = Path(parsed.path).name.removesuffix(".bicep")
    given = parameter_file_values(parsed.path, [f"{stem}.parameters.json", f"{stem}.bicepparam"], context)
    declared: list[Declared] = []
    reader = _File(parsed, context, declared)
    try:
        reader.declare(parsed.path, file, reader.scope(file, given, parsed.path, Budget()), "", ())
    except RecursionError:  # a value nested too deeply to move into a module: the file parsed, its evaluation stopped
        raise BudgetExceeded("values nested too deeply") from None
    yield from resources(declared, "bicep")


def bicepparam_values(path: Path, template: str, context: ScanContext) -> dict[str, Any]:
    """The values a `.bicepparam` file assigns to the template at `template`; those it
    cannot know are Unknown. A file whose `using` names another template assigns
    nothing here (`using none` files apply to any template). The template names no
    parameter file (its `using` is in the parameter file), so a refusal to read one
    (IG005) has no line."""
    file = bicep_syntax.parsed_files.dependency(path, context)
    if file is None:
        return {}
    using = next((s for s in file.statements if s.kind == "using"), None)
    if using is not None and using.target is not None:
        named = os.path.abspath(path.parent / using.target)
        if named != os.path.abspath(template):
            return {}
    scope = BicepScope([s for s in file.statements if s.kind == "var"], {})
    return {s.name: _without_positions(scope.evaluate(s.value), scope.budget) for s in file.statements if s.kind == "param" and s.value is not None}


class _File:
    """Declares the resources of the scanned file and of the modules it calls."""

    def __init__(self, parsed: ParsedFile, context: ScanContext, declared: list[Declared]):
        self.parsed = parsed
        self.context = context
        self.declared = declared
        self.exporters: dict[str, BicepScope | None] = {}  # the files imported from, by real path
        self.real = context.real_path(parsed.path)  # a module that calls the scanned file back is a cycle too
        # The path a module call or import of the scanned file writes, while it is
        # followed: where a note about a file it leads to stands (`ParsedFile.diagnose`).
        self.leads_at: tuple[int, int] | None = None

    def scope(self, file: BicepFile, given: dict[str, Any], path: str, budget: Budget, importers: tuple[str, ...] = ()) -> BicepScope:
        """The scope of `file` at `path`, its imports resolved; `importers` is the
        chain of files that import it, to refuse a cycle."""
        scope = BicepScope(file.statements, given, path, budget)
        chain = None  # resolved only for a file that imports: most do not, and resolving costs a stat
        for statement in file.statements:
            if statement.kind == "import":
                chain = chain or (*importers, self.context.real_path(path))
                exporter, unread = self.exporter(statement, path, budget, chain)
                via = (Location(path, statement.line, statement.column).hop(f"imports from {statement.target}"),)
                for name, alias in statement.value.value:
                    scope.imported[alias] = Import(exporter, name, via, unread)
                if statement.name:
                    scope.imported[statement.name] = Import(exporter, "", via, unread)
        return scope

    def exporter(self, statement: Statement, path: str, budget: Budget, chain: tuple[str, ...]) -> tuple[BicepScope | None, Any]:
        """The scope of the file an `import` reads, and what to say when it is not read."""
        source = statement.target or "an interpolated path"
        said = []
        diagnose = self.parsed.diagnose  # not `self`: the scopes keep `note`, and `self` keeps the scopes
        leads_at = self.leads_at

        def note(message: str, code: str = NOT_FETCHED, level: str = "note") -> None:
            if not said:
                said.append(message)
                diagnose(code, level, message, path, statement.line, statement.column, leads_at=leads_at)

        if not source.endswith(".bicep") or source.startswith(("br:", "br/", "ts:", "ts/")):
            return None, lambda: note(f"import from {source} is not read (only local Bicep files are), so the values it brings are not known")
        imported = _named_file(path, source)
        real = self.context.real_path(imported)
        if real in chain:
            note(f"import from {source} imports this file again, in a cycle; not followed", CONTENT_WARNING, "warning")
            return None, lambda: None
        if len(chain) > MAX_MODULE_DEPTH:
            raise BudgetExceeded(f"imports nest more than {MAX_MODULE_DEPTH} deep", path, statement.line)
        if real not in self.exporters:
            file = bicep_syntax.parsed_files.dependency(imported, self.context, self.named_at(statement, path))
            with self.leading(statement, path):
                self.exporters[real] = None if file is None else self.scope(file, {}, imported.as_posix(), budget, chain)
        return self.exporters[real], lambda: None  # a file refused is reported already (IG005)

    @contextlib.contextmanager
    def leading(self, statement: Statement, path: str) -> Iterator[None]:
        """While a `module` or `import` statement of the scanned file is followed into
        the file it reads, notes about the files it leads to stand at it (`leads_at`)."""
        if path != self.parsed.path:
            yield
            return
        self.leads_at = statement.target_at or (statement.line, statement.column)  # the path it writes
        try:
            yield
        finally:
            self.leads_at = None

    def named_at(self, statement: Statement, path: str) -> tuple[int, int] | None:
        """Where the scanned file names the file a `module` or `import` statement,
        written in the file at `path`, reads: a refusal to read it (IG005) is told
        there. For a statement of a module's or imported file (a diagnostic's line is
        the scanned file's), the scanned file's call or import that leads to it
        (`leads_at`), when one is being followed."""
        return statement.target_at if path == self.parsed.path else self.leads_at

    def declare(self, path: str, file: BicepFile, scope: BicepScope, prefix: str, stack: tuple) -> None:
        symbols: dict[tuple[str, tuple[int, ...]], Declared] = {}  # each instance by symbol and loop indexes
        named_parents: list[tuple[Declared, tuple[str, tuple[int, ...]]]] = []
        for statement in file.statements:
            if statement.kind == "resource":
                self.resource(statement, scope, path, prefix, None, ({}, ()), symbols, named_parents)
            elif statement.kind == "module":
                self.module(statement, scope, path, prefix, stack)
        for child, symbol in named_parents:
            parent = symbols.get(symbol)
            if parent is not None:
                _adopt(child, parent)

    def resource(self, statement: Statement, scope: BicepScope, path: str, prefix: str, parent: Declared | None,
                 outer: tuple[dict[str, Bound], tuple[int, ...]], symbols: dict, named_parents: list) -> None:
        """Declare each resource `statement` creates; `outer` holds the loop variables
        and indexes of the parent instance it is nested in."""
        if statement.target is None:
            return
        written_type, _, api_version = statement.target.partition("@")
        if parent is not None and "/" not in written_type:  # nested, with a relative type: "config"
            written_type = f"{parent.node['type']}/{written_type}"
        if written_type.lower() not in READ_TYPES:
            return  # no rule reads it (nor its children): its body is not evaluated
        for body, bound, index in _created(statement.value, scope, *outer):
            self.instance(statement, written_type, api_version, body, scope, path, prefix, parent, (bound, index), symbols, named_parents)

    def instance(self, statement: Statement, written_type: str, api_version: str, body: Node, scope: BicepScope, path: str, prefix: str,
                 parent: Declared | None, loop: tuple[dict[str, Bound], tuple[int, ...]], symbols: dict, named_parents: list) -> None:
        bound, index = loop
        node = scope.evaluate(body, bound)
        if not isinstance(node, YMap):
            return
        name = node.get("name", Unknown(statement.name))
        item = Declared(node, written_type.lower(), name, statement.name, scope, path, prefix, index=index)
        node["type"] = written_type
        node.key_marks["type"] = Mark(statement.line, statement.column)
        if api_version:  # where an ARM template has it; defaults of some types depend on it
            node["apiVersion"] = api_version
        if parent is not None:
            _adopt(item, parent)
        parent_reference = next((p.value for p in body.items if p.key == "parent"), None)
        named = _parent_instance(parent_reference, scope, bound)
        if named is not None:
            named_parents.append((item, named))
        if not statement.existing:  # an existing resource is only a parent to refer to
            self.declared.append(item)
        symbols[(statement.name, index)] = item
        for prop in body.items:
            if isinstance(prop.value, Statement):
                self.resource(prop.value, scope, path, prefix, item, loop, symbols, named_parents)

    def module(self, statement: Statement, scope: BicepScope, path: str, prefix: str, stack: tuple) -> None:
        source = statement.target
        instances = _created(statement.value, scope, {}, ())
        if not instances or source is None:
            return

        def note(message: str, code: str = NOT_FETCHED, level: str = "note") -> None:
            self.parsed.diagnose(code, level, message, path, statement.line, statement.column, leads_at=self.leads_at)

        if source.startswith(("br:", "br/", "ts:", "ts/")):
            note(f"module {statement.name}: registry module {source} is not fetched, so its resources are not checked")
            return
        if not source.endswith((".bicep", ".json")):
            note(f"module {statement.name}: {source} is neither a Bicep file nor an ARM template, so its resources are not checked")
            return
        module_path = _named_file(path, source)
        real = self.context.real_path(module_path)
        if real in stack or real == self.real:
            note(f"module {statement.name}: {source} calls itself in a cycle; not followed", CONTENT_WARNING, "warning")
            return
        made = _Instances(scope.budget)
        module_file = None
        for body, bound, index in instances:
            self.context.enter_module(len(stack) + 1, path, statement.line)
            if module_file is None:  # read by the first instance, after its count
                named_at = self.named_at(statement, path)
                module_file = bicep_syntax.parsed_files.dependency(module_path, self.context, named_at) if source.endswith(".bicep") else _arm_template(module_path, self.context, named_at)
                if module_file is None:
                    return  # refused: the file is incomplete (IG005)
                checked = not isinstance(module_file, BicepFile) or _declares_read_types(module_file)
            if not checked:
                continue  # nothing in it would be checked: its call is not evaluated either
            inner = f"{prefix}module.{statement.name}{''.join(f'[{i}]' for i in index)}."
            arguments = scope.arguments(body, bound, Location(path, statement.line, statement.column)) if isinstance(module_file, BicepFile) else None
            call = arguments or scope.evaluate(body, bound)
            earlier = made.like(call)
            if earlier is not None:  # given what an earlier instance was given: the same resources
                self.declared.extend(_renamed(*earlier, inner))
                continue
            start = len(self.declared)
            with self.leading(statement, path):
                self.module_instance(statement, call, scope, path, module_path, module_file, inner, (*stack, real))
            if len(instances) > 1:  # most modules have no other instance to share resources with
                made.add(call, inner, self.declared[start:])

    def module_instance(self, statement: Statement, call: Any, scope: BicepScope, path: str, module_path: Path,
                        module_file: BicepFile | YMap, inner: str, stack: tuple) -> None:
        """Declare the resources of one instance of a module, with the address prefix
        `inner`: `call` is what its call evaluates to, or its `Arguments`."""
        if isinstance(call, Arguments):
            self.module_file_instance(statement, call, module_path, module_file, inner, stack)
            return
        params = call.get("params", {}) if isinstance(call, dict) else Unknown("module call")
        if isinstance(module_file, YMap):  # an ARM template
            declared_parameters = module_file.get("parameters")
            names = list(declared_parameters) if isinstance(declared_parameters, dict) else []
        else:
            names = [s.name for s in module_file.statements if s.kind == "param"]
        if not isinstance(params, dict):  # inputs unknown: so is every parameter, defaults included
            params = {name: Unknown(name) for name in names}
        if isinstance(module_file, YMap):  # the ARM reader declares its resources
            given = {key: _without_positions(value, scope.budget) for key, value in params.items()}
            for item in declarations(module_path.as_posix(), module_file, given, self.context)[0]:
                item.prefix = inner
                self.declared.append(item)
            return
        arguments = Arguments(scope, Location(path, statement.line, statement.column), params, complete=False)  # a spread or a computed key may give what it lacks
        self.module_file_instance(statement, arguments, module_path, module_file, inner, stack)

    def module_file_instance(self, statement: Statement, arguments: Arguments, module_path: Path, module_file: BicepFile, inner: str, stack: tuple) -> None:
        """Declare the resources of one instance of a Bicep module given `arguments`."""
        path = module_path.as_posix()
        module_scope = self.scope(module_file, arguments, path, arguments.caller.budget)
        # The hops name the call, not the instance: instances given the same arguments share them.
        module_scope.called(ModuleCall(_INDEX.sub("", inner).removesuffix("."), arguments.head, "parameter", module_file.parameter_places(path)))
        self.declare(path, module_file, module_scope, inner, stack)


def _declares_read_types(file: BicepFile) -> bool:
    """Whether a module's file may declare a resource that a rule reads: one of
    `READ_TYPES` (its children are nested in it or name it as parent), or another
    module or an import, which can bring more (and notes of their own). A module
    that cannot is counted as an instance, but neither its call nor its file is
    evaluated: on the corpus's Bicep files, 2,738 of 6,414 module instances."""
    for statement in file.statements:
        if statement.kind in ("module", "import"):
            return True
        if statement.kind == "resource" and statement.target is not None and statement.target.partition("@")[0].lower() in READ_TYPES:
            return True
    return False


def _arm_template(path: Path, context: ScanContext, named_at: tuple[int, int] | None = None) -> YMap | None:
    """The ARM template a module path names; None (and the dependency refused, told
    `named_at`) when it cannot be read or is not one."""
    from iacguard.parsers.arm import ArmFormat

    arm = ArmFormat()
    text = context.read_dependency(path, at=named_at)
    if text is None:
        return None
    try:
        documents = arm.parse(text, path.as_posix()).native.documents if arm.sniff(text) else []
    except (ParseError, RecursionError):
        documents = []
    if documents and isinstance(documents[0].root, YMap):
        return documents[0].root
    context.refuse(path, "not an ARM template that parses", named_at)
    return None


_INDEX = regex(r"\[\d+\]")


@functools.lru_cache(maxsize=1024)
def _named_file(caller: str, source: str) -> Path:
    """The file that a module or import `source` of the file at `caller` names, as
    written (links not resolved). Memoised: the same few files are named from many
    files, and pathlib's parsing took 1.6% of a scan of the corpus's Bicep files. The
    name is joined as a string and made a `Path` once: the 2,299 names of that scan
    took 0.015 s to make, now 0.0065 s."""
    return Path(os.path.normpath(os.path.join(os.path.dirname(caller), source)))


class _Instances:
    """The instances of one module call evaluated so far, by what each was given. A
    module's evaluation is decided by the values of the arguments it reads, and where
    each was written: an instance given the same as an earlier one declares the same
    resources, which are copied rather than evaluated again.

    An instance given its `Arguments` evaluates only those the module reads; a later
    instance is compared on those alone (evaluating them, as it would first), never
    on the others (most are never read). Evaluating each instance's call whole to
    compare them took 6% of a scan of the corpus's Bicep files in one process, which
    now takes 2.24 s of CPU, not 2.41 (best of 9). A call that must be evaluated
    whole (see `BicepScope.arguments`) is compared on all its `params`."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.made: dict[Any, tuple[str, list[Declared]]] = {}  # what an instance was given -> its prefix and resources
        self.read: dict[tuple[str, ...], None] = {}  # the names of the arguments each instance read, each set once
        # The call last asked about, held, and what it gives by each set of names
        # (None: its whole `params`): `like` and then `add` ask about the same call,
        # and an argument, once read, does not change.
        self.asked: tuple[Any, dict[tuple[str, ...] | None, Any]] = (None, {})

    def like(self, call: Any) -> tuple[str, list[Declared]] | None:
        """The prefix and resources of an earlier instance given what `call` gives."""
        if not isinstance(call, Arguments):
            return self.made.get(self._given(call, None)) if self.made else None
        for names in self.read:
            earlier = self.made.get(self._given(call, names))
            if earlier is not None:
                return earlier
        return None

    def add(self, call: Any, prefix: str, declared: list[Declared]) -> None:
        """Remember an instance evaluated with `call`, which declared `declared`."""
        names = None
        if isinstance(call, Arguments):
            names = tuple(call.values)  # read so far, in the order read
            self.read[names] = None
        self.made[self._given(call, names)] = (prefix, declared)

    def _given(self, call: Any, names: tuple[str, ...] | None) -> Any:
        """What `call` gives: the arguments `names` (values and where each was
        decided), or, for None, the whole `params` of a call evaluated whole."""
        asked, given = self.asked
        if asked is not call:
            given = {}
            self.asked = (call, given)
        if names not in given:
            if names is None:
                given[names] = _given(call.get("params") if isinstance(call, dict) else None, self.budget)
            else:
                marks = getattr(call.values, "value_marks", {})  # none when the call writes no `params`
                given[names] = names, tuple((_given(call[name], self.budget), marks.get(name)) for name in names)
        return given[names]


def _given(value: Any, budget: Budget) -> Any:
    """What a module instance is given, as a hashable value that tells apart values
    written in different places. Each part is paid for: a value of shared parts can
    be exponentially larger than the work that built it."""
    budget.step()
    if isinstance(value, dict):
        marks = getattr(value, "value_marks", {})
        return ("object", tuple((key, _given(item, budget), marks.get(key)) for key, item in value.items()))
    if isinstance(value, list):
        marks = getattr(value, "item_marks", None) or [None] * len(value)
        return ("array", tuple((_given(item, budget), mark) for item, mark in zip(value, marks)))
    return (type(value).__name__, value)


def _renamed(first: str, items: list[Declared], prefix: str) -> list[Declared]:
    """The declarations of module instance `first` as those of another instance,
    `prefix`, given the same arguments."""
    copies = {id(item): replace(item, prefix=prefix + item.prefix.removeprefix(first), extras=[], guessed=[]) for item in items}
    for item in copies.values():
        item.parent = copies.get(id(item.parent), item.parent)
    return list(copies.values())


def _created(body: Node | None, scope: BicepScope, bound: dict[str, Bound], index: tuple[int, ...]) -> list[tuple[Node, dict[str, Bound], tuple[int, ...]]]:
    """The objects a resource or module body declares, one per instance, each with
    its loop variables and loop indexes; none when it is known not to be created. A
    loop over a collection that cannot be known declares one object, its variables
    unknown."""
    if body is None:
        return []
    if body.kind == "if":
        if scope.evaluate(body.items[0], bound) is False:
            return []
        return _created(body.items[1], scope, bound, index)
    if body.kind == "for":
        iterations = scope.iterations(body, bound, instances=True)
        if iterations is None:
            unknown = {**bound, **{name: Bound(Unknown(name)) for name in body.value}}
            return _created(body.items[1], scope, unknown, index)
        return [found for i, variables in enumerate(iterations) for found in _created(body.items[1], scope, variables, (*index, i))]
    return [(body, bound, index)] if body.kind == "object" else []


def _parent_instance(reference: Any, scope: BicepScope, bound: dict[str, Bound]) -> tuple[str, tuple[int, ...]] | None:
    """The symbol and loop index of the resource instance a `parent:` names: `site`,
    or an instance of a looped resource, `sites[0]` or `sites[i]` with the child's own
    loop variables; None when it cannot be known."""
    if not isinstance(reference, Node):
        return None
    if reference.kind == "name":
        return reference.value, ()
    if reference.kind == "index" and reference.items[0].kind == "name":
        index = scope.evaluate(reference.items[1], bound)
        if isinstance(index, int) and not isinstance(index, bool):
            return reference.items[0].value, (index,)
    return None


def _adopt(child: Declared, parent: Declared) -> None:
    """Make `child` a child of `parent`, with its full name as ARM spells it."""
    child.parent = parent
    if isinstance(parent.name, str) and isinstance(child.name, str):
        child.name = f"{parent.name}/{child.name}"
    else:
        child.name = Unknown(child.raw_name)


def _without_positions(value: Any, budget: Budget) -> Any:
    """A value without its positions: passed into another file, they would point into
    the wrong one. Each part is paid for, as in `_given`."""
    budget.step()
    if isinstance(value, dict):
        return {key: _without_positions(item, budget) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_positions(item, budget) for item in value]
    return value
