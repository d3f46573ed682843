"""Patches of positional YAML trees, applied the way Kustomize applies them, with
every value keeping the position of the file that wrote it: a value a patch changes
is located in the patch, everything else where it was before (a patch that repeats a
value, like the merge key naming a container, does not move it).

Strategic merge (`patchesStrategicMerge`, and `patches` whose content is an object):
mappings merge key by key; `null` deletes a key; `$patch: delete` deletes the
mapping it stands in (the whole object at the top) and `$patch: replace` replaces it
instead of merging. Lists merge item by item only where kustomize's schema gives
them a merge key, and are replaced whole everywhere else. kustomize 5.5 builds with
the schema of Kubernetes 1.21, whose pod templates (Pod, PodTemplate,
ReplicationController; apps/v1 Deployment, StatefulSet, DaemonSet, ReplicaSet;
batch/v1 Job and CronJob, batch/v1beta1 CronJob) and Service declare the keys of the
fields real overlays patch: `name` for `containers`, `initContainers`,
`ephemeralContainers`, `volumes`, `env`, `imagePullSecrets`, `resourceClaims` and
`schedulingGates`, `mountPath` for `volumeMounts`, `devicePath` for
`volumeDevices`, `containerPort` (container) or `port` (Service) for `ports`, `ip`
for `hostAliases` and `topologyKey` for `topologySpreadConstraints`. A kind the
schema does not hold (a custom resource, a removed version such as
extensions/v1beta1 Deployment) has every list replaced, named items or not (checked
with kustomize 5.5: it infers no merge key). Where the build gives its own schema
(`openapi`), which iacguard does not read (a note says so), lists merge as before
that schema was given: on the keys above in every kind, and any other list of
objects that all have a `name` on it, except the lists the API declares atomic
(`subjects`, `tolerations`). An item `$patch: delete` removes the item with its
key, and an item `$patch: replace` makes the patch's list replace the original. `$setElementOrder`,
`$retainKeys` and `$deleteFromPrimitiveList` change nothing, as in `kustomize build`
(checked with kustomize 5.5: it copies them into the output as plain keys and
applies none of them, so a capability they would remove is still in the object the
cluster receives); they are left out of the built object.

JSON 6902 (`patchesJson6902`, and `patches` whose content is a list): `add`,
`remove`, `replace`, `move`, `copy` and `test`, with RFC 6901 pointers (`~0`, `~1`,
`-` to append).

Every node a patch copies in is paid for from the evaluation budget, so a patch that
copies a subtree into itself again and again stops at the budget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iacguard.budgets import Budget
from iacguard.parsers.documents import Mark, YMap, YSeq

Relocate = Callable[[Mark], Mark]
DIRECTIVE = "$patch"
_MERGE_KEYS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets", "resourceClaims", "schedulingGates"),
        ("name",),
    ),
    "volumeMounts": ("mountPath",),
    "volumeDevices": ("devicePath",),
    "ports": ("containerPort", "port"),
    "hostAliases": ("ip",),
    "topologySpreadConstraints": ("topologyKey",),
}
_ATOMIC_LISTS = frozenset({"subjects", "tolerations"})
# The kinds whose schema, in kustomize 5.5's (Kubernetes 1.21), holds the lists of
# _MERGE_KEYS: (apiVersion, kind).
_SCHEMA_KINDS = frozenset({
    ("v1", "Pod"), ("v1", "PodTemplate"), ("v1", "ReplicationController"), ("v1", "Service"),
    ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"), ("apps/v1", "ReplicaSet"),
    ("batch/v1", "Job"), ("batch/v1", "CronJob"), ("batch/v1beta1", "CronJob"),
})
# How the lists of an object merge (see the module's documentation).
BY_SCHEMA, REPLACED, BY_NAME = "schema", "replaced", "name"


def list_merging(obj: YMap, own_schema: bool) -> str:
    """How a strategic merge patch merges the lists of `obj`: BY_NAME where the build
    gives its own schema, else BY_SCHEMA for the kinds of _SCHEMA_KINDS, REPLACED
    for any other."""
    if own_schema:
        return BY_NAME
    return BY_SCHEMA if (obj.get("apiVersion"), obj.get("kind")) in _SCHEMA_KINDS else REPLACED


class PatchError(Exception):
    """A patch that cannot be applied as written (kustomize would stop the build)."""

    def __init__(self, message: str, mark: Mark | None = None):
        super().__init__(message)
        self.message = message
        self.mark = mark


def in_file(path: str) -> Relocate:
    """Marks of a file read on its own, stamped with its path."""
    return lambda mark: Mark(mark.line, mark.column, path)


def copy_tree(node: Any, budget: Budget, relocate: Relocate | None = None, directives: bool = True,
              scalar: Callable[[Any], Any] | None = None) -> Any:
    """A deep copy of a positional tree, its marks moved by `relocate` (kept as
    they are without it); without `directives`, `$patch` keys are left out. Scalars
    are immutable and shared, or replaced by what `scalar` makes of them (Compose
    interpolates every value it reads)."""
    if isinstance(node, YMap):
        budget.step(len(node) + 1)
        copy = YMap()
        move = relocate or _same
        copy.mark, copy.end_line = move(node.mark), node.end_line
        copy.key_marks, copy.value_marks = {}, {}
        for key, value in node.items():
            if not directives and key == DIRECTIVE:
                continue
            copy[key] = copy_tree(value, budget, relocate, directives, scalar)
            copy.key_marks[key] = move(node.key_marks[key])
            copy.value_marks[key] = move(node.value_marks[key])
        return copy
    if isinstance(node, YSeq):
        budget.step(len(node) + 1)
        copy = YSeq()
        move = relocate or _same
        copy.mark, copy.end_line = move(node.mark), node.end_line
        copy.item_marks = []
        for item, mark in zip(node, node.item_marks):
            if not directives and _directive(item) == "delete":
                continue
            copy.append(copy_tree(item, budget, relocate, directives, scalar))
            copy.item_marks.append(move(mark))
        return copy
    return node if scalar is None else scalar(node)


def _same(mark: Mark) -> Mark:
    return mark


def new_map(mark: Mark) -> YMap:
    """An empty mapping that stands at `mark` (a field a transformer creates)."""
    mapping = YMap()
    mapping.mark, mapping.end_line, mapping.key_marks, mapping.value_marks = mark, mark.line, {}, {}
    return mapping


def new_seq(mark: Mark) -> YSeq:
    items = YSeq()
    items.mark, items.end_line, items.item_marks = mark, mark.line, []
    return items


def put(mapping: YMap, key: Any, value: Any, key_mark: Mark, value_mark: Mark | None = None) -> None:
    """Set `mapping[key]`, located where the writer of the value wrote it."""
    mapping[key] = value
    mapping.key_marks[key] = key_mark
    mapping.value_marks[key] = value_mark or key_mark


def delete(mapping: YMap, key: Any) -> None:
    if key in mapping:
        del mapping[key]
        mapping.key_marks.pop(key, None)
        mapping.value_marks.pop(key, None)


def child_map(mapping: YMap, key: str, mark: Mark, create: bool = True) -> YMap | None:
    """`mapping[key]` when it is a mapping; with `create`, a new one put at `mark`
    when the key is absent or null. None when a value of another type stands there."""
    value = mapping.get(key)
    if isinstance(value, YMap):
        return value
    if not create or (key in mapping and value is not None):
        return None
    value = new_map(mark)
    put(mapping, key, value, mark)
    return value


def _directive(node: Any) -> Any:
    return node.get(DIRECTIVE) if isinstance(node, YMap) else None


def strategic_merge(target: YMap, patch: YMap, budget: Budget, lists: str = BY_SCHEMA) -> None:
    """Merge `patch` into `target` (changed in place), its lists as `lists` says
    (`list_merging`)."""
    if _directive(patch) == "replace":
        for key in list(target):
            delete(target, key)
    for key, value in patch.items():
        if isinstance(key, str) and key.startswith("$"):
            continue
        if value is None:
            delete(target, key)
        elif isinstance(value, YMap):
            current = target.get(key)
            if _directive(value) == "delete":
                delete(target, key)
            elif isinstance(current, YMap) and _directive(value) != "replace":
                strategic_merge(current, value, budget, lists)  # the mapping stays where it was written
            else:
                put(target, key, copy_tree(value, budget, directives=False), patch.key_marks[key], patch.value_marks[key])
        elif isinstance(value, YSeq):
            _merge_list(target, key, patch, budget, lists)
        elif key not in target or target[key] != value or type(target[key]) is not type(value):
            put(target, key, value, patch.key_marks[key], patch.value_marks[key])  # a value the patch changed is the patch's


def _merge_list(target: YMap, key: Any, patch: YMap, budget: Budget, lists: str) -> None:
    items: YSeq = patch[key]
    current = target.get(key)
    merge_key = _merge_key(key, current, items, lists) if isinstance(current, YSeq) and lists != REPLACED else None
    if merge_key is None or any(_directive(item) == "replace" for item in items):
        kept = new_seq(items.mark)
        for item, mark in zip(items, items.item_marks):
            if _directive(item) not in ("replace", "delete"):
                kept.append(copy_tree(item, budget, directives=False))
                kept.item_marks.append(mark)
        put(target, key, kept, patch.key_marks[key], patch.value_marks[key])
        return
    # As the Kubernetes merge orders them: the patch's items first, in its order,
    # then the items it does not name, in theirs (a later JSON patch counts on it).
    merged, named = [], set()
    for item, mark in zip(items, items.item_marks):
        if not isinstance(item, YMap) or merge_key not in item:
            continue
        named.add(_hashable(item[merge_key]))
        index = next((i for i, existing in enumerate(current) if isinstance(existing, YMap) and existing.get(merge_key) == item[merge_key]), None)
        if _directive(item) == "delete":
            continue
        if index is not None:
            strategic_merge(current[index], item, budget, lists)
            merged.append((current[index], current.item_marks[index]))
        else:
            merged.append((copy_tree(item, budget, directives=False), mark))
    rest = [(item, mark) for item, mark in zip(current, current.item_marks) if not (isinstance(item, YMap) and _hashable(item.get(merge_key)) in named)]
    current[:] = [item for item, _ in (*merged, *rest)]
    current.item_marks[:] = [mark for _, mark in (*merged, *rest)]


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def _merge_key(key: Any, current: YSeq, items: YSeq, lists: str) -> str | None:
    """The key a list's items merge on, or None when the list is replaced whole."""
    if key in _ATOMIC_LISTS:
        return None
    patch_items = [item for item in items if isinstance(item, YMap)]
    if key in _MERGE_KEYS:
        return next((candidate for candidate in _MERGE_KEYS[key] if all(candidate in item for item in patch_items)), None)
    if lists != BY_NAME:
        return None
    everything = [*current, *items]
    if everything and all(isinstance(item, YMap) and "name" in item for item in everything):
        return "name"
    return None


