"""Terraform plans (`terraform show -json`) as canonical resources: each resource
instance with the values Terraform resolved for it (variables from every source,
loops, functions, module inputs), normalised by the Terraform normaliser, so the
same resource kinds, defaults and rules apply.

Values come from `resource_changes[].change.after` (created, updated, replaced and
unchanged instances; not deleted ones, not data sources), or from `planned_values`
when a plan has no `resource_changes`. A value the plan marks unknown until apply
(`after_unknown`) is Unknown, and so is one it marks sensitive (`after_sensitive`,
`sensitive_values`): no message can show it. Rules about secrets written out in the
configuration (IG210, IG214) judge how a value is written, which a plan cannot tell
(every value in it is resolved), so they read the `.tf` files, not the plan.

Where a finding points. A plan has no line numbers, so each instance is matched to its
`resource` block by its address (`module.a["k"].module.b[0].azurerm_x.y["k"]`): the
plan's folder holds the root module, and each module call's local `source` in the
plan's `configuration` leads, from its caller's folder, to the module's. The block's
files are read through the scan's input door, inside the scan root, and a folder's
override files merged into its other files, as Terraform merged them to make the plan
(`iacguard.evaluators.terraform_overrides`): a value an override file writes points
there. A finding points
at the block's line that writes the value, else at the block's head; what the block
does not write keeps the normaliser's default, as in the `.tf` file, so both name the
same line and say the same. A resource whose block cannot be found (a registry or
remote module, configuration files not beside the plan) is located in the plan
itself, at the value, with a note (IG006) saying so. Inside a module, a value the
module takes from one of its variables points, as in a `.tf` scan, at the caller's
argument that decided it (or the variable's default), with the module's lines and
the call chain as hops; a value the module writes itself points at the module's line.
An instance of a looped block (`count`, `for_each`) is looked up among the instances
its block's collection gives, and evaluated with the loop names of its own, as the
`.tf` scan evaluates it: a value taken from `each.value` points at that element of the
collection. The root module's variables are those the `.tf` scan of the folder sees
(defaults, and the var files it reads), corrected by the values the plan records
(`_Configuration._root_scope`): one Terraform was given otherwise (`-var`, the
environment, a var file on its command line) takes the plan's value, which, as a var
file's in a `.tf` scan, is not tracked to a line. Each file of the root module is
evaluated on its own (its budget, its `path.module`), as in the `.tf` scan. Looking
an instance up costs a step per instance of the loop, not what checking one costs
(the plan has them all already); a loop over the instance limit leaves its
instances' values at the lines that take them, and an evaluation past a file's budget
stops the plan's scan as it stops the `.tf` scan of that file (IG004).

A plan is a snapshot of the configuration it was made from: a changed `.tf` file
does not make the dependents mechanism check the plans beside it again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from iacguard.budgets import MAX_MODULE_DEPTH, Budget
from iacguard.diagnostics import NOT_FETCHED
from iacguard.errors import BudgetExceeded, LoopRefused
from iacguard.evaluators.module_call import MODULE_STEP
from iacguard.evaluators.terraform import ModuleScope, declares, exact, key_text, module_scope, read_var_file, var_files_of
from iacguard.evaluators.terraform_overrides import merged, written_at
from iacguard.formats import ParsedFile, ScanContext
from iacguard.inputs import from_real_folder, inside
from iacguard.lazy import regex
from iacguard.model import Location, Resource, Unknown
from iacguard.normalizers import terraform
from iacguard.parsers import hcl
from iacguard.parsers.documents import Mark
from iacguard.parsers.hcl import Attribute, Block, Body, HclFile, Literal
from iacguard.parsers.positional_json import JsonMap, JsonSeq
from iacguard.parsers.terraform import module_files
from iacguard.structs import field, replace, struct

# Meta-arguments of a resource block: written there, but no value of the instance.
_META = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"})
_MODULE_STEP = regex(MODULE_STEP + r"(?:\.(?=module\.)|$)")


def normalize(parsed: ParsedFile, context: ScanContext | None = None) -> Iterator[Resource]:
    root = parsed.native.documents[0].root if parsed.native.documents else None
    if not isinstance(root, JsonMap):
        return
    configuration = _Configuration(parsed, context or ScanContext(), root.get("configuration"), root.get("variables"))
    for instance in _by_module([item for item in instances(root) if terraform.normalised(item.type)]):
        yield from configuration.resources(instance)


def _by_module(found: list[Instance]) -> list[Instance]:
    """The instances with those of each module instance, and of the module instances
    below it, together, so that each module instance is read once and let go when the
    plan is past it (`_Configuration.module`). Otherwise in the plan's order: the
    modules as their first entries come, and within one, its entries as they come, so
    a module's note or error stays at its first entry."""
    first: dict[tuple, int] = {}
    keys = []
    for position, instance in enumerate(found):
        steps = instance.module_steps or ()
        keys.append((*(first.setdefault(steps[:depth], position) for depth in range(1, len(steps) + 1)), position))
    return [found[position] for position in sorted(range(len(found)), key=keys.__getitem__)]


