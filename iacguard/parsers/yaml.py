"""YAML documents with the position of every key, value and item.

Uses PyYAML's composer (libyaml's C composer when available) and builds plain
Python values from its nodes, keeping marks on the side. Measured on the corpus's
1,520 YAML files: 18 MB/s for the C composer, against 7 MB/s for ruamel.yaml's
fastest positional path and 0.6 MB/s for its round-trip loader. PyYAML resolves
YAML 1.1 as Kubernetes does (`yes` is true, `0644` is 420).

The builder runs once for every node, so it is written for speed (one pass, marks
made once, tags resolved from a memo, where a node ends worked out once, the garbage
collector paused while the file's objects are made): on the corpus's Kubernetes YAML,
reading a file takes about 1.3 times as long as PyYAML's C composer alone
(`benchmarks/bench.py --only formats`).

Nothing is ever constructed from tags: unknown tags leave the scalar as text, and
where a local tag (`!reset`, `!override`: Compose's merge directives) was written is
kept in `YamlFile.tags`, by the position of the node it marks.
Aliases share the built value. The expanded size of every node is counted once
(memoised), so a document whose alias expansion would exceed `MAX_NODES` (a "billion
laughs" document) is refused at the cost of its written size.
"""

from __future__ import annotations

import bisect
import itertools
import sys
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode, SequenceNode
from yaml.tokens import ScalarToken

from iacguard.budgets import collector_paused
from iacguard.errors import ParseError
from iacguard.formats import Comment
from iacguard.lazy import regex
from iacguard.parsers.documents import Document, Mark, YamlFile, YMap, YSeq, new_mark

MAX_NODES = 1_000_000
_CONSTRUCTOR = SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
# Plain scalars repeat (`name`, `true`, `ClusterIP`): the tag each resolves to is kept
# for the short ones, up to a bound, for the life of the process.
_RESOLVED_LENGTH, _RESOLVED_COUNT = 64, 10_000
_resolved: dict[str, str] = {}


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, resolving tags faster. The composer asks for the tag of every
    node: a quoted scalar is a string without a look at its text, a plain one's tag
    depends on its text alone (the safe loader has no path resolvers, whose
    bookkeeping at each level is skipped). A third of the composer's time went there."""

    def resolve(self, kind, value, implicit):
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return _STR
        tag = _resolved.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= _RESOLVED_LENGTH and len(_resolved) < _RESOLVED_COUNT:
                _resolved[value] = tag
        return tag

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


_SOURCE = regex(r"^#\s*Source:\s*(\S.*?)\s*$")


