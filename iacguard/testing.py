"""Checking rules against fixture files: the test helper for plugin authors, and the
one the built-in rules are checked with.

A rule's fixtures live in `<folder>/<CODE>/<format>/`. A `pass_<case>.<ext>` file
must produce no finding of the rule; a `fail_<case>.<ext>` file exactly the text
output lines kept beside it in `fail_<case>.expected`, one per finding:

    fail_root.Dockerfile:3:6: ORG101 [low] the shipped image has no ... label (stage/0)

Each fixture is scanned by the real command line, in this process, from its own
folder, with only its rule selected, no cache, and `<folder>/<CODE>/config.yaml` as
the configuration when there is one (else the defaults). The rule is found the way a
user's scan finds it, so a plugin must be installed (`pip install -e .`) for its
tests. With pytest:

    from pathlib import Path

    import pytest
    from iacguard.testing import check_fixture, fixture_id, fixtures

    @pytest.mark.parametrize("fixture", fixtures(Path(__file__).parent / "fixtures"), ids=fixture_id)
    def test_fixture(fixture):
        check_fixture(fixture)

After changing messages on purpose, run the tests with `IACGUARD_UPDATE_FIXTURES=1`:
the `.expected` files are rewritten from the output, and the diff is yours to review.
`missing_fixtures` says which of a rule's formats lack a pass or a fail case.

Fixes. A rule that declares a fix keeps, for every format it fixes, at least one
`fixed_<case>.<ext>` beside `fail_<case>.<ext>`: the whole text `iacguard fix
--unsafe-fixes` must turn the fail case into, with only the rule selected.
`check_fix_fixture` checks that text, that the fixed file has fewer findings of the
rule and none that the fail case did not have (all rules counted), and that fixing
it again changes nothing. `IACGUARD_UPDATE_FIXTURES=1` rewrites these files too.
"""

from __future__ import annotations

import difflib
import io
import os
from contextlib import chdir, redirect_stderr, redirect_stdout
from pathlib import Path

from iacguard.rule import RULE_CODE, Rule
from iacguard.structs import struct

# Files beside a template that only give it values: read with it, not scanned alone.
_PARAMETER_FILES = (".bicepparam", ".parameters.json")


def fixtures(folder: Path) -> list[Path]:
    """Every pass and fail fixture under `folder/<CODE>/<format>/`, sorted."""
    return sorted(
        path
        for path in Path(folder).glob("*/*/*")
        if RULE_CODE.fullmatch(path.parent.parent.name)
        and path.is_file()
        and path.name.startswith(("pass_", "fail_"))
        and path.suffix != ".expected"
        and not path.name.endswith(_PARAMETER_FILES)
    )


def fix_fixtures(folder: Path) -> list[Path]:
    """Every `fixed_*` file under `folder/<CODE>/<format>/`, sorted."""
    return sorted(path for path in Path(folder).glob("*/*/fixed_*") if RULE_CODE.fullmatch(path.parent.parent.name) and path.is_file())


def fixture_id(fixture: Path) -> str:
    """`CODE/format/file`, a test id that says which fixture failed."""
    return "/".join(fixture.parts[-3:])


def expected_file(fixture: Path) -> Path:
    return fixture.with_name(fixture.name.split(".", 1)[0] + ".expected")


@struct(frozen=True)
class FixtureRun:
    """What scanning one fixture gave: the exit code, the rule's finding lines, and
    the whole output (for messages)."""

    code: int
    lines: list[str]
    output: str


def scan_fixture(fixture: Path) -> FixtureRun:
    """Scan one fixture as `check_fixture` does, and keep what the rule reported."""
    from iacguard.cli import main  # the command line, imported when a test needs it

    code = fixture.parent.parent.name
    config = fixture.parent.parent / "config.yaml"
    # A fixture folder holds independent files, not one module: each is checked alone.
    arguments = ["scan", "--select", code, "--isolated", "--no-cache", "--no-dependents", "--color", "never"]
    if config.is_file():
        arguments += ["--config", str(config.resolve())]
    # A text stream with a buffer, as the real standard output has.
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.StringIO()
    with chdir(fixture.parent), redirect_stdout(stdout), redirect_stderr(stderr):
        status = main([*arguments, "--", fixture.name])
    stdout.flush()
    output = stdout.buffer.getvalue().decode("utf-8") + stderr.getvalue()
    lines = [line for line in output.splitlines() if f": {code} [" in line]
    return FixtureRun(status, lines, output)


