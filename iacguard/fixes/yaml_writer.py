"""Writing a setting into a Kubernetes manifest: through ruamel.yaml's round trip
(`iacguard.fixes.yaml_roundtrip`) when its result changes only the edit's lines, else
as a minimal text edit.

The positional tree (`iacguard.parsers.documents`) knows where every key, value and item
stands, so a setting is written at a known place: a value the file sets is replaced
where it stands; a missing key is inserted, with the keys that lead to it, as new
lines after the last line of the deepest mapping that exists, indented like that
mapping's keys and nested as the resource's object nests (`yaml_style.style_of`); an
item is added to a list after its last item (or after `[` in a flow list). No other
line changes, which is the promise a fix makes. This is the fallback when the round
trip would re-indent or re-quote a line it did not need to touch. Flow mappings
(`{...}`) are written into by the round trip only.

Neither writes into what the resource reaches through an alias (`securityContext: *sc`)
or a merge key (`<<: *base`): that node is written elsewhere, for another object too
(another container, or the pod, whose security context has other fields), and a
setting written there would change that object as well, or be written twice into one
mapping when both objects are fixed (a duplicate key, which kubectl rejects).
"""

from __future__ import annotations

import json
import re
from typing import Any

from iacguard.fixes import ROUND_TRIP, TEXT_EDIT, Edit, Setting, Written, line_ending
from iacguard.fixes.azure_writer import JSON, set_member
from iacguard.fixes.yaml_roundtrip import round_trip_edits
from iacguard.fixes.yaml_style import DEFAULT_STYLE, Style, style_of
from iacguard.lazy import regex
from iacguard.model import Resource
from iacguard.parsers.documents import Mark, YMap, YSeq

# Where a fix writes each canonical attribute, under the container or the pod spec.
# A fix writes the container's own setting even when the value came from the pod's
# security context: the container's wins, and the pod's other containers keep theirs.
SETTING_PATHS = {
    ("container", "allow_privilege_escalation"): ("securityContext", "allowPrivilegeEscalation"),
    ("container", "run_as_non_root"): ("securityContext", "runAsNonRoot"),
    ("container", "read_only_root_filesystem"): ("securityContext", "readOnlyRootFilesystem"),
    ("container", "seccomp_profile"): ("securityContext", "seccompProfile", "type"),
    ("container", "capabilities_drop"): ("securityContext", "capabilities", "drop"),
    ("container", "image_pull_policy"): ("imagePullPolicy",),
    ("pod", "automount_service_account_token"): ("automountServiceAccountToken",),
}
_PLAIN = regex(r"[A-Za-z][A-Za-z0-9_./-]*")
# Plain words that YAML 1.1 reads as something else than a string.
_NOT_STRINGS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_SCALAR_END = regex(r"\s+#|\s*[,\]}]|\s*$")
_BLOCK_SCALAR = regex(r"(?:[!&]\S*\s+)*[|>]")  # a block scalar's indicator, after a tag or anchor
_FLOW_MAPPING = regex(r"(?:[!&]\S*\s+)*\{")  # a flow mapping's opening brace, after a tag or anchor
_QUOTE = regex(r"(?:[!&]\S*\s+)*([\"'])")  # a quoted scalar's opening quote
# A quoted scalar's text up to its closing quote (or the line's end): escapes in
# double quotes, a doubled quote in single ones.
_DOUBLE_QUOTED_REST = regex(r'(?:[^"\\]|\\.?)*')
_SINGLE_QUOTED_REST = regex(r"(?:[^']|'')*")


def setting_edits(resource: Resource, setting: Setting, text: str) -> tuple[Edit, ...] | None:
    """The edits that give the resource's container or pod `setting`, or None when
    the file is not written in a way this can edit."""
    keys = SETTING_PATHS.get((resource.kind, setting.attribute))
    owner = _owner(resource)
    if keys is None or owner is None:
        return None
    if text.lstrip().startswith(("{", "[")):  # a manifest written as JSON: its object syntax
        edits = set_member(owner, list(keys), setting.value, text.split("\n"), JSON)
        return None if edits is None else Written(edits, TEXT_EDIT)
    lines = text.split("\n")
    if not _written_in_place(owner, keys, lines):
        return None
    edits = round_trip_edits(owner, keys, setting.value, text)
    if edits is not None:
        return Written(edits, ROUND_TRIP)
    edits = set_in(owner, keys, setting.value, lines, style_of(resource.native, lines))
    return None if edits is None else Written(edits, TEXT_EDIT)


