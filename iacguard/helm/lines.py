"""Where a line of a template's rendered output was written in the template.

Helm gives no source map, so the output is aligned with the template, line by line:

- *Exact*: a template line without actions is copied to the output unchanged (Go
  templates never re-indent literal text), so an output line equal to it, indentation
  included, comes from it; line and column are exact. Within an action's expansion
  only the template's next line counts so (see `_next_written`).
- *The line that wrote it*: a line mixing text and actions (`image: "{{ .Values.image
  }}"`) matches output whose text outside the actions is the same; the line is
  exact, the column is exact up to the first action and otherwise the line's first
  character.
- *The action that expanded to it* (approximate): output no template line accounts
  for comes from an action that prints several lines (`{{- toYaml .Values.resources
  | nindent 12 }}`, `{{ include ... }}`), so it maps to the first such action after
  the last line matched whose `indent`/`nindent` width fits the output's indentation,
  unless the next line of the template (control actions aside) writes it. A value
  that a helper or `values.yaml` wrote is thus reported where the template pulls it
  in.

Output is matched in order: after the last matched line, first within the innermost
enclosing `range` block (the rest of this pass, then the block from its start for the
next pass), then outward, then to the end of the template. Whatever matches nothing
maps to the last line matched, or to line 1.
"""

from __future__ import annotations

import re

from iacguard.lazy import regex
from iacguard.structs import struct

ACTION = regex(r"\{\{(-?)(.*?)(-?)\}\}", re.DOTALL)
_KEYWORD = regex(r"\s*(/\*|if\b|else\b|end\b|range\b|with\b|define\b|block\b|\$[\w.]*\s*:?=)")
_OPENS = ("if", "range", "with", "define", "block")
_INDENT = regex(r"\bn?indent\s+(\d+)")
MAX_COMPARISONS = 5_000_000  # per template: the alignment is quadratic at worst


@struct(frozen=True)
class _Line:
    text: str
    kind: str  # "literal", "pattern" (text and actions), "output" (actions that print), "control"
    pattern: re.Pattern | None = None
    indent_hint: int = 0  # output of an `nindent N` action is indented at least N
    prefix: int = 0  # characters before the first action


class LineMap:
    """Maps positions in a template's rendered output to positions in the template."""

    def __init__(self, template: str, rendered: str):
        self.lines = [_classify(text) for text in template.split("\n")]
        blocks = _blocks(self.lines)
        self.ranges = [(start, end) for word, start, end in blocks if word == "range"]
        self.block_ends: dict[int, int] = {}  # first line index of a block: the last line of the longest one
        for _, start, end in blocks:
            self.block_ends[start] = max(end, self.block_ends.get(start, end))
        self.targets = _align(self, rendered.split("\n"))

    def locate(self, line: int, column: int) -> tuple[int, int, bool]:
        """The template line and column for a rendered one, and whether it is exact."""
        if not 0 < line <= len(self.targets):
            return 1, 1, False
        target, exact, shift = self.targets[line - 1]
        if target is None:
            return 1, 1, False
        source = self.lines[target]
        if exact or (shift is not None and column + shift <= source.prefix):
            return target + 1, max(1, column + (shift or 0)), exact
        return target + 1, _first_character(source.text), False


def _classify(text: str) -> _Line:
    actions = list(ACTION.finditer(text))
    if "{{" not in text:
        return _Line(text, "literal")
    literal = ACTION.sub("", text).strip()
    prefix = actions[0].start() if actions else 0
    if actions and re.search(r"[A-Za-z0-9]", literal):
        return _Line(text, "pattern", _pattern(text, actions), prefix=prefix)
    prints = [match for match in actions if not _KEYWORD.match(match.group(2))]
    if prints:
        hint = _INDENT.search(prints[0].group(2))
        return _Line(text, "output", indent_hint=int(hint.group(1)) if hint else 0, prefix=prefix)
    return _Line(text, "control", prefix=prefix)


