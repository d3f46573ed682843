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
never used. A warm re-run of an unchanged repository costs little more than looking at its
files' status (`Cache.file_digest`: a file is hashed again once its stamp changes), and
a stale result is never returned. Beside results: each file's digest and the format its
content told, by its stamp (`Cache.by_stamp`), and the walks of the repository made to
find the files that use a file, with the status of every folder listed
(`Cache.while_unchanged`).

Trust. A scanned repository controls every file in its tree, and in CI the checkout
and the scan run as one user, so neither the place nor the owner of an entry makes it
trustworthy. Each entry carries a MAC of its kind, key and content (keyed BLAKE2b, see
`iacguard.hashes`; entries signed with HMAC-SHA256 by older versions do not verify,
and are written again), keyed by a per-user secret (`$XDG_CACHE_HOME/iacguard/secret`,
mode 0600, made on first use and never inside the scanned tree). An entry that does
not verify, or (checked by the runner) does not have exactly the shape iacguard
writes, is a miss. Nothing in the cache decides what is imported: plugins are looked
up afresh at every start.

Store. One SQLite database per cache folder, chosen by measurement. Writing the
corpus's 6,314 results of Checkov's files (5 kB each) on ext4 cost 0.6-3.4 s of CPU as
one file each (creating files varies with the machine's load and with what was deleted
before), against 0.14 s as rows of one database: on a cold scan of those files, 2 s of
7.5. Importing SQLite, opening the database, looking a file up and storing its result
cost about 5.5 ms on a check of one file: a price the cold and CI runs repay many times
over, and a check of one small file named alone, which an editor or a hook has just
changed, does not pay (`iacguard.cli`'s `_small_and_alone`). Only
the main process writes, in batches, as results arrive; workers read. Entries are
compressed (zlib, fastest level): the corpus's results take 3 MB instead of 15, and are
written in half the time. A database keeps the last `MAX_ENTRIES` entries written, so
entries that nothing reads any more (another version's, other settings') leave it.

Writing. iacguard writes only inside a cache folder it created itself: made under a
temporary name with mode 0700, tagged with a `CACHEDIR.TAG` and a `.gitignore` of `*`,
then renamed into place. So the `.gitignore` covers the cache's own files and nothing
else (git and the scan pass them over). An existing folder is used only when it is such
a folder (the user's real directory, closed to others, tagged); an empty folder is
replaced; anything else is refused, so `--cache-dir .` or `--cache-dir src` can hide
nothing. Below it, every folder is opened without following links and must be the
user's real directory. SQLite opens its files by name and follows links, so the
database and the files SQLite keeps beside it (`-wal`, `-shm`, `-journal`) must each
be absent or a regular file of the user's with one name before it is opened, and the
database is created by iacguard (`O_CREAT|O_EXCL|O_NOFOLLOW`): a link planted there is
never written through. A transaction is written whole or not at all, so a killed run
leaves no partial entry; a database that is not one (damaged, or planted) is replaced.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import stat
import time
import zlib
from pathlib import Path
from typing import Any

from iacguard import inputs
from iacguard.hashes import blake2b, compare_digest, sha256
from iacguard.errors import ConfigError

FORMAT_VERSION = 4
MAX_ENTRY_SIZE = 64 * 1024 * 1024
# A database keeps the entries of its last this many writes (about 50 MB at the
# corpus's 0.5 kB an entry): those made under another version, other settings or an
# older copy of a file are never read again, and would pile up upgrade after upgrade.
MAX_ENTRIES = 100_000
_STORE_FOLDER = f"v{FORMAT_VERSION}"  # in the cache folder: one database for each format of entries
STORE_NAME = "entries.sqlite"
# What SQLite may keep beside the database: none of them may be a link.
_STORE_FILES = (STORE_NAME, f"{STORE_NAME}-wal", f"{STORE_NAME}-shm", f"{STORE_NAME}-journal")
# A file's stamp is trusted when its change time lies this long before the run that
# hashed it began (`Cache.file_digest`), and files are stamped up to this many.
STAMP_MARGIN = 2_000_000_000  # ns
MAX_STAMPS = 100_000
_FILES = "files"  # the store of stamps that holds the digests of `Cache.file_digest`
QUERY_KEYS = 256  # keys looked up in one query (`Cache.get_many`); SQLite allows 999 parameters at least
BUSY_TIMEOUT = 2.0  # seconds a write waits for a concurrent run's; then it is skipped
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
            import sqlite3  # here: a run without the cache never pays for it
        except ImportError:  # a Python built without it
            raise ConfigError("this Python has no sqlite3 module, so there is no result cache: use --no-cache") from None
        self._errors = (OSError, sqlite3.Error)  # what makes a read a miss and a write skipped
        try:
            os.makedirs(home, mode=0o700, exist_ok=True)
            self._secret = _secret(home)
            _claim(self.directory)
        except OSError as error:
            raise ConfigError(f"cannot use the cache folder {self.directory}: {error.strerror or error}") from None
        self._connection: tuple[int | None, Any] = (None, None)  # (process id, its connection to the database)
        self._key = home / SECRET_NAME
        # What runs kept by file with the file's stamp, by store (`_FILES`: the digests
        # of `file_digest`), each read on first use; and what this run adds.
        self._by_stamp: dict[str, dict[str, Any]] = {}
        self._new_by_stamp: dict[str, dict[str, list]] = {}
        self._folders: dict[str, list | None] = {}  # the stamps of the folders of absent paths, looked at once a run
        self._started = time.time_ns()
        self._cwd = os.getcwd()

    def files(self) -> list[Path]:
        """The files of the cache that a scan reads (the key, the tag, the `.gitignore`,
        the database and what SQLite keeps beside it): no report replaces one."""
        return [self._key, self.directory / TAG_NAME, self.directory / ".gitignore", *(self.directory / _STORE_FOLDER / name for name in _STORE_FILES)]

    def _signature(self, kind: str, key: str, payload: bytes) -> bytes:
        message = f"v{FORMAT_VERSION}/{kind}/{key}\n".encode() + payload
        return blake2b(message, key=self._secret, digest_size=32).hexdigest().encode()

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under `kind` and `key`, or None when there is none that
        verifies."""
        return self.get_many(kind, [key]).get(key)

    def get_many(self, kind: str, keys: list[str]) -> dict[str, Any]:
        """The values stored under `kind` and each of `keys` that verify, by key. One
        query for many keys (`QUERY_KEYS` at a time, within SQLite's limit on
        parameters): the 6,312 entries of a warm scan of the files Checkov reads were
        looked up in 33 ms one by one, in 13 ms in queries of 256."""
        store = self._store()
        if store is None:
            return {}
        names = {f"{kind}/{key}": key for key in keys}
        listed = list(names)
        found = {}
        for start in range(0, len(listed), QUERY_KEYS):
            asked = listed[start:start + QUERY_KEYS]
            # Row by row, and none over the size an entry may have: a planted database's
            # rows are never all held at once.
            query = f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(asked))}) AND length(value) <= ?"
            try:
                for name, value in store.execute(query, (*asked, MAX_ENTRY_SIZE)):
                    key = names.get(name)
                    unpacked = None if key is None else self._unpacked(kind, key, value)
                    if unpacked is not None:
                        found[key] = unpacked
            except self._errors:
                return found
        return found

    def _unpacked(self, kind: str, key: str, value: object) -> Any | None:
        """The value of a stored entry, None when it does not verify."""
        if not isinstance(value, bytes) or len(value) > MAX_ENTRY_SIZE:
            return None
        signature, _, packed = value.partition(b"\n")
        if not compare_digest(signature, self._signature(kind, key, packed)):
            return None  # checked before anything is unpacked
        try:
            unpacking = zlib.decompressobj()
            payload = unpacking.decompress(packed, MAX_ENTRY_SIZE)
            if unpacking.unconsumed_tail or not unpacking.eof:
                return None  # larger than an entry may be, or cut short
            return json.loads(payload)
        except (zlib.error, ValueError, RecursionError):
            return None

    def entry(self, kind: str, key: str, value: Any) -> tuple[str, bytes]:
        """`value` as `put_many` stores it: JSON, compressed (a fifth of the size: the
        main process writes the corpus's results in half the time, and a CI cache
        moves 3 MB instead of 15), then signed. Made where the value is (a worker
        process), stored by the main process."""
        packed = zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 1)
        return f"{kind}/{key}", self._signature(kind, key, packed) + b"\n" + packed

    def put_many(self, entries: list[tuple[str, bytes]]) -> None:
        """Store signed entries in one transaction; a cache that cannot be written (a
        concurrent run holds it longer than `BUSY_TIMEOUT`, a full disk) only costs time."""
        store = self._store()
        if not entries or store is None:
            return
        try:
            with store:
                store.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", entries)
                # Replacing an entry gives it a new rowid, so rowids run in the order of
                # writing: the oldest go first, found through the rowid (no count, no scan).
                store.execute("DELETE FROM entries WHERE rowid <= (SELECT max(rowid) FROM entries) - ?", (MAX_ENTRIES,))
        except self._errors:
            pass

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_many([self.entry(kind, key, value)])

    def file_digest(self, path: str, max_size: int) -> str | None:
        """`file_digest`, without reading a file or folder whose stamp (device, inode,
        size, modification and change times) is the one it had when a run hashed it,
        as git and ruff trust a file's status; a path that was absent is absent still
        while the folder it would be in has the stamp it had then (adding an entry
        to a folder changes its times). A warm scan of the files Checkov reads hashed
        7,985 files, 498 folders and 4,670 absent paths in 0.14 s; 0.05 s now.

        A file's change time is set by the system at every change of its content,
        and no program can set it back, so an unchanged stamp is unchanged content:
        even a file rewritten with its old size and modification time has a new
        change time. What a run hashes is remembered only when its change time lies
        `STAMP_MARGIN` before the run began: a change made within the same tick of
        the system's clock as the one before it (in the middle of a run, say) would
        leave the stamp as it was, and such a file is read again next time. A
        fresh checkout (a CI job) has new inodes and change times, so its files are
        read. Stamps are the main process's: what workers hash is not remembered."""
        key = path if os.path.isabs(path) else os.path.join(self._cwd, path)  # any name of the file will do: its stamp tells
        remembered = self._remembered(key, _FILES)
        if remembered is not None and remembered[5] == ABSENT and self._folder_stamp(os.path.dirname(key)) == remembered[:5]:
            return ABSENT  # its folder has the same entries: no need to look for it again
        try:
            status = os.stat(key)
        except FileNotFoundError:  # absent, or a broken link
            folder = self._folder_stamp(os.path.dirname(key))
            return file_digest(key, max_size) if folder is None else self._stamped(key, folder, remembered, max_size, absent=True)
        except (OSError, ValueError):
            return None
        if not (stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)):
            return file_digest(key, max_size)  # a FIFO, a device: never read
        return self._stamped(key, _stamp(status), remembered, max_size)

    def _stamped(self, key: str, stamp: list, remembered: list | None, max_size: int, absent: bool = False) -> str | None:
        """The digest of the path `key` whose stamp is `stamp` (its folder's when it
        was found `absent`): the one `remembered` with that stamp, else hashed, and
        remembered when old enough."""
        if remembered is not None and remembered[:5] == stamp:
            return remembered[5]
        content = file_digest(key, max_size)
        if absent and content != ABSENT:
            return content  # a broken link, or a file made since: a folder's stamp never stands for a file
        if content is not None:
            self._keep(_FILES, key, stamp, content)
        return content

    def by_stamp(self, store: str, path: str, status: os.stat_result) -> str | None:
        """The value a run kept in `store` for the file at `path` (`keep_by_stamp`),
        when the file has the stamp it had then (its status `status`); else None."""
        remembered = self._remembered(path, store)
        return remembered[5] if remembered is not None and remembered[:5] == _stamp(status) else None

    def keep_by_stamp(self, store: str, path: str, status: os.stat_result, value: str) -> None:
        """Keep in `store` the `value` told by the file at `path`, read with the status
        `status` (taken before it was read), for later runs (`by_stamp`): as a
        file's digest is kept, when its change time lies `STAMP_MARGIN` before the
        run began (see `file_digest`)."""
        self._keep(store, path, _stamp(status), value)

    def _keep(self, store: str, key: str, stamp: list, value: str) -> None:
        if stamp[4] < self._started - STAMP_MARGIN:  # its change time
            self._new_by_stamp.setdefault(store, {})[key] = [*stamp, value]

    def while_unchanged(self, kind: str, key: str) -> Any | None:
        """The value kept under `kind` and `key` (`keep_while_unchanged`), while every
        path it was made from has the status it had then; None otherwise."""
        stored = self.get(kind, key)
        if type(stored) is not dict or stored.keys() != {"value", "stamps"} or type(stored["stamps"]) is not list:
            return None
        for item in stored["stamps"]:
            if type(item) is not list or len(item) != 6 or type(item[0]) is not str:
                return None
            try:
                status = os.stat(item[0])
            except (OSError, ValueError):
                return None
            if _stamp(status) != item[1:]:
                return None
        return stored["value"]

    def keep_while_unchanged(self, kind: str, key: str, value: Any, looked_at: list[tuple[str, os.stat_result]]) -> None:
        """Store `value`, made from the paths of `looked_at` with the status each had
        before it was read, to be used while each keeps it (`while_unchanged`). As
        with a file's digest (`file_digest`), nothing is stored when one of them
        changed within `STAMP_MARGIN` of the run's start (a change in the same tick
        of the clock would leave its status as it was), nor when there are more than
        `MAX_STAMPS` of them."""
        if len(looked_at) > MAX_STAMPS or any(status.st_ctime_ns >= self._started - STAMP_MARGIN for _, status in looked_at):
            return
        self.put(kind, key, {"value": value, "stamps": [[path, *_stamp(status)] for path, status in looked_at]})

    def _remembered(self, key: str, store: str) -> list | None:
        """The stamp and value (a digest in `_FILES`) a run kept in `store` for the
        path `key`, when it has that shape."""
        remembered = self._stamps_in(store).get(key)
        return remembered if type(remembered) is list and len(remembered) == 6 and type(remembered[5]) is str else None

    def _stamps_in(self, store: str) -> dict[str, Any]:
        """What runs kept in `store`, read once a run."""
        if store not in self._by_stamp:
            stored = self.get("stamps", store)
            self._by_stamp[store] = stored if type(stored) is dict else {}
        return self._by_stamp[store]

    def _folder_stamp(self, folder: str) -> list | None:
        """The stamp of `folder`, once a run (the absent files a scan asks about lie
        in few folders), None when it is no folder."""
        if folder not in self._folders:
            try:
                status = os.stat(folder)
            except (OSError, ValueError):
                status = None
            self._folders[folder] = _stamp(status) if status is not None and stat.S_ISDIR(status.st_mode) else None
        return self._folders[folder]

    def keep_stamps(self) -> None:
        """Store what this run kept by stamp (the digests of the files it hashed, the
        formats their content told) with what each store held before (left out past
        `MAX_STAMPS`): nothing where it kept nothing."""
        for store, new in self._new_by_stamp.items():
            kept = {**self._stamps_in(store), **new}
            if len(kept) > MAX_STAMPS:  # this run's first, the older left out
                kept = dict(itertools.islice(new.items(), MAX_STAMPS))
            self.put("stamps", store, kept)
        self._new_by_stamp = {}

    def _store(self):
        """This process's connection to the database, opened on first use, or None
        when it cannot be opened (then every read is a miss and every write skipped,
        without trying again for each file). A forked worker opens its own (a
        connection must not cross a fork) and leaves its parent's alone."""
        owner, connection = self._connection
        if owner != os.getpid():
            try:
                connection = _open_store(self.directory)
            except self._errors:
                connection = None
            self._connection = (os.getpid(), connection)
        return connection

    def close(self) -> None:
        """Close this process's connection, if it opened one: SQLite then moves the
        write-ahead log into the database. The command ends without Python's
        tear-down (`iacguard.__main__.command`), which would otherwise close it."""
        owner, connection = getattr(self, "_connection", (None, None))  # __init__ may have stopped early
        if owner == os.getpid() and connection is not None:
            connection.close()
            self._connection = (None, None)

    __del__ = close


def _stamp(status: os.stat_result) -> list:
    """What tells a file's content has not changed (`Cache.file_digest`): its device,
    inode, size, and modification and change times."""
    return [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def _open_store(directory: Path):
    """A connection to the cache's database in `directory`/`_STORE_FOLDER`, made by
    iacguard when missing. Raises OSError when a file SQLite would open there is not
    a regular file of the user's with one name (a planted link), sqlite3.Error when
    the database cannot be used even after replacing one that is no database."""
    import sqlite3

    top = _open_folder(directory)
    try:
        folder = _open_folder(_STORE_FOLDER, top, create=True)
    finally:
        os.close(top)
    try:
        for name in _STORE_FILES:
            _refuse_planted(name, folder)
        try:
            os.close(os.open(STORE_NAME, _NEW_FILE_FLAGS, 0o600, dir_fd=folder))
        except FileExistsError:
            pass
        path = directory / _STORE_FOLDER / STORE_NAME
        try:
            return _connect(sqlite3, path)
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError):
                raise  # locked by another run, out of space: a database all the same, kept
            # not a database: damaged or planted, and only a cache
            for name in _STORE_FILES:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=folder)
            os.close(os.open(STORE_NAME, _NEW_FILE_FLAGS, 0o600, dir_fd=folder))
            return _connect(sqlite3, path)
    finally:
        os.close(folder)