@struct
class Instance:
    """One resource instance of a plan: its address parts, its values and which of
    them are unknown or sensitive (Terraform's masks: `true`, or the values' shape
    with `true` at the leaves), and where the plan writes it."""

    type: str
    name: str
    index: Any
    module: str  # the module instance address, "" for the root module
    values: JsonMap
    unknown: Any
    sensitive: Any
    mark: Mark

    @cached_property
    def module_steps(self) -> tuple[tuple[str, str], ...] | None:
        """The steps of `module` (`_module_steps`), read once: the plan is ordered by
        them, then each instance is read in its module."""
        return _module_steps(self.module)

    @property
    def module_address(self) -> str:
        """`module` with its keys as the `.tf` scan writes them (`_module_steps`), so
        that a finding of both is one."""
        steps = self.module_steps
        return self.module if steps is None else ".".join(f"module.{name}{key}" for name, key in steps)

    @property
    def label(self) -> str:
        """The name with the instance key, as Terraform addresses it (`web["eu"]`)."""
        if self.index is None:
            return self.name
        return f"{self.name}[{json.dumps(self.index, ensure_ascii=False) if isinstance(self.index, str) else self.index}]"


def instances(root: JsonMap) -> Iterator[Instance]:
    """The managed resource instances a plan creates or keeps: from `resource_changes`
    when the plan has them, else from `planned_values`. Entries of the wrong shape (a
    hand-edited plan) are passed over."""
    changes = root.get("resource_changes")
    if isinstance(changes, list):
        for entry in changes:
            if not _managed(entry) or "deposed" in entry:
                continue
            change = entry.get("change")
            after = change.get("after") if isinstance(change, JsonMap) else None
            if isinstance(after, JsonMap) and change.get("actions") != ["delete"]:
                module = entry.get("module_address", "")
                yield Instance(entry["type"], entry["name"], entry.get("index"), module if isinstance(module, str) else "",
                               after, change.get("after_unknown"), change.get("after_sensitive"), entry.mark)
        return
    planned = root.get("planned_values")
    stack = [planned.get("root_module")] if isinstance(planned, JsonMap) else []
    while stack:
        module = stack.pop()
        if not isinstance(module, JsonMap):
            continue
        address, resources = module.get("address", ""), module.get("resources")
        for entry in resources if isinstance(resources, list) else ():
            if _managed(entry) and isinstance(entry.get("values"), JsonMap):
                yield Instance(entry["type"], entry["name"], entry.get("index"), address if isinstance(address, str) else "",
                               entry["values"], None, entry.get("sensitive_values"), entry.mark)
        children = module.get("child_modules")
        stack.extend(reversed(children) if isinstance(children, list) else ())


def _managed(entry: Any) -> bool:
    """A managed resource instance, addressed as Terraform addresses one: a type, a
    name, and an instance key that is a number or a string if any."""
    index = entry.get("index") if isinstance(entry, JsonMap) else None
    return (isinstance(entry, JsonMap) and entry.get("mode", "managed") == "managed"
            and isinstance(entry.get("type"), str) and isinstance(entry.get("name"), str)
            and (index is None or isinstance(index, str) or type(index) is int))


def module_calls(address: str) -> tuple[str, ...] | None:
    """The module call names along a module instance address, instance keys left out:
    `module.a["k"].module.b[0]` gives ("a", "b"), "" gives (); None when the text is
    no module address."""
    steps = _module_steps(address)
    return None if steps is None else tuple(name for name, _ in steps)


