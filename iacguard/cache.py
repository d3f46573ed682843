"""The result cache: per user, outside the scanned tree, and trusted only when signed.

Where. `$XDG_CACHE_HOME/iacguard/<hash of the scan root>` (`~/.cache` when
XDG_CACHE_HOME is unset or not absolute); `--cache-dir` names another folder and
`--no-cache` turns the cache off. A default cache that cannot be used is skipped
without a word (a cache only saves time); a `--cache-dir` that cannot be used is a
usage error.

What. Scan results per file, keyed by the file's path and content hash and by a
fingerprint of everything else that decides the result (iacguard's version, the enabled
rules with their severities and options, the Terraform var files). An entry also lists
the other files its result depended on (a Terraform module's sibling and module files)
with their hashes, and is used only while they are unchanged; a file that cannot be
hashed (a FIFO, a device, one over `max_file_size`) has no hash, so its entries are
never used. A warm re-run of an unchanged repository costs little more than hashing its
files, and a stale result is never returned.

Trust. A scanned repository controls every file in its tree, and in CI the checkout and
the scan run as one user, so neither the place nor the owner of an entry makes it
trustworthy. Each entry carries an HMAC-SHA256 of its kind, key and content, keyed by a
per-user secret (`$XDG_CACHE_HOME/iacguard/secret`, mode 0600, made on first use and
never inside the scanned tree). An entry that does not verify, or (checked by the
runner) does not have exactly the shape iacguard writes, is a miss. Nothing in the
cache decides what is imported: plugins are looked up afresh at every start.

Store. One file per entry, chosen by measurement. Writing the corpus's 7,143 results
(2.8 kB each) on ext4 cost 1.3-3.8 s of CPU as one file each (file creation varies with
the machine's load), 1.0-2.5 s as one file per folder of scanned files (half as many
files), and 0.3 s as rows of one SQLite database. But importing and opening SQLite
costs about 10 ms, a tenth of a check of one file: what an editor or a pre-commit hook
runs over and over, where the cache earns its keep. So entries stay files, and a
writer opens the folders above them once, not for every entry.

Writing. iacguard writes only inside a cache folder it created itself: made under a
temporary name with mode 0700, tagged with a `CACHEDIR.TAG` and a `.gitignore` of `*`,
then renamed into place. So the `.gitignore` covers the cache's own files and nothing
else (git and the scan pass them over). An existing folder is used only when it is such
a folder (the user's real directory, closed to others, tagged); an empty folder is
replaced; anything else is refused, so `--cache-dir .` or `--cache-dir src` can hide
nothing. Below it, every folder is opened without following links and must be the
user's real directory, and an entry is written to a new file (`O_CREAT|O_EXCL|
O_NOFOLLOW`, random name) that is then renamed into place: a planted link is never
written through, and concurrent runs never see a partial entry. Temporary files are
removed on every error; those a killed run left are removed when a later run writes
beside them and finds them older than `STALE_AFTER`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import signal
import shutil
import stat
import time
from pathlib import Path
from typing import Any

from iacguard import inputs
from iacguard.errors import ConfigError

FORMAT_VERSION = 2
MAX_ENTRY_SIZE = 64 * 1024 * 1024
STALE_AFTER = 10 * 60  # seconds: no entry takes that long to write
TAG_NAME = "CACHEDIR.TAG"
TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# The result cache of iacguard; it may be deleted at any time.\n"
SECRET_NAME = "secret"
SECRET_SIZE = 32
_TEMPORARY = ".tmp-"
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# Without these (Windows) no folder or file can be opened without following links,
# so there is no cache there: scans are correct, only slower.
SUPPORTED = hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC


def open_cache(root: Path, directory: Path | None = None) -> Cache | None:
    """The cache for a scan of `root`: in `directory` when given (a ConfigError when it
    cannot be used), else in the user's cache folder (None when that cannot be used,
    or on a system that cannot open files without following links)."""
    if not SUPPORTED:
        if directory is not None:
            raise ConfigError("--cache-dir: this system cannot open files without following links, so it has no cache")
        return None
    try:
        return Cache(directory or user_folder() / digest(str(root))[:16], root)  # a folder per scan root
    except ConfigError:
        if directory is not None:
            raise
        return None


def user_folder() -> Path:
    """`$XDG_CACHE_HOME/iacguard`; `~/.cache/iacguard` when the variable is unset or not
    absolute, as the XDG specification says."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    folder = Path(base if os.path.isabs(base) else os.path.expanduser("~/.cache")) / "iacguard"
    if not folder.is_absolute():
        raise ConfigError("no home folder to keep the cache key in: set XDG_CACHE_HOME or use --no-cache")
    return folder


