"""Which files to scan, and in which format.

Directories are walked in sorted order. A walk skips version-control and tool
folders, anything matched by `.gitignore` files inside the scan root, and the
config's `exclude` patterns (which also apply to files named on the command line,
so a pre-commit hook honours them). Symbolic links are followed only when they
resolve inside the scan root, and each real directory is entered once, so links
cannot lead outside the root or into a loop.

A file's format comes from its name; names that are ambiguous (`Dockerfile.*`) are
confirmed by content.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from iacguard.formats import Claim, Format

SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", "node_modules", ".terraform", ".iacguard_cache", "__pycache__", ".venv", ".tox"})
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Target:
    """A file to scan. `path` is None for standard input, whose text is in `text`."""

    display: str
    format: Format
    path: Path | None = None
    text: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A path that was passed over, and why (shown in verbose mode)."""

    display: str
    reason: str


class Discovery:
    def __init__(self, formats: list[Format], cwd: Path, root: Path, exclude: tuple[str, ...] = ()):
        self.formats = formats
        self.cwd = cwd
        self.root = root
        self.exclude = _spec(exclude) if exclude else None

    def targets(self, arguments: list[str]) -> Iterator[Target | Skipped]:
        for argument in arguments:
            path = Path(argument)
            absolute = path if path.is_absolute() else self.cwd / path
            if absolute.is_dir():
                yield from self._walk(absolute)
            elif self._excluded(absolute):
                yield Skipped(self.display(absolute), "excluded by configuration")
            else:
                yield self._classify(absolute)

    def display(self, path: Path) -> str:
        """The path as users see it: relative to the working directory when inside it."""
        try:
            return path.relative_to(self.cwd).as_posix()
        except ValueError:
            return path.as_posix()

    def format_for(self, name: str, read_head) -> Format | None:
        """The format of a file by name; `read_head()` supplies the content (or None)
        and is called only when a name is ambiguous."""
        claims = [(fmt, fmt.claim(name)) for fmt in self.formats]
        sure = [fmt for fmt, claim in claims if claim is Claim.YES]
        if sure:
            return sure[0]
        maybe = [fmt for fmt, claim in claims if claim is Claim.MAYBE]
        head = read_head() if maybe else None
        return next((fmt for fmt in maybe if head is not None and fmt.sniff(head)), None)

    def _classify(self, path: Path) -> Target | Skipped:
        fmt = self.format_for(path.name, lambda: _head(path))
        if fmt is None:
            return Skipped(self.display(path), "not a recognised infrastructure-as-code file")
        return Target(self.display(path), fmt, path)

    def _excluded(self, path: Path) -> bool:
        if self.exclude is None:
            return False
        for base in (self.root, self.cwd):
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            return self.exclude.match_file(relative) or (path.is_dir() and self.exclude.match_file(relative + "/"))
        return False

    def _walk(self, top: Path) -> Iterator[Target | Skipped]:
        real_top = Path(os.path.realpath(top))
        visited: set[str] = set()
        stack: list[tuple[Path, list]] = [(top, [])]
        while stack:
            folder, ignores = stack.pop()
            real = os.path.realpath(folder)
            if real in visited:  # a symbolic link back into the tree: scanned once only
                yield Skipped(self.display(folder), "symbolic link leads to a folder scanned already (a loop or an alias)")
                continue
            visited.add(real)
            ignores = ignores + _gitignore(folder)
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as error:
                yield Skipped(self.display(folder), f"cannot read directory: {error.strerror}")
                continue
            subfolders = []
            for entry in entries:
                path = Path(entry.path)
                try:
                    if entry.is_symlink():
                        target = Path(os.path.realpath(path))
                        if not target.exists():
                            yield Skipped(self.display(path), "symbolic link is broken or loops on itself")
                            continue
                        if not target.is_relative_to(real_top):
                            yield Skipped(self.display(path), "symbolic link leads outside the scan root")
                            continue
                    is_dir = entry.is_dir()
                    is_file = not is_dir and entry.is_file()
                except OSError as error:
                    yield Skipped(self.display(path), f"cannot inspect: {error.strerror or error}")
                    continue
                if is_dir and entry.name in SKIPPED_DIRECTORIES:
                    continue
                if _ignored(ignores, path, is_dir) or self._excluded(path):
                    continue
                if is_dir:
                    subfolders.append(path)
                elif is_file:
                    target_or_skip = self._classify(path)
                    if isinstance(target_or_skip, Target):
                        yield target_or_skip
            stack.extend((subfolder, ignores) for subfolder in reversed(subfolders))


def _spec(lines):
    """A gitignore matcher; pathspec is imported only when there are patterns."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _gitignore(folder: Path) -> list[tuple[Path, object]]:
    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [(folder, _spec(lines))]


def _ignored(ignores: list[tuple[Path, object]], path: Path, is_dir: bool) -> bool:
    """The deepest .gitignore with a matching pattern decides, as in git."""
    decision = False
    for base, spec in ignores:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        result = spec.check_file(relative)
        if result.include is not None:
            decision = result.include
    return decision


def _head(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
