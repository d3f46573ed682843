"""The one door every scanned byte comes through.

A scanned repository is hostile input. A file that iacguard reads (a scanned file, a
Terraform sibling or module file, a variable or parameter file, a Bicep module) is
opened here and nowhere else, so every one gets the same checks:

- inside the *scan root* when it is a dependency (a file named on the command line is
  read wherever it is, but what it pulls in is not): links are resolved first, so a
  link cannot lead out;
- a regular file: a FIFO, device or socket is refused without blocking (the open is
  non-blocking and the type is checked on the open descriptor, so the file cannot be
  swapped between the check and the read);
- at most `max_file_size` bytes, counted while reading, because a device reports a
  size of 0 and a file can grow after `stat`;
- text: binary content is refused; text that is not UTF-8 is read as Latin-1.

The scan root is the top of the git work tree holding the scanned path, found by
looking for `.git` (git itself is never run), or the path itself outside a work tree.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from iacguard.structs import struct

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
_BINARY_PROBE = 8192
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """A file that iacguard will not read, and why (shown to the user)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@struct(frozen=True)
class Text:
    """A file's decoded text; `latin1_line` is the first line that was not UTF-8."""

    text: str
    latin1_line: int | None = None


def find_scan_root(path: Path) -> Path:
    """The top of the git work tree that holds `path`, or `path` itself (its folder,
    for a file) outside a work tree."""
    path = Path(os.path.abspath(path))
    return Path(scan_roots([path if path.is_dir() else path.parent]).pop())


def scan_roots(folders: Iterable[str | os.PathLike]) -> set[str]:
    """`find_scan_root` of many folders at once, each folder on the way up looked at
    once: a hook or a list of files names many folders of one tree. Strings, not
    paths: outside a work tree each folder is a root of its own, and the corpus's
    files for Checkov name 3,466 (sorting them as paths took 20 ms)."""
    above: dict[str, str | None] = {}  # folder -> the work tree holding it, None outside any
    roots = set()
    for start in folders:
        start = os.path.abspath(start)
        climbed, folder = [], start
        while folder not in above:
            climbed.append(folder)
            parent = os.path.dirname(folder)
            if os.path.lexists(os.path.join(folder, ".git")):
                found = folder
                break
            if parent == folder:
                found = None
                break
            folder = parent
        else:
            found = above[folder]
        above.update(dict.fromkeys(climbed, found))
        roots.add(found or start)
    return roots


