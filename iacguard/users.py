"""Which UID a container's user names, read once for every format that writes the
user as text (Dockerfile `USER`, Compose `user:`).

The runtime reads `NAME_OR_UID[:GROUP]` as moby's `user.GetExecUser` does: the
part before the first `:` is a UID whenever Go's `strconv.Atoi` reads it as a
number (a sign and decimal digits: `0`, `0000`, `+0` and `-0` are all UID 0), and
otherwise a name looked up in the image's `/etc/passwd`, where `root` is UID 0.
"""

from __future__ import annotations

from iacguard.lazy import regex

_NUMBER = regex(r"[+-]?[0-9]+")  # what strconv.Atoi accepts (base 10, no spaces)


def uid_of(user: str) -> int | None:
    """The UID `user` names: its number, or 0 for `root`; None for any other name,
    whose UID only the image's `/etc/passwd` knows."""
    name = user.split(":", 1)[0].strip()
    if _NUMBER.fullmatch(name):
        return int(name)
    return 0 if name == "root" else None
