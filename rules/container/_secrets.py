"""What a literal value written where a secret belongs says: a real secret, or only
something in its place. One home for the rules that report literal secrets (IG210
in variables, IG214 in resource attributes)."""

from __future__ import annotations

import re

from iacguard.lazy import regex

_PATHLIKE = regex(r"^(?:/|\./|\.\./|~/|[A-Za-z]:[\\/])")
_NOT_SECRET_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})
# Values that stand for a secret to be filled in, never the secret itself: an angle
# bracket or template slot (`{password}` too), a reference to another variable, an
# instruction to replace it (`INSERT_…`, `YOUR_…`, `yourpassword`, `…_HERE`), the
# usual stand-in words, and masks.
_PLACEHOLDER = regex(
    r"""<[^<>]*> | \{\{.*\}\} | \{\w+\} | \$\{[^}]*\} | \$\([^)]*\) | %[A-Za-z_]+%
    | (?:insert|replace|your|enter)[-_ ].* | .*[-_ ]here
    | \d*your[-_ ]?(?:password|passwd|pwd|pass|secret|token|key|username|user)\d*
    | change[-_ ]?(?:me|it|this) | placeholder | dummy | example | sample | redacted
    | todo | tbd | fixme | to[-_ ]?be[-_ ]?(?:set|replaced|filled) | not[-_ ]?set
    | x{3,} | \*{3,} | \.{3,} | -{3,}""",
    re.IGNORECASE | re.VERBOSE,
)


def not_a_secret(value: str) -> bool:
    """True for values that cannot be a secret however they are named: empty, a
    boolean or number, a file path, or a placeholder for a secret to be filled in."""
    text = value.strip()
    if not text or text.lower() in _NOT_SECRET_VALUES or text.isdigit():
        return True
    return bool(_PATHLIKE.match(text) or _PLACEHOLDER.fullmatch(text))
