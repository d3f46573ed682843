"""The positional YAML layer under the Kubernetes format."""

import re

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from iacguard.errors import ParseError
from iacguard.parsers.documents import Mark
from iacguard.parsers import yaml as positional_yaml
from iacguard.parsers.yaml import MAX_NODES


def test_marks_for_keys_values_and_items():
    loaded = positional_yaml.load("a: 1\nb:\n  - x\n  - {c: d}\n")
    root = loaded.documents[0].root
    assert root.key_marks["b"] == Mark(2, 1) and root.value_marks["a"] == Mark(1, 4)
    assert root["b"].item_marks == [Mark(3, 5), Mark(4, 5)]
    assert root["b"][1].value_marks["c"] == Mark(4, 9)


def test_yaml_1_1_scalars_as_kubernetes_reads_them():
    root = positional_yaml.load("a: yes\nb: off\nc: 0644\nd: '0644'\ne: ~\nf: 1.5\ng: 2024-01-01\n").documents[0].root
    assert root == {"a": True, "b": False, "c": 420, "d": "0644", "e": None, "f": 1.5, "g": "2024-01-01"}


def test_tags_are_never_constructed():
    root = positional_yaml.load("a: !!python/object:os.system echo\nb: !Custom 3\n").documents[0].root
    assert root == {"a": "echo", "b": "3"}


def test_local_tags_are_kept_by_the_position_of_their_node():
    loaded = positional_yaml.load("a: !reset []\nb: !reset\nc: !override {k: v}\nd: !!str 5\ne:\n  - !reset x\n")
    assert loaded.documents[0].root == {"a": [], "b": "", "c": {"k": "v"}, "d": "5", "e": ["x"]}
    assert loaded.tags == {(1, 4): "!reset", (2, 4): "!reset", (3, 4): "!override", (6, 5): "!reset"}


def test_anchors_merge_keys_and_documents():
    loaded = positional_yaml.load("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n---\n---\nother: 1\n")
    assert [document.mark.line for document in loaded.documents] == [1, 7]
    assert loaded.documents[0].root["derived"] == {"x": 1, "y": 3}


def test_aliases_do_not_leak_between_documents():
    text = "".join(f"---\nkind: K{i}\nitems: [{{a: {i}}}, {{b: {i}}}]\nref: {{kind: R{i}}}\n" for i in range(200))
    for i, document in enumerate(positional_yaml.load(text).documents):
        assert document.root["ref"] == {"kind": f"R{i}"}


def test_duplicate_keys_are_recorded():
    loaded = positional_yaml.load("name: a\nname: b\n")
    assert loaded.documents[0].root == {"name": "b"} and loaded.duplicate_keys == [("name", Mark(2, 1))]


def test_comments_skip_block_scalars_and_quotes():
    text = "a: 1 # trailing\n# own line\nb: |\n  # inside a script\n  echo\nc: 'x # y'\nd: \"#\" # real\n"
    comments = positional_yaml.load(text).comments
    assert [(c.line, c.column, c.own_line) for c in comments] == [(1, 6, False), (2, 1, True), (7, 8, False)]


def test_spans_cover_keys_list_items_and_documents():
    spans = positional_yaml.load("x: 0\nspec:\n  containers:\n    - name: a\n      image: b\n    - name: c\nother: 1\n").spans
    assert spans == {1: 7, 2: 6, 3: 6, 4: 5, 5: 5, 6: 6, 7: 7}  # line 1 starts the document


def test_helm_sources_attach_to_the_following_document():
    text = "---\n# Source: chart/templates/a.yaml\nkind: A\n---\n# Source: chart/templates/b.yaml\nkind: B\n---\nkind: C\n"
    assert [d.source for d in positional_yaml.load(text).documents] == ["chart/templates/a.yaml", "chart/templates/b.yaml", None]


def test_syntax_errors_name_the_line():
    with pytest.raises(ParseError) as error:
        positional_yaml.load("a: 1\nb: [unclosed\nc: 2\n")
    assert error.value.line == 3


def test_alias_bombs_are_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(10))}]" for i in range(1, 9)]
    with pytest.raises(ParseError) as error:
        positional_yaml.load("\n".join(lines) + "\n")
    assert f"{MAX_NODES:,}" in error.value.message