def check_fixture(fixture: Path) -> None:
    """Raise AssertionError, saying what differs, unless the fixture gives what its
    name and its `.expected` file promise."""
    run = scan_fixture(fixture)
    name = fixture_id(fixture)
    if "[error]" in run.output:
        raise AssertionError(f"{name}: the scan reported an error:\n{run.output}")
    if fixture.name.startswith("pass_"):
        if run.lines or run.code != 0:
            raise AssertionError(f"{name} should pass, but gave (exit {run.code}):\n{run.output}")
        return
    expected = expected_file(fixture)
    if os.environ.get("IACGUARD_UPDATE_FIXTURES") == "1":
        expected.write_text("".join(line + "\n" for line in run.lines), encoding="utf-8")
    wanted = expected.read_text(encoding="utf-8").splitlines() if expected.is_file() else []
    if not wanted:
        raise AssertionError(f"{expected.name} is missing or empty: a fail fixture must fail")
    if run.lines != wanted:
        diff = "\n".join(difflib.unified_diff(wanted, run.lines, expected.name, "output", lineterm=""))
        raise AssertionError(f"{name} did not give what {expected.name} holds:\n{diff}")
    if run.code != 1:
        raise AssertionError(f"{name} should exit 1, exited {run.code}:\n{run.output}")


def check_fix_fixture(fixed: Path, workspace: Path) -> None:
    """Raise AssertionError unless fixing the fail case beside `fixed` (copied into
    the empty folder `workspace`) gives exactly its text, and what `check_fix_fixture`'s
    module documentation promises besides."""
    code = fixed.parent.parent.name
    failing = fixed.with_name("fail_" + fixed.name.removeprefix("fixed_"))
    if not failing.is_file():
        raise AssertionError(f"{fixture_id(fixed)} has no {failing.name} beside it")
    copy = workspace / failing.name
    copy.write_bytes(failing.read_bytes())
    config = fixed.parent.parent / "config.yaml"
    options = ["--config", str(config.resolve())] if config.is_file() else []
    _fix(workspace, ["--select", code, *options, copy.name])
    result = copy.read_text(encoding="utf-8")
    if os.environ.get("IACGUARD_UPDATE_FIXTURES") == "1":
        fixed.write_text(result, encoding="utf-8")
    wanted = fixed.read_text(encoding="utf-8")
    if result != wanted:
        diff = "".join(difflib.unified_diff(wanted.splitlines(True), result.splitlines(True), fixed.name, "fixed by iacguard"))
        raise AssertionError(f"{fixture_id(fixed)}: the fix gave another text:\n{diff}")
    before, after = _findings(workspace, failing, code), _findings(workspace, copy, code)
    if sum(1 for key in after if key[0] == code) >= sum(1 for key in before if key[0] == code):
        raise AssertionError(f"{fixture_id(fixed)}: the fix left every {code} finding")
    new = sorted(set(after) - set(before))
    if new:
        raise AssertionError(f"{fixture_id(fixed)}: the fix brought new findings: {new}")
    _fix(workspace, ["--select", code, *options, copy.name])
    if copy.read_text(encoding="utf-8") != result:
        raise AssertionError(f"{fixture_id(fixed)}: fixing the fixed file changed it again")


def _fix(folder: Path, arguments: list[str]) -> None:
    from iacguard.cli import main

    with chdir(folder), redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        main(["fix", "--unsafe-fixes", "--root", ".", "-q", *arguments])


def _findings(folder: Path, path: Path, code: str) -> list[tuple[str, str]]:
    """(code, message) of every unsuppressed finding in one file, of every rule on by
    default and of `code`."""
    import json

    from iacguard.cli import main

    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with chdir(folder), redirect_stdout(stdout), redirect_stderr(io.StringIO()):
        main(["scan", "--select", f"all,{code}", "--isolated", "--no-cache", "--no-dependents", "-q", "--root", ".", "-f", "json", "--", str(path.resolve())])
    stdout.flush()
    report = json.loads(stdout.buffer.getvalue().decode("utf-8"))
    return [(finding["rule"], finding["message"]) for finding in report["findings"] if not finding["suppressed"]]


def missing_fixtures(folder: Path, rule: Rule, registry=None) -> list[str]:
    """What `folder/<CODE>/` lacks for `rule`: a pass and a fail case (each with its
    `.expected`) for every installed format the rule checks, and a fixed case for
    every format it fixes."""
    from iacguard.plugins import load_registry

    registry = registry or load_registry()
    formats = registry.formats_checked_by(rule)
    if not formats:
        return [f"{rule.code} checks no installed format"]
    found = fixtures(folder)
    missing = []
    for fmt in formats:
        cases = [path for path in found if path.parent == Path(folder) / rule.code / fmt]
        if not any(path.name.startswith("pass_") for path in cases):
            missing.append(f"{rule.code} has no pass fixture for {fmt}")
        if not any(path.name.startswith("fail_") for path in cases):
            missing.append(f"{rule.code} has no fail fixture for {fmt}")
        missing += [f"{path.name} has no .expected file" for path in cases if path.name.startswith("fail_") and not expected_file(path).is_file()]
    for fmt in rule.fix.formats if rule.fix else ():
        if not any(path.parent == Path(folder) / rule.code / fmt for path in fix_fixtures(folder)):
            missing.append(f"{rule.code} declares a fix for {fmt} but has no fixed_ fixture there")
    return missing


__all__ = ["FixtureRun", "check_fix_fixture", "check_fixture", "expected_file", "fix_fixtures", "fixture_id", "fixtures", "missing_fixtures", "scan_fixture"]
