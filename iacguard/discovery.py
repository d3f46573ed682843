"""Which files to scan, and in which format.

Directories are walked in sorted order. A walk skips version-control and tool
folders, anything matched by `.gitignore` files inside the scan root, and the
config's `exclude` patterns (which also apply to files named on the command line,
so a pre-commit hook honours them). A file git ignores can still be committed, so
`--isolated` turns the `.gitignore` files off and verbose mode names each one that
hid a file. The repository writes these patterns, so they are matched by
`iacguard.patterns`, in linear time. Symbolic links are followed only when they
resolve inside the scan root, and each real directory is entered once, so links
cannot lead outside the root or into a loop; folders reached through a link are
entered after all others, so a folder is scanned under its own name and the link
is the alias passed over.

A file's format comes from its name; a name that is ambiguous (`Dockerfile.*`,
`*.yaml`, `*.json`) is told by content: the head of the file when that settles it,
else the whole text (within `max_file_size`: a file told so is read again when it is
scanned, and one no format takes is read once for nothing), so that licence
comments or a long first section hide no file. A file of such a name whose
content cannot be read, or that is too large to be told, is reported unread (IG001)
as a file claimed by its name is: a manifest never passes for want of a look at it.
A folder that cannot be listed is reported the same way (a folder the
configuration excludes is never listed, and one that vanished during the walk is
only noted). A Helm chart is one target, its `Chart.yaml`: the files it
owns (`iacguard.helm.charts`) are not scanned on their own, nor when named (as
pre-commit does with a changed template): the chart that owns it is checked instead
(`iacguard.dependents`).
"""

from __future__ import annotations

import copy
import errno
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from pathlib import Path

from iacguard import inputs
from iacguard.cache import MAX_STAMPS, digest
from iacguard.formats import Claim, Format
from iacguard.helm.charts import CHART_FILE, ChartIndex
from iacguard.inputs import DEFAULT_MAX_FILE_SIZE, Refused, read_text
from iacguard.patterns import MAX_PATTERNS_IN_FORCE, Pattern, compile_all, decide, parse_lines
from iacguard.structs import struct

SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", "node_modules", ".terraform", ".iacguard_cache", "__pycache__", ".venv", ".tox"})
SNIFF_BYTES = 8192  # the head of a file, which tells the format of most files
# Errors of listing a folder that are no failure to read it: it is gone (removed, or
# replaced by a file, during the walk).
VANISHED = frozenset({errno.ENOENT, errno.ENOTDIR})
UNRECOGNISED = "not a recognised infrastructure-as-code file"
MAX_GITIGNORE_SIZE = 1024 * 1024


@struct(frozen=True)
class Target:
    """A file to scan. `path` is None for standard input, whose text is in `text`.
    `refused` says why a file that a format claims, or may claim, by its name is not
    read (a FIFO, a device, a link out of the scan root, content that could not be
    read to tell its format): it is reported, and never passes.
    `members` are the files scanned together as this one target: the top Kustomize
    overlays that share a base, so that what they share is reported once.
    `latin1_line`, for a `text` given (standard input) that was not UTF-8 and was
    read as Latin-1, is its first line that was not: warned about as a file's is."""

    display: str
    format: Format
    path: Path | None = None
    text: str | None = None
    refused: str | None = None
    members: tuple[str, ...] = ()
    latin1_line: int | None = None


@struct(frozen=True)
class Skipped:
    """A path that was passed over, and why (shown in verbose mode). `failed` when
    it was passed over because it could not be read (a folder that cannot be
    listed, an entry that cannot be inspected): a read error (IG001) that fails the
    run, as an unread file does."""

    display: str
    reason: str
    failed: bool = False