def inside(path: str | os.PathLike, root: Path, real: str | None = None) -> bool:
    """True when `path`, with every link resolved (`real`, when the caller knows it),
    lies inside `root`."""
    real, top = real or os.path.realpath(path), _real_root(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def from_real_folder(folder: str, reference: str, real_path=os.path.realpath) -> str:
    """The path that `reference`, written in a file of `folder`, names for kustomize
    and Terraform. Both resolve the folder's links before joining the reference as
    text (kustomize's root and Terraform's module folders are real paths, and a root
    module is read from the folder Terraform runs in), so a leading `..` climbs from
    the real folder: from `a-link`, a link to `overlays/prod`, `../base` is
    `overlays/base`, where joining the text gives `base`. The path is the one written
    when both name the same folder (no link on the way, the common case: what users
    see stays as written), else the real one, relative to the working folder when
    `folder` is relative. `real_path` resolves a path's links (a scan's own
    `ScanContext.real_path` remembers the folders it resolved)."""
    written = os.path.normpath(os.path.join(folder, reference))
    parts = os.path.normpath(reference).split(os.sep)
    climbs = next((index for index, part in enumerate(parts) if part != os.pardir), len(parts))
    if not climbs or os.path.isabs(reference):  # below the folder: the link's name leads where its target does
        return written
    above = os.path.join(folder, *parts[:climbs])
    real = real_path(above)  # `..` after a link, as the system resolves it
    if real == real_path(os.path.normpath(above)):
        return written
    resolved = os.path.join(real, *parts[climbs:])
    try:
        return resolved if os.path.isabs(folder) else os.path.relpath(resolved)
    except ValueError:  # on another drive than the working folder (Windows)
        return resolved


def identity(path: str | os.PathLike) -> tuple:
    """What makes two names one file: its device and inode (one `stat`, where
    resolving every link of the path would take one per folder)."""
    try:
        status = os.stat(path)
        return status.st_dev, status.st_ino
    except OSError:  # broken, looping or vanished: only its own name names it
        return (os.path.abspath(path),)


@functools.lru_cache(maxsize=8)
def _real_root(root: Path) -> str:
    """The scan root with its links resolved: one per scan, asked for every dependency."""
    return os.path.realpath(root)


def read_bytes(path: str | os.PathLike, max_size: int, root: Path | None = None, limit: str = "max_file_size",
               stand_in: str | None = None, real: str | None = None) -> bytes:
    """The content of a regular file of at most `max_size` bytes; with `root`, only
    when the file lies inside it (`real` is its resolved path, when the caller knows
    it). Raises `Refused` otherwise, or when the system says no. `limit` names the
    setting behind `max_size` in the message. `stand_in` is text an editor has not
    saved yet, read in place of the file under the same root and size rules (see
    `ScanContext.buffers`)."""
    if root is not None and not inside(path, root, real):
        raise Refused("outside the scan root")
    if stand_in is not None:
        data = stand_in.encode("utf-8", "replace")
        if len(data) > max_size:
            raise Refused(_too_large(len(data), max_size, limit))
        return data
    return _read(path, max_size, limit)


def read_head(path: str | os.PathLike, size: int) -> bytes:
    """The first `size` bytes of a regular file, to tell its format by content."""
    return _read(path, size, None)


def _read(path: str | os.PathLike, size: int, limit: str | None) -> bytes:
    """At most `size` bytes; with a `limit` name, a larger file is refused, else cut."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise Refused(f"cannot read file: {error.strerror or error}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Refused("not a regular file")
        if limit and status.st_size > size:
            raise Refused(_too_large(status.st_size, size, limit))
        chunks, total = [], 0
        while chunk := os.read(descriptor, min(1 << 20, size + bool(limit) - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > size:  # a file that grew after fstat
                raise Refused(_too_large(total, size, limit, growing=True))
        return b"".join(chunks)
    except OSError as error:
        raise Refused(f"cannot read file: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def decode(data: bytes) -> Text:
    """UTF-8 text (a BOM dropped), UTF-16 or UTF-32 text that starts with its BOM (as
    Windows tools write it), or Latin-1 with the first bad line; binary content (a
    NUL byte near the start, in what no BOM names as wide text) is refused."""
    codec = wide_codec(data)
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise Refused(f"not valid {codec.upper()} text") from None
        if "\x00" in text[:_BINARY_PROBE]:
            raise Refused("binary content, not a text file")
        return Text(text)
    if b"\x00" in data[:_BINARY_PROBE]:
        raise Refused("binary content, not a text file")
    try:
        return Text(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        return Text(data.decode("latin-1"), data[: error.start].count(b"\n") + 1)


_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_codec(data: bytes) -> str | None:
    """The codec whose byte order mark `data` starts with, for UTF-16 and UTF-32 (the
    UTF-32 marks first: the little-endian one begins with UTF-16's)."""
    return next((codec for bom, codec in _WIDE_BOMS if data.startswith(bom)), None)


def read_text(path: str | os.PathLike, max_size: int, root: Path | None = None, limit: str = "max_file_size") -> Text:
    """`read_bytes` and `decode` in one call."""
    return decode(read_bytes(path, max_size, root, limit))


def _too_large(size: int, limit: int, name: str, growing: bool = False) -> str:
    amount = "larger" if growing else _amount(size, ".1f")
    return f"file is {amount}, over the {_amount(limit, 'g')} limit ({name})"


def over_limit(what: str, limit: int) -> str:
    """Why `what` (standard input), read no further than `limit` bytes, is refused."""
    return f"{what} is over the {_amount(limit, 'g')} limit (max_file_size)"


def _amount(size: int, style: str) -> str:
    """Bytes, or MiB from 64 KiB up."""
    return f"{size / 1048576:{style}} MiB" if size >= 65536 else f"{size:,} bytes"


def from_root(path: str, root: Path | None) -> str:
    """A shown path (relative to the working folder, or absolute) relative to the top
    of the git work tree that holds the scan root, with `/` (it is the same whatever is
    scanned from where, `--root` naming a folder of the repository included, and it is
    how GitHub names a file of the repository); as shown outside a work tree (there the
    root is the folder scanned, which `scan .` and `scan deploy/pod.yaml` do not
    share), and for a path that names no file (`<stdin>`)."""
    top = None if root is None or path.startswith("<") else work_tree_of(root)
    if top is None:
        return path
    return Path(os.path.relpath(os.path.abspath(path), top)).as_posix()


@functools.lru_cache(maxsize=8)
def work_tree_of(root: Path) -> Path | None:
    """The top of the git work tree that holds the folder `root` (itself or a folder
    above it), None outside one."""
    top = find_scan_root(root)
    return top if os.path.lexists(top / ".git") else None