def _module_steps(address: str) -> tuple[tuple[str, str], ...] | None:
    """The steps of a module instance address, each as its call's name and its
    instance key as the `.tf` scan writes it (`["k"]`, `[0]`, or empty: Terraform
    quotes a key as HCL does, `"a$${b}"` for `a${b}`, the scan as JSON does); None
    when the text is no module address."""
    steps, position = [], 0
    while position < len(address):
        step = _MODULE_STEP.match(address, position)
        if step is None:
            return None
        written = step.group(0).removesuffix(".")[len(f"module.{step.group(1)}"):]
        steps.append((step.group(1), f"[{key_text(hcl.unescape(written[2:-2]))}]" if written.startswith('["') else written))
        position = step.end()
    return tuple(steps)


@struct
class _Module:
    """A module instance of the configuration as found on disk: its folder (as paths
    are shown), its calls in the plan's `configuration`, its resource and module
    blocks by name with the file that writes each, and its scope, which leads a
    value from the module's line to the caller's argument that decided it."""

    directory: str
    calls: JsonMap
    scope: ModuleScope
    blocks: dict[tuple[str, str], tuple[str, Block]] = field(default_factory=dict)
    module_blocks: dict[str, tuple[str, Block]] = field(default_factory=dict)
    loops: dict[tuple[str, ...], dict[str, dict]] = field(default_factory=dict)  # each block's instances: loop names by key
    # The root module's: each of its files is evaluated on its own (its budget, its
    # `path.module`), as the `.tf` scan evaluates them. None in a module instance.
    context: ScanContext | None = None
    file_scopes: dict[str, ModuleScope] = field(default_factory=dict)

    def scope_for(self, path: str) -> ModuleScope:
        """The scope a block written in the file at `path` is evaluated in: in the root
        module, that file's (`ModuleScope.for_file`); in a module instance, the
        instance's, which spends its caller's budget."""
        if self.context is None:
            return self.scope
        if path not in self.file_scopes:
            self.file_scopes[path] = self.scope.for_file(path, self.context, scanned=False)
        return self.file_scopes[path]

    def loop_names(self, path: str, block: Block, key: str) -> dict:
        """The loop names (`each`, `count`) the instance `key` (`["k"]`, `[0]`) of a
        resource or module block binds, as the `.tf` scan evaluates them, so that a
        value taken from `each.value` points at its element of the collection. None
        when the collection does not give that instance (it cannot be known) or has
        more than the instances a loop may: the instance's values then point at the
        lines that take them. Found once for all the block's instances."""
        written = (block.type, *block.labels)
        if written not in self.loops:
            try:
                found = self.scope_for(path).instances(block, path, costly=False)
            except LoopRefused:  # Terraform allows it; the plan has the instances all the same
                found = []
            self.loops[written] = {instance.key: instance.names for instance in found}
        return self.loops[written].get(key, {})

    @classmethod
    def of(cls, directory: str, calls: JsonMap, files: list[tuple[str, HclFile]], scope: ModuleScope, context: ScanContext | None = None) -> _Module:
        module = cls(directory, calls, scope, context=context)
        for shown, parsed in files:
            for block in parsed.body.blocks_of("resource"):
                if len(block.labels) == 2:
                    module.blocks.setdefault((block.labels[0], block.labels[1]), (shown, block))
            for block in parsed.body.blocks_of("module"):
                if len(block.labels) == 1:
                    module.module_blocks.setdefault(block.labels[0], (shown, block))
        return module