class Discovery:
    def __init__(self, formats: list[Format], cwd: Path, root: Path, exclude: tuple[str, ...] = (), gitignore: bool = True,
                 scan_root: Path | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE):
        self.formats = formats
        self.cwd = cwd
        self._cwd_prefix = os.path.join(cwd, "")
        self.root = root  # what `exclude` patterns are relative to
        self.scan_root = scan_root  # what links may lead into (default: each walked folder)
        self.exclude = compile_all(exclude, "exclude")
        self._exclude_text = tuple(exclude)
        self.gitignore = gitignore
        self.max_file_size = max_file_size  # the most of a file read to tell its format
        self._gitignores: dict[Path, list[_GitIgnore]] = {}
        self._formats_of: dict[Path, tuple[Format | None, str | None]] = {}
        self._identities: dict[Path, tuple] = {}
        self._claims: dict[str, tuple[Format | None, tuple[Format, ...]]] = {}
        self._kept_in: tuple | None = None  # the cache and store where formats told by content are kept
        self.charts = ChartIndex(scan_root) if self._claims_of(CHART_FILE)[0] else None

    def targets(self, arguments: list[str], statuses: dict[str, tuple[bool, tuple[int, int]] | None] | None = None) -> Iterator[Target | Skipped]:
        """The targets of the files and folders named, and what was passed over.
        `statuses`, when the caller has looked at each argument already: whether it is
        a folder and which file it is (as `inputs.identity` finds it), None for one
        that has no status."""
        for argument in arguments:
            absolute = self.cwd / argument  # an absolute argument stays itself: one parse, where a Path first took two
            if statuses is None:
                is_dir = absolute.is_dir()
            else:
                status = statuses[argument]
                is_dir = status is not None and status[0]
                if status is not None:
                    self._identities.setdefault(absolute, status[1])
            if excluded := self.excluded(absolute, is_dir):
                yield excluded
            elif is_dir:
                yield from self._walk(absolute)
            else:
                yield self.chart_file(absolute) or self.target(absolute)

    def candidates(self, top: Path, looked_at: list | None = None) -> Iterator[Path]:
        """The files a walk of `top` would consider (excludes, `.gitignore` files and
        links applied), each named so that some format could claim it, none read: one
        walk that several formats then sort out (`only(...).format_of`).

        `looked_at`, when given, receives the path and status of every folder listed
        and `.gitignore` file read in one, taken before it was read: what the list of
        candidates follows from, so that it holds while each keeps its status
        (`iacguard.dependents.Tree`). A link met, or a folder or entry that could
        not be inspected, adds None: the list then follows from more than that."""
        if not self._excluded(top, True):
            yield from (item for item in self._walk(top, claim=False, looked_at=looked_at) if isinstance(item, Path))

    def walk_identity(self) -> str:
        """What decides a walk besides the tree walked: the formats claiming files by
        name (and their code: `_code_of`), the excludes and the folders they are
        relative to (the config's, and the working folder for a path outside it),
        the folder links may lead into, and whether `.gitignore` files apply."""
        return repr((_code_of(self.formats), self._exclude_text, str(self.root), str(self.cwd), str(self.scan_root), self.gitignore))

    def only(self, formats: list[Format]) -> Discovery:
        """The same walk (excludes, `.gitignore` files, links), claiming files for
        `formats` only: finding every kustomization of a tree reads no file's content."""
        restricted = copy.copy(self)
        restricted.formats = formats
        restricted._formats_of = {}
        restricted._claims = {}
        restricted._kept_in = None
        if self._kept_in is not None:  # told among these formats alone: a store of their own
            restricted.keep_formats_in(self._kept_in[0])
        return restricted

    def keep_formats_in(self, cache) -> None:
        """Keep the formats that files' content tells in `cache` (a `Cache`), by file
        and its stamp, as file digests are kept (`Cache.by_stamp`): a later run tells
        an unchanged file's format without reading it. The store is that of the code
        and settings that tell formats: iacguard's, each format's module (a plugin's
        too), and `max_file_size`, up to which a file is read to be told. A warm scan
        of the files Checkov reads tells its 1,516 YAML and JSON files in 15 ms (the
        store read included), not 60."""
        from iacguard.runner import code_identity  # here: only a scan with a cache keeps formats

        self._kept_in = cache, "formats " + digest(code_identity(), repr(_code_of(self.formats)), str(self.max_file_size))

    def display(self, path: Path) -> str:
        """The path as users see it: relative to the working directory when inside it."""
        text = str(path)
        if os.sep == "/" and text.startswith(self._cwd_prefix):  # `relative_to` parses `cwd` again at every call
            return text[len(self._cwd_prefix):]
        try:
            return path.relative_to(self.cwd).as_posix()
        except ValueError:
            return path.as_posix()

    def format_for(self, name: str, text: str) -> Format | None:
        """The format of `text`, a buffer standing in for a file named `name`: by
        the name, and by the text where the name is ambiguous."""
        return self._told(name, lambda size: (text, True))

    def sniffed(self, text: str) -> Format | None:
        """The format whose sniff takes `text` (a buffer no name tells), in the order
        the formats are asked (`sniff_order`)."""
        return _first_taking(sniff_order(self.formats), text)

    def format_of(self, path: Path) -> Format | None:
        """The format of a file on disk: by name, and by its content when the name
        is ambiguous; None when that content could not tell it (the file is a
        refused target, as a link out of the root is, whose users no search reads).
        Known once per file: the target and each format's search for the users of a
        changed file all ask, and sniffing reads the file."""
        fmt, untold = self._told_of(path)
        return None if untold else fmt

    def claimant(self, name: str) -> Format | None:
        """The format a file of this name is reported in when it is not read: the
        one that claims the name, else the first that may."""
        sure, maybe = self._claims_of(name)
        return sure or next(iter(maybe), None)

    def _told_of(self, path: Path) -> tuple[Format | None, str | None]:
        """`format_of`, and why the file's content could not tell it (None when it
        could, or the name did): then the format is the `claimant`'s."""
        if path not in self._formats_of:
            status = self._status_to_keep(path)
            told = self._kept_format(path, status) if status is not None else None
            if told is None:
                try:
                    told = self._told(path.name, lambda size: _content(path, size, self.max_file_size)), None
                except Refused as refused:
                    told = self.claimant(path.name), f"cannot tell its format by its content: {refused.reason}"
                else:
                    if status is not None:
                        cache, store = self._kept_in
                        cache.keep_by_stamp(store, str(path), status, told[0].name if told[0] else "")
            self._formats_of[path] = told
        return self._formats_of[path]

    def _status_to_keep(self, path: Path) -> os.stat_result | None:
        """The status of a file whose content tells its format, taken before it is
        read, when formats are kept (`keep_formats_in`); else None."""
        if self._kept_in is None:
            return None
        sure, maybe = self._claims_of(path.name)
        if sure or not maybe:
            return None
        try:
            return os.stat(path)
        except (OSError, ValueError):
            return None

    def _kept_format(self, path: Path, status: os.stat_result) -> tuple[Format | None, None] | None:
        """The format kept for the file while it has `status` (None for none), or
        None when none was kept."""
        cache, store = self._kept_in
        name = cache.by_stamp(store, str(path), status)
        if name is None:
            return None
        if not name:
            return None, None
        fmt = next((fmt for fmt in self.formats if fmt.name == name), None)
        return (fmt, None) if fmt is not None else None

    def _told(self, name: str, read: Callable[[int | None], tuple[str, bool]]) -> Format | None:
        """The format of a file by its name, and by its content where the name is
        ambiguous: `read(size)` gives the text, at least its first `size` bytes (all
        of it for None), and whether that is all of it; it may raise `Refused`.

        The head settles it when it is the whole file, or when the first format
        asked takes it (no other can take it before that one, whatever follows).
        Otherwise the whole text is asked: a head of licence comments tells
        nothing, and a Kubernetes `apiVersion` in the head of a JSON file may be an
        ARM resource's, whose template's `$schema` comes later."""
        sure, maybe = self._claims_of(name)
        if sure or not maybe:
            return sure
        head, whole = read(SNIFF_BYTES)
        told = _first_taking(maybe, head)
        if whole or told is maybe[0]:
            return told
        try:
            text, _ = read(None)
        except Refused:
            if told is None:
                raise
            return told  # too large for the scan to read either: refused in the format its head shows
        return _first_taking(maybe, text)

    def identity(self, path: Path) -> tuple:
        """`inputs.identity`, looked up once per file a scan: the files given are told
        apart by it, and the search for their users asks again."""
        if path not in self._identities:
            self._identities[path] = inputs.identity(path)
        return self._identities[path]

    def target(self, path: Path) -> Target | Skipped:
        """The file as a target, in the format its name (or content) says; refused
        when its content was to tell and could not."""
        fmt, untold = self._told_of(path)
        if fmt is None:
            return Skipped(self.display(path), UNRECOGNISED)
        return Target(self.display(path), fmt, path, refused=untold)

    def passes_over(self, path: Path) -> str | None:
        """Why a walk of the scan root would pass over the file at `path` (an
        exclude, a folder never walked, a `.gitignore` file), or None. For a file
        found another way than walking: the users of a changed file."""
        top = Path(os.path.abspath(self.scan_root or self.root))
        try:
            parts = path.relative_to(top).parts
        except ValueError:
            return None  # outside the root: the confinement to it decides
        if any(part in SKIPPED_DIRECTORIES for part in parts[:-1]):
            return "in a folder iacguard never walks"
        if self._excluded(path, False):
            return "excluded by configuration"
        ignores: list[_GitIgnore] = []
        folder = top
        for depth, part in enumerate(parts):
            if folder not in self._gitignores:
                in_force = sum(len(ignore.patterns) for ignore in ignores)
                self._gitignores[folder] = self._read_gitignore(folder, Path(os.path.realpath(top)), in_force)[0]
            ignores += self._gitignores[folder]
            folder = folder / part
            ignored_by = _ignored_by(ignores, folder, depth < len(parts) - 1)
            if ignored_by is not None:
                return f"matched by {ignored_by}"
        return None

    def _excluded(self, path: Path, is_dir: bool, folders_checked: bool = False) -> bool:
        """True when the path or a folder above it is excluded (a walk has checked
        the folders already); patterns are relative to the config's folder, or else
        to the working directory."""
        if not self.exclude:
            return False
        for base in (self.root, self.cwd):
            try:
                components = path.relative_to(base).parts
            except ValueError:
                continue
            return any(
                _ignores(self.exclude, components[:depth], depth < len(components) or is_dir)
                for depth in range(len(components) if folders_checked else 1, len(components) + 1)
            )
        return False

    def excluded(self, path: Path, is_dir: bool = False) -> Skipped | None:
        """The path given (a file or folder named, or a buffer standing in for a file),
        passed over because the configuration excludes it; None when it does not."""
        return Skipped(self.display(path), "excluded by configuration") if self._excluded(path, is_dir) else None

    def chart_file(self, path: Path) -> Skipped | None:
        """A file of a Helm chart other than its Chart.yaml, passed over: the chart
        that owns it is checked instead. None for any other file."""
        chart = self.charts and self.charts.owner(path)
        if not chart or path == chart / CHART_FILE:
            return None
        return Skipped(self.display(path), f"a file of the Helm chart {self.display(chart / CHART_FILE)}, checked by rendering the chart")

    def could_scan(self, name: str) -> bool:
        """True when some format may claim a file of this name (by name, or once its
        content is looked at)."""
        sure, maybe = self._claims_of(name)
        return sure is not None or bool(maybe)

    def _claims_of(self, name: str) -> tuple[Format | None, tuple[Format, ...]]:
        """The format that claims a file name, else those that may (in the order
        they are asked), asked once per name: a repository repeats its names
        (`main.tf`, `deployment.yaml`) in folder after folder."""
        if name not in self._claims:
            claims = [(fmt, fmt.claim(name)) for fmt in self.formats]
            sure = next((fmt for fmt, claim in claims if claim is Claim.YES), None)
            self._claims[name] = sure, tuple(sniff_order([fmt for fmt, claim in claims if claim is Claim.MAYBE]))
        return self._claims[name]

    def _read_gitignore(self, folder: Path, real_top: Path, in_force: int, listed: bool | None = None) -> tuple[list[_GitIgnore], list[Skipped]]:
        """The folder's .gitignore, if any, and a note for each part of it not applied;
        `in_force` patterns apply already. `listed` says whether the folder's listing
        holds one, when the caller has the listing (None: looked up)."""
        if not self.gitignore or not (os.path.lexists(os.path.join(folder, ".gitignore")) if listed is None else listed):
            return [], []
        path = folder / ".gitignore"
        try:
            text = read_text(path, MAX_GITIGNORE_SIZE, real_top).text
        except Refused as refused:
            return [], [Skipped(self.display(path), f"not applied: {refused.reason}")]
        patterns, problems = parse_lines(text.splitlines())
        notes = [Skipped(f"{self.display(path)}:{line}", f"pattern not applied: {reason}") for line, reason in problems]
        if in_force + len(patterns) > MAX_PATTERNS_IN_FORCE:
            return [], [*notes, Skipped(self.display(path), f"not applied: more than {MAX_PATTERNS_IN_FORCE:,} patterns would be in force")]
        return [_GitIgnore(folder, self.display(path), patterns)], notes

    def _passed_over(self, path: Path, name: str, ignores: list, prefixes: list) -> bool:
        """True when the walk never reads the entry, file or folder alike: a folder
        it skips by name, or one the config excludes or a .gitignore ignores. An entry
        it cannot inspect (a link to what the user may not read) fails the run only
        when it would have been read."""
        return name in SKIPPED_DIRECTORIES or any(
            _ignored_in(ignores, prefixes, name, is_dir) is not None or self._excluded(path, is_dir, folders_checked=True)
            for is_dir in (False, True)
        )

    def _walk(self, top: Path, claim: bool = True, looked_at: list | None = None) -> Iterator[Target | Skipped | Path]:
        """Targets and what was passed over; without `claim`, the paths of the files
        that would be claimed or sniffed instead of their targets (`candidates`,
        which says what `looked_at` receives)."""
        real_top = Path(os.path.realpath(self.scan_root or top))
        visited: set[str] = set()
        # Each folder with its real path, known from its parent's unless it is a link
        # (resolving every folder's path again costs a system call per component).
        stack: list[tuple[Path, list, str]] = [(top, [], os.path.realpath(top))]
        # Folders reached through a link wait until every folder reached by its own
        # name is walked: a folder is then scanned under its real name, and the link
        # is the alias passed over (the first name to reach it won before, so a link
        # sorted first hid the real folder's name, and a chart's linked folder hid it).
        linked: list[tuple[Path, list, str]] = []
        while stack or linked:
            if not stack:
                stack, linked = linked[::-1], []
            folder, ignores, real = stack.pop()
            if real in visited:  # a symbolic link back into the tree: scanned once only
                yield Skipped(self.display(folder), "symbolic link leads to a folder scanned already (a loop or an alias)")
                continue
            visited.add(real)
            if looked_at is not None:
                _look_at(folder, looked_at)
            try:
                entries = sorted(os.scandir(folder), key=_name)
            except OSError as error:
                entries, unreadable = None, error
            # Whether there is a .gitignore is in the listing: looking it up took a fifth of a walk.
            listed = None if entries is None else ".gitignore" in map(_name, entries)
            if looked_at is not None and entries is None:
                looked_at.append(None)
            elif looked_at is not None and listed and self.gitignore:
                _look_at(folder / ".gitignore", looked_at)
            # So is whether the folder is a chart's: the files of a folder in no chart are not looked up one by one.
            in_chart = entries is not None and self.charts is not None and self.charts.listed(os.path.abspath(folder), _holds_chart(entries))
            gitignore, notes = self._read_gitignore(folder, real_top, sum(len(ignore.patterns) for ignore in ignores), listed)
            ignores = ignores + gitignore
            # Where the folder lies below each .gitignore's, worked out once for all its entries.
            prefixes = [folder.relative_to(ignore.folder).parts for ignore in ignores]
            yield from notes
            if entries is None:
                yield _unread(self.display(folder), "cannot read directory", unreadable)
                continue
            subfolders = []
            for entry in entries:
                try:
                    if not entry.is_symlink() and entry.is_file() and not self.could_scan(entry.name):
                        continue  # nothing to scan or to report: no need to match ignore patterns
                except OSError:
                    pass  # inspected again below, and reported
                path = folder / entry.name  # joined, not parsed whole again: half the time
                real_entry = os.path.join(real, entry.name)
                try:
                    refused = None
                    if entry.is_symlink():
                        if looked_at is not None:
                            looked_at.append(None)  # where it leads is no status of a folder listed
                        target = Path(os.path.realpath(path))
                        real_entry = str(target)
                        if not target.exists():
                            refused = "symbolic link is broken or loops on itself"
                        elif not target.is_relative_to(real_top):
                            refused = "symbolic link leads outside the scan root"
                    is_dir = refused is None and entry.is_dir()
                    is_file = refused is None and not is_dir and entry.is_file()
                    if refused is None and not (is_dir or is_file):
                        refused = "not a regular file"
                except OSError as error:
                    if looked_at is not None:
                        looked_at.append(None)
                    if not self._passed_over(path, entry.name, ignores, prefixes):
                        yield _unread(self.display(path), "cannot inspect", error)
                    continue
                if refused is not None and not claim:
                    continue
                if refused is not None:  # a file a format may claim by its name fails the run; anything else is passed over
                    fmt = self.claimant(entry.name)
                    yield Target(self.display(path), fmt, path, refused=refused) if fmt else Skipped(self.display(path), refused)
                    continue
                if is_dir and entry.name in SKIPPED_DIRECTORIES:
                    continue
                ignored_by = _ignored_in(ignores, prefixes, entry.name, is_dir)
                if ignored_by is not None:
                    if is_dir or self.could_scan(entry.name):
                        yield Skipped(self.display(path), f"matched by {ignored_by} (--isolated scans it)")
                    continue
                if self._excluded(path, is_dir, folders_checked=True):
                    continue
                if is_dir:
                    (linked if entry.is_symlink() else subfolders).append((path, ignores, real_entry))
                elif is_file and in_chart and self.chart_file(path):
                    continue
                elif is_file and not claim:
                    yield path
                elif is_file:
                    target_or_skip = self.target(path)
                    if isinstance(target_or_skip, Target):
                        yield target_or_skip
            stack.extend(reversed(subfolders))