def json_patch(document: YMap, operations: YSeq, budget: Budget) -> None:
    """Apply JSON 6902 operations to `document` in place. Raises PatchError at the
    first operation that cannot be applied."""
    for operation, mark in zip(operations, operations.item_marks):
        if not isinstance(operation, YMap) or not isinstance(operation.get("op"), str) or not isinstance(operation.get("path"), str):
            raise PatchError("a JSON patch operation needs `op` and `path`", mark)
        kind, path = operation["op"], operation["path"]
        if kind in ("add", "replace", "test") and "value" not in operation:
            raise PatchError(f"JSON patch {kind} {path} has no value", mark)
        if kind in ("move", "copy") and not isinstance(operation.get("from"), str):
            raise PatchError(f"JSON patch {kind} {path} has no `from`", mark)
        at = operation.value_marks.get("value", mark)
        if kind == "add":
            _add(document, path, copy_tree(operation["value"], budget), at, mark)
        elif kind == "remove":
            _remove(document, path, mark)
        elif kind == "replace":
            _remove(document, path, mark)
            _add(document, path, copy_tree(operation["value"], budget), at, mark)
        elif kind == "move":
            value, at = _remove(document, operation["from"], mark)
            _add(document, path, value, at, mark)
        elif kind == "copy":
            value, at = _find(document, operation["from"], mark)
            _add(document, path, copy_tree(value, budget), at, mark)
        elif kind == "test":
            if plain(_find(document, path, mark)[0]) != plain(operation["value"]):
                raise PatchError(f"JSON patch test {path} failed", mark)
        else:
            raise PatchError(f"unknown JSON patch operation {kind!r}", mark)