def load(text: str) -> YamlFile:
    """Parse every document of a YAML stream. Raises ParseError on invalid YAML."""
    lines = text.split("\n")
    builder = _Builder(lines)
    documents = []
    with collector_paused():  # the builder makes a young object per key, value and item: collecting them as they are made costs a third of its time, and they are all kept
        try:
            for node in yaml.compose_all(text, Loader=Loader):
                if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):
                    continue
                builder.start_document()
                root = builder.build(node)
                if builder.expanded_size(node) > MAX_NODES:
                    raise ParseError(f"more than {MAX_NODES:,} nodes after alias expansion", node.start_mark.line + 1)
                builder.span(node)
                documents.append(Document(root, _mark(node.start_mark), builder.end_line(node)))
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or error.context or "invalid YAML"
            raise ParseError(problem, mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
        except yaml.YAMLError as error:
            raise ParseError(str(error).splitlines()[0]) from None
        except UnicodeEncodeError:  # libyaml takes UTF-8: a lone surrogate (editor buffers, plugins) cannot reach it
            raise ParseError("text holds a lone surrogate, which is not Unicode text") from None
    comments = _comments(text, lines, (builder.text_lines, builder.multi_line))
    _attach_sources(documents, comments)
    return YamlFile(documents, comments, builder.spans, builder.duplicates, builder.tags)


class _Builder:
    """Builds values from composed nodes. It runs once for every node of every YAML
    file, so it is written for speed: one pass, marks made once, and the expanded
    size counted on the way (walked again only for a document with shared nodes)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.built: dict[int, Any] = {}  # id(node) -> value, for aliases within a document
        self.sizes: dict[int, int] = {}  # id(node) -> size with aliases expanded
        self.spans: dict[int, int] = {}
        self.text_lines: set[int] = set()  # lines inside multi-line scalars
        self.multi_line: list[tuple[int, int, str | None]] = []  # and where they are: start, end, style
        self.duplicates: list[tuple[str, Mark]] = []
        self.tags: dict[tuple[int, int], str] = {}
        self.nodes = 0  # nodes built in the document, each alias's as often as it is used
        self.shared = False  # an alias in the document names a collection built already

    def start_document(self) -> None:
        self.built.clear()  # anchors are per document, and node ids get reused
        self.sizes.clear()
        self.nodes, self.shared = 0, False

    def build(self, node) -> Any:
        self.nodes += 1
        if node.__class__ is ScalarNode:
            return self.scalar(node)
        known = self.built.get(id(node))
        if known is not None:
            self.shared = True
            return known
        start = node.start_mark
        if node.tag[0] == "!":
            self.tags[(start.line + 1, start.column + 1)] = node.tag
        spans = self.spans
        if node.__class__ is SequenceNode:
            items = YSeq()
            item_marks: list[Mark] = []
            items.mark, items.end_line, items.item_marks = new_mark((start.line + 1, start.column + 1, None)), self.end_line(node), item_marks
            self.built[id(node)] = items
            for child in node.value:
                value = self.build(child)
                items.append(value)
                child_start = child.start_mark
                line = child_start.line + 1
                if child.__class__ is ScalarNode or not isinstance(value, (YMap, YSeq)) or value.mark.line != line:
                    item_marks.append(new_mark((line, child_start.column + 1, None)))
                    child_end = line if child.end_mark.line == child_start.line else self.end_line(child)  # most items fit on their line
                else:  # the collection just built starts where the item does
                    item_marks.append(value.mark)
                    child_end = value.end_line
                if spans.get(line, 0) < child_end:
                    spans[line] = child_end
            return items
        mapping = YMap()
        key_marks: dict[Any, Mark] = {}
        value_marks: dict[Any, Mark] = {}
        mapping.mark, mapping.end_line, mapping.key_marks, mapping.value_marks = new_mark((start.line + 1, start.column + 1, None)), self.end_line(node), key_marks, value_marks
        self.built[id(node)] = mapping
        merged: list[YMap] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.nodes += 2 if value_node.__class__ is SequenceNode else 1  # the `<<` key, and a list of sources
                merged.extend(self._merge_sources(value_node))
                continue
            if key_node.__class__ is ScalarNode and key_node.tag == _STR and key_node.start_mark.line == key_node.end_mark.line:
                self.nodes += 1
                key = key_node.value
            else:
                key = self.build(key_node)
                key = key if isinstance(key, (str, int, float, bool)) or key is None else str(key_node.value)
            key_start = key_node.start_mark
            line = key_start.line + 1
            key_mark = new_mark((line, key_start.column + 1, None))
            if key in mapping:
                self.duplicates.append((str(key), key_mark))
            value_start = value_node.start_mark
            if value_node.__class__ is ScalarNode and value_node.tag == _STR and value_start.line == value_node.end_mark.line:
                self.nodes += 1  # a one-line string, the most common value: built here
                mapping[key] = value_node.value
                value_end = value_start.line + 1
            else:
                value = mapping[key] = self.build(value_node)
                if value.__class__ is YMap or value.__class__ is YSeq:
                    value_end = value.end_line  # its node's, worked out as it was built
                else:
                    value_end = value_start.line + 1 if value_node.end_mark.line == value_start.line else self.end_line(value_node)
            key_marks[key] = key_mark
            value_marks[key] = new_mark((value_start.line + 1, value_start.column + 1, None))
            if spans.get(line, 0) < value_end:
                spans[line] = value_end
        for source in merged:
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
                    key_marks[key] = source.key_marks[key]
                    value_marks[key] = source.value_marks[key]
        return mapping

    def expanded_size(self, node) -> int:
        """Nodes in the document once aliases are expanded, counted without expanding:
        as many as were built, unless a collection was shared."""
        if not self.shared:
            return self.nodes
        return self._expanded_size(node)

    def _expanded_size(self, node) -> int:
        if isinstance(node, ScalarNode):
            return 1
        known = self.sizes.get(id(node))
        if known is None:
            children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
            self.sizes[id(node)] = known = 1 + sum(self._expanded_size(child) for child in children)
        return known

    def _merge_sources(self, node) -> list[YMap]:
        sources = [self.build(node)] if not isinstance(node, SequenceNode) else [self.build(n) for n in node.value]
        return [source for source in sources if isinstance(source, YMap)]

    def scalar(self, node: ScalarNode) -> Any:
        start, end = node.start_mark, node.end_mark
        if start.line != end.line:
            self.text_lines.update(range(start.line + 1, end.line + 2))
            self.multi_line.append((start.index, end.index, node.style))
        tag = node.tag
        if tag == _STR:
            return node.value
        # The safe constructor's own function for the tag, called directly:
        # `construct_object` would also keep every node it ever saw.
        construct = _CONSTRUCTOR.yaml_constructors.get(tag)
        if construct is None:
            if tag[0] == "!":
                self.tags[(start.line + 1, start.column + 1)] = tag
            return node.value
        try:
            value = construct(_CONSTRUCTOR, node)
        except (ConstructorError, ValueError, TypeError):
            return node.value
        return value if isinstance(value, (str, int, float, bool)) or value is None else node.value

    def span(self, node, end_line: int | None = None) -> None:
        """Record that a statement starting on the node's line runs to `end_line`:
        a key to the end of its value, a list item or a document to its own end."""
        line = node.start_mark.line + 1
        self.spans[line] = max(self.spans.get(line, 0), end_line or self.end_line(node))

    def end_line(self, node) -> int:
        """The last line a node occupies. A block node's end mark is where the next
        token starts, so when only indentation precedes it, the node ended on the
        line before."""
        end = node.end_mark
        if end.line > node.start_mark.line and end.line < len(self.lines) and not self.lines[end.line][: end.column].strip():
            return end.line
        return end.line + 1


def _mark(mark) -> Mark:
    return Mark(mark.line + 1, mark.column + 1)


def comments(text: str) -> list[Comment]:
    """The `#` comments of text that may stop being YAML part of the way (a Helm
    template, its actions made plain text): none past where PyYAML's scanner stops,
    since from there on a `#` may be a scalar's text."""
    return _comments(text, text.split("\n"), None)


def _comments(text: str, lines: list[str], composed: tuple[set[int], list[tuple[int, int, str | None]]] | None) -> list[Comment]:
    """The `#` comments of YAML text. A `#` at a line's start or after a blank starts
    one, unless a quoted or block scalar holds it (a plain scalar cannot: `a#b` is
    text, and ` #` ends it). Escapes (`"a\\" #"`, `'it''s #'`), quotes over several
    lines and block scalars' indentation are for a YAML reader to read, so:
    `composed`, from the composed nodes, gives the lines of scalars that span lines
    and where those scalars are; a scalar on one line can only hold a `#` that a
    quote precedes on its line, and PyYAML's scanner says where those are. Without
    `composed` (text that was not composed), the scanner says where every scalar is."""
    if "#" not in text:
        return []
    text_lines, multi_line = composed or (None, [])
    if text_lines is not None and _other_breaks(text):
        text_lines = None  # the marks count lines that `split("\n")` does not
    comments, unsure = [], []
    for number, line in enumerate(lines, 1):
        if "#" not in line or (match := _HASH.search(line)) is None:
            continue
        column = match.start()
        if text_lines is None or number in text_lines or "'" in line[:column] or '"' in line[:column]:
            unsure.append(number)
        else:
            comments.append(_comment(number, line, column))
    if not unsure:
        return comments
    starts = [0, *itertools.accumulate(len(line) + 1 for line in lines)]
    spanning = _Spans([(_content_start(text, start, style), end) for start, end, style in multi_line])
    scanned = None
    for number in unsure:
        line, offset = lines[number - 1], starts[number - 1]
        for match in _HASH.finditer(line):
            column = match.start()
            if spanning.hold(offset + column):
                continue
            if composed is None or "'" in line[:column] or '"' in line[:column]:
                scanned = scanned or _scanned(text, starts[unsure[-1]])
                if scanned.hold(offset + column):
                    continue
            comments.append(_comment(number, line, column))
            break
    return sorted(comments, key=lambda comment: comment.line)


def _comment(number: int, line: str, column: int) -> Comment:
    return Comment(number, column + 1, line[column:].rstrip(), not line[:column].strip())


# A `#` that starts a comment unless a scalar holds it: at a line's start or after a blank.
_HASH = regex(r"(?<![^ \t])#")
_LINE_BREAK = regex(r"[\r\n\x85\u2028\u2029]")  # YAML 1.1's (PyYAML's)


def _other_breaks(text: str) -> bool:
    """Whether PyYAML breaks lines where `split("\\n")` does not (a lone `\\r`, NEL,
    U+2028, U+2029). Four searches for one character are faster than one pattern."""
    return "\x85" in text or "\u2028" in text or "\u2029" in text or ("\r" in text and text.count("\r") != text.count("\r\n"))


def _content_start(text: str, start: int, style: str | None) -> int:
    """Where a scalar's text starts: a block scalar's after its header line, whose
    `# ...` is a comment."""
    if style not in ("|", ">"):
        return start
    header_end = _LINE_BREAK.search(text, start)
    return header_end.start() if header_end else len(text)


class _Spans:
    """Character ranges of a text that scalars hold; from `known` on, every position
    counts as held (what follows text that is not YAML is not known)."""

    def __init__(self, spans: list[tuple[int, int]], known: int = sys.maxsize) -> None:
        spans.sort()
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]
        self.known = known

    def hold(self, index: int) -> bool:
        if index >= self.known:
            return True
        at = bisect.bisect_right(self.starts, index) - 1
        return at >= 0 and index < self.ends[at]


def _scanned(text: str, end: int) -> _Spans:
    """Where PyYAML's scanner finds scalars in the text, read up to `end`."""
    spans, known = [], 0
    try:
        for token in yaml.scan(text, Loader=Loader):
            known = token.start_mark.index
            if known > end:
                break
            if token.__class__ is ScalarToken:
                spans.append((_content_start(text, known, token.style), token.end_mark.index))
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return _Spans(spans, known)


def _attach_sources(documents: list[Document], comments: list[Comment]) -> None:
    """Give each document the `# Source:` comment of `helm template` that precedes it."""
    sources = [(comment.line, match.group(1)) for comment in comments if comment.own_line and (match := _SOURCE.match(comment.text))]
    previous_end = 0
    for document in documents:
        candidates = [name for line, name in sources if previous_end <= line < document.mark.line]
        if candidates:
            document.source = candidates[-1]
        previous_end = document.end_line
