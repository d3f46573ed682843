"""What a format plugin provides: claiming files, parsing them, normalising them.

A `Format` decides whether a file is its own (by name; by content only for names that
are ambiguous) and parses text into a `ParsedFile` with exact positions and the
file's comments. A `Normalizer` turns a `ParsedFile` into canonical resources.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from iacguard import inputs
from iacguard.budgets import MAX_MODULE_DEPTH, MAX_MODULE_INSTANCES
from iacguard.errors import BudgetExceeded
from iacguard.inputs import DEFAULT_MAX_FILE_SIZE
from iacguard.model import Resource
from iacguard.structs import field, struct


class Claim(enum.Enum):
    NO = 0
    MAYBE = 1  # the name fits but so might other things: ask `sniff`
    YES = 2


@struct(frozen=True, slots=True)
class Comment:
    """A comment in a scanned file. `own_line` is false for a trailing comment."""

    line: int
    column: int
    text: str
    own_line: bool = True


_BLANKS = {str: re.compile(r"\s*"), bytes: re.compile(rb"\s*")}


def alone_on_line(text: str | bytes, line_start: int, start: int) -> bool:
    """True when only blanks precede `start` on its line, which begins at `line_start`:
    a comment there has the line to itself. Reads just those blanks, so a line holding
    thousands of comments costs no more than its length."""
    return _BLANKS[type(text)].match(text, line_start, start).end() == start


@struct(slots=True)
class ParsedFile:
    """A parsed file: its native document, comments, and statement spans.

    `spans` maps the first line of a multi-line statement (a Dockerfile instruction,
    a YAML key with its value, a list item) to its last line, so a suppression
    comment placed above a statement covers all of it.
    """

    path: str
    format: str
    text: str
    native: Any
    comments: list[Comment] = field(default_factory=list)
    spans: dict[int, int] = field(default_factory=dict)
    diagnostics: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # (line, column, message, level, code)
    written_in: dict[tuple, tuple[str, int, int]] = field(default_factory=dict)  # a diagnostic about another file (message, level, code) -> its place there
    member_diagnostics: dict[str, list[tuple[int, int, str, str, str]]] = field(default_factory=dict)  # another member of the target -> its diagnostics

    def covers(self, start: int, line: int) -> bool:
        """True when `line` belongs to the statement that starts on `start`."""
        return start <= line <= self.spans.get(start, start)

    def diagnose(self, code: str, level: str, message: str, path: str, line: int, column: int, member: str | None = None,
                 leads_at: tuple[int, int] | None = None) -> None:
        """A diagnostic at `line` and `column` of `path`: this file, or a module file
        it reads, which the message then names. It then stands where this file leads
        to the other, when the caller knows (`leads_at`: the module call or import
        of this file whose evaluation met it), else on line 1, and remembers its place
        in the other (`Diagnostic.written_in`); it is told once, at the first place.

        `member` is the file of the target whose analysis tells it, when the target
        is several files (`ScanContext.members`: top Kustomize overlays built
        together): the diagnostic is that file's, placed on it the same way
        (`member_diagnostics`). A problem written in a file they share is told once,
        on the first member that tells it, as a finding there is."""
        owner = member or self.path
        if path == owner:
            entry = (line, column, message, level, code)
        else:
            told = (f"{message} (in {path})", level, code)
            if told in self.written_in:  # told already, on this file or another member
                return
            self.written_in[told] = (path, line, column)
            entry = (*(leads_at or (1, 1)), *told)
        (self.diagnostics if owner == self.path else self.member_diagnostics.setdefault(owner, [])).append(entry)


class Format(Protocol):
    """A format plugin. `sniff` is asked about a file whose name it claims MAYBE
    (first about its head, then about the whole text when the head does not settle
    it: see `iacguard.discovery`), and the first format in turn that takes the text
    has it. A format may set `sniff_first = True` when its sniff recognises a
    signature only its own files carry (an ARM template's top-level `$schema`, a
    Terraform plan's `format_version`): it is then asked before those whose sniff
    looks for keys that other files carry too."""

    name: str
    label: str
    kinds: tuple[str, ...]  # canonical kinds its normalizers produce (for meta-tests)

    def claim(self, filename: str) -> Claim: ...

    def sniff(self, text: str) -> bool: ...

    def parse(self, text: str, path: str) -> ParsedFile: ...


REAL_FOLDERS_KEPT = 4096  # resolved folders a scan remembers; past that it starts again
REAL_FILES_KEPT = 4096  # resolved files a scan remembers (`ScanContext.real_path`); past that it starts again
# Characters of dependency files' text a scan remembers; past that it starts again.
# Files are scanned folder by folder: on the corpus's Bicep files, 1 million saved as
# many reads as 32 million, whose texts raised the peak memory from 45 to 52 MB (46
# with 2 million).
DEPENDENCY_TEXT_KEPT = 2_000_000


@struct
class ScanContext:
    """Scan-wide inputs some normalizers need, and a cache they may share across
    files of one scan (parsed files only: no evaluated state crosses files).

    `root` is the scan root: a local file that a scanned file pulls in (a sibling,
    module, variable or parameter file) is read only inside it, through
    `read_dependency`, which also records what the current file depended on and what
    was refused (each refusal makes the current file incomplete: IG005).

    `buffers` is text an editor has not saved, by the path of the file it stands in
    for (`iacguard scan --stdin-filename PATH -`, a language server's open
    documents). Wherever the scan reads such a file (a target's own text, a
    Kustomize build's base or patch, a chart's template or values, the lines and
    comments of a file a finding points into), it gets the buffer instead, so the
    findings reflect the unsaved edit; `read_bytes` is the one place that decides.
    Paths are compared with their links resolved. A buffer stands in for a file the
    scan would read: one for a path that no file on disk has yet is read where a
    name leads to it, but a folder walk (a chart's files) does not find it.

    `parts` collects the files the current target reads that are checked only
    through it (a Kustomize build's bases and patches, a chart's templates): the
    runner judges their suppressions with the target's own."""

    terraform_var_files: tuple[Path, ...] = ()
    arm_parameter_files: tuple[Path, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    root: Path | None = None
    named: frozenset[str] = frozenset()  # absolute paths of the files named on the command line
    inline_suppressions: bool = True  # false: what a scanned file writes (comments, annotations, metadata) suppresses nothing
    report_unused_suppressions: bool = False  # report suppressions that covered no finding (IG007)
    helm_renderer: Any = None  # the `iacguard.helm.render.Renderer` chosen for the scan, or None
    helm_value_sets: dict[Path, tuple[tuple[Path, ...], ...]] = field(default_factory=dict)  # chart folder -> value sets
    cache: dict = field(default_factory=dict)
    dependencies: set[str] = field(default_factory=set)  # other files the current file's result depends on
    refused: dict[str, str] = field(default_factory=dict)  # dependency path -> why it was refused
    refused_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # dependency path -> the line and column of the current file that names it
    refused_where: dict[str, tuple[int, int]] = field(default_factory=dict)  # dependency path -> where in it the problem is (it does not parse there)
    refused_on: dict[str, str] = field(default_factory=dict)  # dependency path -> the member of the target (`members`) whose analysis refused it first
    module_instances: int = 0  # modules expanded for the current file
    members: tuple[str, ...] = ()  # the files scanned together as the current target (`Target.members`)
    buffers: dict[str, str] = field(default_factory=dict)  # unsaved text standing in for a file, by its path
    parts: set[str] = field(default_factory=set)  # files checked only through the current target
    real_folders: dict[str, str] = field(default_factory=dict)  # folders `real_path` resolved, at most REAL_FOLDERS_KEPT
    real_files: dict[str, str] = field(default_factory=dict)  # files `real_path` resolved, by absolute path as written, at most REAL_FILES_KEPT
    dependency_texts: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # path -> (text, or why refused)
    dependency_text_size: int = 0  # characters in `dependency_texts`, at most DEPENDENCY_TEXT_KEPT

    def __post_init__(self) -> None:
        self.stand_in(self.buffers)

    def stand_in(self, buffers: dict) -> None:
        """Let `buffers` stand in for their files from now on, and forget what was
        read: a text read before may be the file's, or an earlier buffer's."""
        self.buffers = {os.path.realpath(path): text for path, text in buffers.items()}
        self.forget_reads()

    def forget_reads(self) -> None:
        """Forget the files read and the links resolved: a language server checks
        again after files changed on disk."""
        self.cache.clear()
        self.real_folders.clear()
        self.real_files.clear()
        self.dependency_texts.clear()
        self.dependency_text_size = 0

    def start_file(self, members: tuple[str, ...] = ()) -> None:
        """Forget the previous file's dependencies, refusals, parts and module count."""
        self.dependencies = set()
        self.refused = {}
        self.refused_at = {}
        self.refused_where = {}
        self.refused_on = {}
        self.parts = set()
        self.module_instances = 0
        self.members = members

    def real_path(self, path: str | os.PathLike) -> str:
        """`os.path.realpath(path)`, each folder's links resolved once a scan: resolving
        looks at every component of a path (a `stat` each), and a scan asks again and
        again about the files of few folders: a module's or import's file from every
        file that calls it, the thousands of files a hook gives (60,000 `lstat` calls
        became 6,000).

        A file's own name is resolved once a scan too (`real_files`, by the absolute
        name as written, so a relative name asked from another folder is another
        name): a scan of the corpus's Bicep files asked 12,658 times about 2,343
        files, each time a `lstat` to see whether the name is a link. In one process
        `real_path` took 0.11 s of the scan's 3.1 s of CPU time, now 0.065 s."""
        path = os.fspath(path)
        absolute = path if os.path.isabs(path) else os.path.join(os.getcwd(), path)  # not normalised: a link may come before `..`
        real = self.real_files.get(absolute)
        if real is not None:
            return real
        folder, name = os.path.split(absolute)
        if name in ("", ".", ".."):  # a folder itself
            return self._real_folder(os.path.join(folder, name) if name else folder)
        real = _resolved(self._real_folder(folder), name)
        if len(self.real_files) >= REAL_FILES_KEPT:
            self.real_files.clear()
        self.real_files[absolute] = real
        return real

    def _real_folder(self, folder: str) -> str:
        """The real path of `folder` (absolute, as written), from that of the nearest
        folder above it already resolved, one component at a time as the system
        resolves it (`..` included), every folder on the way remembered. The folders
        a scan asks about lie below few others: on the corpus's Bicep files, 1,260
        folders were each resolved whole, a `stat` for each of their ten or so
        components, and `real_path` took 0.112 s; now 0.083 s."""
        known = self.real_folders
        if folder in known:
            return known[folder]
        names: list[str] = []
        while folder not in known:
            parent, name = os.path.split(folder)
            if parent == folder or not name:  # the top
                break
            names.append(name)
            folder = parent
        real = known.get(folder) or os.path.realpath(folder)
        found = [(folder, real)]
        for name in reversed(names):
            folder = os.path.join(folder, name)
            if name == "..":
                real = os.path.dirname(real)
            elif name != ".":
                real = _resolved(real, name)
            found.append((folder, real))
        if len(known) + len(found) > REAL_FOLDERS_KEPT:
            known.clear()
        known.update(found)
        return real

    def buffer(self, path: str | Path) -> str | None:
        """The unsaved text standing in for the file at `path`, or None."""
        return self.buffers.get(self.real_path(path)) if self.buffers else None

    def read_bytes(self, path: str | Path, root: Path | None = None) -> bytes:
        """A file's content as this scan sees it: its buffer when an editor has one,
        else the file, through the input door either way (inside `root` when given,
        within `max_file_size`). Raises `inputs.Refused`. A module's file is read again
        by every file that calls it: its links are resolved through `real_path`."""
        real = self.real_path(path) if root is not None else None
        return inputs.read_bytes(path, self.max_file_size, root, stand_in=self.buffer(path), real=real)

    def read_text(self, path: str | Path, root: Path | None = None) -> inputs.Text:
        """`read_bytes`, decoded."""
        return inputs.decode(self.read_bytes(path, root))

    def enter_module(self, depth: int, path: str, line: int) -> None:
        """Count one more module instance for the current file. Calls multiply with
        depth (N calls a level, D levels: N**D instances), so both are bounded."""
        self.module_instances += 1
        if depth > MAX_MODULE_DEPTH:
            raise BudgetExceeded(f"module calls nest more than {MAX_MODULE_DEPTH} deep", path, line)
        if self.module_instances > MAX_MODULE_INSTANCES:
            raise BudgetExceeded(f"more than {MAX_MODULE_INSTANCES} module instances (calls multiplied through nested modules)", path, line)

    def read_dependency(self, path: str | Path, part: bool = False, at: tuple[int, int] | None = None, member: str | None = None) -> str | None:
        """The text of a local file the current file depends on, or None when it is
        refused (outside the scan root, not a regular file, too large, binary, not
        readable); the refusal is kept for the current file's IG005, located `at` the
        line and column of the current file that names the file, when given. A file
        `named` on the command line (`--var-file`, `--param-file`) is read wherever
        it is; the config's var and parameter files, written by the repository, are
        not. With `part`, the file is checked only through the current target
        (`parts`). `member` is the file of the target that reads it when the target
        is several (`members`): the refusal is that file's, and `at` a place in it.

        What reading a file gave (its text, or why it was refused) is remembered for
        the rest of the scan: a module's file is read by every file that calls it,
        6,082 reads of 1,367 files on the corpus's Bicep files, which took 4% of their
        scan (1.5% now)."""
        key = str(path)
        read = self.dependency_texts.get(key)
        if read is None:
            read = self._read_text(path)
            size = len(read[0] or "") + 1
            if self.dependency_text_size + size > DEPENDENCY_TEXT_KEPT:
                self.dependency_texts.clear()
                self.dependency_text_size = 0
            self.dependency_texts[key] = read
            self.dependency_text_size += size
        text, refusal = read
        self._depends_on(key, part)
        if refusal is not None:
            self._refused(key, refusal, at, member)
        return text

    def read_dependency_bytes(self, path: str | Path, part: bool = False) -> bytes | None:
        """`read_dependency` for a file that need not be text (a chart's archived
        subchart, an image a template embeds), read each time it is asked for."""
        self._depends_on(str(path), part)
        try:
            return self.read_bytes(path, self._dependency_root(path))
        except inputs.Refused as refused:
            self.refused.setdefault(str(path), refused.reason)
            return None

    def _read_text(self, path: str | Path) -> tuple[str | None, str | None]:
        """A dependency's text, or None and why it was refused."""
        try:
            return inputs.decode(self.read_bytes(path, self._dependency_root(path))).text, None
        except inputs.Refused as refused:
            return None, refused.reason

    def _dependency_root(self, path: str | Path) -> Path | None:
        return None if os.path.abspath(path) in self.named else self.root

    def _depends_on(self, key: str, part: bool) -> None:
        self.dependencies.add(key)
        if part:
            self.parts.add(key)

    def refuse(self, path: str | Path, reason: str, at: tuple[int, int] | None = None, where: tuple[int, int] | None = None,
               member: str | None = None) -> None:
        """A dependency that was read but is unusable (it does not parse), named
        `at` a line and column of the current file (of `member`, as in
        `read_dependency`), when given; `where` is the line and column in the
        dependency that makes it unusable, when its reader knows
        (`Diagnostic.written_in`)."""
        self._depends_on(str(path), part=False)
        self._refused(str(path), reason, at, member)
        if where is not None:
            self.refused_where.setdefault(str(path), where)

    def _refused(self, key: str, reason: str, at: tuple[int, int] | None, member: str | None) -> None:
        """The first reason a dependency was refused, the member that refused it
        first, and where that member first names it (when a reader says)."""
        self.refused.setdefault(key, reason)
        if self.refused_on.setdefault(key, member) == member and at is not None:
            self.refused_at.setdefault(key, at)


def _resolved(real_folder: str, name: str) -> str:
    """`name` in the folder whose real path is `real_folder`, resolved when it is a link."""
    joined = os.path.join(real_folder, name)
    return os.path.realpath(joined) if os.path.islink(joined) else joined


@struct(frozen=True)
class Normalizer:
    """Turns one format's parsed files into resources."""

    format: str
    normalize: Callable[[ParsedFile, ScanContext], Iterable[Resource]]