def _connect(sqlite3, path: Path):
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)
    try:
        # Write-ahead logging: workers read while the main process writes. Without
        # fsync at each commit: a cache may lose its last entries in a power cut,
        # which only costs time, but is never left damaged.
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    except BaseException:
        connection.close()
        raise
    return connection


def _refuse_planted(name: str, folder: int) -> None:
    """Raise PermissionError unless `name` in `folder` is absent or a regular file of
    the user's with one name."""
    try:
        status = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid() or status.st_nlink != 1:
        raise PermissionError(f"{name} in the cache folder is not a file of the user's own")


def _claim(directory: Path) -> None:
    """Make `directory` a cache folder of iacguard's own, unless it is one already."""
    if _is_own(directory):
        return
    if os.path.lexists(directory) and not _is_empty_folder(directory):
        raise ConfigError(f"cache folder {directory} exists and was not made by iacguard: name a folder that does not exist yet")
    os.makedirs(directory.parent, exist_ok=True)
    staging = directory.with_name(f"{_TEMPORARY}{os.urandom(8).hex()}")
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
        import shutil  # here: only a failed claim needs it

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
    name = f"{_TEMPORARY}{os.urandom(8).hex()}"
    descriptor = os.open(name, _NEW_FILE_FLAGS, 0o600, dir_fd=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
    except BaseException:
        os.unlink(name, dir_fd=folder)
        raise
    return name


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
        temporary = _write_new(descriptor, os.urandom(SECRET_SIZE))
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
    hasher = sha256()
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\x1f")
    return hasher.hexdigest()


ABSENT = "absent"  # the digest of a path that does not exist: a file that may appear later


def file_digest(path: str, max_size: int) -> str | None:
    """The content hash of a file, read through the input door (so a FIFO, a device or a
    file over `max_size` has none, and hashing never hangs); for a directory, the hash
    of its list of names (so a file that appears later is noticed); `ABSENT` for a path
    that does not exist.

    A file is read first, and only a path that is no readable file is looked at
    again: the door's own `fstat` tells a regular file, where a `stat` before it
    took a system call more for each of the 8,500 files a warm scan of the files
    Checkov reads hashes. An absent path (4,700 there: the parameter files a Bicep
    file may have) takes two calls, as before. 113 -> 105 ms for those 13,153 paths."""
    try:
        return blake2b(inputs.read_bytes(path, max_size), digest_size=32).hexdigest()
    except (inputs.Refused, ValueError):
        pass  # a folder, a FIFO, a device, a file too large or not there: its status tells
    if not os.path.lexists(path):
        return ABSENT  # a broken link is there all the same
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if not stat.S_ISDIR(mode):
        return None
    try:
        return digest(*sorted(os.listdir(path)))
    except OSError:
        return None