def _tokens(pointer: str, mark: Mark) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"JSON pointer {pointer!r} does not start with /", mark)
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def _parent(document: YMap, pointer: str, mark: Mark) -> tuple[Any, str]:
    tokens = _tokens(pointer, mark)
    if not tokens:
        raise PatchError("a JSON patch cannot replace the whole object", mark)
    node: Any = document
    for token in tokens[:-1]:
        node = _child(node, token, pointer, mark)
    return node, tokens[-1]


def _child(node: Any, token: str, pointer: str, mark: Mark) -> Any:
    if isinstance(node, YMap) and token in node:
        return node[token]
    if isinstance(node, YSeq) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise PatchError(f"JSON patch path {pointer} does not exist", mark)


def _find(document: YMap, pointer: str, mark: Mark) -> tuple[Any, Mark]:
    parent, token = _parent(document, pointer, mark)
    value = _child(parent, token, pointer, mark)
    return value, parent.value_marks[token] if isinstance(parent, YMap) else parent.item_marks[int(token)]


def _add(document: YMap, pointer: str, value: Any, at: Mark, mark: Mark) -> None:
    parent, token = _parent(document, pointer, mark)
    if isinstance(parent, YMap):
        put(parent, token, value, mark, at)
    elif isinstance(parent, YSeq) and (token == "-" or (token.isdigit() and int(token) <= len(parent))):
        index = len(parent) if token == "-" else int(token)
        parent.insert(index, value)
        parent.item_marks.insert(index, at)
    else:
        raise PatchError(f"JSON patch path {pointer} does not exist", mark)


def _remove(document: YMap, pointer: str, mark: Mark) -> tuple[Any, Mark]:
    value, at = _find(document, pointer, mark)
    parent, token = _parent(document, pointer, mark)
    if isinstance(parent, YMap):
        delete(parent, token)
    else:
        del parent[int(token)], parent.item_marks[int(token)]
    return value, at


def plain(node: Any) -> Any:
    """A tree without positions, for `test`."""
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(item) for item in node]
    return node