def _code_of(formats: list[Format]) -> list[tuple[str, str | None, int]]:
    """Each format's name, and the file and modification time of the module that
    defines its class: a plugin upgraded or edited there may claim or tell files
    otherwise. (A change in another module a plugin's format calls goes unseen, as
    it does for the results of a plugin's rules, `Policy.fingerprint`.)"""
    found = []
    for fmt in formats:
        source = getattr(sys.modules.get(type(fmt).__module__), "__file__", None)
        try:
            found.append((fmt.name, source, os.stat(source).st_mtime_ns if source else 0))
        except OSError:
            found.append((fmt.name, source, 0))
    return found


def _look_at(path: Path, looked_at: list) -> None:
    """Add the path and its status to `looked_at` (see `Discovery.candidates`), or
    None when it has none. Past `MAX_STAMPS` statuses, more than a walk is kept for
    (`Cache.keep_while_unchanged`), one None and no more: a tree of a million
    folders holds no million statuses."""
    if len(looked_at) >= MAX_STAMPS:
        if looked_at[-1] is not None:
            looked_at.append(None)
        return
    try:
        looked_at.append((str(path), os.stat(path)))
    except (OSError, ValueError):
        looked_at.append(None)


def _first_taking(formats: Iterable[Format], text: str) -> Format | None:
    """The first of `formats` whose sniff takes `text`."""
    return next((fmt for fmt in formats if fmt.sniff(text)), None)


