"""Whether a key stands at the top level of a JSON object: what tells the JSON
formats apart by content (an ARM template's `$schema`, a Terraform plan's
`format_version`), where the same key deeper down (a manifest's annotation, a nested
deployment's template) tells nothing. JSON objects keep their keys in any order, so
the key may come after the others; the walk to it runs on the strings, comments
(ARM templates may hold them) and brackets of the text, and ends with the first
object. A cut text (the head of a file) answers for what it holds."""

from __future__ import annotations

import re

from iacguard.lazy import regex

# The structure of a JSON text: its strings (double-quoted, and single-quoted as the
# deployment engine's reader takes them), comments and brackets; what lies between
# them is neither (a number, a colon, a comma). Valid JSON holds no single quote or
# comment outside a string, so this reads any JSON text (`budgets.check_json_nesting`).
STRUCTURE = regex(r'"[^"\\]*(?:\\.[^"\\]*)*"|\'[^\'\\]*(?:\\.[^\'\\]*)*\'|//[^\n]*|/\*.*?(?:\*/|\Z)|[{}\[\]]', re.DOTALL)


def top_level_key(text: str, key: re.Pattern) -> bool:
    """True when `key` (a pattern that starts with the key's opening quote) matches
    at a string at the top level of the object that `text` is, after blanks and
    comments. Other text (an array, YAML, a second object) has no top level here."""
    if not key.search(text):
        return False  # most texts: one search in C, not a walk of every string
    depth = position = 0
    for token in STRUCTURE.finditer(text):
        first = text[token.start()]
        if depth == 0 and (first not in "{/" or text[position:token.start()].strip()):
            return False
        position = token.end()
        if first in "{[":
            depth += 1
        elif first in "}]":
            depth -= 1
            if depth <= 0:
                return False
        elif depth == 1 and first == '"' and key.match(text, token.start()):
            return True
    return False
