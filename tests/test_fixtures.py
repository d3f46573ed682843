"""One generic test for every fixture in testdata/<CODE>/<format>/, checked by
`iacguard.testing`, the helper plugin authors use for their own rules.

A `fail_*` file must produce exactly the text-output lines of that rule kept in the
`.expected` file beside it; a `pass_*` file must produce none. Each fixture is
scanned with only its rule selected, with `testdata/<CODE>/config.yaml` when present.

After changing messages on purpose, rewrite the snapshots with
`IACGUARD_UPDATE_FIXTURES=1 pytest tests/test_fixtures.py` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iacguard.testing import check_fixture, fixture_id, fixtures

from support import TESTDATA


def fixture_files() -> list[Path]:
    return fixtures(TESTDATA)


@pytest.mark.parametrize("fixture", fixture_files(), ids=fixture_id)
def test_fixture(fixture: Path):
    check_fixture(fixture)