class _Configuration:
    """The plan's modules, each read once, those above the one being read kept; notes
    for those that cannot be found."""

    def __init__(self, parsed: ParsedFile, context: ScanContext, configuration: Any, variables: Any):
        self.parsed = parsed
        self.context = context
        self.variables = variables if isinstance(variables, JsonMap) else JsonMap()  # the root module's, as the plan records them
        root = configuration.get("root_module") if isinstance(configuration, JsonMap) else None
        self.root_calls = _calls_of(root)
        declarations = root.get("variables") if isinstance(root, JsonMap) else None
        self.declarations = declarations if isinstance(declarations, JsonMap) else JsonMap()  # the root module's, as the plan records them
        self.modules: dict[tuple[tuple[str, str], ...], _Module | None] = {}
        self.noted: set[str] = set()
        self.entered: set[tuple[str, ...]] = set()
        self.expansion = Budget()  # all `_expanded` and the merging of override files (`_files`) spend, for the whole plan

    def resources(self, instance: Instance) -> Iterator[Resource]:
        steps = instance.module_steps
        if steps is None:
            self._note(f"{instance.module}: no module address, so its resources' findings point into the plan", instance.mark)
        module = self.module(steps, instance.mark) if steps is not None else None
        written = module.blocks.get((instance.type, instance.name)) if module is not None else None
        if written is None:
            if module is not None:  # else the module's note says it
                where = f"{instance.module_address}." if instance.module else ""
                self._note(f"{where}{instance.type}.{instance.name}: no resource block for it beside the plan, so its findings point into the plan", instance.mark)
            path, head, body = self.parsed.path, instance.mark, None
        else:
            path, block = written
            head, body = Mark(block.line, block.column), block.body
        scope = module.scope_for(path).with_names(module.loop_names(path, block, instance.label[len(instance.name):])) if body is not None else None
        reader = _Values(instance.type, path, scope, Location(path, head.line, head.column))
        expanded = self._expanded(scope, body, path) if body is not None else None
        values = reader.body(instance.values, instance.unknown, instance.sensitive, body, "", expanded)
        block = Block("resource", [instance.type, instance.label], values, head.line, head.column, head.line)
        prefix = f"{instance.module_address}." if instance.module else ""
        for resource in terraform.resources_of(path, Body(blocks=[block]), _PlanScope({}, {}), prefix):
            yield _as_resolved(resource)

    def module(self, steps: tuple[tuple[str, str], ...], mark: Mark) -> _Module | None:
        """The module instance that module address leads to, read on first use. The
        plan is read by module instance (`_by_module`), so one that is not above this
        one is behind: it is let go (kept, every instance of a plan held its scope and
        its variables' values to the end: 940 MB for 4,000 instances of a module of
        1,000 variables, from a plan of 1.4 MB)."""
        if len(steps) > MAX_MODULE_DEPTH:  # before the walk to the root, which recurses once a step
            self.context.enter_module(len(steps), self.parsed.path, mark.line)
        if steps not in self.modules:
            for behind in [read for read in self.modules if read != steps[:len(read)]]:
                del self.modules[behind]
            self.modules[steps] = self._read(steps, mark)
        return self.modules[steps]

    def _read(self, steps: tuple[tuple[str, str], ...], mark: Mark) -> _Module | None:
        if not steps:
            directory = os.path.dirname(self.parsed.path) or "."
            files = self._files(directory)
            return None if files is None else _Module.of(directory, self.root_calls, files, self._root_scope(directory, files), self.context)
        parent = self.module(steps[:-1], mark)
        if parent is None:
            return None
        name, key = steps[-1]
        call = parent.calls.get(name)
        source = (call.get("source") or call.get("resolved_source")) if isinstance(call, JsonMap) else None
        address = ".".join(f"module.{name}" for name, _ in steps)
        if not isinstance(source, str):
            self._note(f"{address}: the plan's configuration does not say where the module is, so its resources' findings point into the plan", mark)
            return None
        if not source.startswith(("./", "../")):
            self._note(f"{address}: source {source} is not on disk (never fetched), so its resources' findings point into the plan", mark)
            return None
        calls = tuple(name for name, _ in steps)
        if calls not in self.entered:  # the plan has every instance: the budget counts the modules read
            self.entered.add(calls)
            self.context.enter_module(len(steps), self.parsed.path, mark.line)
        directory = from_real_folder(parent.directory, source, self.context.real_path)
        named = call.value_marks["source" if call.get("source") else "resolved_source"]
        files = self._files(directory, (named.line, named.column))
        if files is None:
            return None
        written = parent.module_blocks.get(name)
        if written is None:  # the module's own lines are where its values are decided
            scope = _scope_of(files)
            scope.budget = parent.scope.budget  # spent as a call's instance spends its caller's: one budget for all its instances
            return _Module.of(directory, _calls_of(call.get("module")), files, scope)
        path, block = written
        names = parent.loop_names(path, block, key)
        instance = ".".join(f"module.{name}{key}" for name, key in steps)
        scope = terraform.module_instance(block, path, files, parent.scope_for(path).with_names(names), instance, directory)
        return _Module.of(directory, _calls_of(call.get("module")), files, scope)

    def _root_scope(self, directory: str, files: list[tuple[str, HclFile]]) -> ModuleScope:
        """The root module's scope as the `.tf` scan of `directory` builds it (the
        declarations, and the var files that scan reads, when the folder holds any
        configuration), with each variable Terraform was given otherwise set to the
        value the plan records (`_given_at_plan_time`)."""
        if not files:
            return _scope_of(files)
        var_files = [read_var_file(path, self.context) for path in [*var_files_of(Path(directory)), *self.context.terraform_var_files]]
        given = self._given_at_plan_time(files)
        return _scope_of(files, [*var_files, (Path(self.parsed.path), given)] if given else var_files)

    def _given_at_plan_time(self, files: list[tuple[str, HclFile]]) -> dict[str, Any]:
        """The values the plan records for the root variables that Terraform was given
        otherwise than the `.tf` scan reads them: one without a default, and one whose
        recorded value is not the default the plan records for it (a null for a
        `nullable = false` variable is its default). A var file the `.tf` scan reads
        gives the same value, or one Terraform did not use; either way no line is
        tracked for it. Never a sensitive variable's (declared so in a `.tf` or
        `.tf.json` file, or in the plan's `configuration`): the plan writes its value
        out, and it is never used."""
        blocks = {block.labels[0]: block for _, parsed in files for block in parsed.body.blocks_of("variable") if block.labels}

        given = {}
        for name, entry in self.variables.items():
            block, declaration = blocks.get(name), self.declarations.get(name)
            if block is None or not isinstance(entry, JsonMap) or "value" not in entry or declares(block, "sensitive", True):
                continue
            if isinstance(declaration, JsonMap) and declaration.get("sensitive") is True:
                continue
            value = exact(entry["value"])
            if "default" in block.body.attributes and (
                    not isinstance(declaration, JsonMap) or value == declaration.get("default") or (value is None and declares(block, "nullable", False))):
                continue  # the default, as Terraform reads it: the `.tf` scan's reading of it stands
            given[name] = value
        return given

    def _files(self, directory: str, named_at: tuple[int, int] | None = None) -> list[tuple[str, HclFile]] | None:
        """The configuration files in `directory` (as shown, relative to the plan's
        when the plan's is), each read through the input door, with the path it is
        shown by, and its override files merged into the others, as Terraform made
        the plan of them (`terraform_overrides`); None when the folder is refused,
        which (IG005) is told `named_at` the plan's module `source` that names it (the
        root module's folder has none)."""
        folder = Path(directory)
        try:
            outside = self.context.root is not None and not inside(folder, self.context.root)
        except ValueError:  # a NUL byte in the plan's source: no folder has that name
            return []
        if outside:
            self.context.refuse(folder, "not a directory inside the scan root", named_at)
            return None
        if not os.path.isdir(folder):  # which `Path.is_dir` would raise for: a name too long
            return []
        self.context.dependencies.add(str(folder.resolve()))
        files = []
        for file in module_files(folder):
            parsed = terraform.configuration_file(file, self.context, named_at)
            if parsed is not None:
                files.append((os.path.join(directory, file.name) if directory != "." else file.name, parsed))
        return merged(files, self.expansion)[0]  # what Terraform rejects of them: in their own scan

    def _expanded(self, scope: ModuleScope, body: Body, path: str) -> Body | None:
        """A resource block's body with its `dynamic` blocks expanded as the `.tf`
        scan expands them: in place, as Terraform orders the blocks, each value bound
        to its element of the collection. None past the plan's own budget for this
        (`expansion`, shared by all its instances, so the work is bounded and never
        the file's own evaluation budget), or for a collection with more items than
        a loop may: the plan has the blocks all the same."""
        expander = scope.with_names({})
        expander.budget = self.expansion
        try:
            return expander.expand_dynamic(body, path)
        except BudgetExceeded:
            return None

    def _note(self, message: str, mark: Mark) -> None:
        """A note, once per message (the instances of one block share it)."""
        if message in self.noted:
            return
        self.noted.add(message)
        self.parsed.diagnose(NOT_FETCHED, "note", message, self.parsed.path, mark.line, mark.column)


