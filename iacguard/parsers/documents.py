"""The positioned documents every reader of YAML and JSON builds: mappings and
sequences that know where each key, value and item is written (`YMap`, `YSeq`, their
`Mark`s), and the file's documents with its comments and statement spans
(`YamlFile`). Kept apart from the YAML reader (`iacguard.parsers.yaml`): JSON, ARM,
Bicep and Terraform values are built of them too, and importing PyYAML, whose reader
compiles a pattern over all of Unicode, took 10 ms of every process that scans them.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from iacguard.formats import Comment
from iacguard.structs import field, struct


class Mark(NamedTuple):
    """A 1-based position. `path` names the file when it is not the one being read:
    a Kustomize build assembles objects from several files. (A named tuple: the YAML
    builder makes one for every key, value and item, and a tuple is made in a third
    of the time of a frozen struct.)"""

    line: int
    column: int
    path: str | None = None


# `Mark(line, column)` without the Python frame of the named tuple's constructor,
# given every field in one tuple: `new_mark((line, column, None))`. The builder makes
# one for every key, value and item, the Bicep evaluator two for every property.
new_mark = functools.partial(tuple.__new__, Mark)


class YMap(dict):
    """A mapping that knows where it starts and where each key and value stands."""

    __slots__ = ("mark", "end_line", "key_marks", "value_marks")


class YSeq(list):
    """A sequence that knows where it starts and where each item stands."""

    __slots__ = ("mark", "end_line", "item_marks")


@struct
class Document:
    root: Any
    mark: Mark
    end_line: int
    source: str | None = None  # Helm: the chart template named by `# Source:`


@struct
class YamlFile:
    documents: list[Document]
    comments: list[Comment]
    spans: dict[int, int]
    duplicate_keys: list[tuple[str, Mark]] = field(default_factory=list)
    tags: dict[tuple[int, int], str] = field(default_factory=dict)  # (line, column) of a node -> its local tag
