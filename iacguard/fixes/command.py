"""`iacguard fix [PATH ...]`: apply the fixes of the findings in the files given.

Safe fixes by default, unsafe ones too with `--unsafe-fixes`. A file that other files
use as a shared piece (a Kustomize base, patch or resource; a module's file) is fixed
only with `--fix-shared`, and the output names the files it affects. Only the files found
under the paths given are written, each only inside the scan root and never through
a link out of it, atomically; `--diff` prints the changes instead. Every fix is
checked by a re-scan of the fixed text (`iacguard.fixes.engine`), and what remains is
listed. Exit codes as `scan`: 1 while findings at or above the fail-on threshold
remain (with `--diff`: when something would change), 4 when a file's analysis did
not complete, 2 for usage errors.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from iacguard.structs import field, struct


@struct
class Outcome:
    """What fixing the files given did: the findings fixed and the files changed (or
    that would change, with `--diff`), how each setting was written, the findings
    that remain with why each was not fixed, the files whose analysis did not
    complete, and notes for standard error."""

    fixed: int = 0
    changed: int = 0
    written: Counter = field(default_factory=Counter)
    remaining: list = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fails: bool = False  # a remaining finding is at or above the fail-on threshold


def run_fix(args) -> int:
    from iacguard.cli import printable

    outcome = apply_fixes(args)
    for finding, reason in outcome.remaining:
        loc = finding.location
        hint = f" (not fixed: {reason})" if reason else ""
        # With --diff standard output is the patch alone, for `git apply` or `patch`.
        print(printable(f"{loc.path}:{loc.line}:{loc.column}: {finding.code} [{finding.severity}] {finding.message}{hint}"),
              file=sys.stderr if args.diff else sys.stdout)
    report(outcome, args)
    if outcome.incomplete and not args.allow_incomplete:
        return 4
    if args.diff:
        return 1 if outcome.changed else 0
    return 1 if outcome.fails else 0


def report(outcome: Outcome, args) -> None:
    """The notes, the summary line and, with `-v`, how settings were written, on
    standard error (`scan --fix` keeps standard output for its report)."""
    from iacguard.cli import printable

    for note in outcome.notes:
        print(f"iacguard: {printable(note)}", file=sys.stderr)
    if not args.quiet:
        verb = "would fix" if getattr(args, "diff", False) else "fixed"
        files = f"{outcome.changed} file{'s' if outcome.changed != 1 else ''}"
        print(f"iacguard: {verb} {outcome.fixed} finding{'s' if outcome.fixed != 1 else ''} in {files}; {len(outcome.remaining)} remain", file=sys.stderr)
    if args.verbose:
        ways = ", ".join(f"{count} by {how}" for how, count in sorted(outcome.written.items())) or "none"
        print(f"iacguard: settings written: {ways}", file=sys.stderr)


def apply_fixes(args) -> Outcome:
    """Fix the files found under `args.paths` (writing them, or with `args.diff`
    printing the changes to standard output)."""
    from iacguard.checker import Checker
    from iacguard.cli import _folders, _scan_root, _statuses, _unique, input_files, named_inputs, printable, scan_config
    from iacguard.discovery import Skipped, Target
    from iacguard.errors import ConfigError
    from iacguard.fixes.engine import Choice, diff, fix_text
    from iacguard.fixes.files import read_original, write_fixed
    from iacguard.inputs import Refused

    cwd = Path.cwd()
    paths = args.paths or ["."]
    statuses = _statuses(cwd, paths)
    for path in paths:
        if path == "-" or statuses[path] is None:
            raise ConfigError(f"fixing needs files or folders that exist: {path}")
    root = _scan_root(args.root, cwd, paths, _folders(statuses))
    # The scan's own configuration, files and inputs (`scan --fix` writes no file
    # its scan excludes): `--exclude`, `--isolated`, var and parameter files.
    config = scan_config(args, cwd, root)
    var_files, param_files = input_files(args, config, cwd)
    checker = Checker.for_config(config, root, cwd, gitignore=not getattr(args, "isolated", False), var_files=var_files,
                                 param_files=param_files, inline_suppressions=not getattr(args, "no_inline_suppressions", False),
                                 named=named_inputs(args, cwd))
    recorded = _baseline(args, config)
    found = list(checker.discovery.targets(paths, statuses))
    targets = _unique([item for item in found if isinstance(item, Target)], checker.discovery)
    tree = checker.tree  # the walk the checks use: a fix changes no link between files
    showing = getattr(args, "diff", False)
    outcome = Outcome()
    for unread in (item for item in found if isinstance(item, Skipped) and item.failed):  # a folder: what it holds is not fixed
        outcome.notes.append(f"{unread.display}: not fixed: {unread.reason}")
        outcome.incomplete.append(unread.display)
    _left_in_builds(checker, tree, targets, recorded, outcome)
    for target in targets:
        if getattr(target.format, "renders", None) is not None:
            continue  # a chart or an overlay: built from other files, which are fixed as themselves
        try:
            if target.refused:
                raise Refused(target.refused)
            original = read_original(target.path, root, checker.context.max_file_size)
        except Refused as refused:
            outcome.notes.append(f"{target.display}: not fixed: {refused.reason}")
            outcome.incomplete.append(target.display)
            continue
        users = [f"{tree.display(use.user)}: {use.reason}" for use in shared_by(target.path, tree)]
        withheld = original.unfixable  # read as a scan reads it all the same: what it finds remains
        if withheld is None and users and not args.fix_shared:
            withheld = f"other files use {target.display} ({'; '.join(users)}): fix it with --fix-shared"
        choice = Choice(unsafe=args.unsafe_fixes, withheld=withheld)
        result = fix_text(target.display, original.text, lambda text, t=target: checker.check_for_fixes(t.path, text), choice)
        if result.errors:
            outcome.incomplete.append(target.display)
        remaining = [(finding, result.why_unfixed(finding)) for finding in result.remaining]
        if result.changed and showing:
            # Shown safely, as every report is; a line's own "\r" is kept (nothing
            # follows it to hide), so the diff of a CRLF file applies to it, and so
            # are its tabs (a tab hides nothing either), so the diff of a file
            # indented with tabs applies to it.
            for line in diff(result).removesuffix("\n").split("\n"):
                print("\t".join(map(printable, line.removesuffix("\r").split("\t"))) + "\r" * line.endswith("\r"))
        elif result.changed:
            try:
                write_fixed(original, result.fixed)
            except (OSError, Refused) as error:
                outcome.notes.append(f"{target.display}: not written: {getattr(error, 'reason', None) or error}")
                outcome.incomplete.append(target.display)
                # Nothing was fixed: what the file as it is holds remains.
                found, _ = checker.check_for_fixes(target.path, original.text)
                remaining = [(finding, result.why_unwritten(finding)) for finding in found]
                result.applied = []
        if result.applied and users:
            outcome.notes.append(f"{target.display}: {'would change' if showing else 'changed'} a shared file; this affects {'; '.join(users)}")
        if result.applied:
            outcome.changed += 1
            outcome.fixed += len(result.applied)
            outcome.written += result.written
        outcome.remaining += [(finding, why) for finding, why in remaining if not (recorded and recorded.holds(finding))]
    outcome.fails = any(checker.policy.fails(finding.severity) for finding, _ in outcome.remaining)
    # Listed as `scan` lists them: below `min_severity` not shown, though they count for the exit code.
    outcome.remaining = [(finding, why) for finding, why in outcome.remaining if checker.policy.shows(finding.severity)]
    return outcome


def _left_in_builds(checker, tree, targets: list, recorded, outcome: Outcome) -> None:
    """What the builds the scan makes of `targets` (a chart, the top overlays) report
    in files no fix here writes (a chart's templates and values, a kustomization): the
    findings remain, each with why it is not fixed, as `scan` lists them, and a build
    whose analysis did not complete is told. The builds' findings in the files fixed
    are theirs, listed when those are fixed."""
    from iacguard.fixes.engine import Choice, why_not
    from iacguard.runner import scan_file
    from iacguard.scope import scope_of

    fixed_here = {target.display for target in targets if getattr(target.format, "renders", None) is None}
    builds = [target for target in scope_of(tree, checker.registry, targets, [], None).targets if getattr(target.format, "renders", None) is not None]
    for build in builds:
        findings, diagnostics, _ = scan_file(build, checker.registry, checker.policy, checker.context)
        checker.policy.suppress_by_path(findings, checker.cwd)
        for finding in findings:
            if finding.suppression is None and finding.location.path not in fixed_here and not (recorded and recorded.holds(finding)):
                reason = why_not(finding, build.display, Choice(unsafe=True)) or "`iacguard fix` does not write this file"
                outcome.remaining.append((finding, None if finding.fix is None else reason))
        errors = [diagnostic for diagnostic in diagnostics if diagnostic.level == "error"]
        if errors:
            outcome.incomplete.append(build.display)
            outcome.notes += [f"{build.display}: {error.code} {error.message}" for error in errors]


def _baseline(args, config):
    """The baseline the scan would apply (`--baseline`, else the config's), whose
    findings do not remain, as they are not reported; None without one."""
    path = Path(args.baseline) if getattr(args, "baseline", None) else config.baseline
    if path is None or getattr(args, "write_baseline", None):
        return None
    from iacguard.baseline import load_baseline

    return load_baseline(path)


def shared_by(path: Path, tree) -> list:
    """The uses of the file at `path` as a shared piece (`dependents.Use`, with how):
    the kustomizations that build it (a base, a patch, a resource) and the callers
    of the module it belongs to. (Files that only read it, such as the other files of
    a Terraform folder, do not make it shared.) `iacguard fix` withholds such a
    file's fixes without `--fix-shared`; a language server's quick fixes name them."""
    from iacguard.dependents import linked

    return [use for fmt in linked(tree.discovery.formats) for use in fmt.users(path, tree) if use.shares]

