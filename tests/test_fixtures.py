"""One generic test for every fixture in testdata/<CODE>/<format>/.

A `fail_*` file must produce exactly the text-output lines of that rule kept in the
`.expected` file beside it; a `pass_*` file must produce none. Each fixture is
scanned with only its rule selected, with `testdata/<CODE>/config.yaml` when present.

After changing messages on purpose, rewrite the snapshots with
`IACGUARD_UPDATE_FIXTURES=1 pytest tests/test_fixtures.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import TESTDATA

UPDATE = os.environ.get("IACGUARD_UPDATE_FIXTURES") == "1"


def fixture_files() -> list[Path]:
    return sorted(
        path
        for path in TESTDATA.glob("IG*/*/*")
        if path.is_file() and path.name.startswith(("pass_", "fail_")) and path.suffix not in (".expected", ".bicepparam") and not path.name.endswith(".parameters.json")
    )


def expected_file(fixture: Path) -> Path:
    return fixture.with_name(fixture.name.split(".", 1)[0] + ".expected")


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: str(p.relative_to(TESTDATA)))
def test_fixture(fixture: Path, cli, tmp_path):
    code = fixture.parent.parent.name
    config = fixture.parent.parent / "config.yaml"
    if not config.exists():
        config = tmp_path / "empty.yaml"
        config.write_text("{}\n")
    run = cli("scan", "--select", code, "--config", str(config), "--color", "never", fixture.name, cwd=fixture.parent)

    assert "[error]" not in run.out, run.out
    lines = [line for line in run.lines if f": {code} [" in line]
    if fixture.name.startswith("pass_"):
        assert lines == [], f"{fixture.name} should pass {code}"
        assert run.code == 0
        return
    if UPDATE:
        expected_file(fixture).write_text("".join(line + "\n" for line in lines))
    expected = expected_file(fixture).read_text().splitlines()
    assert expected, f"{expected_file(fixture).name} is empty: a fail fixture must fail"
    assert lines == expected
    assert run.code == 1
