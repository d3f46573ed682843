"""A small recently-used cache of parsed files, for formats whose files are also read
as inputs of other files (Terraform module siblings, Bicep modules).

Files are scanned directory by directory, so a bounded cache lets each file be parsed
about once without holding every tree of a large repository.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from iacguard.errors import ParseError

Tree = TypeVar("Tree")


# Parsed files kept per process. Measured on the whole corpus: 128 parse 3,933 times in
# one process against 3,928 for 256, the same CPU time within the noise, and with two
# workers the largest one peaks 8-11 MB lower (70 MB against 77-81).
KEPT = 128


class ParseCache(Generic[Tree]):
    def __init__(self, parse: Callable[[str], Tree], limit: int = KEPT):
        self._parse = parse
        self._limit = limit
        self._entries: OrderedDict[str, tuple[str, Tree | None]] = OrderedDict()  # path -> the text parsed, its tree

    def get(self, path: str | Path, text: str) -> Tree:
        """The scanned file, its `text` already read: parse errors propagate. Entries
        are keyed by path and checked against the content, so an editor buffer given
        on standard input (its path need not exist) is never confused with the file
        on disk."""
        return self._parsed(path, text, strict=True)

    def dependency(self, path: Path, context, at: tuple[int, int] | None = None) -> Tree | None:
        """A file another file depends on (a sibling, a module, a var file), read
        through the input door of the scan `context`. None when it is refused or does
        not parse; either makes the depending file incomplete (IG005), told `at` the
        line and column of the scanned file that names it, when one does."""
        text = context.read_dependency(path, at=at)
        if text is None:
            return None
        parsed = self._parsed(path, text, strict=False)
        if parsed is None:
            context.refuse(path, "does not parse", at)
        return parsed

    def _parsed(self, path: str | Path, text: str, strict: bool) -> Tree | None:
        key = os.path.abspath(path)  # not resolve(): a stat per folder for every lookup
        cached = self._entries.get(key)
        # The text itself is compared: a new string's hash reads it at a tenth of the
        # speed, and took 2-3% of a scan of the corpus's Bicep files.
        if cached is not None and cached[0] == text and (cached[1] is not None or not strict):
            self._entries.move_to_end(key)
            return cached[1]
        try:
            parsed = self._parse(text)
        except (ParseError, RecursionError):
            if strict:
                raise
            parsed = None
        self._entries[key] = (text, parsed)
        if len(self._entries) > self._limit:
            self._entries.popitem(last=False)
        return parsed
