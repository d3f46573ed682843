"""Which Kustomize builds a scan makes, decided before any file is scanned.

Kustomize files are not complete on their own: a base is completed by the overlays
that use it, and a patch is a fragment of an object. So the scan looks at every
kustomization of the scan root (found with the same walk as the scan, reading only
the kustomization files) and builds the *top* ones: kustomizations that no other
kustomization uses (the overlays, and a base that none uses), and one of each
cycle that no top reaches (its build reports the cycle). Components are
applied by the kustomizations that list them and are never built alone.

Each scanned file that a kustomization reaches (a resource, a base, a component, a
patch, a generator's input, a configuration file) is checked as part of the builds
of the top kustomizations that reach it, and is not scanned on its own: a patch is
never checked as if it were a whole object, and a base is not reported once loose
and again built. A resource that only a component nothing uses reaches is scanned
on its own (no build checks it); a patch there is not checked at all. The
kustomizations that use a file are its users in `iacguard.dependents` (`users`), so
a scan of one file (a pre-commit hook, an editor) has its top overlays among its
targets, and builds them. Top kustomizations that share anything are one target, so
what they share is reported once, naming every overlay, and the suppressions
written in every file the target's builds read are judged there (IG002, IG007):
no other target reads those files. An editor's buffer of a base or a patch is
planned as the file it stands in for, and the builds read the buffer in its place.

The graph is read from the kustomization files only, each at most once per scan (a
`Tree` index, which the dependents search shares); the builds themselves read the
rest through the input door, bounded, when the targets are scanned. The plan
depends only on the files, so any `--jobs` and the cache give the same result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from iacguard.dependents import Tree, Use
from iacguard.discovery import Target
from iacguard.errors import ParseError
from iacguard.formats import Format
from iacguard.structs import field, struct

_MANIFEST_FORMATS = ("kubernetes", "kustomize")  # the formats of files a kustomization can reach
# Files told by their names that no kustomization builds from (a one-file scan of one
# never reads the kustomizations); YAML told by its content may be a generator's input.
_NOT_BUILT_FROM = frozenset({"dockerfile", "terraform", "terraform-json", "terraform-plan", "arm", "bicep"})


@struct
class _Node:
    """One kustomization: the kustomizations it uses, and the files it reads."""

    path: Path
    display: str
    component: bool = False
    unread: bool = False  # it could not be read or parsed: it may use anything
    uses: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # real path -> how it is used


@struct
class Plan:
    """The targets to scan, and each file that is checked only as part of a build,
    with why (what `-v` prints)."""

    targets: list[Target]
    accounted: dict[str, str] = field(default_factory=dict)


def users(fmt: Format, changed: Path, tree: Tree, parts_only: bool = False) -> Iterator[Use]:
    """The kustomizations of the scan root that use `changed` (a file, or the folder
    of a kustomization file): it is checked through their builds. Files of a format
    no kustomization builds from (`_NOT_BUILT_FROM`) are not looked up; YAML of any
    kind, `Kustomization` files and files no format claims (a generator's `.env`
    input) are. One that could not be read is a user too (not a part: the file is
    checked on its own)."""
    if getattr(tree.discovery.format_of(changed), "name", None) in _NOT_BUILT_FROM:
        return
    nodes = _graph_of(fmt, tree)
    if not nodes:
        return
    real = _known_real_path(changed, fmt, tree)
    for node in _users_of(fmt, tree).get(real, ()):
        if real in node.files:
            yield Use(node.path, f"it uses {tree.display(changed)} as a {node.files[real]}", part=True, shares=True)
        else:
            yield Use(node.path, f"it builds {tree.display(changed.parent)}", part=True, shares=True)
    if not parts_only:
        for node in nodes.values():
            if node.unread and real != os.path.realpath(node.path):  # a file named is checked with it, failing closed
                yield Use(node.path, f"it could not be read to tell whether it uses {tree.display(changed)}")


def plan(targets: list[Target], tree: Tree, fmt: Format | None) -> Plan:
    """Replace the scanned files that kustomizations reach by the builds of their top
    kustomizations. The top kustomizations that reach a scanned file are among the
    targets (as its users, see `users`)."""
    if fmt is None or not any(target.format.name in _MANIFEST_FORMATS for target in targets):
        return Plan(targets)
    nodes = _graph_of(fmt, tree)
    users: dict[str, set[str]] = {}
    for key, node in nodes.items():
        for used in node.uses:
            users.setdefault(used, set()).add(key)
    tops = sorted((key for key, node in nodes.items() if not node.component and not users.get(key)), key=lambda key: nodes[key].display)
    covered = set().union(*(_reach(top, nodes) for top in tops))
    for key in sorted(nodes, key=lambda key: nodes[key].display):
        if key not in covered and any(key in _reach(used, nodes) for used in nodes[key].uses):  # in a cycle: its build tells (IG005)
            tops.append(key)
            covered |= _reach(key, nodes)
    top_set = set(tops)
    reached_by: dict[str, list[str]] = {}  # a kustomization or file -> the tops whose builds reach it
    for top in tops:
        for reached in _reach(top, nodes):
            reached_by.setdefault(reached, []).append(top)
    groups = _groups(tops, reached_by)
    used_as = {real: f"{use} of {node.display}" for node in nodes.values() for real, use in node.files.items()}
    objects = {real for node in nodes.values() for real, use in node.files.items() if use == "resource"}

    planned: list[Target] = []
    emitted: set[str] = set()
    accounted: dict[str, str] = {}
    for target in targets:
        real = _real_path(target, tree, fmt)
        if target.refused or real is None or (real not in reached_by and real not in nodes and (real not in used_as or real in objects)):
            planned.append(target)  # on its own: no build checks it (a resource of a component nothing uses is still an object)
            continue
        if real in top_set:
            lead = groups[real]
            if lead not in emitted:
                emitted.add(lead)
                members = tuple(nodes[top].display for top in tops if groups[top] == lead)
                planned.append(Target(nodes[lead].display, fmt, nodes[lead].path, members=members))
                for member in members[1:]:
                    accounted[member] = f"a top kustomization, built in one target with {nodes[lead].display}"
            continue
        builders = reached_by.get(real, [])
        overlays = ", ".join(os.path.dirname(nodes[top].display) or "." for top in builders)
        if builders and real in used_as:
            accounted[target.display] = f"{used_as[real]}, built by {overlays}"
        elif builders:
            accounted[target.display] = f"built by {overlays}"
        elif real in nodes:
            accounted[target.display] = "a Kustomize component that no kustomization uses; components are not built alone"
        else:
            accounted[target.display] = f"{used_as[real]}, which no kustomization builds: a fragment, not checked on its own"
    return Plan(planned, accounted)


def _real_path(target: Target, tree: Tree, fmt: Format) -> str | None:
    """The real path of a Kubernetes or Kustomize target that a kustomization may
    name (`_known_real_path`), None for another. An editor's buffer (standard input
    with a file name) is the file it stands in for: the builds read the buffer in its
    place (`ScanContext.buffers`)."""
    if target.format.name not in _MANIFEST_FORMATS or target.display == "<stdin>":
        return None
    return _known_real_path(target.path if target.path is not None else tree.discovery.cwd / target.display, fmt, tree)


def _known_real_path(path: Path, fmt: Format, tree: Tree) -> str | None:
    """The real path of `path`, or None when no kustomization of the graph names a
    file or folder of its name. A real path ends in the file's own name unless the
    file is a link, so most files given are told apart without resolving their
    folders (the corpus's 1,500 manifests: 30 ms)."""
    names = tree.index("kustomize-names", lambda: {os.path.basename(real) for real in (*_graph_of(fmt, tree), *_users_of(fmt, tree))})
    if path.name not in names and path.name not in ("", ".", "..") and not os.path.islink(path):
        return None
    return tree.settings.real_path(path)


def _graph_of(fmt: Format, tree: Tree) -> dict[str, _Node]:
    """Every kustomization of the scan root, by real path, read once per scan."""
    return tree.index("kustomize-graph", lambda: _graph(tree.files(fmt), tree, fmt))


def _users_of(fmt: Format, tree: Tree) -> dict[str, list[_Node]]:
    """The kustomizations that use each file or kustomization, by real path, in the
    graph's order: a hook gives thousands of files, each looked up once."""

    def build() -> dict[str, list[_Node]]:
        found: dict[str, list[_Node]] = {}
        for node in _graph_of(fmt, tree).values():
            for used in dict.fromkeys((*node.files, *node.uses)):  # each user once per file
                found.setdefault(used, []).append(node)
        return found

    return tree.index("kustomize-users", build)


def _graph(paths: list[Path], tree: Tree, fmt: Format) -> dict[str, _Node]:
    """Every kustomization of `paths`, by real path. One that cannot be read or
    parsed uses nothing here; its build reports why."""
    from iacguard.parsers.kustomize import Kustomization, kustomization_file  # here: a scan without kustomizations never needs it

    nodes: dict[str, _Node] = {}
    for path in paths:
        real = os.path.realpath(path)
        if real in nodes:
            continue
        node = nodes[real] = _Node(Path(path), tree.display(Path(path)))
        text = tree.read(path, walked=True)
        try:
            parsed = fmt.parse(text, str(path)) if text is not None else None
        except (ParseError, RecursionError):
            parsed = None
        if parsed is None:
            node.unread = True
            continue
        kustomization = Kustomization.from_parsed(parsed)
        node.component = kustomization.is_component
        for reference in kustomization.references():
            if reference.use in ("resource", "component") and os.path.isdir(reference.path):
                used = kustomization_file(reference.path)
                if used is not None:
                    node.uses.append(os.path.realpath(used))
            else:
                node.files.setdefault(os.path.realpath(reference.path), reference.use)
    return nodes


def _reach(top: str, nodes: dict[str, _Node]) -> set[str]:
    """The kustomizations and files a top kustomization's build reaches."""
    reached: set[str] = set()
    pending = [top]
    while pending:
        key = pending.pop()
        if key in reached:
            continue  # used twice, or a cycle: the build reports the cycle
        reached.add(key)
        node = nodes.get(key)
        if node is not None:
            reached.update(node.files)
            pending.extend(node.uses)
    return reached


def _groups(tops: list[str], reached_by: dict[str, list[str]]) -> dict[str, str]:
    """Each top kustomization's group, named by its first member: tops that reach a
    common kustomization or file are built as one target."""
    lead = {top: top for top in tops}

    def find(top: str) -> str:
        while lead[top] != top:
            lead[top] = lead[lead[top]]
            top = lead[top]
        return top

    for builders in reached_by.values():
        for other in builders[1:]:
            first, second = find(builders[0]), find(other)
            if first != second:
                # the member listed first leads, so the target is the same whatever the order found
                earlier, later = sorted((first, second), key=tops.index)
                lead[later] = earlier
    return {top: find(top) for top in tops}