def _pattern(text: str, actions: list[re.Match]) -> re.Pattern:
    """The line's text outside its actions, each action standing for any text; an
    action's `-` trims the white space beside it."""
    parts, position = [], 0
    for match in actions:
        piece = text[position:match.start()]
        piece = piece.rstrip() if match.group(1) else piece
        if parts and actions[len(parts) // 2 - 1].group(3):
            piece = piece.lstrip()
        parts += [re.escape(piece), ".*?"]
        position = match.end()
    tail = text[position:]
    tail = tail.lstrip() if actions[-1].group(3) else tail
    return re.compile("".join(parts) + re.escape(tail.rstrip()))


def _blocks(lines: list[_Line]) -> list[tuple[str, int, int]]:
    """The keyword and the first and last line index of each block (`if`, `range`, ...)."""
    found, stack = [], []
    for index, line in enumerate(lines):
        for match in ACTION.finditer(line.text):
            word = match.group(2).split(None, 1)[0] if match.group(2).split() else ""
            if word in _OPENS:
                stack.append((word, index))
            elif word == "end" and stack:
                opened, start = stack.pop()
                found.append((opened, start, index))
    return found


def _align(lines: LineMap, rendered: list[str]) -> list[tuple[int | None, bool, int | None]]:
    """For each rendered line: the template line index, whether exact, and the column shift."""
    template = lines.lines
    targets: list[tuple[int | None, bool, int | None]] = []
    pointer, last, expansion = 0, None, None
    budget = MAX_COMPARISONS
    for text in rendered:
        if not text.strip():
            targets.append(targets[-1] if targets else (None, False, None))
            continue
        indent = len(text) - len(text.lstrip())
        candidate = None
        if budget > 0:
            candidate, spent = _search(lines, text, pointer, last)
            budget -= spent
        strong = (candidate is not None and template[candidate].kind == "literal" and template[candidate].text.rstrip() == text.rstrip()
                  and (expansion is None or _next_written(lines, pointer, candidate)))
        if strong:
            targets.append((candidate, True, 0))
            pointer, last, expansion = candidate + 1, candidate, None
            continue
        next_up = candidate is not None and candidate >= pointer and all(line.kind == "control" for line in template[pointer:candidate])
        output = expansion if expansion is not None and indent >= template[expansion].indent_hint and not next_up else None
        if output is None and not next_up:
            end = candidate if candidate is not None and candidate >= pointer else len(template)
            output = next((index for index in range(pointer, end) if template[index].kind == "output" and indent >= template[index].indent_hint), None)
        if output is not None and (candidate is None or template[output].indent_hint or expansion == output):
            targets.append((output, False, None))
            pointer, expansion = max(pointer, output + 1), output
        elif candidate is not None:
            line = template[candidate]
            shift = len(line.text) - len(line.text.lstrip()) - indent
            targets.append((candidate, False, shift))
            pointer, last, expansion = candidate + 1, candidate, None
        else:
            targets.append((last, False, None))
    return targets


def _next_written(lines: LineMap, pointer: int, candidate: int) -> bool:
    """Whether `candidate` can be the next line the template writes after `pointer`:
    between them only actions and blocks a render may skip (or `candidate` is the top
    of a loop's next pass). Output inside an expansion equal to a literal line further
    on is the expansion's: a value that `toYaml` writes often reads like a line the
    template writes later."""
    index = pointer
    while index < candidate:
        end = lines.block_ends.get(index)
        if end is not None and end < candidate:
            index = end + 1
        elif lines.lines[index].kind in ("control", "output"):
            index += 1
        else:
            return False
    return True


def _search(lines: LineMap, text: str, pointer: int, last: int | None) -> tuple[int | None, int]:
    """The first template line that could have written `text`, searched in pass
    order (see the module docstring), and the comparisons spent."""
    low = high = pointer
    spans = []
    for start, end in sorted((r for r in lines.ranges if last is not None and r[0] < last < r[1]), key=lambda r: r[1] - r[0]):
        spans += [(high, end), (start + 1, low)]
        low, high = min(low, start + 1), max(high, end)
    spans.append((high, len(lines.lines)))
    spent = 0
    stripped = text.strip()
    for start, end in spans:
        for index in range(start, end):
            spent += 1
            if _writes(lines.lines[index], text, stripped):
                return index, spent
    return None, spent


def _writes(line: _Line, text: str, stripped: str) -> bool:
    if line.kind == "literal":
        return line.text.strip() == stripped and bool(stripped)
    return line.kind == "pattern" and line.pattern.fullmatch(text.rstrip()) is not None


def _first_character(text: str) -> int:
    return len(text) - len(text.lstrip()) + 1
