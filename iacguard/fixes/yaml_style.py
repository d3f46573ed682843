"""How a YAML text nests, read from the positional tree, for both ways of writing a
fix: the round trip dumps a document nested as that document is
(`yaml_roundtrip`), and the text edit nests its new lines as the object it writes
into is (`yaml_writer`). One reading, so that both agree where they look at the same
lines."""

from __future__ import annotations

from typing import Any

from iacguard.parsers.documents import YMap, YSeq

# How a text nests, each counted from the column of the key above: a mapping's keys,
# a list's dash, a list item's value. Kubernetes' documentation writes (2, 2, 4).
Style = tuple[int, int, int]
DEFAULT_STYLE: Style = (2, 2, 4)


def style_of(root: Any, lines: list[str]) -> Style:
    """The `Style` that the tree `root` (a document's, or an object's within one)
    shows, read from its first mapping and its first list written in block style
    below a key; the default for what it does not show. `lines` are the text's."""
    nested = dash = item = None
    stack, seen = [root], set()
    while stack and (nested is None or dash is None):
        node = stack.pop()
        if id(node) in seen or not isinstance(node, (YMap, YSeq)):
            continue
        seen.add(id(node))
        if isinstance(node, YSeq):
            stack.extend(reversed(node))
            continue
        for key, child in node.items():
            key_mark = node.key_marks.get(key)
            if key_mark is not None and isinstance(child, YMap) and child and child.mark.line > key_mark.line and nested is None:
                nested = next(iter(child.key_marks.values())).column - key_mark.column
            elif key_mark is not None and isinstance(child, YSeq) and child and child.mark.line > key_mark.line and dash is None:
                first = child.item_marks[0]
                found = lines[first.line - 1].rfind("-", 0, first.column - 1) if 0 < first.line <= len(lines) else -1
                if found >= 0 and not lines[first.line - 1][:found].strip():
                    dash, item = found + 1 - key_mark.column, first.column - key_mark.column
        stack.extend(reversed(list(node.values())))
    listed = dash is not None and 0 <= dash < item
    return (nested if nested is not None and nested > 0 else DEFAULT_STYLE[0],
            dash if listed else DEFAULT_STYLE[1], item if listed else DEFAULT_STYLE[2])
