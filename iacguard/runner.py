"""The scan pipeline: read, parse, normalise, run rules, apply suppressions.

Everything that can go wrong with one file (unreadable, not text, a syntax error,
even a bug in a rule) becomes a diagnostic for that file, and the scan goes on.
"""

from __future__ import annotations

import functools
import gc
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import contains
from typing import TYPE_CHECKING

from iacguard import inputs
from iacguard.budgets import MAX_FINGERPRINT_TEXT, collector_paused
from iacguard.cache import ABSENT, QUERY_KEYS, Cache, digest, file_digest
from iacguard.diagnostics import (
    BUDGET_EXCEEDED,
    DEPENDENCY_REFUSED,
    INTERNAL_ERROR,
    LEVELS,
    PARSE_ERROR,
    READ_ERROR,
    SUPPRESSION_WARNING,
    UNUSED_SUPPRESSION,
    Diagnostic,
    incomplete_files,
)
from iacguard.discovery import Target
from iacguard.errors import BudgetExceeded, ParseError
from iacguard.evaluators.module_call import module_calls
from iacguard.formats import ParsedFile, ScanContext
from iacguard.hashes import sha256
from iacguard.lazy import regex
from iacguard.model import Location, Related, Resource, Suppression
from iacguard.plugins import Registry
from iacguard.policy import ActiveRule, Policy
from iacguard.rule import SEVERITIES, Problem
from iacguard.structs import field, replace, struct
from iacguard.suppress import FileSuppressions, SuppressionWarning, resource_warnings, unused

if TYPE_CHECKING:
    from iacguard.fixes import Fix

_SPACE = regex(r"\s+")


