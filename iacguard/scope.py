"""What a scan of some files checks: the files given, the files that use them, and
the builds through which files that are not scanned alone are checked.

One home for the command line (`iacguard scan` of files, folders, or standard input
standing in for a file) and for a file checked in this process (`iacguard.checker`:
the language server, `iacguard fix`), so that an editor's buffer is judged as
`iacguard scan --stdin-filename` judges it: a Kustomize base or patch through the
overlays built from it, a chart's template or values file through its chart. Checked
alone, a patch is a fragment of an object, and every setting its base holds is
missing from it.
"""

from __future__ import annotations

import os
from pathlib import Path

from iacguard.diagnostics import READ_ERROR, Diagnostic
from iacguard.discovery import UNRECOGNISED, Skipped, Target
from iacguard.errors import ConfigError
from iacguard.structs import field, replace, struct


@struct
class Scope:
    """The targets a scan checks, and what it tells of them."""

    files: list[Target]  # the files checked: those found, then (`also`) the files that use them
    targets: list[Target]  # what is scanned: `files`, with Kustomize builds in place of the files they reach
    skipped: list[Skipped] = field(default_factory=list)
    also: list[tuple[Target, str]] = field(default_factory=list)  # the files added as users of a file given, and how
    accounted: dict[str, str] = field(default_factory=dict)  # a file checked only as part of a build -> how
    diagnostics: list[Diagnostic] = field(default_factory=list)  # a folder not read, the dependents search stopped
    unrendered: bool = False  # there are charts, and no Helm renderer is installed


def scope_of(tree, registry, targets: list[Target], skipped: list[Skipped], named: list[str] | None,
             every_use: bool = True, confine: Path | None = None) -> Scope:
    """The scope of a scan of `targets` (the files found under the paths given), with
    the files that use the files `named` (None: no search, as when the whole root is
    walked) or, without `every_use` (`--no-dependents`), only the builds and charts
    through which they are checked at all; each target outside `confine`, when
    given, refused. A path `skipped` because it could not be read (a folder) is a
    read error (IG001). Sets the scan's Helm renderer in `tree.settings`."""
    from iacguard.kustomize_plan import plan

    also, diagnostics = [], [Diagnostic(item.display, None, None, READ_ERROR, item.reason) for item in skipped if item.failed]
    if named is not None:
        dependents = _dependents(tree, named, targets, every_use)
        also = dependents.targets
        diagnostics += dependents.diagnostics
        targets = [*targets, *(target for target, _ in also)]  # each once: the search adds no file twice
        skipped = [_read_by_others(item, dependents.used) for item in skipped] + dependents.skipped
    if confine is not None:
        targets = [_confined(target, confine) for target in targets]
    unrendered = False
    if any(target.format.name == "helm" for target in targets):  # chosen here, before any worker is forked
        from iacguard.helm.render import find_renderer

        if tree.settings.helm_renderer is None:  # once for a checker's every check
            tree.settings.helm_renderer = find_renderer()
        unrendered = tree.settings.helm_renderer is None
    builds = plan(targets, tree, registry.formats.get("kustomize"))
    return Scope(targets, builds.targets, skipped, also, builds.accounted, diagnostics, unrendered)


def buffer_target(discovery, name: str | None, text: str | None, unreadable: str | None = None, latin1_line: int | None = None) -> Target | Skipped:
    """A buffer (standard input, an editor's text) as a target, in the format its
    file name (or else its content) says. With a name, it stands in for that file
    (`ScanContext.buffers`): a file the configuration excludes is passed over as
    the file named would be, a file of a Helm chart too (the chart is checked,
    rendered with the buffer), and so is one no format claims, which the files that
    use it may read (a chart's values): its content is not asked what it is (a
    `CHANGELOG.md` line that starts with `FROM` makes no Dockerfile). Without a
    name, the content says. A buffer that is `unreadable` (over `max_file_size`,
    binary: `text` is None) is refused in the format its name may have, as the file
    would be (IG001). `latin1_line`: the buffer was not UTF-8 from that line on (see
    `Target`)."""
    base = Path(name).name if name else ""
    if unreadable is not None:
        fmt = discovery.claimant(base) if base else None
    else:
        fmt = discovery.format_for(base, text) if base else discovery.sniffed(text)
    if not name:
        if fmt is None:
            why = f"{unreadable}; its format cannot be told" if unreadable else "cannot tell the format of standard input"
            raise ConfigError(f"{why}: pass --stdin-filename")
        return Target("<stdin>", fmt, None, text, refused=unreadable, latin1_line=latin1_line)
    path = discovery.cwd / name
    display = discovery.display(path)
    passed_over = discovery.excluded(path) or discovery.chart_file(path)
    return passed_over or (Target(display, fmt, None, text, refused=unreadable, latin1_line=latin1_line) if fmt is not None else Skipped(display, UNRECOGNISED))


def _dependents(tree, files: list[str], targets: list[Target], every_use: bool):
    """The files that use the files given (`iacguard.dependents`): each file named,
    whether iacguard scans it or not (a var file, a chart's template); and the
    overlays and charts that the files found in a folder given are part of."""
    from iacguard.dependents import find

    # Strings first, and the targets' own paths where they are the same: a list of
    # files given makes a path object of each once, not three times (a pathlib parse each).
    made = {str(target.path): target.path for target in targets if target.path is not None}

    def absolute(path: str | Path) -> Path:
        text = os.path.abspath(os.path.join(tree.discovery.cwd, path))
        return made.get(text) or Path(text)

    # A target's path is absolute already, and normal unless a name given held `..`.
    walked = [target.path if ".." not in target.path.parts else absolute(target.path) for target in targets if target.path is not None]
    return find([absolute(path) for path in files], walked, tree, every_use)


def _read_by_others(item: Skipped, used: set[str]) -> Skipped:
    """A file given that no format scans (a var or parameter file), said to be
    checked through the files that use it, if any do."""
    if item.display not in used or item.reason != UNRECOGNISED:
        return item
    return replace(item, reason="not scanned on its own: the files that use it are checked")


def _confined(target: Target, root: Path) -> Target:
    """The target, refused when its file lies outside the scan root."""
    from iacguard.inputs import inside

    if target.path is None or target.refused or inside(target.path, root):
        return target
    return replace(target, refused="outside the scan root")
