"""Helm chart folders: which files a chart owns, and its copy for rendering.

A folder holding `Chart.yaml` is a chart. It *owns* what Helm reads as the chart's
definition: `Chart.yaml`, `Chart.lock`, `values.yaml`, `values.schema.json`,
`requirements.yaml`/`.lock` (apiVersion v1), `.helmignore`, and everything under
`templates/`, `charts/` (vendored subcharts) and `crds/`. Owned files are checked by
rendering the chart, never as loose files; a subchart's files belong to the
outermost chart that vendors it. Anything else in the folder (`ci/` value files,
`examples/` holding rendered output, documentation) is scanned like any other file,
since Helm does not render it.

For rendering, every file of the folder that `.helmignore` keeps is read through the
one input door (inside the scan root, regular files, size-limited; links to folders
are followed as Helm follows them, see `chart_files`) and written to a private
temporary folder; the renderer never sees the scanned tree. `.helmignore` is
read with the `.gitignore` rules of `iacguard.patterns`, which agree with Helm's on
what charts write (names, globs, folders with a trailing `/`, `!`); the renderer
applies Helm's own reading again to the copy, so a file copied needlessly is
harmless.
"""

from __future__ import annotations

import os
from pathlib import Path

from iacguard import inputs
from iacguard.budgets import MAX_CHART_BYTES, MAX_CHART_FILES
from iacguard.errors import BudgetExceeded
from iacguard.patterns import decide, parse_lines
from iacguard.structs import struct

CHART_FILE = "Chart.yaml"
HELMIGNORE = ".helmignore"
REQUIREMENTS_FILE = "requirements.yaml"  # an apiVersion v1 chart's dependencies
OWNED_NAMES = frozenset({CHART_FILE, "Chart.lock", "values.yaml", "values.schema.json", REQUIREMENTS_FILE, "requirements.lock", HELMIGNORE})
OWNED_FOLDERS = frozenset({"templates", "charts", "crds"})
MAX_HELMIGNORE_SIZE = 1024 * 1024


def owns(chart: Path, path: Path) -> bool:
    """True when `path`, inside the chart folder `chart`, is part of the chart's
    definition (see the module docstring)."""
    parts = path.relative_to(chart).parts
    return (len(parts) == 1 and parts[0] in OWNED_NAMES) or (len(parts) > 1 and parts[0] in OWNED_FOLDERS)


class ChartIndex:
    """Answers, for files met during discovery, which chart owns them. Folders are
    looked at once each; the search upward stops at `stop` (the scan root) when the
    file lies below it. Paths are handled as strings: discovery asks about every
    file it meets."""

    def __init__(self, stop: Path | None):
        self.stop = os.path.abspath(stop) if stop is not None else None
        self._charts_above: dict[str, tuple[str, ...]] = {}
        self._owners: dict[Path, Path | None] = {}

    def _charts(self, folder: str, holds_chart: bool | None = None) -> tuple[str, ...]:
        """The chart folders among `folder` and the folders above it (up to the stop),
        outermost first. Known once per folder, from its parent's: the files of a
        folder, most often in no chart at all, then cost one look-up each.
        `holds_chart`, from a walk that has `folder`'s listing, says whether a
        `Chart.yaml` file is in it, so that no `stat` looks for one there."""
        unknown = []
        while folder not in self._charts_above:
            unknown.append(folder)
            parent = os.path.dirname(folder)
            if folder == self.stop or parent == folder:
                break
            folder = parent
        for each in reversed(unknown):
            parent = os.path.dirname(each)
            above = () if each == self.stop or parent == each else self._charts_above[parent]
            holds = holds_chart if holds_chart is not None and each == unknown[0] else os.path.isfile(os.path.join(each, CHART_FILE))
            self._charts_above[each] = above + ((each,) if holds else ())
        return self._charts_above[unknown[0] if unknown else folder]

    def listed(self, folder: str, holds_chart: bool) -> bool:
        """Whether `folder` (absolute, normal) or a folder above it is a chart, told by
        a walk that has the folder's listing (`holds_chart`, see `_charts`): its files
        need no look-up of their own when the answer is no (most folders)."""
        return bool(self._charts(folder, holds_chart))

    def owner(self, path: Path) -> Path | None:
        """The outermost chart folder that owns `path`, or None. Known once per path:
        discovery asks for each file given, and the search for the users of the files
        given asks again (the 6,372 files Checkov reads, asked twice: 34 -> 26 ms)."""
        if path not in self._owners:
            text = os.path.abspath(path)
            self._owners[path] = next((Path(folder) for folder in self._charts(os.path.dirname(text)) if owns(Path(folder), Path(text))), None)
        return self._owners[path]


