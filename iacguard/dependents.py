"""Which files depend on the files a scan is given, so that changing one re-checks
the others.

A pre-commit hook passes only the files a commit changes, and many of those are not
checked alone but read by other files: a Terraform var file, `variables.tf`, a file
of `locals` or a local module's file change the resources of the configurations that
read them; a parameter file changes its template; a Bicep module changes its callers;
a Kustomize patch or base changes the overlays built from it; a chart's template or
values change the chart. So for each file given, the formats say which files *use*
it, and those are checked too, each once, with their own users in turn (a module's
caller may itself be a module's file), within `MAX_DEPENDENTS`.

A format takes part by giving its `Format` object a method

    def users(self, changed: Path, tree: Tree, parts_only: bool = False) -> Iterable[Use]

that yields a `Use` for each file reading `changed` directly, and nothing for a file
that is not its business (it is asked about every file given, so it decides by the
name first). `Use(user, reason, part)`: `reason` completes "also checking USER: ..."
in verbose mode ("it calls modules/app as module app"); `part` is true when the
changed file is checked *only* through its user (a chart's template, a Kustomize
patch or base), so the use is followed even with `--no-dependents`, or the file would
go unchecked. With `parts_only` (the files found in a folder given, and every file
with `--no-dependents`), only those uses are asked for: a format that has none
returns at once, before it walks the root or reads a file. `tree` is the scan root as discovery sees it: `tree.files(format)` is
the files of the root a format claims, from one walk shared by every format (the same
excludes, `.gitignore` files and link rules as the scan; no walk at all when the scan
walks the whole root already), `tree.index(key, build)` keeps what a format derived from them (callers by
module folder) for the rest of the scan, `tree.read(path)` reads a file through the
input door, and `tree.settings` is the scan's `ScanContext` (the config's var,
parameter and Helm value files). Read only what decides a link (a `module` block's
`source`, a `using` line); a file that cannot be read to decide is yielded as a user
all the same, so that its own scan reports why (fail closed).

Docker Compose, for instance, registers an override file, `.env`, an `env_file` and an
`include`d or `extends` file as used by the compose file(s) that read them (found
beside it, or through a `tree.index` of the compose files' references), with
`part=True` for an override file, which is never scanned alone.

Every user added is a target like the files given: the scan's excludes and
`.gitignore` files apply to it (`Tree.passed_over`), and so does the confinement to the
scan root in hook mode; a user that cannot be read fails the run like any file.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from iacguard import inputs
from iacguard.budgets import MAX_DEPENDENTS
from iacguard.cache import Cache, digest
from iacguard.diagnostics import BUDGET_EXCEEDED, Diagnostic
from iacguard.discovery import Discovery, Skipped, Target
from iacguard.formats import ScanContext
from iacguard.structs import field, replace, struct


@struct(frozen=True)
class Use:
    """`user` reads the changed file; `reason` says how, `part` says the changed file
    is checked only through it (see the module docstring), and `shares` that the user
    takes the file in as a piece of its own (a kustomization's base, patch or
    resource; a module's caller; a Bicep file's importer), so that changing the file
    changes the user: what `iacguard fix` leaves alone unless asked."""

    user: Path
    reason: str
    part: bool = False
    shares: bool = False


class Tree:
    """The scan root as discovery sees it, walked at most once, and what the formats
    derived from its files. `walked` holds the scan's targets when the scan walks the
    whole root already: they are the tree, and nothing is walked. With `parts_only`
    (`--no-dependents`: only the uses through which a file is checked at all are
    asked for), a format asking walks for its own files alone: Kustomize is the
    only one, and its walk skips the corpus's other files by name (81 against 153 ms
    on the corpus root). With the scan's result `cache`, a walk is remembered (see
    `candidates`)."""

    def __init__(self, discovery: Discovery, root: Path, settings: ScanContext, walked: list[Target] | None = None,
                 parts_only: bool = False, cache: Cache | None = None):
        self.discovery = discovery
        self.root = root
        self.settings = settings
        self._walked = walked
        self._parts_only = parts_only
        self._cache = cache
        self._files: dict[str, list[Path]] = {}
        self._indexes: dict[str, Any] = {}
        self._candidates: list[Path] | None = None

    def files(self, fmt) -> list[Path]:
        """The files of the scan root that `fmt` claims (as it would if it were the only
        format), in discovery's order. The root is walked once for all the formats
        that ask: a Dockerfile given is looked for by Compose files and by Terraform
        templates, a Bicep file by its callers and by templates, and each walk of a
        large root matches every `.gitignore` pattern again."""
        if fmt.name not in self._files:
            if self._walked is not None:
                found = [target.path for target in self._walked if target.format is fmt and target.path is not None and not target.refused]
            else:
                claiming = self.discovery.only([fmt])
                if self._parts_only:  # few formats walk for parts (Kustomize): each passes over the others' files by name
                    candidates = self.candidates(claiming)
                else:
                    if self._candidates is None:
                        self._candidates = self.candidates(self.discovery)
                    candidates = self._candidates
                found = [path for path in candidates if claiming.could_scan(path.name) and claiming.format_of(path) is fmt]
            self._files[fmt.name] = found
        return self._files[fmt.name]

    def candidates(self, discovery: Discovery) -> list[Path]:
        """The files a walk of the root with `discovery` considers
        (`Discovery.candidates`). With a cache, the list is kept there and used again
        while every folder listed and `.gitignore` file read keeps its status
        (device, inode, size, modification and change times), as a file's digest is
        (`Cache.file_digest`): adding, removing or renaming an entry changes its
        folder's times. A walk that met a link or an entry it could not inspect is
        not kept: where a link leads is no status of a folder listed. The 42
        kustomizations of the corpus's 4,748 folders (a list of files given with
        `--no-dependents` still looks for the overlays they are part of): 72 ms
        walked, 21 ms told by the folders' status (the cache's entry read included)."""
        if self._cache is None or self.root != discovery.scan_root:  # a walk's charts are looked for up to the scan root
            return list(discovery.candidates(self.root))
        from iacguard.runner import code_identity  # here: a walk without a cache never needs it

        key = digest(code_identity(), discovery.walk_identity(), str(self.root))
        kept = self._cache.while_unchanged("walks", key)
        if type(kept) is list and all(type(path) is str for path in kept):
            return [Path(path) for path in kept]
        looked_at: list = []
        found = list(discovery.candidates(self.root, looked_at))
        if looked_at and None not in looked_at:  # an excluded root is listed by none
            self._cache.keep_while_unchanged("walks", key, [str(path) for path in found], looked_at)
        return found

    def forget_contents(self) -> None:
        """Forget what was built from the files' contents (`index`), keeping the walk:
        one file checked again and again (an editor's buffer, a fix being verified)
        reads the kustomizations again, which may have changed, without walking the
        root again (80 ms a check on the corpus's 7,800 files)."""
        self._indexes.clear()

    def index(self, key: str, build: Callable[[], Any]) -> Any:
        """What `build()` returns, built once per scan under `key`."""
        if key not in self._indexes:
            self._indexes[key] = build()
        return self._indexes[key]

    def read(self, path: Path, walked: bool = False) -> str | None:
        """A file's text as the scan reads it (`ScanContext.read_text`), or None when
        it is refused. A file of `files()` (`walked`) lies inside the root already:
        the walk refuses every link out of it, and `files()` leaves refused files
        out, so its links are not resolved again."""
        try:
            return self.settings.read_text(path, None if walked else self.root).text
        except inputs.Refused:
            return None

    def display(self, path: Path) -> str:
        return self.discovery.display(Path(os.path.abspath(path)))

    def passed_over(self, path: Path) -> str | None:
        """Why the scan would pass over `path` (an exclude, a `.gitignore` file), or None."""
        return self.discovery.passes_over(Path(os.path.abspath(path)))


@struct
class Dependents:
    """The files the scan checks besides those given, each with why (what `-v`
    prints), the users it passed over, and a diagnostic when the search stopped."""

    targets: list[tuple[Target, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # the files given that some file uses, as shown
    diagnostics: list[Diagnostic] = field(default_factory=list)


def linked(formats: Iterable) -> list:
    """The formats that say which files use a file."""
    return [fmt for fmt in formats if callable(getattr(fmt, "users", None))]


def find(named: list[Path], walked: list[Path], tree: Tree, every_use: bool = True) -> Dependents:
    """The users of the files `named` on the command line, and theirs in turn,
    breadth first; of the files `walked` in the folders given, and without
    `every_use` (`--no-dependents`), only the uses through which a file is checked
    at all (`Use.part`): a folder given is scanned as it stands, its overlays and
    charts built."""
    found = Dependents()
    formats = linked(tree.discovery.formats)
    seen: set = set()
    pending: deque[tuple[Path, bool]] = deque()
    # Each file once: a list of files given is both named and walked (named goes
    # first), and the same name is not looked at twice.
    named_set = set(named)
    for path, follow_all in (*((path, every_use) for path in named), *((path, False) for path in walked if path not in named_set)):
        same = tree.discovery.identity(path)
        if same not in seen:
            seen.add(same)
            pending.append((path, follow_all))
    while pending:
        path, follow_all = pending.popleft()
        for fmt in formats:
            for use in fmt.users(path, tree, parts_only=not follow_all):
                if not follow_all and not use.part:
                    continue
                found.used.add(tree.display(path))
                same = inputs.identity(use.user)
                if same in seen:
                    continue
                seen.add(same)
                why_not = tree.passed_over(use.user)
                if why_not is not None:
                    found.skipped.append(Skipped(tree.display(use.user), f"{why_not}, so it is not checked although {use.reason}"))
                    continue
                if len(found.targets) == MAX_DEPENDENTS:
                    message = f"more than {MAX_DEPENDENTS:,} files depend on the files given; the rest are not checked"
                    found.diagnostics.append(Diagnostic(tree.display(path), None, None, BUDGET_EXCEEDED, message))
                    return found
                target = tree.discovery.target(use.user)
                if isinstance(target, Skipped):
                    found.skipped.append(target)
                    continue
                if not inputs.inside(use.user, tree.root):  # a link out of the repository is not read
                    target = replace(target, refused="outside the scan root")
                found.targets.append((target, use.reason))
                pending.append((use.user, follow_all))
    return found


# In a relative path that `callers` is given, a part that is not known until the
# configuration is evaluated (`templates/${var.kind}.tftpl`): the path names every
# file of the caller's folder that starts with what comes before the first such part
# and ends with what comes after the last. No file name holds this character.
ANY = "\0"


def callers(tree: Tree, fmt, calls: Callable[[str], Iterable[tuple[str, str]]], verb: str = "calls", part: bool = False,
            shares: bool = False) -> Callable[[Path], list[Use]]:
    """Who calls a file or folder as a local module, as uses with `part` and `shares`
    (a file that could not be read shares nothing): `calls(text)` yields the name and
    the relative path of each call a file of `fmt` makes (or, with another `verb`,
    how it reads a file it names: "reads ... as an env_file"), with `ANY` for a part
    of the path that is not written out. The files of the scan root are read once
    for each verb, for the rest of the scan; one that cannot be read is a caller of
    everything, so that its scan reports why. A call is known by the real path of
    the caller's folder (`ScanContext.real_path`, which resolves each folder once a
    scan) joined with the relative path: a link inside the relative path is not
    followed. A path
    with `ANY` names only files inside the caller's folder."""

    def build() -> tuple[dict[str | None, list[tuple[Path, str, Path | None]]], list[tuple[str, str, tuple[Path, str, Path]]]]:
        index: dict[str | None, list[tuple[Path, str, Path | None]]] = {}
        patterns: list[tuple[str, str, tuple[Path, str, Path]]] = []  # (start, end, call) of the paths with `ANY`
        for path in tree.files(fmt):
            text = tree.read(path, walked=True)
            if text is None:
                index.setdefault(None, []).append((path, f"it could not be read to tell which files it {verb}", None))
                continue
            for name, relative in calls(text):
                folder = tree.settings.real_path(path.parent)
                if ANY in relative:
                    start, _, rest = relative.partition(ANY)
                    head, tail = os.path.split(start)
                    within = os.path.normpath(os.path.join(folder, head))
                    if within == folder or within.startswith(folder.rstrip(os.sep) + os.sep):
                        shown = path.parent / relative.replace(ANY, "*")
                        patterns.append((os.path.join(within, tail), rest.rpartition(ANY)[2], (path, name, shown)))
                    continue
                call = (path, f"as module {name}" if verb == "calls" else name, path.parent / relative)
                index.setdefault(os.path.normpath(os.path.join(folder, relative)), []).append(call)
        return index, patterns

    def reason(how: str, called: Path | None) -> str:  # worded only for the callers found
        return f"it {verb} {tree.display(Path(os.path.normpath(called)))} {how}" if called is not None else how

    def matching(real: str) -> list[tuple[Path, str, Path]]:
        return [call for start, end, call in patterns if real.startswith(start) and real.endswith(end) and len(real) >= len(start) + len(end)]

    index, patterns = tree.index(f"{fmt.name} {verb}", build)

    def found(called: Path) -> list[Use]:
        real = tree.settings.real_path(called)
        return [Use(caller, reason(how, path), part, shares and path is not None)
                for caller, how, path in (*index.get(real, ()), *matching(real), *index.get(None, ()))]

    return found