def set_in(mapping: YMap, keys: tuple[str, ...], value: Any, lines: list[str], style: Style | None = None) -> tuple[Edit, ...] | None:
    """Edits that make `mapping[keys...]` hold `value` (for a list: hold its items);
    new lines are nested in `style` (`yaml_style.style_of`)."""
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        if key not in mapping:
            return _insert(mapping, keys[depth:], value, lines, style or DEFAULT_STYLE)
        if last:
            existing = mapping[key]
            if isinstance(value, list):
                return _add_items(existing, [item for item in value if item not in (existing or ())], lines) if isinstance(existing, YSeq) else None
            mark = mapping.value_marks[key]
            return _replace_scalar(lines, mark.line, mark.column, _scalar(value))
        mapping = mapping[key]
        if not isinstance(mapping, YMap):
            return None
    return None


def _written_in_place(mapping: YMap, keys: tuple[str, ...], lines: list[str]) -> bool:
    """True when every key of `keys` that the mapping has (and the mappings on the
    way) is written in its mapping with its value: neither brought in by a merge key
    nor given an alias as its value."""
    for key in keys:
        if key not in mapping:
            return True
        if key not in _own_keys(mapping, lines) or _at(mapping.value_marks[key]) < _at(mapping.key_marks[key]):
            return False  # an alias's value has its anchor's mark, before the key
        mapping = mapping[key]
        if not isinstance(mapping, YMap):
            return True
    return True


def _own_keys(mapping: YMap, lines: list[str]) -> list[str]:
    """The keys written in the mapping itself, in the file's order. A merge key
    (`<<: *base`) brings its source's keys with their marks: outside the mapping
    (an anchor comes before its alias), or nested deeper than the mapping's own keys
    (a source written in place, `<<:` followed by its keys)."""
    inside = [key for key, mark in mapping.key_marks.items() if _at(mapping.mark) <= _at(mark) and mark.line <= mapping.end_line]
    if not inside or _FLOW_MAPPING.match(lines[mapping.mark.line - 1], mapping.mark.column - 1):
        return inside
    column = min(mapping.key_marks[key].column for key in inside)  # a block mapping's keys stand at one column
    return [key for key in inside if mapping.key_marks[key].column == column]


def _owner(resource: Resource) -> YMap | None:
    """The container or pod-spec mapping the resource was read from: the container
    whose `name` value (or, unnamed, whose own start) is the resource's head; the
    pod spec whose `spec:` key is."""
    head = (resource.location.line, resource.location.column)
    for mapping in _mappings(resource.native):
        if resource.kind == "pod" and isinstance(mapping.get("spec"), YMap) and _at(mapping.key_marks["spec"]) == head:
            return mapping["spec"]
        if resource.kind == "container" and _at(mapping.value_marks.get("name", mapping.mark)) == head:
            return mapping
    return None


def _mappings(node: Any):
    """Every mapping in a tree, depth first; a shared (aliased) node once."""
    stack, seen = [node], set()
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node, (YMap, YSeq)):
            continue
        seen.add(id(node))
        if isinstance(node, YMap):
            yield node
            stack.extend(node.values())
        else:
            stack.extend(node)


def _at(mark) -> tuple[int, int]:
    return mark.line, mark.column


def _insert(mapping: YMap, keys: tuple[str, ...], value: Any, lines: list[str], style: Style) -> tuple[Edit, ...] | None:
    """New lines for `keys: value` after the mapping's last line, at its keys'
    indentation, nested in the file's `style`."""
    if not mapping:
        return None
    first = next(iter(mapping.key_marks.values()))
    prefix = lines[first.line - 1][: first.column - 1]
    if prefix.strip(" -"):  # the keys do not start their lines: a flow mapping
        return None
    nested, dash, item = style
    new = []
    for depth, key in enumerate(keys):
        column = len(prefix) + nested * depth
        if depth < len(keys) - 1:
            new.append(f"{' ' * column}{key}:")
        elif isinstance(value, list):
            new.append(f"{' ' * column}{key}:")
            new += [f"{' ' * (column + dash)}-{' ' * max(1, item - dash - 1)}{_scalar(element)}" for element in value]
        else:
            new.append(f"{' ' * column}{key}: {_scalar(value)}")
    return (_after_line(lines, _last_line(mapping, lines), new),)


