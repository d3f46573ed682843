"""Reading a file to fix it and writing it back: only a regular UTF-8 file inside the
scan root (its links resolved), written atomically to the file itself (never the
link that names it), with its byte order mark and mode kept, and only when nobody
changed it since it was read.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

from iacguard import inputs
from iacguard.structs import struct


@struct(frozen=True)
class Original:
    """A file as read for fixing: the real path, its bytes and text, and why it is
    not to be written when it is read all the same (its findings are listed)."""

    real: str
    data: bytes
    text: str
    unfixable: str | None = None


def read_original(path: Path, root: Path, max_size: int) -> Original:
    """The file to fix. Raises `inputs.Refused` saying why it cannot be read."""
    if not inputs.inside(path, root):
        raise inputs.Refused("outside the scan root")
    real = os.path.realpath(path)
    data = inputs.read_bytes(real, max_size, root)
    content = inputs.decode(data)
    unfixable = "not UTF-8: a fix would re-encode the whole file" if content.latin1_line is not None or inputs.wide_codec(data) else None
    return Original(real, data, content.text, unfixable)


def write_fixed(original: Original, text: str) -> None:
    """Replace the file with `text`, atomically. Raises OSError, or `inputs.Refused`
    when the file changed since it was read."""
    with open(original.real, "rb") as handle:
        if handle.read(len(original.data) + 1) != original.data:
            raise inputs.Refused("the file changed while it was being fixed")
    bom = codecs.BOM_UTF8 if original.data.startswith(codecs.BOM_UTF8) else b""
    folder, name = os.path.split(original.real)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".iacguard-fix", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(bom + text.encode("utf-8", "surrogatepass"))
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename: a crash then leaves the old file or the new one, never an empty one
        status = os.stat(original.real)
        if (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
            try:  # the new file is the fixer's: give it the old one's owner (before its mode: a chown clears set-id bits)
                os.chown(temporary, status.st_uid, status.st_gid)
            except PermissionError:
                raise inputs.Refused("it belongs to another user, whose ownership a rewrite would not keep") from None
        os.chmod(temporary, status.st_mode & 0o7777)
        os.replace(temporary, original.real)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
