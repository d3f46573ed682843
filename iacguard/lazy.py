"""Regular expressions compiled on first use.

The modules a check of one Dockerfile imports hold about seventy expressions at module
level (every format's sniffer, the reporters', the rules'), and compiling them took
6.8 ms of a 45 ms check, 5.2 ms of it for expressions that check never used. `regex`
stands in for `re.compile` at module level: the expression is compiled when it is
first used, and a use costs what the compiled pattern's does from then on.
"""

from __future__ import annotations

import re
from typing import Any

# What a compiled pattern offers: methods and the attributes describing it.
_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn", "scanner", "pattern", "flags", "groups",
               "groupindex")


class Regex:
    """A `re.Pattern` made on first use. The pattern's methods and attributes become
    this object's own then, so later uses never come back here."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags = source, flags

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # copy and pickle ask for such names; nothing is compiled for them
            raise AttributeError(name)
        compiled = re.compile(self._source, self._flags)
        vars(self).update((attribute, getattr(compiled, attribute)) for attribute in _ATTRIBUTES)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"regex({self._source!r})"


def regex(source: str, flags: int = 0) -> re.Pattern:
    """`re.compile(source, flags)`, compiled when first used."""
    return Regex(source, flags)  # type: ignore[return-value] -- it offers what a pattern does
