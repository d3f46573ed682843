"""Kustomize builds, in-process: the objects `kustomize build DIR` would print, each
value located in the file that wrote it (the base, the patch or component that
changed it, or the kustomization field that set it).

Supported, in kustomize's order (resources, generators, components, then this
kustomization's transformers):

- `resources` and `bases`: files (every document, `List` items too) and folders
  holding a kustomization, built first with their own fields; `components`: folders
  whose kustomization is `kind: Component`, applied to what the including
  kustomization has gathered so far.
- `configMapGenerator` and `secretGenerator`: `literals`, `files` (`KEY=PATH` or
  `PATH`), `envs` and `env` files, `behavior` (`create`, `merge`, `replace`),
  `namespace`, `type`, `options` and `generatorOptions` (labels, annotations,
  `immutable`). Secret values are base64-encoded into `data` as kustomize writes
  them. The name hash suffix is not added (`disableNameSuffixHash` changes nothing
  iacguard checks); a line of an env file without `=` takes its value from the
  environment kustomize runs in, which iacguard never reads, so it is left out.
- `patchesStrategicMerge` (files or inline), `patches` (file or inline, strategic
  merge or JSON 6902, with a `target` selector: group, version, kind, name,
  namespace, `labelSelector`, `annotationSelector`) and `patchesJson6902`; see
  `iacguard.evaluators.patches`. A patch without a target applies to the object with
  its kind and name (as first declared or as renamed since). Selector names and
  kinds may be the patterns kustomize allows as regular expressions made of literal
  text, `.`, `.*`, `.+` and `|` alternatives; they are matched in linear time.
- `namespace` (not on cluster-scoped kinds, which are those the Kubernetes format
  knows, add-ons' like ClusterIssuer included, where kustomize knows the built-in
  ones only; a Namespace object is renamed to it; RoleBinding subjects named
  `default` get it), `namePrefix` and `nameSuffix` (not
  on Namespaces, CRDs and APIServices), with ServiceAccount, Role and ClusterRole
  names updated where pods and bindings refer to them.
- `commonLabels`, `labels` (with `includeSelectors` and `includeTemplates`; custom
  `fields` get a note) and `commonAnnotations`, on the paths kustomize uses for the
  built-in kinds (object metadata, pod templates, workload selectors).
- `replicas` and `images` (`newName`, `newTag`, `digest`, `tagSuffix`; the name is
  matched as text, on containers and init containers wherever they are, and image
  volumes). A changed image is located at the entry's field that decided it
  (`digest`, `newTag`, `tagSuffix`, else `newName`). kustomize 5 appends a
  `tagSuffix` twice to containers at the usual paths (its two image filters both
  apply); iacguard appends it once.

Files outside a kustomization's own folder are read, as with kustomize's
`--load-restrictor LoadRestrictionsNone` (real trees share files that way), but
only inside the scan root.

Not applied, each with a note (IG006), the rest of the build still checked:
`replacements`, `vars`, `transformers`, `generators`, `validators`, `helmCharts`
(and `helmGlobals`), `configurations`, `crds`, `openapi`, and remote resources and
components (URLs, git repositories), which are never fetched.

Reads go through the scan's input door (`ScanContext.read_dependency`): a file or
folder outside the scan root, missing or unreadable is refused and makes the target
incomplete (IG005), as does a kustomization that includes itself (a cycle); the
refusal is told at the entry that names the file when the scanned kustomization
writes it, and has no line when a base's or a component's does. An
editor's unsaved buffer of a file stands in for it there (`ScanContext.buffers`).
Every file a build reads is checked only through the build (`ScanContext.parts`),
so the target judges the suppressions written in it. Depth
and the number of kustomizations one build expands are bounded like module calls
(`MAX_MODULE_DEPTH`, `MAX_MODULE_INSTANCES`), and every node copied or built is paid
for from the evaluation budget (`MAX_STEPS`): IG004 when exceeded.

Where kustomize stops a build (a patch that matches nothing, an operation whose
path does not exist), iacguard warns (IG003) and goes on with the rest.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from iacguard import inputs
from iacguard.budgets import MAX_MODULE_DEPTH, MAX_MODULE_INSTANCES, Budget
from iacguard.diagnostics import CONTENT_WARNING, NOT_FETCHED, PARSE_ERROR
from iacguard.errors import BudgetExceeded, ParseError
from iacguard.evaluators.patches import (
    DIRECTIVE,
    PatchError,
    Relocate,
    child_map,
    copy_tree,
    delete,
    in_file,
    json_patch,
    list_merging,
    new_map,
    put,
    strategic_merge,
)
from iacguard.formats import ParsedFile, ScanContext
from iacguard.normalizers.kubernetes import CLUSTER_SCOPED_KINDS, objects_of
from iacguard.parsers.documents import Mark, YamlFile, YMap, YSeq
from iacguard.parsers.kustomize import Kustomization, is_inline, is_remote, kustomization_file
from iacguard.structs import field, struct

_UNPREFIXED_KINDS = frozenset({"CustomResourceDefinition", "APIService", "Namespace"})
_REPLICA_KINDS = frozenset({"Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"})
# Where labels and annotations go beyond `metadata` (kustomize's field specs for the
# built-in kinds): pod template metadata, and the selectors that must match it.
_TEMPLATE_METADATA: dict[str, tuple[tuple[str, ...], ...]] = {
    **dict.fromkeys(("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ReplicationController", "Job"), (("spec", "template", "metadata"),)),
    "CronJob": (("spec", "jobTemplate", "metadata"), ("spec", "jobTemplate", "spec", "template", "metadata")),
}
_SELECTORS: dict[str, tuple[tuple[str, ...], bool]] = {  # kind -> (path, created when absent)
    "Service": (("spec", "selector"), True),
    "ReplicationController": (("spec", "selector"), True),
    **dict.fromkeys(("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"), (("spec", "selector", "matchLabels"), True)),
    "Job": (("spec", "selector", "matchLabels"), False),
    "CronJob": (("spec", "jobTemplate", "spec", "selector", "matchLabels"), False),
    "PodDisruptionBudget": (("spec", "selector", "matchLabels"), False),
    "NetworkPolicy": (("spec", "podSelector", "matchLabels"), False),
}
NOT_APPLIED = {
    "replacements": "replacements are not applied",
    "vars": "vars are not substituted",
    "transformers": "transformer plugins are not run",
    "generators": "generator plugins are not run, so what they make is not checked",
    "validators": "validators are not run",
    "helmCharts": "Helm charts are not inflated, so their objects are not checked",
    "helmGlobals": "Helm charts are not inflated",
    "configurations": "custom transformer configurations are not applied",
    "crds": "custom resource definitions for transformers are not applied",
    "openapi": "custom merge schemas are not applied",
}

Id = tuple[str, str, str, str, str]  # group, version, kind, effective namespace, name


@struct
class BuiltObject:
    """An object of a build: as built, as its file declared it (which names it in
    addresses), and every identity it has had, the current one last (patches and
    selectors match any of them, as kustomize does)."""

    obj: YMap
    declared: YMap
    ids: list[Id] = field(default_factory=list)

    def remember(self) -> None:
        current = object_id(self.obj)
        if not self.ids or self.ids[-1] != current:
            self.ids.append(current)

    @property
    def kind(self) -> Any:
        return self.obj.get("kind")

    def names(self) -> set[str]:
        return {identity[4] for identity in self.ids}


def object_id(obj: YMap) -> Id:
    api_version = obj.get("apiVersion")
    group, _, version = api_version.rpartition("/") if isinstance(api_version, str) else ("", "", "")
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), YMap) else {}
    name = metadata.get("name") if isinstance(metadata.get("name"), str) else ""
    namespace = metadata.get("namespace") if isinstance(metadata.get("namespace"), str) else ""
    return group, version, kind, _effective_namespace(kind, namespace), name


def _same_object(patch: Id, identity: Id) -> bool:
    """True when a patch names the object that had `identity`: the same kind, name
    and namespace, and group and version where the patch gives them."""
    return patch[2:] == identity[2:] and all(mine in ("", theirs) for mine, theirs in zip(patch[:2], identity[:2]))


def _effective_namespace(kind: str, namespace: str) -> str:
    if kind in CLUSTER_SCOPED_KINDS:
        return ""
    return namespace or "default"


class KustomizeBuild:
    """Builds kustomizations for one scanned target. Files read once per target are
    kept parsed; diagnostics go to the target's parsed file, naming the file they
    are about, on the top kustomization being built (`member`: a target may build
    several, `ScanContext.members`), as do refusals to read a file."""

    def __init__(self, parsed: ParsedFile, context: ScanContext):
        self.parsed = parsed
        self.context = context
        self.budget = Budget()
        self.files: dict[str, tuple[str, YamlFile] | None] = {parsed.path: (parsed.text, parsed.native)}
        self.expanded = 0
        self.member = parsed.path  # the top kustomization being built
        self.unfetched = False  # part of a build was not fetched or applied (IG006)
        self.own_schema = False  # a kustomization of the build gives its own merge schema (`openapi`)

    def build(self, path: str) -> list[BuiltObject]:
        """The objects the kustomization file at `path` builds."""
        self.member = path
        kustomization = self.kustomization(path)
        if kustomization is None:
            return []
        if kustomization.is_component:
            self.note(path, None, "a Kustomize component is applied by the kustomizations that list it, never built alone")
            return []
        objects: list[BuiltObject] = []
        self.unfetched = self.own_schema = False
        self.accumulate(kustomization, objects, (os.path.realpath(path),))
        _follow_renames(objects)
        return objects

    # Reading

    def load(self, path: str, named: Mark | None = None) -> tuple[str, YamlFile] | None:
        """A YAML or JSON file's text and documents, through the input door; None
        (and the file refused, told where `named`) when it cannot be read or parsed."""
        if path not in self.files:
            self.files[path] = None
            at = self.scanned_at(named)
            text = self.context.read_dependency(path, part=True, at=at, member=self.member)
            if text is not None:
                try:
                    self.files[path] = (text, _parse(text))
                except (ParseError, RecursionError) as error:
                    where = (error.line, error.column) if isinstance(error, ParseError) and error.line else None
                    self.context.refuse(path, f"does not parse: {getattr(error, 'message', 'nested too deeply')}", at, where, self.member)
        return self.files[path]

    def scanned_at(self, mark: Mark | None) -> tuple[int, int] | None:
        """The line and column of `mark` when it stands in the top kustomization being
        built, where a refusal to read the file it names (IG005) is told; None in a
        base's or a component's (a diagnostic's line is the top kustomization's)."""
        return (mark.line, mark.column) if mark is not None and mark.path == self.member else None

    def kustomization(self, path: str, named: Mark | None = None) -> Kustomization | None:
        loaded = self.load(path, named)
        if loaded is None:
            return None
        documents = loaded[1].documents
        return Kustomization.of(path, documents[0].root if documents else None)

    def folder(self, owner: Kustomization, entry: str, mark: Mark, stack: tuple[str, ...]) -> tuple[Kustomization, str] | None:
        """The kustomization of a folder another one names, with its real path; None
        (and the folder or file refused) when it cannot be used: outside the scan
        root, without a kustomization, or including itself."""
        folder = owner.local(entry)
        self.context.dependencies.add(folder)
        at = self.scanned_at(mark)
        if self.context.root is not None and not inputs.inside(folder, self.context.root):
            self.context.refuse(folder, "outside the scan root", at, member=self.member)
            return None
        path = kustomization_file(folder)
        if path is None:
            self.context.refuse(folder, "a folder without a kustomization file", at, member=self.member)
            return None
        real = os.path.realpath(path)
        if real in stack:
            cycle = " -> ".join(os.path.relpath(step) for step in (*stack[stack.index(real):], real))
            self.context.refuse(path, f"it includes itself, a cycle: {cycle}", at, member=self.member)
            return None
        self.expanded += 1
        if len(stack) >= MAX_MODULE_DEPTH:
            raise BudgetExceeded(f"kustomizations nest more than {MAX_MODULE_DEPTH} deep", owner.path, mark.line)
        if self.expanded > MAX_MODULE_INSTANCES:
            raise BudgetExceeded(f"more than {MAX_MODULE_INSTANCES} kustomizations expanded in one build", owner.path, mark.line)
        kustomization = self.kustomization(path, mark)
        return None if kustomization is None else (kustomization, real)

    def note(self, path: str, mark: Mark | None, message: str, code: str = NOT_FETCHED, level: str = "note") -> None:
        mark = mark or Mark(1, 1)
        self.unfetched |= code == NOT_FETCHED
        self.parsed.diagnose(code, level, message, mark.path or path, mark.line, mark.column, self.member)

    def warn(self, path: str, mark: Mark | None, message: str, stops: bool = True) -> None:
        """A warning (IG003) about what kustomize refuses (`stops`: the build fails
        there) or does without a word."""
        tail = "; kustomize build stops here, iacguard goes on without it" if stops else ""
        self.note(path, mark, message + tail, CONTENT_WARNING, "warning")

    def unmatched(self, path: str, mark: Mark | None, message: str, stops: bool = True) -> None:
        """A patch or generator that finds nothing to change: a warning, unless part of
        the build was not fetched or not applied, which may hold what it changes."""
        if not self.unfetched:
            self.warn(path, mark, message, stops)

    # The build

    def accumulate(self, kustomization: Kustomization, objects: list[BuiltObject], stack: tuple[str, ...]) -> None:
        """Add what `kustomization` builds to `objects` and transform them: resources,
        generators, components, then its own transformers."""
        for name, message in NOT_APPLIED.items():
            if name in kustomization.root:
                self.note(kustomization.path, kustomization.root.key_marks[name], f"{name}: {message}; the rest of the build is checked")
        # kustomize merges every patch of the build by a schema given anywhere in it.
        self.own_schema |= "openapi" in kustomization.root
        for name in ("resources", "bases"):
            for entry, mark in kustomization.items(name):
                if isinstance(entry, str):
                    self.resource(kustomization, entry, mark, objects, stack)
        self.generate(kustomization, objects)
        for entry, mark in kustomization.text_items("components"):
            if is_remote(entry) and not os.path.exists(kustomization.local(entry)):
                self.note(kustomization.path, mark, f"remote component {entry} is not fetched, so what it changes is not checked")
                continue
            found = self.folder(kustomization, entry, mark, stack)
            if found is None:
                continue
            component, real = found
            if not component.is_component:
                self.warn(kustomization.path, mark, f"{entry} is listed as a component but is not kind: Component")
                continue
            self.accumulate(component, objects, (*stack, real))
        self.transform(kustomization, objects)

    def resource(self, kustomization: Kustomization, entry: str, mark: Mark, objects: list[BuiltObject], stack: tuple[str, ...]) -> None:
        path = kustomization.local(entry)
        if is_remote(entry) and not os.path.exists(path):
            self.note(kustomization.path, mark, f"remote resource {entry} is not fetched, so what it holds is not checked")
        elif os.path.isdir(path):
            found = self.folder(kustomization, entry, mark, stack)
            if found is None:
                return
            base, real = found
            if base.is_component:
                self.warn(kustomization.path, mark, f"{entry} is a component, listed as a resource")
                return
            built: list[BuiltObject] = []
            self.accumulate(base, built, (*stack, real))
            objects.extend(built)
        else:
            loaded = self.load(path, mark)
            for obj in _objects(loaded[1]) if loaded else ():
                objects.append(self.new(obj, in_file(path)))

    def new(self, obj: YMap, relocate: Relocate) -> BuiltObject:
        built = BuiltObject(copy_tree(obj, self.budget, relocate), obj)
        built.remember()
        return built

    # Generators

    def generate(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        defaults = kustomization.root.get("generatorOptions")
        for name, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            for entry, mark in kustomization.items(name):
                if not isinstance(entry, YMap) or not isinstance(entry.get("name"), str):
                    continue
                generated = self.generated(kustomization, kind, entry, mark, defaults)
                behavior = entry.get("behavior", "create")
                if behavior not in ("merge", "replace"):
                    objects.append(BuiltObject(generated, copy_tree(generated, self.budget), [object_id(generated)]))
                    continue
                namespace = entry.get("namespace")
                existing = next((
                    built for built in objects
                    if any(identity[2] == kind and identity[4] == entry["name"] and namespace in (None, identity[3]) for identity in built.ids)
                ), None)
                if existing is None:
                    self.unmatched(kustomization.path, mark, f"{kind} {entry['name']} to {behavior} is not built by the resources")
                    continue
                _combine(existing.obj, generated, behavior)

    def generated(self, kustomization: Kustomization, kind: str, entry: YMap, mark: Mark, defaults: Any) -> YMap:
        obj = new_map(mark)
        put(obj, "apiVersion", "v1", mark)
        put(obj, "kind", kind, mark)
        metadata = new_map(mark)
        put(obj, "metadata", metadata, mark)
        put(metadata, "name", entry["name"], mark, kustomization.mark("name", entry))
        if isinstance(entry.get("namespace"), str):
            put(metadata, "namespace", entry["namespace"], mark, kustomization.mark("namespace", entry))
        for options in (defaults, entry.get("options")):
            for key in ("labels", "annotations"):
                pairs = options.get(key) if isinstance(options, YMap) else None
                if isinstance(pairs, YMap):
                    _add_pairs(metadata, key, _pairs(kustomization, pairs), mark)
            if isinstance(options, YMap) and isinstance(options.get("immutable"), bool):
                put(obj, "immutable", options["immutable"], mark, kustomization.mark("immutable", options))
        if kind == "Secret":
            put(obj, "type", entry["type"] if isinstance(entry.get("type"), str) else "Opaque", mark)
        data = new_map(mark)
        for key, value, at in self.generator_data(kustomization, entry):
            encoded = base64.b64encode(value.encode("utf-8", "surrogateescape")).decode("ascii") if kind == "Secret" else value
            put(data, key, encoded, at)
        put(obj, "data", data, mark)
        return obj

    def generator_data(self, kustomization: Kustomization, entry: YMap):
        """(key, value, where written) of a generator's literals and files."""
        for literal, at in kustomization.text_items("literals", entry):
            key, separator, value = literal.partition("=")
            if separator:
                yield key.strip(), _unquoted(value), at
        for key, path, at in kustomization.generator_files(entry):
            text = self.context.read_dependency(path, part=True, at=self.scanned_at(at), member=self.member)
            if text is None:
                continue
            if key is not None:
                yield key, text, at
                continue
            for number, line in enumerate(text.splitlines(), 1):
                name, separator, value = line.strip().partition("=")
                if separator and name and not name.startswith("#"):
                    yield name.strip(), value, Mark(number, line.index("=") + 2, path)

    # Transformers

    def transform(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        for entry, mark in kustomization.items("patchesStrategicMerge"):
            if isinstance(entry, str):
                for patch in self.patch_documents(kustomization, entry, mark, is_inline(entry)):
                    self.merge_by_id(kustomization, patch, mark, objects)
        for entry, mark in kustomization.items("patches"):
            self.patch(kustomization, entry, mark, objects, json_only=False)
        self.set_namespace(kustomization, objects)
        self.rename(kustomization, objects)
        self.label(kustomization, objects)
        self.annotate(kustomization, objects)
        for entry, mark in kustomization.items("patchesJson6902"):
            self.patch(kustomization, entry, mark, objects, json_only=True)
        self.scale(kustomization, objects)
        self.set_images(kustomization, objects)

    def patch_documents(self, kustomization: Kustomization, source: str, mark: Mark, inline: bool) -> list[Any]:
        """The documents of a patch: a file's, or those written in place in the
        kustomization, located where they stand in it."""
        if not inline:
            path = kustomization.local(source)
            loaded = self.load(path, mark)
            return [copy_tree(document.root, self.budget, in_file(path)) for document in loaded[1].documents] if loaded else []
        try:
            documents = _parse(source).documents
        except (ParseError, RecursionError) as error:
            self.note(kustomization.path, mark, f"inline patch does not parse: {getattr(error, 'message', 'nested too deeply')}", PARSE_ERROR, "error")
            return []
        relocate = _inline(self.files[kustomization.path][0], mark, kustomization.path)
        return [copy_tree(document.root, self.budget, relocate) for document in documents]

    def patch(self, kustomization: Kustomization, entry: Any, mark: Mark, objects: list[BuiltObject], json_only: bool) -> None:
        """One entry of `patches` or `patchesJson6902`."""
        if not isinstance(entry, YMap):
            return
        if isinstance(entry.get("path"), str):
            documents = self.patch_documents(kustomization, entry["path"], kustomization.mark("path", entry), inline=False)
        elif isinstance(entry.get("patch"), str):
            documents = self.patch_documents(kustomization, entry["patch"], kustomization.mark("patch", entry), inline=True)
        else:
            return
        target = entry.get("target")
        operations = documents[0] if documents and isinstance(documents[0], YSeq) else None
        if operations is None and json_only:
            self.warn(kustomization.path, mark, "a patchesJson6902 entry that is not a list of operations")
            return
        if operations is not None or target is not None:
            selected = [built for built in objects if _selected(built, target)] if isinstance(target, YMap) else []
            if not selected and isinstance(target, YMap):  # kustomize applies it to nothing, without a word
                self.unmatched(kustomization.path, mark, "no resource matches the patch's target, so it changes nothing", stops=False)
            elif not selected:
                self.unmatched(kustomization.path, mark, "a JSON patch without a target")
            for built in selected:
                self.apply(kustomization, built, operations, documents[0] if documents else None, mark, objects)
            return
        for document in documents:
            self.merge_by_id(kustomization, document, mark, objects)

    def apply(self, kustomization: Kustomization, built: BuiltObject, operations: YSeq | None, patch: Any, mark: Mark,
              objects: list[BuiltObject]) -> None:
        try:
            if operations is not None:
                json_patch(built.obj, operations, self.budget)
            elif isinstance(patch, YMap):
                if patch.get(DIRECTIVE) == "delete":
                    objects.remove(built)
                else:
                    strategic_merge(built.obj, _without_identity(patch, self.budget), self.budget, list_merging(built.obj, self.own_schema))
        except PatchError as error:
            self.warn(kustomization.path, error.mark or mark, error.message)
        built.remember()

    def merge_by_id(self, kustomization: Kustomization, patch: Any, mark: Mark, objects: list[BuiltObject]) -> None:
        """A strategic merge patch without a target: the object it names."""
        if not isinstance(patch, YMap):
            return
        wanted = object_id(patch)
        built = next((built for built in objects if any(_same_object(wanted, identity) for identity in built.ids)), None)
        if built is None:
            self.unmatched(kustomization.path, patch.mark, f"no resource matches the patch for {wanted[2]} {wanted[4]}")
            return
        self.apply(kustomization, built, None, patch, mark, objects)

    def set_namespace(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        namespace = kustomization.root.get("namespace")
        if not isinstance(namespace, str) or not namespace:
            return
        at = kustomization.mark("namespace")
        for built in objects:
            metadata = child_map(built.obj, "metadata", at)
            kind = built.kind
            if metadata is None:
                continue
            if kind == "Namespace" and built.obj.get("apiVersion") == "v1":
                put(metadata, "name", namespace, metadata.key_marks.get("name", at), at)
            elif kind not in CLUSTER_SCOPED_KINDS:
                put(metadata, "namespace", namespace, metadata.key_marks.get("namespace", at), at)
            subjects = built.obj.get("subjects") if kind in ("RoleBinding", "ClusterRoleBinding") else None
            for subject in subjects if isinstance(subjects, YSeq) else ():
                if isinstance(subject, YMap) and subject.get("name") == "default":
                    put(subject, "namespace", namespace, subject.key_marks.get("namespace", at), at)
            built.remember()

    def rename(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        prefix, suffix = kustomization.root.get("namePrefix"), kustomization.root.get("nameSuffix")
        prefix, suffix = prefix if isinstance(prefix, str) else "", suffix if isinstance(suffix, str) else ""
        if not prefix and not suffix:
            return
        for built in objects:
            metadata = built.obj.get("metadata")
            if built.kind in _UNPREFIXED_KINDS or not isinstance(metadata, YMap) or not isinstance(metadata.get("name"), str):
                continue
            metadata["name"] = f"{prefix}{metadata['name']}{suffix}"
            built.remember()

    def label(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        common = kustomization.root.get("commonLabels")
        sets = [(_pairs(kustomization, common), True, True)] if isinstance(common, YMap) else []
        for entry, mark in kustomization.items("labels"):
            if isinstance(entry, YMap) and "fields" in entry:
                self.note(kustomization.path, mark, "labels: custom fields are not applied; the labels go where kustomize puts them by default")
            if isinstance(entry, YMap) and isinstance(entry.get("pairs"), YMap):
                selectors = entry.get("includeSelectors") is True
                sets.append((_pairs(kustomization, entry["pairs"]), selectors, selectors or entry.get("includeTemplates") is True))
        for pairs, selectors, templates in sets:
            for built in objects:
                _add_pairs(built.obj, "labels", pairs, built.obj.mark, ("metadata",))
                for path in _TEMPLATE_METADATA.get(built.kind, ()) if templates else ():
                    _add_pairs(built.obj, "labels", pairs, built.obj.mark, path)
                path, create = _SELECTORS.get(built.kind, ((), False))
                if selectors and path:
                    _add_pairs(built.obj, path[-1], pairs, built.obj.mark, path[:-1], create)

    def annotate(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        common = kustomization.root.get("commonAnnotations")
        if not isinstance(common, YMap):
            return
        pairs = _pairs(kustomization, common)
        for built in objects:
            for path in (("metadata",), *_TEMPLATE_METADATA.get(built.kind, ())):
                _add_pairs(built.obj, "annotations", pairs, built.obj.mark, path)

    def scale(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        for entry, _ in kustomization.items("replicas"):
            if not isinstance(entry, YMap) or not isinstance(entry.get("name"), str) or not isinstance(entry.get("count"), int):
                continue
            for built in objects:
                spec = child_map(built.obj, "spec", built.obj.mark) if built.kind in _REPLICA_KINDS and entry["name"] in built.names() else None
                if spec is not None:
                    put(spec, "replicas", entry["count"], spec.key_marks.get("replicas", built.obj.mark), kustomization.mark("count", entry))

    def set_images(self, kustomization: Kustomization, objects: list[BuiltObject]) -> None:
        for entry, mark in kustomization.items("images"):
            if not isinstance(entry, YMap) or not isinstance(entry.get("name"), str):
                continue
            written = [field for field in ("newName", "newTag", "digest") if entry.get(field) is not None and not isinstance(entry[field], str)]
            if written:  # YAML reads `newTag: 1.20` as the number 1.2
                self.warn(kustomization.path, kustomization.mark(written[0], entry), f"images: {written[0]} is not a string (quote it)")
                continue
            for built in objects:
                if built.kind != "CustomResourceDefinition":
                    _retag(built.obj, entry, kustomization)


def _parse(text: str) -> YamlFile:
    from iacguard.parsers import positional_json
    from iacguard.parsers import yaml as positional_yaml

    loaded = positional_json.load(text) if text.lstrip().startswith(("{", "[")) else None
    return loaded if loaded is not None else positional_yaml.load(text)


def _objects(loaded: YamlFile):
    for document in loaded.documents:
        yield from objects_of(document.root)


def _inline(text: str, mark: Mark, path: str) -> Relocate:
    """Where the lines of a patch written in place in a kustomization stand in it. A
    literal block (`patch: |-`) keeps its lines: each moves down to its line in the
    file and right by the block's indentation. Any other string is located at its
    start."""
    lines = text.split("\n")
    header = lines[mark.line - 1][mark.column - 1 :].split("#", 1)[0].strip() if 0 < mark.line <= len(lines) else ""
    if header.startswith("|") and not any(character.isdigit() for character in header):
        body = next((line for line in lines[mark.line :] if line.strip()), "")
        indent = len(body) - len(body.lstrip(" "))
        return lambda at: Mark(at.line + mark.line, at.column + indent, path)
    fixed = Mark(mark.line, mark.column, path)
    return lambda at: fixed


def _pairs(kustomization: Kustomization, mapping: YMap) -> list[tuple[str, str, Mark, Mark]]:
    """The string entries of a labels or annotations mapping in a kustomization."""
    return [
        (key, value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value),
         kustomization.at(mapping.key_marks[key]), kustomization.mark(key, mapping))
        for key, value in mapping.items()
        if isinstance(key, str) and value is not None
    ]


def _add_pairs(obj: YMap, key: str, pairs: list[tuple[str, str, Mark, Mark]], mark: Mark, path: tuple[str, ...] = (), create: bool = True) -> None:
    """Put `pairs` into the mapping at `path`/`key` of `obj`, making the way when
    `create`."""
    if not pairs:
        return
    node: YMap | None = obj
    for step in (*path, key):
        node = child_map(node, step, mark, create)
        if node is None:
            return
    for name, value, key_mark, value_mark in pairs:
        put(node, name, value, key_mark, value_mark)


def _without_identity(patch: YMap, budget) -> YMap:
    """A strategic merge patch without the fields that name its target: kustomize
    keeps the target's kind and name (the patch may name it as first declared)."""
    copy = copy_tree(patch, budget)
    for key in ("apiVersion", "kind"):
        delete(copy, key)
    metadata = copy.get("metadata")
    if isinstance(metadata, YMap):
        for key in ("name", "namespace"):
            delete(metadata, key)
    return copy


def _combine(target: YMap, generated: YMap, behavior: str) -> None:
    """A generator with `behavior: merge` or `replace` over an object of its name."""
    data = child_map(target, "data", generated.mark)
    if data is None:
        return
    if behavior == "replace":
        for key in list(data):
            delete(data, key)
    new = generated["data"]
    for key, value in new.items():
        put(data, key, value, new.key_marks[key], new.value_marks[key])
    for key in ("labels", "annotations"):
        pairs = generated["metadata"].get(key)
        if isinstance(pairs, YMap):
            _add_pairs(target, key, [(k, v, pairs.key_marks[k], pairs.value_marks[k]) for k, v in pairs.items()], generated.mark, ("metadata",))


def _unquoted(value: str) -> str:
    """A literal's value, without the quotes kustomize removes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


# Selectors

_ANY, _STAR = object(), object()


def _pattern(text: str) -> list[list[Any]] | None:
    """A kustomize selector pattern as alternatives of literal characters, `_ANY`
    (`.`) and `_STAR` (`.*`; `.+` is `.` then `.*`); None for any other regular
    expression, which iacguard does not evaluate."""
    alternatives = []
    for alternative in text.removeprefix("^").removesuffix("$").split("|"):
        tokens: list[Any] = []
        index = 0
        while index < len(alternative):
            character = alternative[index]
            following = alternative[index + 1 : index + 2]
            if character == "\\" and following and not following.isalnum():
                tokens.append(following)
                index += 2
            elif character == "." and following in ("*", "+"):
                tokens.extend([_STAR] if following == "*" else [_ANY, _STAR])
                index += 2
            elif character == ".":
                tokens.append(_ANY)
                index += 1
            elif character in "*+?()[]{}^$\\":
                return None
            else:
                tokens.append(character)
                index += 1
        alternatives.append(tokens)
    return alternatives


def _matches(pattern: Any, value: str) -> bool:
    """True when `value` matches a selector field (absent matches everything)."""
    if pattern is None or pattern == "":
        return True
    if not isinstance(pattern, str):
        return False
    alternatives = _pattern(pattern)
    if alternatives is None:
        return False
    return any(_wildcard(tokens, value) for tokens in alternatives)


def _wildcard(tokens: list[Any], text: str) -> bool:
    """Wildcard matching without backtracking blow-up: at most len(tokens) * len(text) steps."""
    position = token = 0
    star, resume = -1, 0
    while position < len(text):
        if token < len(tokens) and tokens[token] is not _STAR and (tokens[token] is _ANY or tokens[token] == text[position]):
            position += 1
            token += 1
        elif token < len(tokens) and tokens[token] is _STAR:
            star, resume = token, position
            token += 1
        elif star >= 0:
            token = star + 1
            resume += 1
            position = resume
        else:
            return False
    while token < len(tokens) and tokens[token] is _STAR:
        token += 1
    return token == len(tokens)


def _selected(built: BuiltObject, target: YMap) -> bool:
    group, version, kind, _, _ = built.ids[-1]
    first, current = built.ids[0], built.ids[-1]
    return (
        _matches(target.get("group"), group)
        and _matches(target.get("version"), version)
        and _matches(target.get("kind"), kind)
        and (_matches(target.get("name"), first[4]) or _matches(target.get("name"), current[4]))
        and (_matches(target.get("namespace"), first[3]) or _matches(target.get("namespace"), current[3]))
        and _label_selected(target.get("labelSelector"), _metadata(built.obj, "labels"))
        and _label_selected(target.get("annotationSelector"), _metadata(built.obj, "annotations"))
    )


def _metadata(obj: YMap, key: str) -> dict:
    metadata = obj.get("metadata")
    values = metadata.get(key) if isinstance(metadata, YMap) else None
    return values if isinstance(values, dict) else {}


def _label_selector_terms(text: str) -> list[str]:
    terms, depth, start = [], 0, 0
    for index, character in enumerate(text):
        depth += character == "("
        depth -= character == ")"
        if character == "," and depth == 0:
            terms.append(text[start:index])
            start = index + 1
    return [term.strip() for term in [*terms, text[start:]] if term.strip()]


def _label_selected(selector: Any, labels: dict) -> bool:
    """A Kubernetes label selector (`a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`,
    `a notin (x,y)`, comma-joined) against `labels`."""
    if selector is None or selector == "":
        return True
    if not isinstance(selector, str):
        return False
    for term in _label_selector_terms(selector):
        words = term.split(None, 1)
        if len(words) == 2 and words[1].split("(", 1)[0].strip() in ("in", "notin") and "(" in words[1]:
            operator, values = words[1].split("(", 1)
            allowed = {value.strip() for value in values.rstrip(")").split(",")}
            inside = str(labels.get(words[0])) in allowed if words[0] in labels else False
            if inside != (operator.strip() == "in"):
                return False
        elif "!=" in term:
            key, value = (part.strip() for part in term.split("!=", 1))
            if str(labels.get(key)) == value and key in labels:
                return False
        elif "=" in term:
            key, value = (part.strip() for part in term.replace("==", "=").split("=", 1))
            if key not in labels or str(labels[key]) != value:
                return False
        elif term.startswith("!"):
            if term[1:].strip() in labels:
                return False
        elif term not in labels:
            return False
    return True


# Images

def _retag(node: Any, entry: YMap, kustomization: Kustomization) -> None:
    """Apply an `images` entry to every container list (`containers`,
    `initContainers`) and image volume under `node`."""
    if isinstance(node, YSeq):
        for item in node:
            _retag(item, entry, kustomization)
        return
    if not isinstance(node, YMap):
        return
    for key, value in node.items():
        if key in ("containers", "initContainers") and isinstance(value, YSeq):
            for container in value:
                if isinstance(container, YMap):
                    _retag_image(container, "image", entry, kustomization)
        elif key == "image" and isinstance(value, YMap):
            _retag_image(value, "reference", entry, kustomization)
        _retag(value, entry, kustomization)


def _retag_image(holder: YMap, key: str, entry: YMap, kustomization: Kustomization) -> None:
    reference = holder.get(key)
    if not isinstance(reference, str):
        return
    name, tag, digest = split_image(reference)
    if name != entry["name"]:
        return
    new_name, new_tag, new_digest, suffix = (entry.get(field) for field in ("newName", "newTag", "digest", "tagSuffix"))
    name = str(new_name) if isinstance(new_name, (str, int)) and new_name != "" else name
    if new_tag not in (None, "") and new_digest not in (None, ""):
        tag, digest = str(new_tag), str(new_digest)
    elif new_tag not in (None, ""):
        tag, digest = str(new_tag), ""
    elif new_digest not in (None, ""):
        tag, digest = "", str(new_digest)
    elif isinstance(suffix, str) and suffix:
        tag, digest = tag + suffix, ""
    decided = next((field for field in ("digest", "newTag", "tagSuffix", "newName") if entry.get(field) not in (None, "")), None)
    if decided is None:
        return
    result = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
    put(holder, key, result, holder.key_marks[key], kustomization.mark(decided, entry))


def split_image(reference: str) -> tuple[str, str, str]:
    """Name, tag and digest of an image reference, split as kustomize splits them
    (a registry's port is part of the name)."""
    slash = reference.find("/")
    start = slash if slash > 0 else 0
    search = reference[start:]
    at, colon = search.find("@"), search.find(":")
    if at < 0 and colon < 0:
        return reference, "", ""
    if at >= 0 and (colon < 0 or at < colon):
        return reference[: start + at], "", reference[start + at + 1 :]
    if at >= 0:
        return reference[: start + colon], reference[start + colon + 1 : start + at], reference[start + at + 1 :]
    return reference[: start + colon], reference[start + colon + 1 :], ""


# Names

# Where objects refer to others by name (kustomize's name references, for the kinds
# whose names matter to what iacguard checks or are commonly prefixed): a mapping
# key, the key of the name inside it, and the kind it names.
_REFERENCES = {
    "configMapRef": ("name", "ConfigMap"), "configMapKeyRef": ("name", "ConfigMap"), "configMap": ("name", "ConfigMap"),
    "secretRef": ("name", "Secret"), "secretKeyRef": ("name", "Secret"), "secret": ("secretName", "Secret"),
}


def _follow_renames(objects: list[BuiltObject]) -> None:
    """After a build, point references to ServiceAccounts, Roles, ClusterRoles,
    ConfigMaps and Secrets that were renamed or moved to a namespace at what they
    became (where a pod names its account, volumes and variables their sources, a
    binding its subjects and role), as kustomize's name references do."""
    moved: dict[tuple[str, str], list[BuiltObject]] = {}
    for built in objects:
        if built.kind in ("ServiceAccount", "Role", "ClusterRole", "ConfigMap", "Secret") and len(built.ids) > 1:
            for name in dict.fromkeys(identity[4] for identity in built.ids[:-1]):
                moved.setdefault((built.kind, name), []).append(built)
    unique = {key: found[0] for key, found in moved.items() if len(found) == 1}
    if not unique:
        return
    for built in objects:
        if built.kind in ("RoleBinding", "ClusterRoleBinding"):
            subjects = built.obj.get("subjects")
            for subject in subjects if isinstance(subjects, YSeq) else ():
                _follow(subject, "name", unique, namespace=True)
            _follow(built.obj.get("roleRef"), "name", unique)
        else:
            _follow_references(built.obj, unique)


def _follow(holder: Any, key: str, moved: dict[tuple[str, str], BuiltObject], namespace: bool = False, kind: str | None = None) -> None:
    """Point `holder[key]`, a reference to an object of `kind` (else of the holder's
    own `kind`), at what the object became; with `namespace`, its namespace too."""
    if not isinstance(holder, YMap) or not isinstance(holder.get(key), str):
        return
    target = moved.get((kind or holder.get("kind"), holder[key]))
    if target is None:
        return
    holder[key] = target.ids[-1][4]
    metadata = target.obj.get("metadata")
    if namespace and isinstance(metadata, YMap) and isinstance(metadata.get("namespace"), str):
        put(holder, "namespace", metadata["namespace"], holder.key_marks.get("namespace", holder.mark), metadata.value_marks["namespace"])


def _follow_references(node: Any, moved: dict[tuple[str, str], BuiltObject]) -> None:
    if isinstance(node, YMap):
        for key, value in node.items():
            if key in ("serviceAccountName", "serviceAccount"):
                _follow(node, key, moved, kind="ServiceAccount")
            elif key in _REFERENCES and isinstance(value, YMap):
                _follow(value, _REFERENCES[key][0], moved, kind=_REFERENCES[key][1])
            elif key == "imagePullSecrets" and isinstance(value, YSeq):
                for item in value:
                    _follow(item, "name", moved, kind="Secret")
            if isinstance(value, (YMap, YSeq)):
                _follow_references(value, moved)
    elif isinstance(node, YSeq):
        for item in node:
            _follow_references(item, moved)
