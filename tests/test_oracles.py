"""Differential oracles: python-hcl2 and dockerfile-parse read the shared corpus too,
and wherever both they and iacguard understand a file, they agree with iacguard's
parsers (which replaced them for measured reasons: see `iacguard.parsers.hcl` and
`iacguard.parsers.dockerfile_syntax`). Every difference is a known limitation of the
reference, listed in KNOWN_DIFFERENCES with its reason, or a failure.

How values are compared:
- HCL (every `.tf` file): each block by type, in order, with its labels; each
  attribute by name. Literals (strings after their escapes, numbers, bools, null)
  by value; tuples and objects item by item. An expression (a reference, call,
  conditional, operation, `for`, or a string with interpolations) by its text:
  python-hcl2 gives it back as `${...}` in its own layout, so iacguard's source text
  of the expression (a template's literal parts as iacguard reads them) is compared
  with it without white space, commas, comments and redundant outer parentheses, and
  with `:` read as `=` (the two separators of an object); a heredoc with
  interpolations by its literal text, in order. A value iacguard leaves
  unknown (a template with `%{ }` directives) is not compared.
- Dockerfiles (every file the Dockerfile format claims): the instructions, comments
  and parser directives aside, each by keyword, first and last line (so continuation
  lines, and comments inside them, are counted alike) and arguments, flags included,
  with white space folded.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from iacguard.formats import Claim
from iacguard.parsers import dockerfile, dockerfile_syntax, hcl
from iacguard.parsers.hcl import Literal, ObjectExpr, Opaque, Operation, Template, Traversal, TupleExpr
from support import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")

# kind of difference: (the reference whose limitation it is, why)
KNOWN_DIFFERENCES = {
    "bare name": ("python-hcl2", "python-hcl2 writes an expression that is a lone name (`type = string`) as the string "
                  "`string`, without `${}`: in its output a reference cannot be told from a string, where iacguard reads a reference."),
    "parentheses": ("python-hcl2", "python-hcl2 keeps a value written in parentheses as expression text: the key `(\"a\")` "
                    "comes out as `${(\"a\")}` and the object `({ a = {} })` as a Python dict's repr inside `${(...)}`; the "
                    "value is what the parentheses hold, which iacguard reads."),
    "heredoc line break": ("python-hcl2", "python-hcl2 drops the line break that ends a heredoc's last line; the value "
                           "holds it (the closing marker is on the next line), as iacguard reads it."),
    "heredoc escaped": ("python-hcl2", "python-hcl2 gives a heredoc with interpolations as the text of a quoted string, "
                        "with `\\\"` and `\\\\` escapes, not as its value: a heredoc has no escapes, and iacguard reads its text as it is."),
    "heredoc in a Dockerfile": ("dockerfile-parse", "dockerfile-parse does not know heredocs (`RUN <<EOF`) and reads each "
                                "line of the body as an instruction of its own; a file's instructions are compared up to its first heredoc."),
}


def corpus_files(wanted) -> list[Path]:
    return sorted(path for path in CORPUS.rglob("*") if path.is_file() and wanted(path))


class Comparison:
    """The differences found, by kind, with a few examples of each."""

    def __init__(self):
        self.kinds: Counter = Counter()
        self.examples: dict[str, list] = defaultdict(list)
        self.agreed = 0

    def differ(self, kind: str, where: str, ours, theirs) -> None:
        self.kinds[kind] += 1
        if len(self.examples[kind]) < 5:
            self.examples[kind].append((where, repr(ours)[:150], repr(theirs)[:150]))

    def check(self, reference: str) -> None:
        """Only the reference's known differences occur, and each of them does (the
        table lists what the corpus shows, nothing more)."""
        known = {kind for kind, (whose, _) in KNOWN_DIFFERENCES.items() if whose == reference}
        unexplained = {kind: self.examples[kind] for kind in self.kinds if kind not in known}
        assert not unexplained, f"iacguard and {reference} disagree: {unexplained}"
        assert set(self.kinds) == known, f"no longer seen: {known - set(self.kinds)}"


_COMMENT_OR_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|//[^\n]*|/\*.*?\*/', re.S)


def _layout_free(text: str) -> str:
    """Expression text without comments, white space and commas, `:` read as `=`."""
    text = _COMMENT_OR_STRING.sub(lambda match: match.group() if match.group().startswith('"') else "", text)
    return re.sub(r"[\s,]+", "", text).replace(":", "=")


class _HclFile:
    def __init__(self, text: str, path: str, comparison: Comparison):
        self.lines = text.split("\n")
        self.path = path
        self.comparison = comparison

    def source(self, expr) -> str:
        first, last = self.lines[expr.line - 1], self.lines[expr.end_line - 1]
        if expr.line == expr.end_line:
            return first[expr.column - 1 : expr.end_column - 1]
        return "\n".join([first[expr.column - 1 :], *self.lines[expr.line : expr.end_line - 1], last[: expr.end_column - 1]])

    def body(self, body: hcl.Body, theirs: dict, where: str) -> None:
        for name, attribute in body.attributes.items():
            if name not in theirs:
                self.comparison.differ("attribute missing", f"{where}.{name}", name, sorted(theirs))
            else:
                self.value(attribute.value, theirs[name], f"{where}.{name}:{attribute.line}")
        by_type = defaultdict(list)
        for block in body.blocks:
            by_type[block.type].append(block)
        for block_type, blocks in by_type.items():
            items = theirs.get(block_type)
            if not isinstance(items, list) or len(items) != len(blocks):
                self.comparison.differ("blocks", f"{where}/{block_type}", len(blocks), items)
                continue
            for block, item in zip(blocks, items):
                for label in block.labels:
                    if not isinstance(item, dict) or list(item) != [label]:
                        self.comparison.differ("labels", f"{where}/{block_type}:{block.line}", block.labels, item)
                        break
                    item = item[label]
                else:
                    self.body(block.body, item, f"{where}/{block_type}:{block.line}")

    def value(self, expr, theirs, where: str) -> None:
        if isinstance(expr, TupleExpr) and isinstance(theirs, list) and len(theirs) == len(expr.items):
            for item, their_item in zip(expr.items, theirs):
                self.value(item, their_item, where)
        elif isinstance(expr, ObjectExpr) and isinstance(theirs, dict):
            for key, item in expr.items:
                name = key.root if isinstance(key, Traversal) and not key.steps else key.value if isinstance(key, Literal) else None
                if name in theirs:
                    self.value(item, theirs[name], where)
                elif f'${{("{name}")}}' in theirs:
                    self.comparison.differ("parentheses", where, name, sorted(theirs))
                elif name is not None:
                    self.comparison.differ("object key", where, name, sorted(theirs))
        elif isinstance(expr, Opaque) and not isinstance(theirs, str):
            return  # iacguard does not read its value
        elif (literal := _literal(expr)) is not None:
            if literal[0] == theirs and type(literal[0]) is type(theirs) or _is_number(literal[0]) and _is_number(theirs) and literal[0] == theirs:
                self.comparison.agreed += 1
            elif isinstance(theirs, str) and literal[0] == theirs + "\n" and self.source(expr).startswith("<<"):
                self.comparison.differ("heredoc line break", where, literal[0], theirs)
            else:
                self.differ(expr, theirs, where, literal[0])
        elif isinstance(expr, Template) and self.source(expr).startswith("<<"):
            pieces = [_layout_free(part) for part in expr.parts if isinstance(part, str)]
            if isinstance(theirs, str) and _in_order(pieces, _layout_free(theirs)):
                self.comparison.agreed += 1
            elif isinstance(theirs, str) and _in_order(pieces, _layout_free(re.sub(r'\\(["\\])', r"\1", theirs))):
                self.comparison.differ("heredoc escaped", where, expr.parts, theirs)
            else:
                self.differ(expr, theirs, where, expr.parts)
        else:
            ours = "".join(part if isinstance(part, str) else f"${{{self.source(part)}}}" for part in expr.parts) if isinstance(expr, Template) else f"${{{self.source(expr)}}}"
            if isinstance(theirs, str) and _layout_free(ours) in (_layout_free(theirs), _layout_free(_unparenthesized(theirs))):
                self.comparison.agreed += 1
            elif isinstance(expr, Traversal) and not expr.steps and theirs == expr.root:
                self.comparison.differ("bare name", where, ours, theirs)
            else:
                self.differ(expr, theirs, where, ours)

    def differ(self, expr, theirs, where: str, ours) -> None:
        parenthesized = isinstance(theirs, str) and theirs.startswith("${(") and theirs.endswith(")}")
        kind = "parentheses" if parenthesized and isinstance(expr, (Literal, TupleExpr, ObjectExpr)) else type(expr).__name__
        self.comparison.differ(kind, f"{self.path}{where}", ours, theirs)


def _in_order(pieces: list[str], text: str) -> bool:
    """True when the pieces occur in `text` one after another (a heredoc's literal
    text around its interpolations, whose positions iacguard keeps by line only)."""
    position = 0
    for piece in pieces:
        position = text.find(piece, position)
        if position < 0:
            return False
        position += len(piece)
    return True


def _literal(expr) -> tuple | None:
    """(value,) for a literal, negative numbers included (`-1` is an operation)."""
    if isinstance(expr, Literal):
        return (expr.value,)
    if isinstance(expr, Operation) and expr.operator == "-" and len(expr.operands) == 1:
        inner = _literal(expr.operands[0])
        return (-inner[0],) if inner is not None and _is_number(inner[0]) else None
    return None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _unparenthesized(text: str) -> str:
    """`${(x)}` as `${x}`: iacguard's model drops parentheses around an expression."""
    return f"${{{text[3:-2]}}}" if text.startswith("${(") and text.endswith(")}") else text


