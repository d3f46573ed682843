"""The `iacguard` command: scan, rules, explain.

Exit codes: 0 no finding at or above the fail-on threshold; 1 findings; 2 usage or
configuration error; 3 internal error; 4 at least one file whose analysis did not
complete (it takes precedence over 1, and only `--allow-incomplete` on the command
line turns it off: a scanned repository must not be able to). No traceback reaches
the user unless IACGUARD_DEBUG is set.
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import json
import os
import signal
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from iacguard import __version__
from iacguard.config import FAIL_ON_CHOICES, find_config, load_config
from iacguard.errors import ConfigError, IacguardError
from iacguard.inputs import Text, find_scan_root, scan_roots
from iacguard.patterns import compile_all
from iacguard.rule import SEVERITIES

if TYPE_CHECKING:
    from iacguard.cache import Cache
    from iacguard.discovery import Target

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INCOMPLETE = 0, 1, 2, 3, 4


MAX_JOBS = 256  # far above any useful number: a typo or a hostile argument must not fork without end


class _Formatter(argparse.HelpFormatter):
    """argparse's, told the terminal's width as `shutil` would tell it (`COLUMNS`, else
    the terminal, else 80): argparse makes a formatter for every option it is given,
    and importing `shutil` for the width loads the compression modules too, 1.6 ms of
    every check of one file."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _Parser(argparse.ArgumentParser):
    """No abbreviated options: pre-commit appends file names to the arguments, and a
    staged file named `--o=main.tf` must never be taken for `--output`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # argparse exits 2 too, but with our prefix
        self.print_usage(sys.stderr)
        raise ConfigError(message)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= jobs <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_JOBS}")
    return jobs


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="iacguard", description="Static policy linter for container infrastructure-as-code.")
    parser.add_argument("--version", action="version", version=f"iacguard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scan = commands.add_parser("scan", help="scan files and directories ('-' reads standard input)")
    scan.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    scan.add_argument("-f", "--format", action="append", metavar="FORMAT[:FILE]",
                      help="output format: text, json, sarif, github, junit (plugins may add more); FORMAT:FILE writes that report to FILE; "
                           "repeat for several reports from one scan, at most one of them on standard output (default: text)")
    scan.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output (the one --format without a FILE of its own)")
    _add_rule_choice(scan)
    scan.add_argument("--fail-on", choices=FAIL_ON_CHOICES, help="lowest severity that fails the run (default: low)")
    scan.add_argument("--min-severity", choices=SEVERITIES, help="lowest severity the reports show (default: info, all); hidden findings still count for --fail-on")
    scan.add_argument("--statistics", action="store_true", help="in the text report, count the findings of each rule instead of listing them")
    scan.add_argument("--exclude", action="append", metavar="PATTERN", help="gitignore-style pattern to skip (adds to the config)")
    scan.add_argument("--isolated", action="store_true", help="ignore the scanned tree's config files and .gitignore files: policy comes only from --config and the command line")
    scan.add_argument("--stdin-filename", metavar="NAME", help="file name for standard input: chooses the format and names findings")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the text output")
    scan.add_argument("--show-suppressed", action="store_true", help="list suppressed findings in text output")
    scan.add_argument("--strict", action="store_true", help="exit 4 when a file's analysis did not complete (the default; kept for old scripts)")
    scan.add_argument("--allow-incomplete", action="store_true", help="do not fail the run for files whose analysis did not complete (they are still reported)")
    scan.add_argument("-j", "--jobs", type=_jobs, default=os.cpu_count() or 1, metavar="N", help=f"worker processes for large scans, 1 to {MAX_JOBS} (default: the number of cores)")
    scan.add_argument("--root", metavar="DIR", help="the scan root: files that scanned files pull in must lie inside it (default: the top of the git work tree holding the first path)")
    scan.add_argument("--hook", action="store_true", help="pre-commit mode: the file names follow `--`, and only they (and the files that use them) are scanned")
    scan.add_argument("--no-dependents", action="store_true",
                      help="do not also check the files that use the files given (a module's callers, a parameter file's template, the other files of a "
                           "Terraform folder); a file of a Helm chart or a Kustomize overlay is still checked through its chart or overlay")
    scan.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache (also: IACGUARD_NO_CACHE=1)")
    scan.add_argument("--cache-dir", metavar="DIR", help="where results are cached: a new folder that iacguard makes (default: in $XDG_CACHE_HOME/iacguard)")
    scan.add_argument("--var-file", action="append", metavar="FILE", help="Terraform variable file, applied after terraform.tfvars and *.auto.tfvars (repeatable)")
    scan.add_argument("--param-file", action="append", metavar="FILE", help="ARM or Bicep parameter file (JSON or .bicepparam), applied after the one beside the template (repeatable)")
    scan.add_argument("--helm-values", metavar="FILES", help="values files for every Helm chart, merged in order like `helm template -f A -f B` (comma-separated): one more value set besides the chart's own")
    scan.add_argument("--baseline", metavar="FILE", help="report only findings that are not recorded in this baseline")
    scan.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    chatter = scan.add_mutually_exclusive_group()
    chatter.add_argument("-v", "--verbose", action="store_true", help="also report skipped paths and suppressions without a reason")
    chatter.add_argument("-q", "--quiet", action="store_true", help="print the findings and nothing else: no summary, no progress line")
    scan.add_argument("--report-unused-suppressions", action="store_true", help="warn about suppressions that suppressed no finding (IG007; on with -v)")
    scan.add_argument("--no-inline-suppressions", action="store_true", help="ignore suppressions written in scanned files (comments, annotations, ARM metadata)")
    scan.add_argument("--fix", action="store_true", help="first apply the safe fixes (as `iacguard fix` does), then scan and report what remains")
    _add_fix_choice(scan)

    rules = commands.add_parser("rules", help="list the available rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--for", dest="for_format", metavar="FORMAT", help="only the rules that check this format: terraform, arm, bicep, kubernetes, helm, dockerfile (plugins may add more)")
    rules.add_argument("--tag", action="append", metavar="TAGS", help="only the rules with one of these tags (comma-separated, repeatable)")
    rules.add_argument("--config", metavar="FILE", help="config file whose selection marks rules as enabled")

    fix = commands.add_parser("fix", help="apply the fixes of the findings in files and directories (safe ones; unsafe ones with --unsafe-fixes)")
    fix.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .); only files found under them are written")
    _add_fix_choice(fix)
    fix.add_argument("--diff", action="store_true", help="print the changes as a unified diff instead of writing them; exit 1 if there are any")
    _add_rule_choice(fix)
    fix.add_argument("--root", metavar="DIR", help="the scan root: no file outside it is read or written (default: the top of the git work tree)")
    fix.add_argument("--fail-on", choices=FAIL_ON_CHOICES, help="lowest severity of the findings that remain that fails the run (default: low)")
    fix.add_argument("--allow-incomplete", action="store_true", help="do not exit 4 for files whose analysis did not complete")
    fix_chatter = fix.add_mutually_exclusive_group()
    fix_chatter.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    fix_chatter.add_argument("-v", "--verbose", action="store_true", help="also count the settings written by each way (YAML: round trip or text edit)")

    commands.add_parser("lsp", help="run the language server on standard input and output (needs the `lsp` extra: pip install 'iacguard-lint[lsp]')")

    explain = commands.add_parser("explain", help="show the documentation of a rule (also by another tool's id: DL3002, CKV_K8S_20, KSV012)")
    explain.add_argument("rule", metavar="CODE|NAME|PEER-ID")
    explain.add_argument("--for", dest="for_format", metavar="FORMAT", help="show how to fix it in this format only: terraform, arm, bicep, kubernetes, dockerfile (plugins may add more)")
    return parser


def _add_fix_choice(command: argparse.ArgumentParser) -> None:
    """Which fixes apply, alike for `fix` and `scan --fix`."""
    command.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that can change how the image or the workload behaves")
    command.add_argument("--fix-shared", action="store_true", help="also fix files that other files use (a Kustomize base, patch or resource; a module's files); the output names the files affected")


def _add_rule_choice(command: argparse.ArgumentParser) -> None:
    """The options that choose the rules and the configuration, alike for every
    command that checks files."""
    command.add_argument("--select", action="append", metavar="RULES", help="only these rules (codes, names, prefixes, tags; comma-separated)")
    command.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules")
    command.add_argument("--config", metavar="FILE", help="config file (default: .iacguard.yaml or pyproject.toml, searched from the first PATH up to the scan root)")


# The collector's pace while a command runs. A scan makes objects by the million and
# keeps most of them until it ends (parsed files, values, resources): at Python's
# default (a young collection every 700 allocations, each tenth an older one) walking
# them took a third of the CPU time of a scan of the test corpus; at this pace a tenth,
# and its peak memory did not grow.
GC_THRESHOLDS = (20_000, 20, 20)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    previous = signal.signal(signal.SIGTERM, _terminate)
    thresholds, collecting = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(*GC_THRESHOLDS)
    gc.enable()  # off while the command's modules were imported (`iacguard.__main__.run`)
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            build_parser().print_help(sys.stderr)
            return EXIT_USAGE
        if args.command == "scan" and args.hook and "--" not in argv:
            raise ConfigError("--hook needs the file names after `--`: end the hook's `args:` with \"--\"")
        return {"scan": run_scan, "rules": run_rules, "explain": run_explain, "fix": _run_fix, "lsp": _run_lsp}[args.command](args)
    except ConfigError as error:
        print(f"iacguard: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except IacguardError as error:
        print(f"iacguard: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print("iacguard: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except _Terminated:
        print("iacguard: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except BrokenPipeError:  # `iacguard explain IG201 | head`: the reader has what it wanted
        _silence_stdout()
        return EXIT_CLEAN
    except Exception as error:
        if os.environ.get("IACGUARD_DEBUG"):
            raise
        print(f"iacguard: internal error: {type(error).__name__}: {printable(str(error))} (set IACGUARD_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        signal.signal(signal.SIGTERM, previous)
        gc.set_threshold(*thresholds)
        if not collecting:
            gc.disable()


class _Terminated(BaseException):
    """SIGTERM, raised in the main process so the scan ends like on Ctrl-C: workers
    stopped, no output half-written, one line on stderr."""


def _terminate(signum, frame):
    raise _Terminated()


def printable(text: str) -> str:
    """Text from a scanned repository made safe for a terminal or a CI log (see
    `iacguard.reporters.printable`, imported here only when a message is printed:
    start-up time counts)."""
    from iacguard.reporters import printable as escape

    return escape(text)


def _config(args: argparse.Namespace, cwd: Path, root: Path | None = None):
    """`--config FILE`, else the nearest config file from the first scanned path up
    to the scan root (none with `--isolated`)."""
    if getattr(args, "config", None):
        path = Path(args.config)
        if not path.is_file():
            raise ConfigError(f"config file not found: {args.config}")
        return load_config(path.resolve(), cwd)
    if getattr(args, "isolated", False):
        return load_config(None, cwd)
    first = (getattr(args, "paths", None) or ["."])[0]
    if first == "-":  # an editor's buffer: the configuration of the file it names
        first = getattr(args, "stdin_filename", None) or "."
    start = cwd / first
    root = root or find_scan_root(start)
    return load_config(find_config(start, root), cwd, root)


def scan_config(args: argparse.Namespace, cwd: Path, root: Path):
    """The configuration a scan (or a fix) of `args` runs with: the config file
    (`_config`) with the command line's choices over it."""
    config = _config(args, cwd, root)
    if getattr(args, "select", None) is not None:
        config.select = _split(args.select)
        if not config.select:  # `--select "$RULES"` with RULES unset must not turn the scan off
            raise ConfigError("--select selects no rule")
        # The command line chooses afresh, as ruff's does: the rules a pipeline asks
        # for run whatever the scanned repository's config ignores.
        config.ignore = []
    if getattr(args, "ignore", None) is not None:
        config.ignore = _split(args.ignore)
    if getattr(args, "fail_on", None):
        config.fail_on = args.fail_on
    if getattr(args, "min_severity", None):
        config.min_severity = args.min_severity
    excludes = _split(getattr(args, "exclude", None)) or ()
    compile_all(excludes, "--exclude")
    config.exclude += excludes
    return config