def sniff_order(formats: list[Format]) -> list[Format]:
    """Formats in the order their sniffs are asked: those whose sniff recognises a
    top-level key of their own (`sniff_first`: an ARM template's `$schema`, a
    Terraform plan's `format_version`, a Compose file's `services`) before the rest,
    which may look for keys other files carry too (Kubernetes' `apiVersion` and
    `kind`, which ARM resources, a plan's manifests and a Compose config's content
    have)."""
    return sorted(formats, key=lambda fmt: not getattr(fmt, "sniff_first", False))


def _unread(display: str, what: str, error: OSError) -> Skipped:
    """A path of a walk that could not be read: a failure, unless it is gone."""
    return Skipped(display, f"{what}: {error.strerror or error}", failed=error.errno not in VANISHED)


def _holds_chart(entries: list[os.DirEntry]) -> bool:
    """Whether a folder's listing holds a `Chart.yaml` file, as `os.path.isfile` would
    say (a link to a file counts, a folder of that name does not)."""
    if CHART_FILE not in map(_name, entries):
        return False
    try:
        return next(entry for entry in entries if entry.name == CHART_FILE).is_file()
    except OSError:
        return False


@struct(frozen=True)
class _GitIgnore:
    folder: Path
    display: str
    patterns: list[Pattern]