def test_hcl_values_agree_with_python_hcl2():
    hcl2 = pytest.importorskip("hcl2")
    from hcl2.utils import SerializationOptions

    options = SerializationOptions(with_comments=False, strip_string_quotes=True, preserve_heredocs=False, preserve_scientific_notation=False)
    comparison = Comparison()
    files = corpus_files(lambda path: path.suffix == ".tf")
    for path in files:
        text = path.read_text(encoding="utf-8")
        theirs = hcl2.loads(text, serialization_options=options)
        _HclFile(text, str(path.relative_to(CORPUS)), comparison).body(hcl.parse(text).body, theirs, "")
    comparison.check("python-hcl2")
    assert len(files) > 1000 and comparison.agreed > 30000


def test_dockerfile_instructions_agree_with_dockerfile_parse():
    dockerfile_parse = pytest.importorskip("dockerfile_parse")
    reader = dockerfile.DockerfileFormat()
    comparison = Comparison()
    for path in corpus_files(lambda path: reader.claim(path.name) is not Claim.NO):
        text = path.read_text(encoding="utf-8")
        if reader.claim(path.name) is Claim.MAYBE and not reader.sniff(text):
            continue
        ours = dockerfile_syntax.parse(text)[0].instructions
        heredoc = next((index for index, instruction in enumerate(ours) if instruction.heredocs), None)
        if heredoc is not None:
            comparison.differ("heredoc in a Dockerfile", str(path.relative_to(CORPUS)), ours[heredoc].line, None)
            ours = ours[:heredoc]
        # dockerfile-parse reads text only when given a file object (setting `content` writes a file).
        structure = dockerfile_parse.DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8"))).structure
        theirs = [item for item in structure if item["instruction"] != "COMMENT"][: len(ours)]
        if len(theirs) != len(ours):
            comparison.differ("instruction count", str(path.relative_to(CORPUS)), len(ours), len(theirs))
            continue
        for instruction, item in zip(ours, theirs):
            flags = [f"--{flag.name}" + ("" if flag.value is None else f"={flag.value}") for flag in instruction.flags]
            said = (instruction.keyword, instruction.line, instruction.end_line, " ".join([*flags, instruction.args]).split())
            if said == (item["instruction"], item["startline"] + 1, item["endline"] + 1, item["value"].split()):
                comparison.agreed += 1
            else:
                comparison.differ("instruction", f"{path.relative_to(CORPUS)}:{instruction.line}", said, item)
    comparison.check("dockerfile-parse")
    assert comparison.agreed > 7000
