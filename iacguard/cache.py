"""The on-disk cache (`.iacguard_cache/` by default; `--no-cache` turns it off).

Two kinds of entries, both rebuilt whenever their inputs change:

- Scan results per file, keyed by the file's path and content hash and by a
  fingerprint of everything else that decides the result (iacguard's version, the
  enabled rules with their severities and options, the Terraform var files). An entry
  also lists the other files its result depended on (a Terraform module's sibling and
  module files) with their hashes, and is used only while they are unchanged. So a
  warm re-run of an unchanged repository costs little more than hashing its files,
  and a stale result is never returned.
- The `iacguard` entry points of the installed plugins, keyed by the modification
  times of the `sys.path` directories, so that an unchanged environment is not
  scanned again at every start.

Entries are written to a temporary file and renamed into place, so concurrent runs
never see a partial entry; a corrupt or unreadable entry is treated as a miss. The
cache directory holds a `.gitignore` so it never ends up in a commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1


class Cache:
    def __init__(self, directory: Path):
        self.directory = directory
        self._folders: set[Path] = set()  # made already by this process

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / f"v{FORMAT_VERSION}" / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Any | None:
        try:
            return json.loads(self._path(kind, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Write an entry atomically. The temporary name holds the process id, so
        concurrent runs never share one; `mkstemp` would cost twice the time."""
        path = self._path(kind, key)
        temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        try:
            if path.parent not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                ignore = self.directory / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# created by iacguard\n*\n", encoding="utf-8")
                self._folders.add(path.parent)
            temporary.write_text(json.dumps(value), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def entry_points(self, group: str) -> list[tuple[str, str]]:
        """(name, value) of the entry points of a group, from the cache when the
        environment has not changed."""
        key = digest(json.dumps(_environment_stamp()), group)
        cached = self.get("entry-points", key)
        if isinstance(cached, list):
            return [tuple(item) for item in cached]
        found = scan_entry_points(group)
        self.put("entry-points", key, found)
        return found


def scan_entry_points(group: str) -> list[tuple[str, str]]:
    from importlib.metadata import entry_points

    seen: dict[str, str] = {}
    for entry in entry_points(group=group):
        seen.setdefault(entry.name, entry.value)
    return sorted(seen.items())


def _environment_stamp() -> list:
    stamp = []
    for entry in sys.path:
        try:
            stamp.append([entry, os.stat(entry or ".").st_mtime_ns])
        except OSError:
            stamp.append([entry, None])
    return stamp


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\x1f")
    return hasher.hexdigest()


def file_digest(path: str) -> str | None:
    """The content hash of a file; for a directory, of its list of names (so a file
    that appears later is noticed); None for a path that does not exist."""
    try:
        if os.path.isdir(path):
            return digest(*sorted(os.listdir(path)))
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
