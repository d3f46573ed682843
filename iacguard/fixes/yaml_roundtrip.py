"""Writing a setting into a Kubernetes manifest through ruamel.yaml's round trip.

The document that holds the resource is loaded in round-trip mode (comments, key
order, quoting, block scalars and anchors kept), the setting is made on the loaded
mapping, and the document is dumped again nested as it is (`yaml_style.style_of`). The
result is kept only when its line diff against the original touches nothing but the
edit: new lines, and among the original lines only the value replaced or the flow
collection (`{...}`, `[...]`) written into. Otherwise (the dump re-indents, re-quotes
or re-wraps another line, or would place the new lines under a comment that belongs
to what follows) the caller falls back to its text edit at the known position.

Only the document is round-tripped, never the stream: the `---` and `...` lines and
the other documents stay as they are. The accepted result is handed on as the
minimal text edits of the diff (`iacguard.fixes.edits_between`), which is what the
language server's code actions need.

ruamel.yaml is imported here only, when a fix is planned: a scan never pays for it.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections import Counter
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from iacguard.budgets import MAX_ROUND_TRIP_SIZE
from iacguard.fixes import Edit, edits_between, line_starts
from iacguard.fixes.yaml_style import Style, style_of
from iacguard.lazy import regex
from iacguard.parsers import yaml as positional_yaml
from iacguard.parsers.documents import YMap, YSeq

_MARKER = regex(r"(?:---|\.\.\.)(?:[ \t].*)?")
_QUOTED = (SingleQuotedScalarString, DoubleQuotedScalarString)
WIDTH = 1 << 20  # never fold a long line that the file wrote on one


def round_trip_edits(owner: YMap, keys: tuple[str, ...], value: Any, text: str) -> tuple[Edit, ...] | None:
    """The edits that make `owner[keys...]` hold `value`, from a round trip of the
    owner's document, dumped nested as the document is; None when the round trip
    would change more than the edit."""
    lines = text.split("\n")
    span = _document_span(text, lines, owner.mark.line)
    allowed = _lines_to_change(owner, keys, lines)
    if span is None or allowed is None:
        return None
    first_line, start, end = span
    original = text[start:end]
    if len(original) > MAX_ROUND_TRIP_SIZE:
        return None
    crlf = "\r" in original
    if crlf and not original.count("\r\n") == original.count("\r") == original.count("\n"):
        return None  # mixed line endings: leave it to the text edit
    source = original.replace("\r\n", "\n")
    final_newline = source.endswith("\n")
    source += "" if final_newline else "\n"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel.yaml warns on stderr about what it reads (a reused anchor)
            dumped = _round_trip(source, owner.mark.line - first_line, owner.mark.column - 1, keys, value, {line - first_line + 1 for line in allowed},
                                 _document_style(source))
    except Exception:  # ruamel.yaml reads or writes this document otherwise than we do: the text edit decides
        return None
    if dumped is None:
        return None
    if not final_newline:
        dumped = dumped.removesuffix("\n")
    if crlf:
        dumped = dumped.replace("\n", "\r\n")
    edits = tuple(Edit(e.line + first_line - 1, e.column, e.end_line + first_line - 1, e.end_column, e.text) for e in edits_between(original, dumped))
    if not edits or not _only_touches(edits, allowed, lines):
        return None
    return edits


def _round_trip(source: str, line: int, column: int, keys: tuple[str, ...], value: Any, allowed: set[int], style: Style) -> str | None:
    """The document `source` dumped with the setting made in its mapping at the
    0-based (line, column); None when the document would not round-trip as written
    outside the lines `allowed` (1-based, of `source`), whatever the edit."""
    if not _unstable_lines(source, style) <= allowed:
        return None
    data = _yaml().load(source)
    mapping = _mapping_at(data, line, column)
    if mapping is None or not _write(mapping, keys, value):
        return None
    dumped = _dump(data, style)
    # ruamel.yaml drops a comment inside a flow collection that spans lines, and the
    # lines of a collection written into are all allowed to change.
    return dumped if _comments(dumped) == _comments(source) else None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    return yaml


def _dump(data: Any, style: Style) -> str:
    """The document written nested in `style`."""
    nested, dash, item = style
    yaml = _yaml()
    yaml.indent(mapping=nested, sequence=item, offset=dash)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


@functools.lru_cache(maxsize=16)
def _document_style(source: str) -> Style:
    """How the document `source` nests: the whole document's, not the owner's alone (a
    `List` whose item is in flow style shows it only outside the item). Kept like
    `_unstable_lines`: each finding of the document asks."""
    return style_of(positional_yaml.load(source).documents[0].root, source.split("\n"))


@functools.lru_cache(maxsize=16)
def _unstable_lines(source: str, style: Style) -> frozenset[int]:
    """The lines of a document that its round trip without any change writes
    otherwise (a mixed indentation, spacing that the dump evens out). Kept for the
    few documents of the file being fixed: each of their findings asks, and a
    document that does not round-trip is then told apart by one load, not one each."""
    lines = source.split("\n")
    return frozenset(line for edit in edits_between(source, _dump(_yaml().load(source), style)) for line in _touched(edit, lines))


def _comments(source: str) -> Counter:
    """The comments of a document, by their text."""
    return Counter(comment.text for comment in positional_yaml.load(source).comments)


def _document_span(text: str, lines: list[str], line: int) -> tuple[int, int, int] | None:
    """The first line, start and end offsets of the lines of the document holding
    `line`, between its `---` (or the stream's start) and the next `---` or `...`
    (or the stream's end), less blank lines at either end. None when its `---` line
    also holds content."""
    markers = [number for number, content in enumerate(lines, 1) if _MARKER.fullmatch(content.rstrip("\r"))]
    before = [number for number in markers if number < line]
    after = [number for number in markers if number > line]
    if before and lines[before[-1] - 1].rstrip("\r")[3:].split("#", 1)[0].strip():
        return None
    first = before[-1] + 1 if before else 1
    last = after[0] - 1 if after else len(lines)
    while first < line and not lines[first - 1].strip():
        first += 1  # blank lines at either end: the dump leaves them out
    while last > line and not lines[last - 1].strip():
        last -= 1
    starts = line_starts(text)
    return first, starts[first - 1], starts[last] if last < len(starts) else len(text)


def _mapping_at(data: Any, line: int, column: int) -> CommentedMap | None:
    """The loaded mapping that starts at the 0-based (line, column)."""
    stack, seen = [data], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CommentedMap):
            if (node.lc.line, node.lc.col) == (line, column):
                return node
            stack.extend(node.values())
        elif isinstance(node, CommentedSeq):
            stack.extend(node)
    return None


def _lines_to_change(positions: YMap, keys: tuple[str, ...], lines: list[str]) -> set[int] | None:
    """The original lines that setting `positions[keys...]` may change: the value
    replaced, or the flow collection written into (a block one only gains lines);
    None when this is not an edit to make here."""
    for depth, key in enumerate(keys):
        if key not in positions:
            return _flow_lines(positions, lines)
        child = positions[key]
        if depth == len(keys) - 1:
            return _flow_lines(child, lines) if isinstance(child, YSeq) else None if isinstance(child, YMap) else {positions.value_marks[key].line}
        if not isinstance(child, YMap):
            return None
        positions = child
    return None


def _write(mapping: CommentedMap, keys: tuple[str, ...], value: Any) -> bool:
    """Set `mapping[keys...]` to `value` (for a list: add the items it lacks); False
    when there is nothing to write or it is not to be written here."""
    for depth, key in enumerate(keys):
        if mapping.merge:
            return False  # a key may come from a merged mapping that other objects share
        if key not in mapping:
            for outer in reversed(keys[depth + 1:]):
                value = {outer: value}
            mapping[key] = _loaded(value)
            return True
        existing = mapping[key]
        if depth == len(keys) - 1:
            if isinstance(value, list):
                missing = [item for item in value if item not in existing] if isinstance(existing, CommentedSeq) else []
                existing.extend(missing)
                return bool(missing)
            if isinstance(existing, (CommentedMap, CommentedSeq)):
                return False
            mapping[key] = type(existing)(value) if isinstance(existing, _QUOTED) and isinstance(value, str) else value
            return True
        if not isinstance(existing, CommentedMap):
            return False
        mapping = existing
    return False


def _loaded(value: Any) -> Any:
    """A value as the round trip holds it: new mappings and lists in block style (a
    flow parent writes them in flow style all the same)."""
    if isinstance(value, dict):
        return CommentedMap((key, _loaded(item)) for key, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(value)
    return value


def _flow_lines(node: YMap | YSeq, lines: list[str]) -> set[int]:
    """The lines of `node` when it is a flow collection (the dump writes it anew);
    none for a block one, which only gains lines."""
    mark = node.mark
    if lines[mark.line - 1][mark.column - 1: mark.column] in ("{", "["):
        return set(range(mark.line, node.end_line + 1))
    return set()


def _only_touches(edits: tuple[Edit, ...], allowed: set[int], lines: list[str]) -> bool:
    """True when the edits change no original line outside `allowed`, and place no
    new line right after a comment or blank line (it would read as the comment's)."""
    for edit in edits:
        if not _touched(edit, lines) <= allowed:
            return False
        if _adds_whole_lines(edit, lines):
            after = lines[edit.line - 1] if edit.column > 1 else lines[edit.line - 2] if edit.line > 1 else ""
            if not after.strip() or after.lstrip().startswith("#"):
                return False
    return True


def _touched(edit: Edit, lines: list[str]) -> set[int]:
    """The original lines an edit changes: none when it only adds whole lines."""
    if _adds_whole_lines(edit, lines):
        return set()
    last = edit.end_line if edit.end_column > 1 or edit.end_line == edit.line else edit.end_line - 1
    return set(range(edit.line, last + 1))


def _adds_whole_lines(edit: Edit, lines: list[str]) -> bool:
    """An insertion at a line's start that ends with a newline, or at its end that
    starts with one."""
    if (edit.line, edit.column) != (edit.end_line, edit.end_column):
        return False
    line = lines[edit.line - 1].removesuffix("\r") if edit.line <= len(lines) else ""
    return (edit.column == 1 and edit.text.endswith("\n")) or (edit.column == len(line) + 1 and edit.text.startswith(("\n", "\r\n")))