def input_files(args: argparse.Namespace, config, cwd: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """The Terraform variable files and ARM parameter files of the config and the
    command line; a usage error when one is missing."""
    var_files = config.terraform_var_files + tuple(cwd / path for path in getattr(args, "var_file", None) or ())
    for var_file in var_files:
        if not var_file.is_file():
            raise ConfigError(f"Terraform variable file not found: {var_file}")
    param_files = config.arm_parameter_files + tuple(cwd / path for path in getattr(args, "param_file", None) or ())
    for param_file in param_files:
        if not param_file.is_file():
            raise ConfigError(f"parameter file not found: {param_file}")
    return var_files, param_files


def named_inputs(args: argparse.Namespace, cwd: Path, helm_values: tuple[Path, ...] = ()) -> frozenset[str]:
    """The absolute paths of the inputs the command line names (`--var-file`,
    `--param-file`, `--helm-values`): read wherever they are, where the repository's
    own are read only inside the scan root (`ScanContext.named`)."""
    return frozenset(os.path.abspath(cwd / path) for path in (*(getattr(args, "var_file", None) or ()), *(getattr(args, "param_file", None) or ()), *helm_values))


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


# The largest file a scan that names it alone checks without the default cache (below).
SMALL_SCAN_BYTES = 16 * 1024


def _result_cache(args: argparse.Namespace, cwd: Path, root: Path, outputs: list) -> Cache | None:
    """The result cache of this scan, None without one (`--no-cache`, `IACGUARD_NO_CACHE`).
    A run whose `outputs` (reports, a baseline) would write over one of its files
    is refused before anything is read from the cache or written to it."""
    if args.no_cache or os.environ.get("IACGUARD_NO_CACHE", "") not in ("", "0"):
        return None
    from iacguard.cache import open_cache
    from iacguard.outputs import refuse_read

    cache = open_cache(root, cwd / args.cache_dir if args.cache_dir else None)
    if cache is not None:
        refuse_read(outputs, cache.files())
    return cache


def _small_and_alone(targets: list[Target]) -> bool:
    """True when a scan that names one file alone (the caller knows) checks that
    file only, and it has at most `SMALL_SCAN_BYTES`: then it does without the
    default cache (a folder named with `--cache-dir` is always used). An editor's
    or a hook's file has been edited since its last check, so it misses, and
    opening the cache, reading the key of the code and settings, looking the file
    up and storing its result add 5.5 ms to a 42 ms check of one Dockerfile (a hit
    saves 4 to 18 ms on files of 7 kB)."""
    return len(targets) == 1 and _size(targets[0].path) <= SMALL_SCAN_BYTES


def _size(path: Path | None) -> int:
    """The size of the file at `path`; 0 for standard input and a file that cannot be
    read (neither is cached)."""
    try:
        return os.stat(path).st_size if path is not None else 0
    except OSError:
        return 0


def run_scan(args: argparse.Namespace) -> int:
    from iacguard.dependents import Tree
    from iacguard.discovery import Discovery
    from iacguard.formats import ScanContext
    from iacguard.outputs import claim, refuse_read
    from iacguard.plugins import load_registry
    from iacguard.policy import build_policy
    from iacguard.progress import progress_for
    from iacguard.reporters import ReportContext
    from iacguard.runner import scan
    from iacguard.scope import scope_of

    cwd = Path.cwd()
    paths = args.paths if args.hook else args.paths or ["."]
    if args.stdin_filename and paths != ["-"]:
        raise ConfigError("--stdin-filename names standard input: pass '-' as the only path")
    if args.baseline and args.write_baseline:
        raise ConfigError("--baseline and --write-baseline cannot be combined: a new baseline records every finding")
    if (args.unsafe_fixes or args.fix_shared) and not args.fix:
        raise ConfigError("--unsafe-fixes and --fix-shared choose fixes: add --fix (or use `iacguard fix`)")
    if args.fix and "-" in paths:
        raise ConfigError("--fix writes files: standard input cannot be fixed")
    # An editor's buffer stands in for the file it names: the scan is that of the file.
    given = [args.stdin_filename] if paths == ["-"] and args.stdin_filename else paths
    statuses = _statuses(cwd, given)
    folders = _folders(statuses)
    root = _scan_root(args.root, cwd, given, folders)
    config = scan_config(args, cwd, root)

    if args.cache_dir == "":
        raise ConfigError("--cache-dir needs a folder (use --no-cache to turn the cache off)")
    registry = load_registry()
    policy = build_policy(registry, config)
    reports = _reports(args.format or ["text"], args.output, registry)
    if args.statistics and not any(reporter.name == "text" for reporter, _ in reports):
        raise ConfigError("--statistics changes the text report, and there is none: add --format text (or text:FILE)")
    written = [os.path.abspath(cwd / path) for path in (*(path for _, path in reports if path), args.write_baseline) if path]
    if len(set(written)) < len(written):
        raise ConfigError("two outputs name the same file: give each report and the baseline a file of its own")

    discovery = Discovery(list(registry.formats.values()), cwd, config.root, config.exclude, gitignore=not args.isolated, scan_root=root,
                          max_file_size=config.max_file_size)
    if args.verbose:
        print(f"iacguard: config: {printable(discovery.display(config.source)) if config.source else 'none'}", file=sys.stderr)
    stdin, unreadable = _read_stdin(config.max_file_size) if paths == ["-"] else (None, None)
    buffer = stdin.text if stdin is not None else None

    baseline = Path(args.baseline) if args.baseline else config.baseline
    recorded = None
    if baseline and not args.write_baseline:
        from iacguard.baseline import load_baseline  # here: most scans have no baseline

        recorded = load_baseline(baseline)

    var_files, param_files = input_files(args, config, cwd)
    helm_values = tuple(cwd / path for path in _split([args.helm_values]) or ()) if args.helm_values is not None else ()
    value_sets = {**config.helm_value_sets, **({None: (helm_values,)} if helm_values else {})}
    value_files = [path for sets in value_sets.values() for files in sets for path in files]
    for value_file in value_files:
        if not value_file.is_file():
            raise ConfigError(f"Helm values file not found: {value_file}")

    # What the scan is known to read before it starts: the config, the baselines (the
    # config's too while --baseline names another, as a later run reads it; one written
    # anew is not read), the files of values named; then the files to scan and the cache's.
    rewritten = os.path.abspath(cwd / args.write_baseline) if args.write_baseline else None
    baselines = [path for path in (baseline, config.baseline) if path is not None and os.path.abspath(path) != rewritten]
    claimed, new_baseline = [], None
    try:
        for reporter, path in reports:  # standard output last: files are whole even when a reader of it goes away
            if path is not None:
                option = "-o" if path == args.output else "--format"
                claimed.append((reporter, claim(cwd / path, option, "report", discovery)))
        claimed += [(reporter, None) for reporter, path in reports if path is None]
        if args.write_baseline:
            new_baseline = claim(cwd / args.write_baseline, "--write-baseline", "baseline", discovery)
        outputs = [*(destination for _, destination in claimed), new_baseline]
        refuse_read(outputs, [*([config.source] if config.source else []), *baselines, *var_files, *param_files, *value_files])

        _require_paths(paths, statuses, cwd)  # before the cache folder is made
        # The cache is opened before the files are looked at, since it keeps the formats
        # their content tells and the walks of the search for users; for one file named
        # alone, once the search has told whether it checks others.
        one_file_alone = len(given) == 1 and given[0] not in folders and args.cache_dir is None
        cache = None if one_file_alone else _result_cache(args, cwd, root, outputs)
        if cache is not None:
            discovery.keep_formats_in(cache)
        targets, skipped = _targets(discovery, paths, args.stdin_filename, stdin, unreadable, statuses)
        new_context = functools.partial(
            ScanContext,
            terraform_var_files=var_files, arm_parameter_files=param_files, max_file_size=config.max_file_size, root=root,
            named=named_inputs(args, cwd, helm_values),
            inline_suppressions=not args.no_inline_suppressions, report_unused_suppressions=args.report_unused_suppressions or args.verbose,
            helm_value_sets=value_sets, buffers={cwd / args.stdin_filename: buffer} if buffer is not None and args.stdin_filename else {},
        )
        context = new_context()
        whole_root = paths != ["-"] and _walks_root(folders, cwd, root)
        tree = Tree(discovery, root, context, targets if whole_root else None, parts_only=args.no_dependents, cache=cache)
        named = None if whole_root or given == ["-"] else [path for path in given if path not in folders]
        # With --hook the names come from the repository: a link out of it is not read.
        scope = scope_of(tree, registry, targets, skipped, named, every_use=not args.no_dependents, confine=root if args.hook else None)
        if one_file_alone and not _small_and_alone(scope.targets):
            cache = _result_cache(args, cwd, root, outputs)
        if scope.unrendered:
            from iacguard.helm.render import INSTALL_HINT

            print(f"iacguard: Helm charts cannot be rendered: install a renderer with {INSTALL_HINT}", file=sys.stderr)
        refuse_read(outputs, [target.path for target in scope.files if target.path is not None])
        if args.fix:  # once every check but the scan's own reads has passed: a refused run changes no file
            from iacguard.fixes.command import apply_fixes, report

            report(apply_fixes(args), args)  # on standard error: the scan's report follows on standard output
            context = new_context()  # the search for users read the files as they were
        progress = None if args.quiet else progress_for(sys.stderr, len(scope.targets))
        try:
            result = scan(scope.targets, registry, policy, context, cache, args.jobs, progress.advance if progress else None)
        finally:
            if progress is not None:
                progress.close()
            if cache is not None:
                cache.close()
        result.files += scope.accounted
        result.diagnostics += scope.diagnostics
        policy.suppress_by_path(result.findings, cwd)
        if recorded is not None:
            from iacguard.baseline import apply_baseline

            apply_baseline(result, recorded, baseline)
        if args.verbose:
            for target, reason in scope.also:
                print(f"iacguard: also checking {printable(target.display)}: {printable(reason)}", file=sys.stderr)
            for item in scope.skipped:
                print(f"iacguard: skipped {printable(item.display)}: {printable(item.reason)}", file=sys.stderr)
            for display, reason in scope.accounted.items():
                print(f"iacguard: not scanned alone {printable(display)}: {printable(reason)}", file=sys.stderr)

        refuse_read(outputs, result.reads)  # before anything is written
        shown = result.shown()
        for reporter, destination in claimed:
            color = destination is None and _use_color(args.color, sys.stdout)
            report_context = ReportContext(__version__, color, args.verbose, args.show_suppressed, cwd, args.quiet, args.statistics, root)
            if destination is not None:
                rendered = io.StringIO()
                reporter.render(shown, rendered, report_context)
                destination.commit(rendered.getvalue())
            else:
                _to_stdout(lambda: reporter.render(shown, sys.stdout, report_context))
        if new_baseline:
            from iacguard.baseline import baseline_text

            text, count = baseline_text(result)
            new_baseline.commit(text)
            if not args.quiet:
                print(f"iacguard: recorded {count} finding{'s' if count != 1 else ''} in {printable(args.write_baseline)}", file=sys.stderr)
    finally:  # after a commit there is nothing left to discard
        for output in (*(destination for _, destination in claimed), new_baseline):
            if output is not None:
                output.discard()

    if result.incomplete and not args.allow_incomplete:
        return EXIT_INCOMPLETE
    if args.write_baseline:
        return EXIT_CLEAN
    if any(policy.fails(finding.severity) for finding in result.active_findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _reports(specs: list[str], output: str | None, registry) -> list[tuple[object, str | None]]:
    """(reporter, file) for each `--format FORMAT[:FILE]`, the file None for standard
    output; `-o FILE` is the file of the one format given without a file of its own."""
    reports = []
    for spec in specs:
        name, colon, path = spec.partition(":")
        reporter = registry.reporters.get(name)
        if reporter is None:
            raise ConfigError(f"unknown output format {name!r} (available: {', '.join(sorted(registry.reporters))})")
        if colon and not path:
            raise ConfigError(f"--format {spec}: the file name after ':' is missing")
        reports.append((reporter, path or None))
    to_stdout = [index for index, (_, path) in enumerate(reports) if path is None]
    if output is not None:
        if len(to_stdout) != 1:
            raise ConfigError("-o names the file of the one --format given without a file: write FORMAT:FILE for each report instead")
        reports[to_stdout[0]] = (reports[to_stdout[0]][0], output)
    elif len(to_stdout) > 1:
        raise ConfigError("only one report can go to standard output: give the others a file (--format FORMAT:FILE)")
    return reports


def _statuses(cwd: Path, paths: list[str]) -> dict[str, tuple[bool, tuple[int, int]] | None]:
    """Each path given (but standard input) with whether it is a folder and which file
    it is (device and inode), links followed; None when it has no status (missing, a
    broken link). One `stat` a path tells which are folders, which exist and which
    file each is: a hook or a list of files gives thousands, and each was looked at
    four times (the corpus's 6,372 files for Checkov: 0.1 s of a warm scan's 0.9).
    Only those are kept: the whole status of every path took 4 MB."""
    found: dict[str, tuple[bool, tuple[int, int]] | None] = {}
    for path in paths:
        if path != "-" and path not in found:
            try:
                status = os.stat(os.path.join(cwd, path))
            except (OSError, ValueError):
                found[path] = None
            else:
                found[path] = (stat.S_ISDIR(status.st_mode), (status.st_dev, status.st_ino))
    return found


def _folders(statuses: dict[str, tuple[bool, tuple[int, int]] | None]) -> set[str]:
    """The paths of `statuses` (`_statuses`) that are folders."""
    return {path for path, status in statuses.items() if status is not None and status[0]}


def _scan_root(option: str | None, cwd: Path, paths: list[str], folders: set[str]) -> Path:
    """`--root`, or the top of the git work tree holding the scanned `paths` (the
    folder holding them all, when they lie in different trees or in none); `folders`
    are those of them that are folders (`_folders`)."""
    if option:
        root = (cwd / option).resolve()
        if not root.is_dir():
            raise ConfigError(f"--root {option}: not a directory")
        return root
    # Each folder once: a hook or a list of files gives many files of one folder
    # (strings, not paths: a hook gives thousands). A file's folder is taken from its
    # name as given (a file's name cannot end in `..`): `scan_roots` normalises each
    # folder once.
    holding = {os.path.join(cwd, path if path in folders else os.path.dirname(path)) for path in paths if path != "-"}
    roots = scan_roots(holding) or {find_scan_root(cwd)}
    return Path(os.path.commonpath(sorted(roots)))


def _walks_root(folders: set[str], cwd: Path, root: Path) -> bool:
    """True when one of the folders scanned is the scan root itself, so discovery has
    walked all of it (their links resolved)."""
    return any(Path(os.path.join(cwd, folder)).resolve() == root for folder in folders)


def _to_stdout(write) -> None:
    """Write to standard output; a reader that goes away (`| head`) ends the output
    quietly, and the run keeps its own exit status. Text that cannot be encoded (a
    file name that is not UTF-8, a lone surrogate from a JSON escape) is written
    escaped instead of aborting the report."""
    sys.stdout.reconfigure(errors="backslashreplace")
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    """After a closed pipe: Python would report it again when it flushes at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _targets(discovery, paths: list[str], stdin_filename: str | None, stdin: Text | None, unreadable: str | None,
             statuses: dict[str, tuple[bool, tuple[int, int]] | None]) -> tuple[list, list]:
    """The files to scan, each once, and the paths passed over; `-` alone scans the
    text read from standard input, or says why it is `unreadable`. `statuses` are
    the paths' (`_statuses`)."""
    from iacguard.discovery import Skipped
    from iacguard.scope import buffer_target

    if paths == ["-"]:
        item = buffer_target(discovery, stdin_filename, stdin.text if stdin else None, unreadable, stdin.latin1_line if stdin else None)
        return ([], [item]) if isinstance(item, Skipped) else ([item], [])
    targets, skipped = [], []
    for item in discovery.targets(paths, statuses):
        (skipped if isinstance(item, Skipped) else targets).append(item)
    return _unique(targets, discovery), skipped


def _require_paths(paths: list[str], statuses: dict[str, tuple[bool, tuple[int, int]] | None], cwd: Path) -> None:
    """Raise ConfigError unless the paths given are `-` alone or each there (a
    broken link is); `statuses` are theirs (`_statuses`)."""
    if "-" in paths and paths != ["-"]:
        raise ConfigError("'-' (standard input) cannot be combined with other paths")
    for path in paths:
        if path != "-" and statuses[path] is None and not os.path.lexists(os.path.join(cwd, path)):
            raise ConfigError(f"no such file or directory: {path}")


def _unique(targets: list, discovery) -> list:
    """Each file once (a file and a link to it: named as the file)."""
    unique, where = [], {}
    for target in targets:
        same = discovery.identity(target.path) if target.path is not None else target.display  # standard input
        if same not in where:
            where[same] = len(unique)
            unique.append(target)
        elif unique[where[same]].path.is_symlink() and not target.path.is_symlink():
            unique[where[same]] = target
    return unique


def _read_stdin(max_size: int) -> tuple[Text | None, str | None]:
    """The text of standard input (with the line from which it was read as Latin-1,
    if it was), or None and why it cannot be read (over `max_file_size`, binary): it
    is then refused as the file it names would be."""
    from iacguard.inputs import Refused, decode, over_limit

    data = sys.stdin.buffer.read(max_size + 1)
    if len(data) > max_size:
        return None, over_limit("standard input", max_size)
    try:
        return decode(data), None
    except Refused as refused:
        return None, f"standard input: {refused.reason}"


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def _run_fix(args: argparse.Namespace) -> int:
    from iacguard.fixes.command import run_fix

    return run_fix(args)


def _run_lsp(args: argparse.Namespace) -> int:
    try:
        from iacguard.lsp.server import main as serve
    except ImportError as error:
        raise ConfigError(f"the language server needs pygls and lsprotocol ({error.name} is missing): pip install 'iacguard-lint[lsp]'") from None
    return serve()


def run_rules(args: argparse.Namespace) -> int:
    from iacguard.plugins import load_registry
    from iacguard.policy import build_policy

    registry = load_registry()
    enabled = {active.rule.code for active in build_policy(registry, _config(args, Path.cwd())).rules}
    rules = sorted(registry.rules.values(), key=lambda rule: rule.code)
    if args.for_format is not None:
        label = _explained_format(registry, args.for_format).label
        rules = [rule for rule in rules if label in formats_of(registry, rule)]
    if args.tag is not None:
        tags = set(_split(args.tag))
        known = {tag for rule in registry.rules.values() for tag in rule.tags}
        if not tags or tags - known:
            raise ConfigError(f"--tag: unknown tag {', '.join(sorted(tags - known)) or '(none given)'} (tags: {', '.join(sorted(known))})")
        rules = [rule for rule in rules if tags & set(rule.tags)]
    rows = [_rule_info(registry, rule, rule.code in enabled) for rule in rules]
    if args.format == "json":
        _to_stdout(lambda: sys.stdout.write(json.dumps(rows, indent=2) + "\n"))
        return EXIT_CLEAN
    _to_stdout(lambda: sys.stdout.writelines(line + "\n" for line in _rule_table(rows)))
    return EXIT_CLEAN


def _rule_table(rows: list[dict]) -> list[str]:
    """One aligned line per rule under a header; the summary last, so only it runs
    long. ON says whether the rule runs with the configuration in force."""
    columns = {
        "CODE": [row["code"] for row in rows],
        "NAME": [row["name"] for row in rows],
        "SEVERITY": [row["severity"] for row in rows],
        "ON": ["yes" if row["enabled"] else "no" for row in rows],
        "FORMATS": [", ".join(row["formats"]) for row in rows],
        "TAGS": [", ".join(row["tags"]) for row in rows],
        "SUMMARY": [row["summary"] for row in rows],
    }
    widths = [max(map(len, [heading, *values])) for heading, values in columns.items()]
    table = [list(columns), *zip(*columns.values())]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in table]


def run_explain(args: argparse.Namespace) -> int:
    from iacguard.plugins import load_registry

    from iacguard.diagnostics import CODES

    registry = load_registry()
    fmt = _explained_format(registry, args.for_format) if args.for_format is not None else None
    if args.rule.upper() in CODES:
        name, meaning = CODES[args.rule.upper()]
        print(f"{args.rule.upper()} {name} (a diagnostic about the scan itself, not a rule)\n\n{meaning}")
        return EXIT_CLEAN
    rule = registry.find_rule(args.rule)
    if rule is not None:
        _explain(registry, rule, fmt)
        return EXIT_CLEAN
    successors = registry.find_rules(args.rule)
    if successors:
        names = ", ".join(f"{successor.code} {successor.name}" for successor in successors)
        print(f"{args.rule} is a former name; it now answers for {names}. Explain one of those.")
        return EXIT_CLEAN
    peers = registry.find_by_peer_id(args.rule)
    if not peers:
        raise ConfigError(f"unknown rule {args.rule!r}: not a rule code or name, a diagnostic code, or another tool's check id that a rule names; `iacguard rules` lists them")
    _, tool, known = peers[0]
    if len(peers) == 1:
        print(f"{tool} {known} is checked by {peers[0][0].code} {peers[0][0].name}.\n")
        _explain(registry, peers[0][0], fmt)
        return EXIT_CLEAN
    print(f"{tool} {known} is checked by {len(peers)} rules; `iacguard explain CODE` explains each:")
    width = max(len(rule.name) for rule, _, _ in peers)
    for rule, _, _ in peers:
        print(f"  {rule.code}  {rule.name:<{width}}  {rule.summary}")
    return EXIT_CLEAN


def _explain(registry, rule, fmt) -> None:
    """A rule's page: heading, formats, aliases, documentation (one format's with
    `--for`), options and references."""
    info = _rule_info(registry, rule, rule.enabled)
    print(f"{rule.code} {rule.name} [{rule.severity}]{'' if rule.enabled else ' (off by default)'}")
    print(f"Formats: {', '.join(info['formats']) or 'none installed'}")
    if rule.tags:
        print(f"Tags: {', '.join(rule.tags)}")
    if rule.aliases:
        print(f"Also answers to: {', '.join(rule.aliases)}")
    if fmt is not None and fmt.label not in info["formats"]:
        print(f"{rule.code} does not check {fmt.label} files.")
    print()
    print(rule.doc if fmt is None else rule.doc_for(registry.rendered(fmt).label))
    if rule.options:
        print("\nOptions:")
        for option in rule.options:
            print(f"  {option.name} ({option.type.__name__}, default {option.default!r}): {option.help}")
    if rule.references:
        print("\nReferences:")
        for source, ids in rule.references.items():
            print(f"  {source}: {', '.join(ids)}")


def _explained_format(registry, name: str):
    """The installed format `--for` names (its name, in any case)."""
    fmt = registry.formats.get(name.lower())
    if fmt is None:
        raise ConfigError(f"--for: unknown format {name!r} (formats: {', '.join(sorted(registry.formats))})")
    return fmt


def formats_of(registry, rule) -> list[str]:
    """Labels of the installed formats a rule checks. A format that renders into
    another (Helm charts into Kubernetes manifests) checks what that one checks."""
    return [fmt.label for fmt in registry.formats.values() if registry.sees(rule, fmt)]


def _rule_info(registry, rule, enabled: bool) -> dict:
    formats = formats_of(registry, rule)
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "enabled": enabled,
        "enabled_by_default": rule.enabled,
        "kinds": list(rule.kinds),
        "formats": formats,
        "summary": rule.summary,
        "tags": list(rule.tags),
        "aliases": list(rule.aliases),
        "references": {source: list(ids) for source, ids in rule.references.items()},
        "options": [{"name": o.name, "type": o.type.__name__, "default": list(o.default) if isinstance(o.default, tuple) else o.default, "help": o.help} for o in rule.options],
        "plugin": registry.origin.get(rule, ""),
        "doc": rule.doc,
    }