@struct(frozen=True)
class ChartFile:
    """One file of a chart: its path relative to the chart folder and its content."""

    relative: str
    content: bytes


def chart_files(chart: Path, read, note_folder, skipped: frozenset[str], refuse, root: Path | None) -> list[ChartFile]:
    """Every file of the chart that `.helmignore` keeps, in sorted order, less the
    `skipped` folders (those no walk enters). `read(path)` returns a file's bytes or
    None (refused: the caller records why); each folder walked is given to
    `note_folder`, so a file added later changes the chart.

    A link to a folder is followed, as Helm's loader follows it (its `sympath.Walk`),
    and read under the link's name, unless it leads outside `root` (the scan root,
    when given) or into a folder it lies in, which Helm follows, name after longer
    name, until loading fails: such a link is given to `refuse(path, reason)` and
    not entered. Folders count with files against `MAX_CHART_FILES`, since links can
    make a folder reachable under many names. Raises BudgetExceeded past
    `MAX_CHART_FILES` files and folders or `MAX_CHART_BYTES` bytes."""
    ignore = _helmignore(chart, read)
    found: list[ChartFile] = []
    total = entered = 0
    pending: list[tuple[Path, tuple[str, ...]]] = [(chart, (os.path.realpath(chart),))]  # each folder with the real folders it lies in
    while pending:
        folder, within = pending.pop()
        note_folder(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            parts = path.relative_to(chart).parts
            linked = entry.is_symlink() and entry.is_dir()
            is_dir = linked or entry.is_dir(follow_symlinks=False)
            if (is_dir and entry.name in skipped) or _ignored(ignore, parts, is_dir):
                continue
            if len(found) + entered == MAX_CHART_FILES:
                raise BudgetExceeded(f"the chart has more than {MAX_CHART_FILES:,} files and folders")
            if is_dir:
                real = os.path.realpath(path) if linked else os.path.join(within[-1], entry.name)
                if linked and root is not None and not inputs.inside(path, root, real):
                    refuse(path, "outside the scan root")
                elif linked and real in within:
                    refuse(path, "a symbolic link to a folder it lies in (a loop, which Helm follows until it fails)")
                else:
                    entered += 1
                    subfolders.append((path, (*within, real)))
                continue
            content = read(path)
            if content is None:
                continue
            total += len(content)
            if total > MAX_CHART_BYTES:
                raise BudgetExceeded(f"the chart's files are over {MAX_CHART_BYTES // 1048576} MiB together")
            found.append(ChartFile("/".join(parts), content))
        pending.extend(reversed(subfolders))
    return sorted(found, key=lambda item: item.relative)


def _helmignore(chart: Path, read) -> list:
    path = chart / HELMIGNORE
    if not os.path.lexists(path):
        return []
    content = read(path)
    try:
        text = inputs.decode(content[:MAX_HELMIGNORE_SIZE]).text if content is not None else ""
    except inputs.Refused:  # binary: Helm would match nothing either
        return []
    patterns, _ = parse_lines(text.splitlines())
    return patterns


def _ignored(patterns: list, parts: tuple[str, ...], is_dir: bool) -> bool:
    if not patterns or parts[0] == CHART_FILE:  # Helm never ignores Chart.yaml
        return False
    pattern = decide(patterns, parts, is_dir)
    return pattern is not None and not pattern.negated