def _add_items(sequence: YSeq, items: list, lines: list[str]) -> tuple[Edit, ...] | None:
    if not items:
        return None
    start = lines[sequence.mark.line - 1]
    if start[sequence.mark.column - 1: sequence.mark.column] == "[":
        tail = ", " if sequence else ""
        return (Edit.insert(sequence.mark.line, sequence.mark.column + 1, ", ".join(map(_scalar, items)) + tail),)
    first = sequence.item_marks[0]
    dash = lines[first.line - 1].rfind("-", 0, first.column - 1)
    if dash < 0 or lines[first.line - 1][:dash].strip():
        return None
    new = [f"{' ' * dash}- {_scalar(item)}" for item in items]
    return (_after_line(lines, _last_line(sequence, lines), new),)


def _last_line(node: YMap | YSeq, lines: list[str]) -> int:
    """The node's last line of content: its end, less the comment and blank lines the
    parser counts to it when they come before the next key. Only lines that cannot
    belong to its last value: a line starting with `#` indented deeper than that
    value's line may be its text (a block scalar's, a quoted string's), and a blank
    line after a block scalar may be kept by it (`|+`)."""
    end = min(node.end_line, len(lines))
    last = _last_value(node, lines)
    if last is None:
        return end
    text = lines[last.line - 1]
    indentation = len(text) - len(text.lstrip(" "))
    block = _BLOCK_SCALAR.match(text, last.column - 1) is not None
    while end > _quoted_end(lines, last):
        line = lines[end - 1]
        comment = line.lstrip().startswith("#") and len(line) - len(line.lstrip(" ")) <= indentation
        if not (comment or not line.strip() and not block):
            break
        end -= 1
    return end


def _quoted_end(lines: list[str], mark: Mark) -> int:
    """The line where the value starting at `mark` ends when it is a quoted string
    (its continuation lines may start with `#`, at any indentation); else its own."""
    text = lines[mark.line - 1]
    opening = _QUOTE.match(text, mark.column - 1)
    if opening is None:
        return mark.line
    quote, line, position = opening.group(1), mark.line, opening.end()
    while line <= len(lines):
        closing = (_DOUBLE_QUOTED_REST if quote == '"' else _SINGLE_QUOTED_REST).match(lines[line - 1], position)
        if closing.end() < len(lines[line - 1]):
            return line
        line, position = line + 1, 0
    return len(lines)


def _last_value(node: YMap | YSeq, lines: list[str]) -> Mark | None:
    """Where the node's last value starts, within a last value that is a collection
    written in place, that one's; None when it is not known (an aliased item)."""
    while True:
        if isinstance(node, YMap):
            own = _own_keys(node, lines)
            if not own:
                return None
            key = max(own, key=lambda name: (node.key_marks[name].line, node.key_marks[name].column))
            mark, value = node.value_marks[key], node[key]
            if (mark.line, mark.column) < (node.key_marks[key].line, node.key_marks[key].column):
                return node.key_marks[key]  # an alias, on its key's line; the mark is its anchor's
        else:
            if not node:
                return None
            mark, value = node.item_marks[-1], node[-1]
            if not node.mark.line <= mark.line <= node.end_line:
                return None
        if not isinstance(value, (YMap, YSeq)) or not value or value.mark != mark:
            return mark
        node = value


def _after_line(lines: list[str], line: int, new: list[str]) -> Edit:
    """An insertion of whole lines after `line`, in the file's line endings."""
    text = lines[line - 1]
    newline = line_ending(lines)
    column = len(text.removesuffix("\r")) + 1
    return Edit.insert(line, column, "".join(newline + added for added in new))


def _replace_scalar(lines: list[str], line: int, column: int, replacement: str) -> tuple[Edit, ...] | None:
    """The plain or quoted scalar at (line, column) replaced."""
    text = lines[line - 1].removesuffix("\r")
    rest = text[column - 1:]
    if rest[:1] in ("'", '"'):
        match = re.match(r"'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\"", rest)
    elif rest[:1] in ("|", ">", "[", "{", "&", "*", "!", ""):
        return None
    else:
        match = re.match(r".*?(?=" + _SCALAR_END.pattern + ")", rest)
    if match is None or not match.group(0):
        return None
    return (Edit(line, column, line, column + len(match.group(0)), replacement),)


def _scalar(value: Any) -> str:
    """A value as a YAML scalar that reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _NOT_STRINGS:
        return text
    return json.dumps(text)