class Cache:
    """Signed entries in a cache folder that iacguard made (see the module notes).
    Raises ConfigError when `directory` cannot be used as one."""

    def __init__(self, directory: Path, root: Path):
        self.directory = Path(os.path.abspath(directory))
        home = user_folder()
        if inputs.inside(home, root):
            raise ConfigError(f"the cache key folder {home} lies inside the scanned tree {root}: set XDG_CACHE_HOME elsewhere or use --no-cache")
        if self.directory.is_relative_to(root) and not inputs.inside(self.directory, root):
            raise ConfigError(f"cache folder {self.directory}: a symbolic link leads it out of the scanned tree")
        try:
            os.makedirs(home, mode=0o700, exist_ok=True)
            self._secret = _secret(home)
            _claim(self.directory)
        except OSError as error:
            raise ConfigError(f"cannot use the cache folder {self.directory}: {error.strerror or error}") from None
        self._swept: set[tuple[str, str]] = set()  # folders cleared of stale temporary files by this process
        self._kinds: dict[str, tuple[int, int]] = {}  # kind -> (process id, descriptor of its folder), kept open

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / f"v{FORMAT_VERSION}" / kind / key[:2] / f"{key}.json"

    def _signature(self, kind: str, key: str, payload: bytes) -> bytes:
        message = f"v{FORMAT_VERSION}/{kind}/{key}\n".encode() + payload
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest().encode()

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under `kind` and `key`, or None when there is none that
        verifies."""
        try:
            data = inputs.read_bytes(self._path(kind, key), MAX_ENTRY_SIZE)
        except inputs.Refused:
            return None
        signature, _, payload = data.partition(b"\n")
        if not hmac.compare_digest(signature, self._signature(kind, key, payload)):
            return None
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Sign and store `value`; a cache that cannot be written only costs time."""
        payload = json.dumps(value, separators=(",", ":")).encode()
        folder = None
        try:
            folder = _open_folder(key[:2], self._kind_folder(kind), create=True)
            if (kind, key[:2]) not in self._swept:
                self._swept.add((kind, key[:2]))
                _remove_stale_temporaries(folder)
            with _uninterrupted():
                temporary = _write_new(folder, self._signature(kind, key, payload) + b"\n" + payload)
                try:
                    os.replace(temporary, f"{key}.json", src_dir_fd=folder, dst_dir_fd=folder)
                except OSError:
                    os.unlink(temporary, dir_fd=folder)
                    raise
        except OSError:
            pass
        finally:
            if folder is not None:
                os.close(folder)

    def __del__(self) -> None:
        for owner, descriptor in getattr(self, "_kinds", {}).values():  # __init__ may have stopped early
            if owner == os.getpid():  # a forked worker's copy closes nothing of its parent's
                os.close(descriptor)

    def _kind_folder(self, kind: str) -> int:
        """A descriptor of the folder of `kind`'s entries, opened (and made) on this
        process's first write and then kept: a scan writes thousands of entries, and
        opening the three folders above each one again cost more than writing it. A
        forked worker opens its own."""
        owner, descriptor = self._kinds.get(kind, (None, -1))
        if owner != os.getpid():
            folders = [_open_folder(self.directory)]
            try:
                for name in (f"v{FORMAT_VERSION}", kind):
                    folders.append(_open_folder(name, folders[-1], create=True))
            finally:
                for opened in folders[:-1]:
                    os.close(opened)
            descriptor = folders[-1]
            self._kinds[kind] = (os.getpid(), descriptor)
        return descriptor


@contextlib.contextmanager
def _uninterrupted():
    """Ctrl-C and SIGTERM wait until the block is done: an entry is written and
    renamed whole, and no temporary file stays behind when a run is stopped. The
    signal is delivered right after (killing a worker as usual)."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _claim(directory: Path) -> None:
    """Make `directory` a cache folder of iacguard's own, unless it is one already."""
    if _is_own(directory):
        return
    if os.path.lexists(directory) and not _is_empty_folder(directory):
        raise ConfigError(f"cache folder {directory} exists and was not made by iacguard: name a folder that does not exist yet")
    os.makedirs(directory.parent, exist_ok=True)
    staging = directory.with_name(f"{_TEMPORARY}{secrets.token_hex(8)}")
    os.mkdir(staging, 0o700)
    try:
        folder = _open_folder(staging)
        try:
            os.rename(_write_new(folder, TAG), TAG_NAME, src_dir_fd=folder, dst_dir_fd=folder)
            os.rename(_write_new(folder, b"# made by iacguard: the result cache\n*\n"), ".gitignore", src_dir_fd=folder, dst_dir_fd=folder)
        finally:
            os.close(folder)
        os.rename(staging, directory)  # replaces an empty folder; fails on anything else
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not _is_own(directory):  # unless a concurrent run made it meanwhile
            raise


