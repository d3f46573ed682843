"""Files written for the user: the report (`-o`) and the baseline (`--write-baseline`).

Both are claimed before the scan starts, so a missing folder, a folder given as the
file, or a place that cannot be written is a usage error (exit 2) at once instead of
after minutes of scanning. The content goes to a temporary file beside the target
and is renamed over it only when complete: a crash, a signal or a reporter error
never leaves a truncated report or destroys the previous one. A device or a pipe
(`-o /dev/null`, `-o /dev/stdout`) cannot be replaced and is written as it is.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from iacguard.errors import ConfigError


class PendingOutput:
    """A file that will be replaced atomically once its content is known."""

    def __init__(self, path: Path, what: str):
        self.path = path
        self.what = what
        self.temporary: Path | None = None
        if path.is_dir():
            raise ConfigError(f"cannot write {what} {path}: it is a directory")
        if path.exists() and not path.is_file():  # /dev/null, /dev/stdout, a pipe: written as they are
            if not os.access(path, os.W_OK):
                raise ConfigError(f"cannot write {what} {path}: permission denied")
            return
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as error:
            raise ConfigError(f"cannot write {what} {path}: {error.strerror or error}") from None
        os.close(descriptor)
        self.temporary = Path(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)  # what a plain open() would have given, not mkstemp's 0600

    def commit(self, text: str) -> None:
        try:
            # Escaped, not fatal: a file name that is not UTF-8 or a lone surrogate from
            # a scanned file must not cost the whole report.
            with open(self.temporary or self.path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
                handle.write(text)
            if self.temporary:
                os.replace(self.temporary, self.path)
        except OSError as error:
            self.discard()
            raise ConfigError(f"cannot write {self.what} {self.path}: {error.strerror or error}") from None

    def discard(self) -> None:
        try:
            if self.temporary:
                self.temporary.unlink()
        except OSError:
            pass