def _scope_of(files: list[tuple[str, HclFile]], var_files: list[tuple[Path, Any]] | None = None) -> ModuleScope:
    """The scope of a module that is not a call's instance (the root module, or one
    whose call is not found): its values are decided by its own lines, and by the
    values `var_files` give (`module_scope`)."""
    return module_scope([parsed for _, parsed in files], var_files or [], [shown for shown, _ in files])


def _calls_of(module: Any) -> JsonMap:
    calls = module.get("module_calls") if isinstance(module, JsonMap) else None
    return calls if isinstance(calls, JsonMap) else JsonMap()


class _Values:
    """A resource instance's values as the body of a resource block, for the Terraform
    normaliser: nested blocks as blocks (the normaliser's `NESTED_BLOCKS` says which),
    each value a literal, Unknown where the plan masks it. With the configuration's
    block (`written`), only what it writes is kept, located at its lines; without,
    everything, located in the plan."""

    def __init__(self, resource_type: str, path: str, scope: ModuleScope | None, head: Location):
        self.type = resource_type
        self.path = path  # the file of the configuration's block
        self.head = head  # the block's
        self.scope = scope  # the block's module instance; None without the block
        self.configured = scope is not None

    def body(self, values: JsonMap, unknown: Any, sensitive: Any, written: Body | None, path: str, expanded: Body | None = None) -> Body:
        """The plan's object `values` as a body, paired with the configuration's
        `written` body, and with `expanded`, the same with its `dynamic` blocks
        expanded (`_expanded`), where that is known."""
        body = Body()
        for name in _names(values, unknown):
            inner = f"{path}.{name}" if path else name
            if terraform.is_block(self.type, inner):
                body.blocks += self.blocks(name, values, _at(unknown, name), _at(sensitive, name), written, inner, expanded)
            elif not self.configured or name in written.attributes:
                value = _masked(values.get(name), _at(unknown, name), _at(sensitive, name))
                body.attributes[name] = self.attribute(name, value, values, written)
        for name, attribute in written.attributes.items() if self.configured else ():
            if name not in body.attributes and name not in _META:  # written, but not in the plan: unknown until apply
                body.attributes[name] = self.attribute(name, Unknown("known after apply"), values, written)
        return body

    def blocks(self, name: str, values: JsonMap, unknown: Any, sensitive: Any, written: Body | None, path: str,
               expanded: Body | None = None) -> list[Block]:
        """The blocks of type `name`. Where the configuration's `dynamic` blocks,
        expanded, give as many blocks as the plan has, each is paired with the block
        in the same place, as Terraform orders them (a `dynamic` block's in place),
        and its values point at its element. Otherwise (a collection the scan cannot
        know or reads otherwise than the plan: a sensitive variable's, one given at
        plan time) the static blocks come first and each other block is paired
        with the `dynamic` content that fits it best. One the configuration does not
        write is left out. A list of blocks the plan does not know yet is a `dynamic`
        block over an unknown collection."""
        mark = values.value_marks.get(name, values.mark)
        static = written.blocks_of(name) if written is not None else []
        generated = [content for block in (written.blocks_of("dynamic") if written is not None else []) if block.labels == [name]
                     for content in block.body.blocks_of("content")]
        if _whole(unknown):
            if self.configured and not (static or generated):
                return []
            for_each = Attribute("for_each", Literal(mark.line, mark.column, mark.line, mark.column, value=Unknown("known after apply")), mark.line, mark.column, mark.line)
            return [Block("dynamic", [name], Body({"for_each": for_each}), mark.line, mark.column, mark.line)]
        items = values.get(name)
        items = items if isinstance(items, JsonSeq) else JsonSeq([items]) if isinstance(items, JsonMap) else []
        in_place = expanded.blocks_of(name) if expanded is not None else None
        if in_place is not None and (len(in_place) != len(items) or any(block.labels == [name] for block in expanded.blocks_of("dynamic"))):
            in_place = None
        blocks = []
        for index, item in enumerate(items):
            if not isinstance(item, JsonMap):
                continue
            if in_place is not None:
                counterpart = in_place[index]
            else:
                counterpart = static[index] if index < len(static) else _likeliest(generated, item, _at(unknown, index))
            if self.configured and counterpart is None:
                continue
            where = counterpart or Mark(item.mark.line, item.mark.column)
            inner = self.body(item, _at(unknown, index), _at(sensitive, index), counterpart.body if counterpart else None, path,
                              counterpart.body if in_place is not None else None)
            blocks.append(Block(name, [], inner, where.line, where.column, where.line, counterpart.path if counterpart else None))
        return blocks

    def attribute(self, name: str, value: Any, values: JsonMap, written: Body | None) -> Attribute:
        if self.configured:
            expr = written.attributes[name].value
            position = (expr.line, expr.column, expr.end_line, expr.end_column)
            origin = self.scope.origin(expr, written_at(written.attributes[name], expr, self.path, self.head))
        else:
            mark = values.value_marks.get(name, values.mark)
            position = (mark.line, mark.column, mark.line, mark.column)
            origin = None
        return Attribute(name, _Placed(*position, value=value, origin=origin), position[0], position[1], position[2])


