"""The fixed budgets every evaluator runs under, so that a small hostile file can
neither allocate gigabytes nor keep a CPU busy, whatever it asks for.

- `MAX_VALUE_SIZE` = 1,000,000: the longest string (characters), list (items) or
  map (entries) an evaluator may build. It is checked *before* a value is built,
  from the sizes of the operands (`concat`, `replace`, `format`, `join`, string
  interpolation, ARG/ENV expansion...), so doubling a value through variables stops
  at the first value over the limit instead of after a multi-gigabyte allocation.
  Real infrastructure values are names, ids, image references, CIDR lists and the
  like: the largest value built for the 7,143 files of the shared corpus has 316
  characters, and no file there comes near the limit.
- `MAX_INTEGER_BITS` = 1,024: the magnitude of integers arithmetic may produce
  (about 308 decimal digits). It is checked before multiplying or adding, from the
  operands' bit lengths, so repeated squaring stops at once rather than spending
  minutes on ever longer numbers, and every integer stays far below Python's
  4,300-digit limit for converting integers to text. The largest finite
  double-precision float is just under 2**1024, so every number that fits a float
  fits this budget too; real files hold ports, sizes, counts and the like.
  Floats that overflow (`inf`) or are not numbers (`nan`) are not a budget matter:
  they make the value Unknown.
- `MAX_STEPS` = 2,000,000: the work one evaluation of one file may do. Evaluating
  an expression costs one step and building a value costs one step per character,
  item or entry, so this bounds both CPU time (a few seconds at most) and the
  memory all values of the file hold together, which the per-value limit alone
  would not. The most demanding file of the shared corpus needs 4,150 steps.
- `MAX_NESTING` = 128: how deep one evaluation may nest (`Budget.descend`). Each
  expression evaluated inside another (an operand, a function's argument, an item of
  an object or array) is a level, and so is each value an expression uses that is
  written elsewhere: a variable's or local's value, a parameter's default, the body
  of a function or lambda. A chain of variables, each naming the one before, takes
  two levels a link, in Bicep, ARM and Terraform alike. A JSON or YAML text that
  `json()`, `jsondecode` or `yamldecode` decodes is held to the same depth, measured
  in the text before it is decoded (`check_json_nesting`; in YAML an alias counts as
  deep as the node it names). Python's own limit (1,000 frames, shared with all the
  scan has called: module calls, a test runner) would stop such an evaluation too,
  but at a depth that depends on the format, the path through the evaluator and
  where the scan stands; counted levels stop it at the same depth everywhere, and as
  a budget (an unknown value would let the file pass unread). A level takes at most
  five frames, and the scan stands under a hundred frames deep when it starts to
  evaluate, so 128 levels leave Python's limit a margin of over 300 frames on every
  path. The deepest evaluation of the shared corpus nests 27 levels; a chain of 40
  variables, each a function of the one before, 120. Where Python's limit is met
  first all the same (a value built deeper than its evaluation, each variable
  holding the one before once it is known), the evaluator stops the file in the same
  way.
- `MAX_LOOP_INSTANCES` = 1,000: how many instances one `count`, `for_each` or
  `dynamic` block (Terraform), ARM `copy` or Bicep `for` loop may create (resources,
  modules, or the items of a property or variable). It is checked before the loop is
  expanded, from the size of the collection, so a loop of a million elements costs
  nothing before it is refused (`Budget.loop`). ARM allows 800 copies; real loops
  create a few to a few hundred instances (the largest expanded for the shared
  corpus has 14, a Bicep module loop).
- `INSTANCE_STEPS` = 500: what each instance a loop expands costs of the file's
  `MAX_STEPS`. An instance is read, checked by every rule and reported, far more work
  than an evaluation step, and loops multiply through module instances (40 module
  instances of a 1,000-instance resource, 40,000 apps, took 10 s to check and
  report), so a file expands at most 4,000 instances in all, a second or two of work.
- `MAX_REGEX_PROGRAM` = 10,000: the largest regular expression Terraform's `regex`,
  `regexall` and `replace` may compile (`iacguard.evaluators.regex`), in characters
  written and in the instructions they compile to (a character class counts its
  ranges, a counted repeat its copies). Matching pays the evaluation budget the
  pattern's cost for each character of the text, and that cost grows with the
  instructions; bounding them keeps the work of one character small, so a long text
  stops at `MAX_STEPS` instead of a large pattern making every character take
  seconds. A larger pattern is not read (its result is Unknown). Real patterns are a
  few dozen characters. (The 1,000 limit on `x{n,m}` counts, `regex.MAX_REPEAT`, is
  no budget: Go's syntax refuses larger counts.)
- `MAX_REGEX_GROUPS` = 100: the capture groups such a pattern may have. Every
  position a group records copies the positions of all groups, so a step's cost also
  grows with the square of their number; real patterns have a handful.
- `MAX_DISTINCT_COLLECTIONS` = 1,000: how many lists or maps Terraform's `distinct`
  (and `toset` of collections) compares to remove repeats. Collections are compared
  item by item, each with every one kept, so the work is quadratic in their number;
  past the limit the result is Unknown. Strings and numbers are removed by hashing,
  whatever their number.
- `MAX_MODULE_DEPTH` = 10: how deep local module calls (Terraform, Bicep) and
  Kustomize bases and components may nest.
- `MAX_MODULE_INSTANCES` = 500: how many module instances one scanned file, or
  kustomizations one Kustomize target, may expand in all. Calls multiply with depth (N calls a level, D levels: N**D
  instances), so bounding depth and cycles alone would still let a few small files
  expand to millions of instances. Real configurations nest two or three levels and
  expand tens of instances; registry and remote modules are never expanded. A
  Kustomize build also pays a step for every node it copies or patches in, so a patch
  that copies a subtree into itself stops at `MAX_STEPS`.
- `MAX_DEPENDENTS` = 10,000: how many files a scan may add because they use the
  files it was given (`iacguard.dependents`: a module's callers, an overlay of a
  changed patch...). Past it the search stops and the changed file is incomplete.
  A repository's whole tree is rarely that large, and one change reaches a few.
- `MAX_CHART_FILES` = 5,000 and `MAX_CHART_BYTES` = 64 MiB: what one Helm chart
  (with its vendored subcharts) may hold to be copied for rendering; each file is
  also held to `max_file_size`. Folders count with files: links to folders are
  followed as Helm follows them, and a few links can make one folder reachable
  under exponentially many names. The largest chart of the test corpus
  (`opentelemetry-demo`) has 64 files and 0.6 MiB.
- `RENDER_SECONDS` = 30, `RENDER_MEMORY` = 1 GiB and `MAX_RENDERED_SIZE` = 16 MiB:
  the wall time, data memory and output of one chart render (all value sets of a
  chart in one renderer process). The renderer is a Go program (`helm`, or the Helm
  library the optional extra loads), which reserves far more address space than it
  uses, so memory is limited as data written, not address space: measured on the
  corpus charts, a render takes 0.1 to 0.25 s, 65 to 90 MiB of resident memory, and
  writes at most 0.8 MiB. A template that loops without end or builds a huge string
  is stopped by these, not by the scan's own budgets, which it never reaches.
- `MAX_ROUND_TRIP_SIZE` = 32,768: the largest YAML document (characters) that a fix
  writes through ruamel.yaml's round trip (`iacguard.fixes.yaml_roundtrip`); a
  larger one takes the text edit at once. The round trip is pure Python and runs
  once per fix: a 54 KB document took 0.43 s to load and dump on the 2-core
  development machine, and real manifests are a few kilobytes a document.
- `MAX_FINGERPRINT_TEXT` = 1 Gi characters: the line text one file's findings hash
  for their fingerprints (each finding hashes its line, once for each fingerprint
  version; see `iacguard.runner._fingerprint`), about a second of hashing. A
  minified JSON `List` holds every finding on one line, so the work grows with the
  findings times the line: 4,000 findings on a 45 KB line hash 360 Mi characters in
  0.4 s, where a 10 MB line of such findings would take hours. Real files hash a few
  kilobytes.

The budgets are constants, never read from configuration: a scanned repository
brings its own configuration, and must not be able to raise them. Going over one
raises `BudgetExceeded` at once; the runner reports the file as IG004 and as
incomplete (exit 4). A `Budget` counts the steps of one file evaluation and is
never shared between files, so results do not depend on which files were scanned
before.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from iacguard.errors import BudgetExceeded, LoopRefused

MAX_VALUE_SIZE = 1_000_000
MAX_INTEGER_BITS = 1_024
MAX_STEPS = 2_000_000
MAX_NESTING = 128
MAX_LOOP_INSTANCES = 1_000
INSTANCE_STEPS = 500
MAX_REGEX_PROGRAM = 10_000
MAX_REGEX_GROUPS = 100
MAX_DISTINCT_COLLECTIONS = 1_000
MAX_MODULE_DEPTH = 10
MAX_MODULE_INSTANCES = 500
MAX_DEPENDENTS = 10_000
MAX_CHART_FILES = 5_000
MAX_CHART_BYTES = 64 * 1024 * 1024
RENDER_SECONDS = 30
RENDER_MEMORY = 1024 * 1024 * 1024
MAX_RENDERED_SIZE = 16 * 1024 * 1024
MAX_ROUND_TRIP_SIZE = 32_768
MAX_FINGERPRINT_TEXT = 1024 * 1024 * 1024


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for one bounded piece of work: a file's scan (read,
    evaluated, checked, its record made), or a YAML stream's tree being built.

    What the work makes is freed by reference counting as soon as it is let go, or
    kept (parsed files shared between files). A collection in the middle would walk
    every object in use then, all of them young: a YAML tree built with the
    collector off was walked by the first collection after it, a file's values by
    the collections their making triggered. The budgets above bound what one file's
    work holds, so what a cycle would hold waits for the end of the file at a bounded
    cost. Measured in one process, three runs each, against pausing only while YAML
    is built: the corpus's YAML files 1.58-1.65 -> 1.51-1.58 s of CPU (the
    collector's part 0.09-0.13 -> 0.014 s), Bicep 3.31-3.46 -> 3.29-3.36 s,
    Terraform alike. JSON trees are cycles (each object and array knows its parent,
    `iacguard.parsers.positional_json`), which the collector frees either way: 1.53-1.63
    -> 1.60-1.67 s, at a lower peak (52 -> 47 MB)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class Budget:
    """The steps one file evaluation has spent and how deep it stands; checks values
    before they are built."""

    def __init__(self) -> None:
        self.steps = 0
        self.depth = 0  # the levels of evaluation under way (`descend`)

    def step(self, cost: int = 1) -> None:
        """Spend `cost` steps of work."""
        self.steps += cost
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(f"more than {MAX_STEPS:,} evaluation steps")

    def descend(self) -> None:
        """A step that evaluates one level deeper (see `MAX_NESTING`); refused past the
        limit, before the level is entered. Each `descend` that returns is matched by
        an `ascend` when that level is done, however it ends. (`step` and
        `check_nesting` written out: evaluation calls this for every node.)"""
        self.steps += 1
        if self.steps > MAX_STEPS or self.depth >= MAX_NESTING:
            self.step(0)
            check_nesting(self.depth + 1, "expressions and the variables they use nest")
        self.depth += 1

    def ascend(self) -> None:
        self.depth -= 1

    def check(self, size: int, what: str) -> None:
        """Before building a string, list or map of (at most) `size` characters,
        items or entries."""
        if size > MAX_VALUE_SIZE:
            raise BudgetExceeded(f"{what} would build a value of {size:,} characters or items (the limit is {MAX_VALUE_SIZE:,})")

    def build(self, size: int, what: str) -> None:
        """Before building a value of `size`: checked, then paid for in steps."""
        self.check(size, what)
        self.step(size)

    def compare(self, *values: object) -> None:
        """Before comparing `values`: Python compares objects and arrays part by part,
        and a value of shared parts has exponentially many (see `json_size`), so
        each is counted, no further than the size limit, and paid for; past the
        limit the comparison is refused."""
        for value in values:
            if isinstance(value, (dict, list)):
                size = json_size(value)
                if size > MAX_VALUE_SIZE:
                    raise BudgetExceeded(f"comparing a value of more than {MAX_VALUE_SIZE:,} characters")
                self.step(size)

    def loop(self, instances: int, what: str, costly: bool = True) -> None:
        """Before expanding a loop of `instances` (the size of its collection): refused
        past `MAX_LOOP_INSTANCES` (`LoopRefused`). Each instance of a `costly` loop
        (one that creates resources or modules to read and check) costs
        `INSTANCE_STEPS`; of another (the items of an array, the instances a plan has
        already), one step."""
        if instances > MAX_LOOP_INSTANCES:
            raise LoopRefused(f"{what} of {instances:,} instances (the limit is {MAX_LOOP_INSTANCES:,})")
        self.step(instances * INSTANCE_STEPS if costly else instances)

    def arithmetic(self, operator: str, left: object, right: object) -> None:
        """Before `left operator right`: only adding, subtracting and multiplying
        integers makes them longer, by at most one bit or by the sum of the lengths."""
        if operator not in ("+", "-", "*") or not (isinstance(left, int) and isinstance(right, int)):
            return
        lengths = (left.bit_length(), right.bit_length())
        bits = sum(lengths) if operator == "*" else max(lengths) + 1
        if bits > MAX_INTEGER_BITS:
            raise BudgetExceeded(f"{operator!r} would give an integer of up to {bits:,} bits (the limit is {MAX_INTEGER_BITS:,})")


def check_nesting(depth: int, what: str) -> None:
    """Refuse what nests `depth` levels, past `MAX_NESTING`; `what` says what it is
    and that it nests ("a decoded JSON document nests")."""
    if depth > MAX_NESTING:
        raise BudgetExceeded(f"{what} more than {MAX_NESTING} levels deep")


def check_json_nesting(text: str) -> None:
    """Refuse a JSON text nested past `MAX_NESTING` before it is decoded: Python's
    decoder takes a level of its stack for each level of the text. Brackets inside
    strings do not count."""
    from iacguard.parsers.json_keys import STRUCTURE

    depth = 0
    for token in STRUCTURE.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            check_nesting(depth, "a decoded JSON document nests")
        elif bracket in "]}":
            depth -= 1


def locate(error: BudgetExceeded, path: str | None, line: int | None) -> None:
    """Give a budget error the position of the expression it stopped in: the
    innermost evaluation that knows its line locates it, outer ones leave it."""
    if error.line is None and line is not None:
        error.path, error.line = path, line


def size_of(value: object) -> int:
    """The size the budgets count: characters, items or entries; 1 for a scalar."""
    return len(value) if isinstance(value, (str, list, dict)) else 1


def text_size(value: object) -> int:
    """At most how many characters `value` has as text, without writing it out: an
    integer has at most one decimal digit per three bits (and a sign; `false` is
    five characters), a float at most 24."""
    if isinstance(value, int):
        return value.bit_length() // 3 + 5
    return 24 if isinstance(value, float) else size_of(value)


def json_size(value: object, limit: int = MAX_VALUE_SIZE) -> int:
    """About how many characters `value` takes as compact JSON, counted without
    writing it, and no further than just past `limit`: a value built of shared parts
    (a variable used twice in another, used twice in a third...) is exponentially
    larger than the work that made it, so neither this count nor `string()` may walk
    all of it."""
    total, pending = 0, [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, dict):
            total += 1 + sum(text_size(key) + 4 for key in item)  # braces, quotes, colon, comma
            pending.extend(item.values())
        elif isinstance(item, list):
            total += 1 + len(item)
            pending.extend(item)
        else:
            total += text_size(item) + 2
    return total


def replace_size(text: str, old: str, new: str) -> int:
    """How long replacing every `old` in `text` with `new` makes it (an empty `old`
    matches between every two characters, as Python and the IaC languages do)."""
    return len(text) + text.count(old) * max(len(new) - len(old), 0)


def number_literal(text: str, line: int | None = None) -> int | float:
    """The number a literal writes. An integer literal longer than any integer the
    budget allows is refused before Python converts it (past 4,300 digits that is an
    error, and long before that it is slow)."""
    if any(character in text for character in ".eE"):
        return float(text)
    if len(text.lstrip("+-0")) > _MAX_INTEGER_DIGITS:
        raise BudgetExceeded(f"a number literal of {len(text):,} digits (integers are limited to {MAX_INTEGER_BITS:,} bits)", line=line)
    return int(text)


_MAX_INTEGER_DIGITS = len(str(2**MAX_INTEGER_BITS))
