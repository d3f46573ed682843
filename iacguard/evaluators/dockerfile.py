"""Dockerfile word splitting and variable expansion (`$NAME`, `${NAME}`,
`${NAME:-word}`, `${NAME:+word}`), as the builder applies them to FROM, ENV, ARG,
USER, LABEL, EXPOSE, COPY and ADD.

A variable without a value in scope (a build argument without default, a predefined
platform argument) makes the whole word `Unknown`, as does any modifier we do not
evaluate. Nothing is executed.

Expansion runs under the fixed budgets of `iacguard.budgets`: a word is sized before
it is joined, and every expansion of one file spends the file's `Budget`, so values
doubled through ARG and ENV stop at the limit, as do many large copies of one value.
"""

from __future__ import annotations

from collections.abc import Mapping

from iacguard.budgets import Budget
from iacguard.lazy import regex
from iacguard.model import Unknown

Value = str | Unknown
_NAME = regex(r"[A-Za-z_][A-Za-z0-9_]*")


def split_words(text: str, escape: str) -> list[tuple[str, int]]:
    """Split on unquoted white space; returns (raw word, start offset) pairs."""
    words: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start, quote = i, ""
        while i < n and (quote or not text[i].isspace()):
            ch = text[i]
            if ch == escape and quote != "'":
                i += 2
                continue
            if quote and ch == quote:
                quote = ""
            elif not quote and ch in "\"'":
                quote = ch
            i += 1
        words.append((text[start:i], start))
    return words


def has_reference(raw: str, escape: str) -> bool:
    """True when the raw word contains an unescaped `$` outside single quotes."""
    i, quote = 0, ""
    while i < len(raw):
        ch = raw[i]
        if ch == escape and quote != "'":
            i += 2
            continue
        if ch == "'" and quote != '"':
            quote = "" if quote else "'"
        elif ch == '"' and quote != "'":
            quote = "" if quote else '"'
        elif ch == "$" and quote != "'":
            return True
        i += 1
    return False


class ClosedScope(dict):
    """A scope that knows every name it may be asked: one it lacks is unset, not
    unknown. FROM sees only the ARGs declared before the first FROM (and the
    platform's), so `FROM ${BASE:-alpine:3.20}` without `ARG BASE` is alpine:3.20."""


def _value(scope: Mapping[str, Value], name: str) -> Value | None:
    """A variable's value; None when it is unset."""
    return scope.get(name) if isinstance(scope, ClosedScope) else scope.get(name, Unknown(name))


def expand(raw: str, scope: Mapping[str, Value], escape: str, budget: Budget) -> Value:
    """Remove quotes and expand variables in one raw word."""
    out: list[str] = []
    i, n, quote = 0, len(raw), ""
    while i < n:
        ch = raw[i]
        if ch == escape and quote != "'" and i + 1 < n:
            out.append(raw[i + 1])
            i += 2
        elif ch in "\"'" and (not quote or quote == ch):
            quote = "" if quote else ch
            i += 1
        elif ch == "$" and quote != "'":
            value, i = _variable(raw, i, scope, escape, budget)
            if isinstance(value, Unknown):
                return Unknown(raw)
            out.append(value or "")
        else:
            out.append(ch)
            i += 1
    budget.build(sum(map(len, out)), "variable expansion")
    return "".join(out)


def _variable(raw: str, i: int, scope: Mapping[str, Value], escape: str, budget: Budget) -> tuple[Value | None, int]:
    """Expand the reference starting at raw[i] == '$'; returns (value, next index)."""
    if raw.startswith("${", i):
        close = _closing_brace(raw, i + 2)
        if close < 0:
            return Unknown(raw[i:]), len(raw)
        body = raw[i + 2 : close]
        name = _NAME.match(body)
        if not name:
            return Unknown(body), close + 1
        rest = body[name.end() :]
        value = _value(scope, name.group())
        if not rest:
            return value, close + 1
        for operator in (":-", ":+", "-", "+"):
            if rest.startswith(operator):
                word = rest[len(operator) :]
                return _modified(value, operator, word, scope, escape, budget), close + 1
        return Unknown(body), close + 1
    name = _NAME.match(raw, i + 1)
    if not name:
        return "$", i + 1
    return _value(scope, name.group()), name.end()


def _modified(value: Value | None, operator: str, word: str, scope: Mapping[str, Value], escape: str, budget: Budget) -> Value:
    if isinstance(value, Unknown):
        return value
    present = bool(value) if operator.startswith(":") else value is not None
    if operator.endswith("-"):
        return value if present else expand(word, scope, escape, budget)
    return expand(word, scope, escape, budget) if present else ""


def _closing_brace(raw: str, i: int) -> int:
    depth = 1
    while i < len(raw):
        if raw[i] == "{":
            depth += 1
        elif raw[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def key_values(text: str, escape: str, legacy: bool = False) -> list[tuple[str, str | None, int, int]]:
    """Split `ENV`/`ARG`/`LABEL` arguments into (raw name, raw value or None, name
    offset, value offset). Handles `K=V K2="v 2"`, bare `ARG K`, and with `legacy`
    the old `ENV K some value` form."""
    words = split_words(text, escape)
    if not words:
        return []
    if legacy and "=" not in words[0][0]:
        first, start = words[0]
        if len(words) == 1:
            return [(first, None, start, start)]
        value_start = words[1][1]
        return [(first, text[value_start:].strip(), start, value_start)]
    pairs = []
    for raw, start in words:
        name, equals, value = raw.partition("=")
        pairs.append((name, value if equals else None, start, start + len(name) + 1))
    return pairs