def _ignores(patterns: list[Pattern], components: tuple[str, ...], is_dir: bool) -> bool:
    pattern = decide(patterns, components, is_dir)
    return pattern is not None and not pattern.negated


def _ignored_by(gitignores: list[_GitIgnore], path: Path, is_dir: bool) -> str | None:
    """Where the path is ignored (`FILE:LINE`), or None. The deepest .gitignore with
    a matching pattern decides, as in git."""
    return _ignored_in(gitignores, [path.parent.relative_to(gitignore.folder).parts for gitignore in gitignores], path.name, is_dir)


def _ignored_in(gitignores: list[_GitIgnore], prefixes: list[tuple[str, ...]], name: str, is_dir: bool) -> str | None:
    """`_ignored_by` for the entry `name` of a folder that lies at `prefixes` (its
    parts below each of `gitignores`' folders)."""
    decision = None
    for gitignore, prefix in zip(gitignores, prefixes):
        pattern = decide(gitignore.patterns, (*prefix, name), is_dir)
        if pattern is not None:
            decision = None if pattern.negated else f"{gitignore.display}:{pattern.line}"
    return decision


_name = attrgetter("name")


def _content(path: Path, size: int | None, max_size: int) -> tuple[str, bool]:
    """The text of the file at `path` as a sniff reads it (undecodable bytes
    replaced), and whether that is all of it: its first `size` bytes or so, or for
    None all of it, refused (`Refused`) over `max_size`."""
    data = inputs.read_bytes(path, max_size) if size is None else inputs.read_head(path, size + 1)
    text = data.decode(inputs.wide_codec(data) or "utf-8", errors="replace").removeprefix("\ufeff")
    return text, size is None or len(data) <= size