@struct(slots=True)
class _Placed(Literal):
    """A value of the plan, with where the configuration decided it (`origin`: the
    caller's argument when a module's variable carries it, see `ModuleScope.origin`),
    None where the plan itself is all there is."""

    origin: Location | None = None


class _PlanScope(ModuleScope):
    """The scope a plan's values are normalised in: each is a literal that already
    knows where it was decided."""

    def origin(self, expr, written: Location, to_literal: bool = False) -> Location:
        return expr.origin if isinstance(expr, _Placed) and expr.origin is not None else written



def _likeliest(contents: list[Block], item: JsonMap, unknown: Any) -> Block | None:
    """Which `dynamic` block's content made a block of the plan, when several of one
    type could have: the one that writes most of the arguments the block has a value
    for (two dynamic blocks for two kinds of credential write different ones)."""
    def fit(content: Block) -> int:
        return sum(1 for name in content.body.attributes if item.get(name) is not None or _at(unknown, name) is True)

    return max(contents, key=fit, default=None)  # the first of the best


def _names(values: dict, unknown: Any) -> list[str]:
    """The keys of an object of the plan, with those only its unknown mask has (a
    value not known yet may be left out of the values)."""
    return [*values, *(name for name in unknown if name not in values)] if isinstance(unknown, dict) else list(values)