@pytest.mark.parametrize("text, expected", [
    ('a: "q\\" # no"\n', []),  # an escaped quote does not end the string
    ("a: 'it''s # no'\n", []),  # nor does a doubled one
    ('a: "x\n  # no\n  y" # yes\n', [(3, 6, False)]),  # a string over lines; after it, a comment
    ("a: |2- # yes\n    x\n  # no\nb: 1 # yes\n", [(1, 8, False), (4, 6, False)]),  # an indentation indicator: the line is the scalar's
    ("a: |\n  x\n# yes\nb: >\n  # no\n", [(3, 1, True)]),  # a block scalar ends where a line is less indented
    ("a: b\n  c # yes\n", [(2, 5, False)]),  # a plain scalar over lines ends at a comment
    ('a: [1, # yes\n  "2 # no", \'3 # no\']\n', [(1, 8, False)]),  # flow collections
    ("a: b#c\nd: e #f\n", [(2, 6, False)]),  # `#` after a blank only
    ("a: x\u2028# no\n", []),  # a line break to PyYAML, not a blank before `#`
])
def test_a_comment_is_what_the_yaml_reader_skips(text, expected):
    assert [(c.line, c.column, c.own_line) for c in positional_yaml.load(text).comments] == expected


def _events(text: str) -> list[tuple]:
    return [(type(event).__name__, getattr(event, "anchor", None), getattr(event, "tag", None), getattr(event, "implicit", None),
             getattr(event, "value", None)) for event in yaml.parse(text, Loader=positional_yaml.Loader)]


_DOUBLE = st.lists(st.sampled_from(["a", " ", '\\"', "#", " # c", "\\\\", "\n  ", "\n", "'", "\\\n  "]), max_size=6).map(lambda p: '"' + "".join(p) + '"')
_SINGLE = st.lists(st.sampled_from(["a", " ", "''", "#", " # c", "\n  ", "\n", '"', "\\"]), max_size=6).map(lambda p: "'" + "".join(p) + "'")
_SCALAR = st.one_of(_DOUBLE, _SINGLE, st.sampled_from(["a", "a#b", "it's", 'say "hi"', "a b"]))
_BLOCK = st.tuples(st.sampled_from(["|", ">", "|-", "|2", ">+", "|1-"]), st.sampled_from(["", " # h", "  #h"]),
                   st.lists(st.tuples(st.sampled_from(["", " ", "  ", "    "]), st.sampled_from(["# c", "text", "a # b", '"q # r', ""])), max_size=4)).map(
    lambda t: t[0] + t[1] + "".join("\n" + indent + text for indent, text in t[2]))
_VALUE = st.one_of(_SCALAR, _BLOCK, st.lists(_SCALAR, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"))
_ENTRY = st.tuples(st.sampled_from(["", "  ", "- ", "  - "]), st.sampled_from(["k: ", "", "? ", '"k": ']), _VALUE, st.sampled_from(["", " # t", "#u", "  # v 'w"]))
YAMLISH = st.lists(_ENTRY, min_size=1, max_size=6).map(lambda entries: "\n".join("".join(entry) for entry in entries) + "\n")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(YAMLISH)
def test_comments_are_where_pyyaml_reads_none(text):
    """Against PyYAML itself: a `#` (at a line's start or after a blank) starts a
    comment exactly when writing something else from it to the line's end leaves
    what PyYAML reads unchanged. The first such `#` of each line is the comment, and
    the text of a template (`comments`, every `#` asked about) reads the same."""
    try:
        loaded = positional_yaml.load(text)
    except ParseError:
        assume(False)
    found = {c.line: c.column for c in loaded.comments}
    assert [(c.line, c.column) for c in positional_yaml.comments(text)] == [(c.line, c.column) for c in loaded.comments]
    read = _events(text)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        expected = None
        for match in re.finditer(r"(?<![^ \t])#", line):
            changed = "\n".join([*lines[: number - 1], line[: match.start()] + "#\u00a7", *lines[number:]])
            try:
                if _events(changed) == read:
                    expected = match.start() + 1
                    break
            except yaml.YAMLError:
                pass
        assert found.get(number) == expected, (text, number)