def _is_own(directory: Path) -> bool:
    """True for the user's real directory, closed to others, tagged as a cache."""
    try:
        folder = _open_folder(directory)
    except OSError:
        return False
    try:
        private = os.fstat(folder).st_mode & 0o077 == 0
        return private and inputs.read_bytes(directory / TAG_NAME, len(TAG)) == TAG
    except inputs.Refused:
        return False
    finally:
        os.close(folder)


def _is_empty_folder(path: Path) -> bool:
    return stat.S_ISDIR(os.lstat(path).st_mode) and not os.listdir(path)


def _open_folder(name: str | Path, parent: int | None = None, create: bool = False) -> int:
    """A descriptor of the directory `name` (in the folder `parent`), made with mode
    0700 when missing and `create`. A link, a file or another user's folder raise
    OSError."""
    try:
        descriptor = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise
        try:
            os.mkdir(name, 0o700, dir_fd=parent)
        except FileExistsError:
            pass  # made meanwhile by a concurrent run
        descriptor = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    if os.fstat(descriptor).st_uid != os.getuid():
        os.close(descriptor)
        raise PermissionError(f"{name} belongs to another user")
    return descriptor


def _write_new(folder: int, data: bytes) -> str:
    """Write `data` to a new file with a random name in `folder`, never through a link
    and never over an existing file; returns the name. Removed again on any error."""
    name = f"{_TEMPORARY}{secrets.token_hex(8)}"
    descriptor = os.open(name, _NEW_FILE_FLAGS, 0o600, dir_fd=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
    except BaseException:
        os.unlink(name, dir_fd=folder)
        raise
    return name


def _remove_stale_temporaries(folder: int) -> None:
    """Remove the temporary files that killed runs left behind in `folder`."""
    limit = time.time() - STALE_AFTER
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.name.startswith(_TEMPORARY) and entry.stat(follow_symlinks=False).st_mtime < limit:
                    os.unlink(entry.name, dir_fd=folder)
            except OSError:
                pass  # removed by a concurrent run


def _secret(folder: Path) -> bytes:
    """The per-user key that signs entries, made on first use. It is published with
    `link`, which fails when the name exists, so concurrent first runs agree on one key
    and none reads a half-written one."""
    descriptor = _open_folder(folder)
    try:
        try:
            return _read_secret(descriptor)
        except FileNotFoundError:
            pass
        temporary = _write_new(descriptor, secrets.token_bytes(SECRET_SIZE))
        try:
            os.link(temporary, SECRET_NAME, src_dir_fd=descriptor, dst_dir_fd=descriptor, follow_symlinks=False)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary, dir_fd=descriptor)
        return _read_secret(descriptor)
    finally:
        os.close(descriptor)


def _read_secret(folder: int) -> bytes:
    descriptor = os.open(SECRET_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=folder)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o077 or status.st_size != SECRET_SIZE:
            raise PermissionError(f"the cache key {SECRET_NAME} is not a private file of {SECRET_SIZE} bytes: remove it")
        return os.read(descriptor, SECRET_SIZE)
    finally:
        os.close(descriptor)


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\x1f")
    return hasher.hexdigest()


ABSENT = "absent"  # the digest of a path that does not exist: a file that may appear later


def file_digest(path: str, max_size: int) -> str | None:
    """The content hash of a file, read through the input door (so a FIFO, a device or a
    file over `max_size` has none, and hashing never hangs); for a directory, the hash
    of its list of names (so a file that appears later is noticed); `ABSENT` for a path
    that does not exist."""
    if not os.path.lexists(path):
        return ABSENT
    try:
        if os.path.isdir(path):
            return digest(*sorted(os.listdir(path)))
        return hashlib.sha256(inputs.read_bytes(path, max_size)).hexdigest()
    except (OSError, inputs.Refused):
        return None