def _whole(mask: Any, value: Any = None) -> bool:
    """Whether an unknown or sensitive mask covers the whole value: `true`, or
    anything but `false`, null and the shape of a collection (a list or object for a
    `value` that is neither counts as `true` unless it marks nothing). Terraform
    writes no other mask; one of a hand-edited plan hides what it covers rather than
    show it."""
    if mask is None or mask is False:
        return False
    if not isinstance(mask, (dict, list)):
        return True
    return bool(mask) and value is not None and not isinstance(value, (dict, list))


def _at(mask: Any, key: Any) -> Any:
    """The part of an unknown or sensitive mask for `key`: `true` covers everything
    below it, and so does a mask of another shape than the value (an object's for a
    list's item), unless it marks nothing."""
    if _whole(mask):
        return True
    if isinstance(mask, dict):
        return mask.get(key) if isinstance(key, str) else (True if mask else None)
    if isinstance(mask, list):
        return (mask[key] if 0 <= key < len(mask) else None) if type(key) is int else (True if mask else None)
    return None


def _masked(value: Any, unknown: Any, sensitive: Any) -> Any:
    """The value as plain data, with Unknown wherever a mask marks it (a null stays
    null: Terraform marks an argument sensitive by its schema, set or not)."""
    if value is None and not _whole(unknown):
        return None
    if _whole(sensitive, value):
        return Unknown("sensitive value")
    if _whole(unknown, value):
        return Unknown("known after apply")
    if isinstance(value, dict):
        return {key: _masked(value.get(key), _at(unknown, key), _at(sensitive, key)) for key in _names(value, unknown)}
    if isinstance(value, list):
        return [_masked(item, _at(unknown, index), _at(sensitive, index)) for index, item in enumerate(value)]
    return value


def _as_resolved(resource: Resource) -> Resource:
    """Environment variables and credentials read from a plan are not literal: the
    plan shows every value resolved, not how the configuration writes it."""
    for name in ("env", "credentials"):
        attr = resource.attrs.get(name)
        if attr is not None and isinstance(attr.value, list):
            resource.attrs[name] = attr.with_value([replace(item, literal=False) for item in attr.value])
    return resource
