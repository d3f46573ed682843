"""The `iacguard` command: scan, rules, explain.

Exit codes: 0 no finding at or above the fail-on threshold; 1 findings; 2 usage or
configuration error; 3 internal error; 4 at least one file whose analysis did not
complete (it takes precedence over 1, and only `--allow-incomplete` on the command
line turns it off: a scanned repository must not be able to). No traceback reaches
the user unless IACGUARD_DEBUG is set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from iacguard import __version__
from iacguard.config import FAIL_ON_CHOICES, find_config, load_config
from iacguard.errors import ConfigError, IacguardError
from iacguard.inputs import find_scan_root
from iacguard.patterns import compile_all

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INCOMPLETE = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too, but with our prefix
        self.print_usage(sys.stderr)
        raise ConfigError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="iacguard", description="Static policy linter for container infrastructure-as-code.")
    parser.add_argument("--version", action="version", version=f"iacguard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scan = commands.add_parser("scan", help="scan files and directories ('-' reads standard input)")
    scan.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    scan.add_argument("-f", "--format", default="text", help="output format: text, json, sarif, github, junit (plugins may add more)")
    scan.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    scan.add_argument("--select", action="append", metavar="RULES", help="only these rules (codes, names, prefixes, tags; comma-separated)")
    scan.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules")
    scan.add_argument("--fail-on", choices=FAIL_ON_CHOICES, help="lowest severity that fails the run (default: low)")
    scan.add_argument("--exclude", action="append", metavar="PATTERN", help="gitignore-style pattern to skip (adds to the config)")
    scan.add_argument("--config", metavar="FILE", help="config file (default: .iacguard.yaml or pyproject.toml, searched from the first PATH up to the scan root)")
    scan.add_argument("--isolated", action="store_true", help="ignore the scanned tree's config files and .gitignore files: policy comes only from --config and the command line")
    scan.add_argument("--stdin-filename", metavar="NAME", help="file name for standard input: chooses the format and names findings")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the text output")
    scan.add_argument("--show-suppressed", action="store_true", help="list suppressed findings in text output")
    scan.add_argument("--strict", action="store_true", help="exit 4 when a file's analysis did not complete (the default; kept for old scripts)")
    scan.add_argument("--allow-incomplete", action="store_true", help="do not fail the run for files whose analysis did not complete (they are still reported)")
    scan.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="worker processes for large scans (default: the number of cores)")
    scan.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache (also: IACGUARD_NO_CACHE=1)")
    scan.add_argument("--cache-dir", metavar="DIR", default=".iacguard_cache", help="where results are cached (default: .iacguard_cache)")
    scan.add_argument("--var-file", action="append", metavar="FILE", help="Terraform variable file, applied after terraform.tfvars and *.auto.tfvars (repeatable)")
    scan.add_argument("--param-file", action="append", metavar="FILE", help="ARM or Bicep parameter file (JSON or .bicepparam), applied after the one beside the template (repeatable)")
    scan.add_argument("--baseline", metavar="FILE", help="report only findings that are not recorded in this baseline")
    scan.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    scan.add_argument("-v", "--verbose", action="store_true", help="also report skipped paths and suppressions without a reason")

    rules = commands.add_parser("rules", help="list the available rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--config", metavar="FILE", help="config file whose selection marks rules as enabled")

    explain = commands.add_parser("explain", help="show the documentation of a rule")
    explain.add_argument("rule", metavar="CODE|NAME")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            build_parser().print_help(sys.stderr)
            return EXIT_USAGE
        return {"scan": run_scan, "rules": run_rules, "explain": run_explain}[args.command](args)
    except ConfigError as error:
        print(f"iacguard: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except IacguardError as error:
        print(f"iacguard: error: {error}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if os.environ.get("IACGUARD_DEBUG"):
            raise
        print(f"iacguard: internal error: {type(error).__name__}: {error} (set IACGUARD_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


def _config(args: argparse.Namespace, cwd: Path):
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
    start = cwd if first == "-" else cwd / first
    root = find_scan_root(start)
    return load_config(find_config(start, root), cwd, root)


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


def run_scan(args: argparse.Namespace) -> int:
    from iacguard.baseline import apply_baseline, load_baseline, write_baseline
    from iacguard.cache import Cache
    from iacguard.discovery import Discovery
    from iacguard.formats import ScanContext
    from iacguard.plugins import load_registry
    from iacguard.policy import build_policy
    from iacguard.reporters import ReportContext
    from iacguard.runner import scan

    cwd = Path.cwd()
    config = _config(args, cwd)
    if args.select is not None:
        config.select = _split(args.select)
        if not config.select:  # `--select "$RULES"` with RULES unset must not turn the scan off
            raise ConfigError("--select selects no rule")
    if args.ignore is not None:
        config.ignore = _split(args.ignore)
    if args.fail_on:
        config.fail_on = args.fail_on
    excludes = _split(args.exclude) or ()
    compile_all(excludes, "--exclude")
    config.exclude += excludes

    cache = None
    if not args.no_cache and os.environ.get("IACGUARD_NO_CACHE", "") in ("", "0"):
        cache = Cache(cwd / args.cache_dir)
    registry = load_registry(cache=cache)
    policy = build_policy(registry, config)
    reporter = registry.reporters.get(args.format)
    if reporter is None:
        raise ConfigError(f"unknown output format {args.format!r} (available: {', '.join(sorted(registry.reporters))})")

    discovery = Discovery(list(registry.formats.values()), cwd, config.root, config.exclude, gitignore=not args.isolated)
    if args.verbose:
        print(f"iacguard: config: {discovery.display(config.source) if config.source else 'none'}", file=sys.stderr)
    targets, skipped = _targets(discovery, args.paths or ["."], args.stdin_filename)

    baseline = Path(args.baseline) if args.baseline else config.baseline
    fingerprints = load_baseline(baseline) if baseline and not args.write_baseline else None

    var_files = config.terraform_var_files + tuple(cwd / path for path in args.var_file or ())
    for var_file in var_files:
        if not var_file.is_file():
            raise ConfigError(f"Terraform variable file not found: {var_file}")
    if args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    param_files = config.arm_parameter_files + tuple(cwd / path for path in args.param_file or ())
    for param_file in param_files:
        if not param_file.is_file():
            raise ConfigError(f"parameter file not found: {param_file}")
    context = ScanContext(terraform_var_files=var_files, arm_parameter_files=param_files, max_file_size=config.max_file_size)
    result = scan(targets, registry, policy, context, cache, args.jobs)
    if fingerprints is not None:
        apply_baseline(result, fingerprints, baseline)
    if args.verbose:
        for item in skipped:
            print(f"iacguard: skipped {item.display}: {item.reason}", file=sys.stderr)

    color = False if args.output else _use_color(args.color, sys.stdout)
    context = ReportContext(__version__, color, args.verbose, args.show_suppressed, cwd)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            reporter.render(result, out, context)
    else:
        reporter.render(result, sys.stdout, context)

    if args.write_baseline:
        count = write_baseline(result, Path(args.write_baseline))
        print(f"iacguard: recorded {count} finding{'s' if count != 1 else ''} in {args.write_baseline}", file=sys.stderr)
    if result.incomplete and not args.allow_incomplete:
        return EXIT_INCOMPLETE
    if args.write_baseline:
        return EXIT_CLEAN
    if any(policy.fails(finding.severity) for finding in result.active_findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _targets(discovery, paths: list[str], stdin_filename: str | None) -> tuple[list, list]:
    """The files to scan and the paths passed over; `-` alone reads standard input."""
    from iacguard.discovery import Skipped

    if "-" in paths:
        if paths != ["-"]:
            raise ConfigError("'-' (standard input) cannot be combined with other paths")
        return [_stdin_target(discovery, stdin_filename)], []
    for path in paths:
        if not os.path.lexists(discovery.cwd / path):
            raise ConfigError(f"no such file or directory: {path}")
    targets, skipped = [], []
    for item in discovery.targets(paths):
        (skipped if isinstance(item, Skipped) else targets).append(item)
    return targets, skipped


def _stdin_target(discovery, stdin_filename: str | None):
    from iacguard.discovery import Target

    text = sys.stdin.buffer.read().decode("utf-8-sig", errors="replace")
    name = Path(stdin_filename).name if stdin_filename else ""
    fmt = discovery.format_for(name, lambda: text) if name else None
    if fmt is None:
        fmt = next((candidate for candidate in discovery.formats if candidate.sniff(text)), None)
    if fmt is None:
        raise ConfigError("cannot tell the format of standard input: pass --stdin-filename")
    display = discovery.display(discovery.cwd / stdin_filename) if stdin_filename else "<stdin>"
    return Target(display, fmt, None, text)


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def run_rules(args: argparse.Namespace) -> int:
    from iacguard.plugins import load_registry
    from iacguard.policy import build_policy

    registry = load_registry()
    enabled = {active.rule.code for active in build_policy(registry, _config(args, Path.cwd())).rules}
    rows = [_rule_info(registry, rule, rule.code in enabled) for rule in sorted(registry.rules.values(), key=lambda r: r.code)]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_CLEAN
    for row in rows:
        state = "" if row["enabled"] else "  (off)"
        print(f"{row['code']}  {row['name']:<36} {row['severity']:<8} {', '.join(row['formats']):<12} {row['summary']}{state}")
    return EXIT_CLEAN


def run_explain(args: argparse.Namespace) -> int:
    from iacguard.plugins import load_registry

    registry = load_registry()
    rule = registry.find_rule(args.rule)
    if rule is None:
        raise ConfigError(f"unknown rule {args.rule!r}; `iacguard rules` lists them")
    info = _rule_info(registry, rule, rule.enabled)
    print(f"{rule.code} {rule.name} [{rule.severity}]{'' if rule.enabled else ' (off by default)'}")
    print(f"Formats: {', '.join(info['formats']) or 'none installed'}")
    print()
    print(rule.doc)
    if rule.options:
        print("\nOptions:")
        for option in rule.options:
            print(f"  {option.name} ({option.type.__name__}, default {option.default!r}): {option.help}")
    if rule.references:
        print("\nReferences:")
        for source, ids in rule.references.items():
            print(f"  {source}: {', '.join(ids)}")
    return EXIT_CLEAN


def formats_of(registry, rule) -> list[str]:
    """Labels of the installed formats a rule checks."""
    return [
        fmt.label for name, fmt in registry.formats.items()
        if set(fmt.kinds) & set(rule.kinds) and (rule.formats is None or name in rule.formats)
    ]


def _rule_info(registry, rule, enabled: bool) -> dict:
    formats = formats_of(registry, rule)
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "enabled": enabled,
        "kinds": list(rule.kinds),
        "formats": formats,
        "summary": rule.summary,
        "tags": list(rule.tags),
        "references": {source: list(ids) for source, ids in rule.references.items()},
        "options": [{"name": o.name, "type": o.type.__name__, "default": list(o.default) if isinstance(o.default, tuple) else o.default, "help": o.help} for o in rule.options],
        "plugin": registry.origin.get(rule, ""),
        "doc": rule.doc,
    }