@struct
class Finding:
    active: ActiveRule
    message: str
    location: Location
    resource: Resource
    fingerprint: str = ""
    suppression: Suppression | None = None
    problem_severity: str | None = None
    previous_fingerprint: str = ""
    fix: Fix | None = None  # only from a scan in this process: results from the cache or a worker carry none

    @property
    def code(self) -> str:
        return self.active.rule.code

    @property
    def severity(self) -> str:
        """The rule's severity, unless the rule graded this finding and the
        configuration did not override the rule's severity."""
        if self.problem_severity and not self.active.severity_configured:
            return self.problem_severity
        return self.active.severity

    @property
    def related(self) -> tuple[Related, ...]:
        """The other places the finding concerns: the Helm template its manifest was
        rendered from, and the hops of a value that reached the resource through
        modules (`Location.via`)."""
        template = self.resource.source_template
        rendered = (Related(f"rendered from the Helm template {template}", template),) if template else ()
        return (*rendered, *self.location.via)

    @property
    def declaration(self) -> tuple:
        """What the finding is about, whichever instance of it: the resource's kind
        and where its file declares it, the head of its block (`in_resource`: a head
        that a caller's value stands for, such as a container named by a module's
        parameter, is the module's line that takes the value). Every instance of a
        module's block has this in common, whatever name or key its inputs give it
        (see `without_module_repeats`)."""
        return self.resource.kind, *self.resource.location.in_resource

    def sort_key(self) -> tuple:
        """Also what makes two findings the same (see `distinct`)."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.resource.address, self.message)


@struct(frozen=True, slots=True)
class Check:
    """One rule evaluated on one resource (what a JUnit report counts as a test)."""

    path: str
    address: str
    code: str


class PackedChecks(Sequence):
    """The checks of scanned files as their records carry them (`encode`), decoded
    when first read: only a JUnit report reads them, and a warm scan of Checkov's
    files has 55,000 (0.13 s to decode)."""

    def __init__(self, packed: list[tuple[str, str]]):  # (a file as shown, its checks' text)
        self._packed = packed
        self._checks: list[Check] | None = None

    def _decoded(self) -> list[Check]:
        if self._checks is None:
            self._checks = [Check(path, address, code) for path, text in self._packed for address, code in _pairs(json.loads(text))]
            self._packed = []
        return self._checks

    def __getitem__(self, index):
        return self._decoded()[index]

    def __len__(self) -> int:
        return len(self._decoded())

    def __iter__(self) -> Iterator[Check]:
        return iter(self._decoded())


@struct
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    checks: Sequence[Check] = field(default_factory=list)
    policy: Policy | None = None
    hidden: int = 0  # unsuppressed findings left out by the display threshold (see `shown`)
    # The other files the scanned files read (a Terraform folder's var files, a chart's
    # values, a Compose `env_file`), as `ScanContext.dependencies` names them: what no
    # report may replace (`iacguard.outputs`).
    reads: set[str] = field(default_factory=set)

    def shown(self) -> ScanResult:
        """The result as reports show it: findings below the policy's `min_severity`
        left out, the unsuppressed ones among them counted in `hidden`, and so are the
        checks that found only those (a report must not show them as passed).
        Diagnostics all stay: nothing hides a file whose analysis did not complete."""
        if self.policy is None:
            return self
        kept, left_out = [], []
        for finding in self.findings:
            (kept if self.policy.shows(finding.severity) else left_out).append(finding)
        if not left_out:
            return self
        hidden_checks = {_check_key(finding) for finding in left_out} - {_check_key(finding) for finding in kept}
        checks = [check for check in self.checks if (check.path, check.address, check.code) not in hidden_checks]
        hidden = sum(1 for finding in left_out if finding.suppression is None)
        return replace(self, findings=kept, checks=checks, hidden=self.hidden + hidden)

    @property
    def active_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppression is None]

    @property
    def errors(self) -> list[Diagnostic]:
        return [diagnostic for diagnostic in self.diagnostics if diagnostic.level == "error"]

    @property
    def incomplete(self) -> list[str]:
        """Files whose analysis did not complete; any of them fails the run (exit 4)."""
        return incomplete_files(self.diagnostics)


def _check_key(finding: Finding) -> tuple[str, str, str]:
    """The `Check` that found `finding` (its path, resource and rule)."""
    return finding.location.path, finding.resource.address, finding.code


def scan(
    targets: Iterable[Target],
    registry: Registry,
    policy: Policy,
    context: ScanContext | None = None,
    cache=None,
    jobs: int = 1,
    progress: Callable[[], None] | None = None,
) -> ScanResult:
    """Scan every target. Results come from `cache` where a valid entry exists; the
    other files are scanned in this process or, with `jobs` > 1 and enough files, in
    worker processes. Output does not depend on `jobs` or on the cache. `progress`,
    when given, is called once for every file done."""
    result = ScanResult(policy=policy)
    context = context or ScanContext()
    targets = list(targets)
    settings = _settings_key(policy, context) if cache is not None else ""
    decoded: list[tuple[list[Finding], list[Diagnostic], str] | None] = [None] * len(targets)
    for index, record in _records(targets, _Scanner(registry, policy, context, cache, settings), jobs, progress):
        findings, diagnostics = decode(record, policy)  # as each comes: the record is let go before the next
        decoded[index] = findings, diagnostics, record["checks"]
        result.reads.update(record["reads"])
    by_target, checks = [], []
    for target, (findings, diagnostics, packed) in zip(targets, decoded, strict=True):
        result.files.append(target.display)
        by_target.append(findings)
        result.diagnostics.extend(diagnostics)
        checks.append((target.display, packed))
    result.checks = PackedChecks(checks)
    result.findings = combined(by_target)
    if cache is not None:
        cache.keep_stamps()
    return result


def combined(by_target: list[list[Finding]]) -> list[Finding]:
    """The findings of a scan's targets as one scan reports them: a module's repeats
    left out, each finding once, in order."""
    return sorted(distinct(without_module_repeats(by_target)), key=Finding.sort_key)


def without_module_repeats(by_target: list[list[Finding]]) -> list[Finding]:
    """Every target's findings, but those that a module's file gives when scanned on
    its own (judged with its defaults) and that a caller of the module in the same
    scan reports too: the same rule, at the place the caller's finding points to or
    passes through (the module's line that takes a value the caller decided), about an
    instance of the same declaration (`Finding.declaration`: the same block of the
    same module file) that the caller reaches through more module calls, ending with
    those the module makes (`module.app.` + the module's own; instance keys left
    out). Declarations are matched, not addresses: an address holds names and keys
    that inputs decide (a vault named by a parameter, a `for_each` over a variable),
    so the module judged with its defaults names an instance that no caller creates,
    and matching addresses would report it once more. A target's own findings
    never stand for each other (a file that calls a module both directly and through
    another module reports both instances).

    So a module's resource is reported once per instance, and on its own only for
    what no caller in the scan reports at that place (Terraform and Bicep alike).
    That includes a module whose callers all make it safe: a caller that passes
    `https_only = true` reports nothing at the module's line, and the module's unsafe
    default is still reported, judged alone, as a module scanned on its own is
    checked with its defaults."""
    # (rule, place, declaration, the module calls leading to it) -> the targets reporting it
    instances: dict[tuple, set[int]] = {}
    for index, findings in enumerate(by_target):
        for finding in findings:
            calls = module_calls(finding.resource.address)
            if calls:
                location, declaration = finding.location, finding.declaration
                for place in {(location.path, location.line, location.column), *((hop.path, hop.line, hop.column) for hop in location.via)}:
                    for depth in range(1, len(calls) + 1):  # as seen from inside each call
                        instances.setdefault((finding.code, *place, declaration, calls[depth:]), set()).add(index)
    kept = []
    for index, findings in enumerate(by_target):
        for finding in findings:
            location = finding.location
            key = (finding.code, location.path, location.line, location.column, finding.declaration, module_calls(finding.resource.address))
            reporting = instances.get(key, ())
            if not reporting or reporting == {index}:
                kept.append(finding)
    return kept


def distinct(findings: list[Finding]) -> list[Finding]:
    """The findings without repeats: two that say the same (same file, position, rule,
    message and resource) are one, which keeps the hops of both. Each file's findings
    pass here before they are numbered for fingerprints (a rule may reach one value
    twice), and all files' findings together: one module instance can be reached from
    several scanned files (two root configurations call one module under one name, and
    the module's own default decides), and is reported once, naming every caller."""
    kept: dict[tuple, Finding] = {}
    for finding in findings:
        first = kept.setdefault(finding.sort_key(), finding)
        if first is not finding:
            _merge(first, finding)
    return list(kept.values())


def _merge(finding: Finding, other: Finding) -> None:
    """Make `finding` stand for `other` too, an instance of the same finding (built for
    another overlay, rendered with another value set, reached from another caller):
    it gets the hops of both, each once, and stays suppressed only when both are, since
    an instance that nothing suppresses is a finding still."""
    via = finding.location.via
    finding.location = replace(finding.location, via=(*via, *(hop for hop in other.location.via if hop not in via)))
    if other.suppression is None:
        finding.suppression = None


PARALLEL_MINIMUM = 16  # files a worker at least: fewer cost more to start than they save


@struct
class _Scanner:
    """One file's record, from the cache when a valid entry exists, else scanned, with
    the signed cache entry to store. Workers scan the files the cache has no result
    for, so scanning, hashing the files a scan read and signing new entries are spread
    over processes; the main process looks the cache up and stores the new entries
    (`_counted`)."""

    registry: Registry
    policy: Policy
    context: ScanContext
    cache: Cache | None
    settings: str
    # Each file's digest once a scan: the files of a Terraform folder are each one
    # another's dependencies, so a warm scan hashed a folder of N files N times over.
    digests: dict[str, str | None] = field(default_factory=dict)

    def cached(self, targets: list[Target]) -> list[tuple[str | None, dict | None]]:
        """Each target's cache key (None when its result is not cached) and its record
        from the cache (`_valid`), None when there is no valid one: looked up
        together (`Cache.get_many`)."""
        if self.cache is None:
            return [(None, None) for _ in targets]
        keys = [_cache_key(target, self.settings, self.digest) if target.path is not None and not target.refused else None for target in targets]
        entries = self.cache.get_many("results", [key for key in keys if key is not None])
        return [(key, _valid(entries.get(key), self.digest)) for key in keys]

    def record(self, target: Target, keys: dict[int, str | None], index: int) -> tuple[dict, tuple[str, bytes] | None]:
        """The record of the target at `index` and the cache entry to store, if any:
        scanned under its key in `keys` when it was looked up already, else from the
        cache when a valid entry exists."""
        if index in keys:
            return self.scanned(target, keys[index])
        [(key, record)] = self.cached([target])
        return (record, None) if record is not None else self.scanned(target, key)

    def scanned(self, target: Target, key: str | None) -> tuple[dict, tuple[str, bytes] | None]:
        """The target's record (`encode`, with the files it read: `ScanResult.reads`)
        from a scan, and the cache entry to store under `key`, if any."""
        with collector_paused():  # what the file's scan made is let go before the collector runs again
            record = encode(*scan_file(target, self.registry, self.policy, self.context))
        reads = sorted(self.context.dependencies)
        if key is None:
            return {**record, "reads": reads}, None
        own = str(target.path)
        dependencies = [(path, self.digest(path)) for path in reads if path != own]
        if any(content is None for _, content in dependencies):  # no later run could use it
            return {**record, "reads": reads}, None
        return {**record, "reads": reads}, self.cache.entry("results", key, {**record, "dependencies": dependencies})

    def digest(self, path: str) -> str | None:
        """The digest of a file's content as the scan reads it (asked only with a
        cache, whose stamps spare reading unchanged files). An editor's buffer gets a
        digest no file's can equal, so a result made from the buffer and one made from
        the file never stand for each other."""
        if path not in self.digests:
            stand_in = self.context.buffer(path)
            self.digests[path] = digest("buffer", stand_in) if stand_in is not None else self.cache.file_digest(path, self.context.max_file_size)
        return self.digests[path]


def _records(targets: list[Target], scanner: _Scanner, jobs: int, progress: Callable[[], None] | None = None) -> Iterator[tuple[int, dict]]:
    """Each target's index and record as it comes (the caller decodes one and lets it
    go before the next: holding every record of the corpus's files at once took about
    10 MB more): first those the cache holds, looked up in this process, then those
    scanned, in order.

    The cache is read here rather than in workers: forking workers to look entries up
    cost more than it saved. A warm scan of the corpus's 6,372 files for Checkov
    (median of 7, two cores): 1.11 -> 0.95 s of CPU (the workers' start, their copies
    of this process's memory, the records sent back) at the same wall time. Once a
    batch of look-ups finds mostly misses (a cold cache, other settings), the workers
    look the rest up themselves as they scan them, in parallel, as before."""
    keys: dict[int, str | None] = {}  # the targets looked up here and missed, and the key each one's result is stored under
    looked_up = 0
    while looked_up < len(targets):
        found = scanner.cached(targets[looked_up:looked_up + QUERY_KEYS])
        for index, (key, record) in enumerate(found, looked_up):
            if record is None:
                keys[index] = key
            else:
                if progress is not None:
                    progress()
                yield index, record
        looked_up += len(found)
        if 2 * sum(record is None for _, record in found) > len(found):
            break
    scanning = [*keys, *range(looked_up, len(targets))]
    # At least PARALLEL_MINIMUM files a worker: below that, starting one costs more
    # than it saves, and a huge --jobs never forks more processes than useful.
    workers = min(jobs, len(scanning) // PARALLEL_MINIMUM)
    if workers > 1:
        import multiprocessing  # here: a single-file check does not pay for it

        if "fork" in multiprocessing.get_all_start_methods():
            global _WORKER_STATE
            _WORKER_STATE = (targets, keys, scanner)
            try:
                try:
                    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_worker)
                except BlockingIOError:
                    pool = None  # no processes left to fork (a process limit): scan in this one
                if pool is not None:
                    with pool:
                        runs = ([scanning[position] for position in run] for run in _runs([targets[index].display for index in scanning], workers))
                        yield from _counted((result for run in pool.imap(_worker, runs) for result in run), scanner.cache, progress)
                    return
            finally:
                _WORKER_STATE = None
    yield from _counted(((index, *scanner.record(targets[index], keys, index)) for index in scanning), scanner.cache, progress)


# Files a worker is given at once, at most: a progress line moves at least that often
# (a run of 256 charts would hold it still for half a minute). Shorter runs lose the
# parse cache: 32 gave back most of the gain below on Bicep and Kubernetes; 64, 128
# and 256 measured alike.
LONGEST_RUN = 64
SHORTEST_RUN = 8  # and at least: each run costs a message each way


def _runs(names: list[str], workers: int) -> Iterator[range]:
    """The indexes of the targets (`names`, as shown, in order), cut into runs of
    neighbours, each scanned by one worker: a folder's files and the modules they call
    stay in one worker's parse cache. Runs are long first, then ever shorter (each a
    quarter of what is left for two workers), so that the workers end together.
    Measured per format on two cores, against chunks of a fixed 1/64 of the files
    (24-36 files): Terraform 0.85 -> 0.70 s, Kubernetes 1.04 -> 0.94 s, Bicep 1.82 ->
    1.70 s; the corpus's mixed lists and a warm scan the same or faster.

    A run ends where two neighbours share the fewest folders, in the last half of its
    length: a folder of modules and the files that call them is seldom cut in two, so
    seldom parsed by both workers. On the corpus's Bicep files 190 files were parsed
    by both, 26 now; cold, two workers (median of 5, 5 and 3 runs): Bicep 1.69 ->
    1.61 s, Terraform 0.87 -> 0.76 s, the whole corpus 4.52 -> 4.22 s; Kubernetes
    files, which call nothing, as before."""
    count, start = len(names), 0
    while start < count:
        size = max(SHORTEST_RUN, min(LONGEST_RUN, (count - start) // (2 * workers)))
        end = start + size
        if end < count:
            cuts = range(max(start + SHORTEST_RUN, end - size // 2), end + 1)
            end = max(cuts, key=lambda cut: (-_shared_folders(names[cut - 1], names[cut]), cut))
        yield range(start, min(count, end))
        start = end


def _shared_folders(first: str, second: str) -> int:
    """How many leading folders the file names `first` and `second` share."""
    shared = 0
    for one, other in zip(first.split("/")[:-1], second.split("/")[:-1]):
        if one != other:
            break
        shared += 1
    return shared


STORE_BATCH = 256  # new cache entries stored in one transaction: a stopped run keeps what it stored


def _counted(results: Iterable[tuple[int, dict, tuple[str, bytes] | None]], cache: Cache | None,
             progress: Callable[[], None] | None) -> Iterator[tuple[int, dict]]:
    """The targets' indexes and records, `progress` told of each one as it arrives,
    and the new cache entries stored as they come, in batches: one writer, few
    transactions."""
    pending = []
    for index, record, entry in results:
        if entry is not None:
            pending.append(entry)
            if len(pending) == STORE_BATCH:
                cache.put_many(pending)
                pending = []
        if progress is not None:
            progress()
        yield index, record
    if pending:
        cache.put_many(pending)


def _quiet_worker() -> None:
    """Workers leave interruptions to the main process, which stops them (Ctrl-C
    reaches the whole process group; the pool ends workers with SIGTERM, which kills
    them at once: they only read the cache), and never print: a worker whose parent
    is gone must not spill tracebacks into the terminal. Their own errors already
    travel back as diagnostics or exceptions. (A Python handler for SIGTERM would run
    only when the worker next runs Python code, which a worker waiting on a lock may
    never do.)

    What a worker inherits from the main process (modules, the targets) lives as long
    as the worker, so the cycle collector is told never to walk it (`gc.freeze`):
    neither walked again nor written to (which would copy the parent's memory page by
    page). Two workers, medians of 7 and 5 alternating runs: Bicep 2.52 -> 2.48 s of
    CPU, Terraform 1.26 -> 1.24 s, Kubernetes 1.52 -> 1.49 s."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.stderr = open(os.devnull, "w")
    gc.freeze()


_WORKER_STATE: tuple | None = None


def _worker(run: list[int]) -> list[tuple[int, dict, tuple[str, bytes] | None]]:
    targets, keys, scanner = _WORKER_STATE
    return [(index, *scanner.record(targets[index], keys, index)) for index in run]


def _settings_key(policy: Policy, context: ScanContext) -> str:
    var_files = [(str(path), file_digest(str(path), context.max_file_size)) for path in (*context.terraform_var_files, *context.arm_parameter_files)]
    suppressions = (context.inline_suppressions, context.report_unused_suppressions)
    # The root and the files named on the command line decide which dependencies
    # are refused, so they are part of every result.
    helm = (context.helm_renderer and context.helm_renderer.identity, sorted(context.helm_value_sets.items(), key=repr))
    return digest(code_identity(), policy.fingerprint(), repr(var_files), str(context.max_file_size), repr(suppressions),
                  str(context.root), repr(sorted(context.named)), repr(helm))


@functools.cache
def code_identity() -> str:
    """The code that makes what the cache keeps (a result, a walk): iacguard's
    version and its modules' stamps (`_code_stamps`), taken once a process, as the
    code running is the one loaded then."""
    from iacguard import __version__

    return digest(__version__, repr(_code_stamps()))


def _code_stamps() -> list[tuple[str, int]]:
    """Each module's path and modification time, the engine's and the built-in rules'
    (a folder of their own in a source tree), so that a result made by other code is
    never reused. `os.scandir` rather than `Path.rglob`: 1.4 against 2.2 ms on every
    run that uses the cache."""
    import iacguard.rules

    stamps: dict[str, int] = {}  # an installed package holds its rules' folder: each file once
    pending = [os.path.realpath(folder) for folder in (os.path.dirname(__file__), *iacguard.rules.__path__)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    stamps[entry.path] = entry.stat().st_mtime_ns
    return sorted(stamps.items())


def _cache_key(target: Target, settings: str, content_digest: Callable[[str], str | None]) -> str | None:
    """The file's content, name and place: two copies of a file shown alike from two
    working directories have different siblings, so never one result."""
    content = content_digest(str(target.path))
    place = os.path.abspath(target.path)
    return None if content in (None, ABSENT) else digest(settings, target.format.name, target.display, place, content, *target.members)


def _valid(record: object, content_digest: Callable[[str], str | None]) -> dict | None:
    """The cached record (`Cache.get_many`), when it has the right shape and the files
    it depends on are unchanged, with their names (`reads`)."""
    if not _well_formed(record):
        return None
    for path, expected in record["dependencies"]:
        if content_digest(path) != expected:
            return None
    return {**record, "reads": [path for path, _ in record["dependencies"]]}


def encode(findings: list[Finding], diagnostics: list[Diagnostic], checks: list[Check]) -> dict:
    """One file's results as plain data (for the cache and for worker processes)."""
    return {
        "findings": [
            {
                "code": f.code,
                "message": f.message,
                "location": [f.location.path, f.location.line, f.location.column, f.location.end_line, f.location.end_column],
                "via": [[hop.message, hop.path, hop.line, hop.column] for hop in f.location.via],
                "resource": [f.resource.kind, f.resource.type, f.resource.address, f.resource.format, f.resource.source_template],
                "declared": list(f.resource.location.in_resource),  # all `Finding.declaration` needs of the resource's head
                "fingerprint": f.fingerprint,
                "previous_fingerprint": f.previous_fingerprint,
                "severity": f.problem_severity,
                "suppression": None if f.suppression is None else [f.suppression.kind, f.suppression.reason, f.suppression.line],
            }
            for f in findings
        ],
        "diagnostics": [[d.path, d.line, d.column, d.code, d.message, d.level, d.written_in] for d in diagnostics],
        # One text, decoded only when a report reads it (`PackedChecks`): each check's
        # address and code in turn (the path of every check is the file's own).
        "checks": json.dumps([part for c in checks for part in (c.address, c.code)], separators=(",", ":")),
    }


_TEXT, _NUMBER = (str,), (int,)
_OPTIONAL_TEXT, _OPTIONAL_NUMBER, _OPTIONAL_LIST = (str, type(None)), (int, type(None)), (list, type(None))
_FINDING_KEYS = {"code", "message", "location", "via", "resource", "declared", "fingerprint", "previous_fingerprint", "severity", "suppression"}


def _well_formed(record: object) -> bool:
    """True when a cache entry has exactly the shape `encode` writes (plus its
    dependencies), every field of the type `decode` expects. The entry was signed by
    iacguard, but a wrong shape must still be a miss, never a crash or a bogus report."""
    return (
        isinstance(record, dict)
        and record.keys() == {"findings", "diagnostics", "checks", "dependencies"}
        and _all(record["findings"], _well_formed_finding)
        and _all(record["diagnostics"], lambda d: _row(d, _TEXT, _OPTIONAL_NUMBER, _OPTIONAL_NUMBER, _TEXT, _TEXT, _TEXT, _OPTIONAL_LIST) and d[5] in LEVELS
                 and (d[6] is None or _row(d[6], _TEXT, _OPTIONAL_NUMBER, _OPTIONAL_NUMBER)))
        and type(record["checks"]) is str
        and _pairs_of_text(_loaded(record["checks"]))
        and _all(record["dependencies"], lambda d: _row(d, _TEXT, _TEXT))
    )


def _well_formed_finding(item: object) -> bool:
    return (
        isinstance(item, dict)
        and item.keys() == _FINDING_KEYS
        and type(item["code"]) is str
        and type(item["message"]) is str
        and _row(item["location"], _TEXT, _NUMBER, _NUMBER, _OPTIONAL_NUMBER, _OPTIONAL_NUMBER)
        and _all(item["via"], lambda hop: _row(hop, _TEXT, _TEXT, _OPTIONAL_NUMBER, _OPTIONAL_NUMBER))
        and _row(item["resource"], _TEXT, _TEXT, _TEXT, _TEXT, _OPTIONAL_TEXT)
        and _row(item["declared"], _TEXT, _NUMBER, _OPTIONAL_NUMBER)
        and type(item["fingerprint"]) is str
        and type(item["previous_fingerprint"]) is str
        and (item["severity"] is None or item["severity"] in SEVERITIES)
        and (item["suppression"] is None or _row(item["suppression"], _TEXT, _OPTIONAL_TEXT, _NUMBER))
    )


def _loaded(text: str) -> object:
    """The value of a JSON text, None when it is none (or nested too deeply to load)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _all(values: object, well_formed) -> bool:
    return type(values) is list and all(map(well_formed, values))


def _row(values: object, *types: tuple[type, ...]) -> bool:
    """True for a list with one value of each of `types` (exact types: True is no int).
    Checked by `map` without a line of Python per value: validating a warm scan's
    entries took a third of the workers' time."""
    return type(values) is list and len(values) == len(types) and all(map(contains, types, map(type, values)))


def _pairs_of_text(values: object) -> bool:
    """True for a list of strings of even length (the checks' addresses and codes)."""
    return type(values) is list and len(values) % 2 == 0 and set(map(type, values)) <= {str}


def _pairs(values: list) -> Iterator[tuple]:
    """(first, second), (third, fourth), ... of `values`."""
    items = iter(values)
    return zip(items, items)


def decode(record: dict, policy: Policy) -> tuple[list[Finding], list[Diagnostic]]:
    """A record's findings and diagnostics (its checks are decoded when read: `PackedChecks`)."""
    findings = []
    for item in record["findings"]:
        active = policy.by_code(item["code"])
        if active is None:
            continue
        location = Location(*item["location"], via=tuple(Related(*hop) for hop in item["via"]))
        kind, native_type, address, fmt, template = item["resource"]
        resource = Resource(kind, native_type, address, fmt, Location(*item["declared"]), source_template=template)
        suppression = None
        if item["suppression"] is not None:
            suppression_kind, reason, line = item["suppression"]
            suppression = Suppression(suppression_kind, None, reason, line)
        findings.append(Finding(active, item["message"], location, resource, item["fingerprint"], suppression, item["severity"], item["previous_fingerprint"]))
    diagnostics = [Diagnostic(*values[:6], tuple(values[6]) if values[6] is not None else None) for values in record["diagnostics"]]
    return findings, diagnostics


def scan_file(target: Target, registry: Registry, policy: Policy, context: ScanContext | None = None) -> tuple[list[Finding], list[Diagnostic], list[Check]]:
    path = target.display
    context = context or ScanContext()
    context.start_file(target.members)
    diagnostics: list[Diagnostic] = []
    checks: list[Check] = []
    text = target.text
    if text is None:
        text, problem = read_text(target, context)
        if problem is not None:
            diagnostics.append(problem)
        if text is None:
            return [], diagnostics, checks
    elif target.latin1_line is not None:
        diagnostics.append(_read_as_latin1(target.display, target.latin1_line))
    try:
        parsed = target.format.parse(text, path)
        resources = [
            resource
            for normalizer in registry.normalizers.get(target.format.name, [])
            for resource in normalizer.normalize(parsed, context)
        ]
    except ParseError as error:
        diagnostics.append(Diagnostic(path, error.line, error.column, PARSE_ERROR, f"cannot parse {target.format.label}: {error.message}"))
        return [], diagnostics, checks
    except RecursionError:
        diagnostics.append(Diagnostic(path, None, None, PARSE_ERROR, f"cannot parse {target.format.label}: nested too deeply"))
        return [], diagnostics, checks
    except BudgetExceeded as error:
        return [], [*diagnostics, *_stopped(target, error)], checks
    except Exception as error:  # a bug of ours or of a plugin must not stop the scan
        message = f"internal error while reading the file: {type(error).__name__}: {error}"
        return [], [*diagnostics, *(Diagnostic(member, None, None, INTERNAL_ERROR, message) for member in _files_of(target))], checks

    told = [(path, entry) for entry in parsed.diagnostics]
    told += [(member, entry) for member, entries in parsed.member_diagnostics.items() for entry in entries]
    for owner, entry in dict.fromkeys(told):
        line, column, message, level, code = entry
        diagnostics.append(Diagnostic(owner, line, column, code, message, level, parsed.written_in.get((message, level, code))))
    for dependency, reason in sorted(context.refused.items()):
        absolute = os.path.abspath(dependency)
        shown = absolute if (relative := os.path.relpath(absolute)).startswith("..") else relative
        line, column = context.refused_at.get(dependency, (None, None))
        where = context.refused_where.get(dependency)
        diagnostics.append(Diagnostic(context.refused_on.get(dependency) or path, line, column, DEPENDENCY_REFUSED,
                                      f"depends on {shown}, which was refused: {reason}", written_in=(shown, *where) if where else None))
    files = _OtherFiles(parsed, target.format, registry, context)
    # What resources carry (annotations, metadata), by the file that wrote it; a
    # workload's annotation is shared by its pod and containers, so count it once.
    carried: dict[str, dict[Suppression, None]] = {}
    for suppression in (s for resource in resources for s in resource.suppressions) if context.inline_suppressions else ():
        carried.setdefault(suppression.path or path, {})[suppression] = None
    # The files whose suppressions this target judges: its own, and those checked only
    # through it (a build's bases and patches, a chart's templates), which no other
    # target reads and which are never scanned on their own.
    judged = list(dict.fromkeys([path, *sorted(context.parts), *sorted(carried)]))
    for where in judged:
        warnings = [*files.suppressions(where).warnings, *resource_warnings(carried.get(where, {}), registry)]
        diagnostics += _diagnostics(where, SUPPRESSION_WARNING, warnings)
    findings: list[Finding] = []
    used: dict[str, set[Suppression]] = {}  # by the file that wrote them
    # A format that renders into another (Helm charts, Kustomize builds) writes each
    # line once but renders it once per value set, loop pass or overlay: its findings
    # are reported once per rule and line, the first kept with the hops of all (the
    # overlays a shared base was built for). One whose resources are instances of
    # their own (Terraform JSON, plans) says so, and each instance is reported.
    one_per_line = getattr(target.format, "renders", None) is not None and getattr(target.format, "one_finding_per_line", True)
    seen_lines: dict[tuple, Finding] = {}
    for resource in resources:
        for active in policy.rules_for(resource.kind):
            if not active.rule.applies_to(resource):
                continue
            checks.append(Check(path, resource.address, active.rule.code))
            try:
                problems: list[Problem] = list(active.rule.check(resource, active.options))
            except Exception as error:
                message = f"internal error in rule {active.rule.code} on {resource.address}: {type(error).__name__}: {error}"
                diagnostics.append(Diagnostic(path, resource.location.line, None, INTERNAL_ERROR, message))
                continue
            for problem in problems:
                location = _with_end(problem.location, files.lines(problem.location.path))
                fix = problem.fix if active.rule.fixes_in(resource.format) else None
                finding = Finding(active, problem.message, location, resource, problem_severity=problem.severity, fix=fix)
                finding.suppression = _suppression(finding, path, carried, files, used)
                line_key = (active.rule.code, problem.location.path, problem.location.line, problem.location.column)
                if one_per_line and line_key in seen_lines:
                    _merge(seen_lines[line_key], finding)
                    continue
                findings.append(finding)
                seen_lines[line_key] = finding
    findings = distinct(findings)
    if context.report_unused_suppressions:
        for where in judged:
            written = [*files.suppressions(where).written, *carried.get(where, {}).items()]
            diagnostics += _diagnostics(where, UNUSED_SUPPRESSION, unused(written, used.get(where, set()), policy, registry))
    try:
        _fingerprint(findings, files)
    except BudgetExceeded as error:  # none of the findings is reported, so no check passed either
        return [], [*diagnostics, *_stopped(target, error)], []
    return findings, diagnostics, checks


def _files_of(target: Target) -> tuple[str, ...]:
    """The files a target scans: its members (top Kustomize overlays built together),
    else its own."""
    return target.members or (target.display,)


def _stopped(target: Target, error: BudgetExceeded) -> list[Diagnostic]:
    """IG004 on each file of a target whose analysis a budget stopped (none of its
    findings are reported), at the line where it stopped when that is the file's
    own, else naming the file where it stopped (a module's file, a base, another
    overlay built in the same target)."""
    stopped = []
    for member in _files_of(target):
        elsewhere = error.path not in (None, member)
        where = f" (in {error.path}{f', line {error.line}' if error.line else ''})" if elsewhere else ""
        stopped.append(Diagnostic(member, None if elsewhere else error.line, None, BUDGET_EXCEEDED, f"evaluation stopped: {error.message}{where}"))
    return stopped


def _suppression(finding: Finding, path: str, carried: dict[str, dict[Suppression, None]], files: _OtherFiles,
                 used: dict[str, set[Suppression]]) -> Suppression | None:
    """What suppresses one instance of a finding of the target `path`: a suppression
    its resource carries, or a comment at the finding's location or at the head of
    its resource (which a module's caller, say, does not share). Every one that
    covers it is recorded as used, under the file that wrote it."""
    rule, resource = finding.active.rule, finding.resource
    by_resource = [(s.path or path, s) for s in resource.suppressions if s in carried.get(s.path or path, ()) and s.covers(rule)]
    places = dict.fromkeys([(finding.location.path, finding.location.line), (resource.location.path, resource.location.line)])
    in_files = [(where, s) for where, line in places for s in files.suppressions(where).covering(rule, line)]
    for where, s in (*by_resource, *in_files):
        used.setdefault(where, set()).add(s)
    return next((s for _, s in (*by_resource, *in_files)), None)


class _OtherFiles:
    """Text and suppressions of the scanned file, and of the files its findings may
    point into (a Terraform module's own files) or that it checks (a build's bases
    and patches), parsed with the same format. Files are read as the scan sees them
    (an editor's buffer standing in for a file: `ScanContext.read_text`)."""

    def __init__(self, parsed: ParsedFile, fmt, registry: Registry, context: ScanContext):
        self.format = fmt
        self.registry = registry
        self.context = context
        self.parsed: dict[str, ParsedFile | None] = {parsed.path: parsed}
        self._texts: dict[str, str | None] = {parsed.path: parsed.text}
        self._lines: dict[str, list[str]] = {}
        self._folded: dict[tuple[str, int], str] = {}
        self._suppressions: dict[str, FileSuppressions] = {}

    def _text(self, path: str) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = self.context.read_text(path, self.context.root).text
            except inputs.Refused:
                self._texts[path] = None
        return self._texts[path]

    def _load(self, path: str) -> ParsedFile | None:
        if path not in self.parsed:
            text = self._text(path)
            try:
                self.parsed[path] = None if text is None else self.format.parse(text, path)
            except (ParseError, RecursionError):
                self.parsed[path] = None
        return self.parsed[path]

    def lines(self, path: str) -> list[str]:
        if path not in self._lines:
            parsed = self._load(path)
            self._lines[path] = parsed.text.split("\n") if parsed else []
        return self._lines[path]

    def text_at(self, path: str, line: int) -> str:
        """A line's text, white space folded (what fingerprints are made of); folded
        once per line: a minified JSON `List` holds every finding on one line."""
        key = (path, line)
        if key not in self._folded:
            lines = self.lines(path)
            self._folded[key] = _SPACE.sub(" ", lines[line - 1].strip()) if 0 < line <= len(lines) else ""
        return self._folded[key]

    def suppressions(self, path: str) -> FileSuppressions:
        if path not in self._suppressions:
            # Only a file that names iacguard can hold a suppression (or a near miss to
            # warn about), so a build's many files are not parsed again for nothing.
            # (Lower-casing and `in` is ten times faster than a case-blind pattern.)
            mentions = self.context.inline_suppressions and "iacguard" in (self._text(path) or "").lower()
            parsed = (mentions and self._load(path)) or ParsedFile(path, self.format.name, "", None)
            self._suppressions[path] = FileSuppressions(parsed, self.registry)
        return self._suppressions[path]


def _with_end(location: Location, lines: list[str]) -> Location:
    """Give a location without an end one that runs to the end of its line's content,
    so every report can highlight a region."""
    if location.end_column is not None and (location.end_line, location.end_column) != (location.line, location.column):
        return location
    text = lines[location.line - 1].rstrip() if 0 < location.line <= len(lines) else ""
    return replace(location, end_line=location.line, end_column=max(len(text) + 1, location.column + 1))


def _diagnostics(path: str, code: str, warnings: list[SuppressionWarning]) -> list[Diagnostic]:
    return [Diagnostic(path, warning.line, warning.column, code, warning.message, warning.level) for warning in warnings]


def read_text(target: Target, context: ScanContext) -> tuple[str | None, Diagnostic | None]:
    """A target's text through the one input door (or the editor's buffer standing in
    for it): a file that is refused (not a regular file, over `max_file_size`, binary,
    unreadable) is an IG001 error; text that is not UTF-8 is read as Latin-1 with a
    warning."""
    try:
        if target.refused:
            raise inputs.Refused(target.refused)
        content = context.read_text(target.path)
    except inputs.Refused as refused:
        return None, Diagnostic(target.display, None, None, READ_ERROR, refused.reason)
    if content.latin1_line is not None:
        return content.text, _read_as_latin1(target.display, content.latin1_line)
    return content.text, None


def _read_as_latin1(path: str, line: int) -> Diagnostic:
    """The warning for text that was not UTF-8 from `line` on, a file's or standard
    input's."""
    return Diagnostic(path, line, None, READ_ERROR, "not valid UTF-8; read as Latin-1", "warning")


FINGERPRINT_VERSION = 2
"""How fingerprints are made; baselines record it, and a baseline of the previous
version is matched against `Finding.previous_fingerprint`. Every change is listed in
CHANGELOG.md.

1. Rule code, file, resource address and the offending line's text (white space
   folded), numbered when repeated.
2. As 1, except that a rule split out of another (see `Rule.aliases`) uses its own
   code where version 1 had the code of the rule it came from; that a value a
   module's caller decided is located at the caller's argument (or at the module
   variable's default), where version 1 used the module's line that takes it (the
   first hop of `Location.via`); and that a finding at a resource's head takes the
   head's stable text where the resource has one (`Resource.head_text`: a
   Dockerfile stage's `FROM` without its image, a Bicep resource without its API
   version).
"""


def _fingerprint(findings: list[Finding], files: _OtherFiles) -> None:
    """Fingerprints that survive unrelated edits: never the line number. Each finding
    gets the current version's and the previous version's, each numbered in the order
    of its own locations; in the previous one, the checks split out of one rule share
    that rule's code but do not number each other, so each matches the finding the
    bundled rule reported there. The current version takes a path from the scan root
    of a git work tree (`inputs.from_root`): the same finding has the same fingerprint
    wherever the scan is run from (a baseline made at the root holds in a folder below
    it too); the previous version took it as shown, and so still does."""
    root = files.context.root
    keys = []  # (finding, key) of the current version
    for finding in sorted(findings, key=Finding.sort_key):
        location, resource = finding.location, finding.resource
        head = resource.location
        at_head = resource.head_text is not None and (location.path, location.line, location.column) == (head.path, head.line, head.column)
        text = resource.head_text if at_head else files.text_at(location.path, location.line)
        keys.append((finding, (finding.code, inputs.from_root(location.path, root), resource.address, text)))
    previous_keys = []  # (finding, key, group) of the previous version
    for finding in sorted(findings, key=_previous_sort_key):
        path, line, _ = finding.location.in_resource
        rule = finding.active.rule
        previous_keys.append((finding, (rule.previous_code, path, finding.resource.address, files.text_at(path, line)), rule.code))
    if sum(len(key[3]) for _, key, *_ in (*keys, *previous_keys)) > MAX_FINGERPRINT_TEXT:
        raise BudgetExceeded(f"the findings' fingerprints would hash more than {MAX_FINGERPRINT_TEXT:,} characters of their lines")
    current: Counter = Counter()
    for finding, key in keys:
        finding.fingerprint = _digest(current, key)
    previous: Counter = Counter()
    for finding, key, group in previous_keys:
        finding.previous_fingerprint = _digest(previous, key, group)


def _previous_sort_key(finding: Finding) -> tuple:
    """`Finding.sort_key` as version 1 located the finding."""
    return (*finding.location.in_resource, *finding.sort_key()[3:])


def _digest(occurrences: Counter, key: tuple[str, ...], group: str = "") -> str:
    occurrences[key, group] += 1
    material = "\x1f".join((*key, str(occurrences[key, group])))
    return sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]
