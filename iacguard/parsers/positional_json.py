"""JSON documents whose objects and arrays find their positions only when asked.

ARM templates are large (the corpus's 729 average 30 kB) and rules read a small part
of them: the resources of a few types. `json.loads` reads them in C about thirty
times faster than building every position through the YAML layer (0.09 s against
2.9 s for the corpus's 22 MB), so values come from `json.loads`, and the positions of
an object's keys and values, or of an array's items, are found the first time a
normalizer asks: by scanning that object's own text, after its ancestors, with the C
decoder stepping over each value. Everything else is never scanned.

`load` returns None for text that `json.loads` does not take (comments, trailing
commas, nesting deeper than the interpreter allows, `NaN`), so the caller can fall
back to the YAML layer, which also reads those and reports real errors with lines.
The values and marks are those the YAML layer gives for the same valid JSON, apart
from numbers with an exponent, which JSON reads as numbers and YAML 1.1 as text.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from json.decoder import scanstring

from iacguard.errors import ParseError
from iacguard.lazy import regex
from iacguard.parsers.documents import Document, Mark, YamlFile, YMap, YSeq

_STEP = json.JSONDecoder().raw_decode  # a value's end, at C speed
_SPACE = regex(r"[ \t\n\r]*")


class _Text:
    """The document's text, and where its lines start (computed on first use)."""

    __slots__ = ("text", "line_starts")

    def __init__(self, text: str):
        self.text = text
        self.line_starts: list[int] | None = None

    def mark(self, offset: int) -> Mark:
        if self.line_starts is None:
            self.line_starts = [0, *(match.end() for match in re.finditer("\n", self.text))]
        index = bisect_right(self.line_starts, offset) - 1
        return Mark(index + 1, offset - self.line_starts[index] + 1)

    def skip_space(self, offset: int) -> int:
        return _SPACE.match(self.text, offset).end()


class _Located:
    """What JsonMap and JsonSeq share: a parent, and an offset that the parent's
    scan fills in (the root's is known from the start)."""

    __slots__ = ()

    def _scanned(self):
        """This container's positions, scanning it (and first any ancestor not yet
        scanned, top down, without recursion) on first use."""
        if self._positions is None:
            pending = [self]
            while pending[-1]._offset is None:
                pending.append(pending[-1]._parent)
            for container in reversed(pending):
                if container._positions is None:
                    container._positions = container._scan()
        return self._positions

    def __getstate__(self):
        """Copies and pickles carry the position state; YMap's own slots are
        properties here and cannot be set."""
        return None, {name: getattr(self, name) for name in ("_text", "_parent", "_offset", "_positions")}

    @staticmethod
    def _adopt(child, offset: int) -> None:
        if isinstance(child, _Located):
            child._offset = offset


class JsonMap(_Located, YMap):
    """A JSON object; `mark`, `end_line`, `key_marks` and `value_marks` as in YMap."""

    __slots__ = ("_text", "_parent", "_offset", "_positions")

    mark = property(lambda self: self._scanned()[0])
    end_line = property(lambda self: self._scanned()[1])
    key_marks = property(lambda self: self._scanned()[2])
    value_marks = property(lambda self: self._scanned()[3])

    def _scan(self) -> tuple[Mark, int, dict, dict]:
        source, text = self._text, self._text.text
        key_marks, value_marks = {}, {}
        position = source.skip_space(self._offset + 1)
        while text[position] == '"':
            key, after_key = scanstring(text, position + 1)
            value_start = source.skip_space(source.skip_space(after_key) + 1)  # past the colon
            key_marks[key], value_marks[key] = source.mark(position), source.mark(value_start)
            self._adopt(self[key], value_start)  # with duplicate keys the last one is kept, as in the dict
            position = source.skip_space(_STEP(text, value_start)[1])
            if text[position] == ",":
                position = source.skip_space(position + 1)
        return source.mark(self._offset), source.mark(position).line, key_marks, value_marks


class JsonSeq(_Located, YSeq):
    """A JSON array; `mark`, `end_line` and `item_marks` as in YSeq."""

    __slots__ = ("_text", "_parent", "_offset", "_positions")

    mark = property(lambda self: self._scanned()[0])
    end_line = property(lambda self: self._scanned()[1])
    item_marks = property(lambda self: self._scanned()[2])

    def _scan(self) -> tuple[Mark, int, list]:
        source, text = self._text, self._text.text
        item_marks = []
        position = source.skip_space(self._offset + 1)
        for index, item in enumerate(self):
            if index:
                position = source.skip_space(position + 1)  # past the comma
            item_marks.append(source.mark(position))
            self._adopt(item, position)
            position = source.skip_space(_STEP(text, position)[1])
        return source.mark(self._offset), source.mark(position).line, item_marks


def load(text: str) -> YamlFile | None:
    """The JSON document with positions on demand, or None when `json.loads` does not
    read it (the YAML layer then decides)."""
    source = _Text(text)

    def container(value, parent):
        if isinstance(value, list):
            seq = JsonSeq(container(item, None) for item in value)
            seq._text, seq._parent, seq._offset, seq._positions = source, parent, None, None
            for item in seq:
                if isinstance(item, _Located):
                    item._parent = seq
            return seq
        if isinstance(value, JsonMap):
            value._parent = parent
        return value

    def mapping(pairs: list) -> JsonMap:
        result = JsonMap()
        result._text, result._parent, result._offset, result._positions = source, None, None, None
        for key, value in pairs:
            result[key] = container(value, result) if isinstance(value, (list, JsonMap)) else value
        return result

    try:
        root = container(json.loads(text, object_pairs_hook=mapping, parse_constant=_refuse), None)
    except (ValueError, RecursionError):
        return None
    start = source.skip_space(0)
    end = len(text.rstrip()) - 1
    if isinstance(root, _Located):
        root._offset = start
    documents = [Document(root, source.mark(start), source.mark(end).line)] if root is not None else []  # as the YAML layer
    return YamlFile(documents, [], {})


def _refuse(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse(text: str) -> YamlFile:
    """`load` for formats that are JSON and nothing else: text that `json.loads` does
    not read raises ParseError at its first error."""
    loaded = load(text)
    if loaded is not None:
        return loaded
    try:
        json.loads(text, parse_constant=_refuse)
    except json.JSONDecodeError as error:
        raise ParseError(error.msg, error.lineno, error.colno) from None
    except ValueError as error:  # NaN, Infinity
        raise ParseError(str(error), 1, 1) from None
    except RecursionError:
        pass
    raise ParseError("nested too deeply", 1, 1)  # for `json.loads`, or for `load`'s positions
