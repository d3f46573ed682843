"""The plugin's rules, checked against their fixtures the way iacguard checks its own.

Run with the plugin installed: `pip install -e '.[test]' && pytest`.
"""

from pathlib import Path

import pytest

from iacguard.plugins import load_registry
from iacguard.testing import check_fixture, fixture_id, fixtures, missing_fixtures

from iacguard_oci_labels import image_source_label_missing, workload_owner_label_missing

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"


@pytest.mark.parametrize("fixture", fixtures(TESTDATA), ids=fixture_id)
def test_fixture(fixture):
    check_fixture(fixture)


@pytest.mark.parametrize("rule", [image_source_label_missing, workload_owner_label_missing], ids=lambda rule: rule.code)
def test_every_format_a_rule_checks_has_fixtures(rule):
    assert missing_fixtures(TESTDATA, rule, load_registry()) == []
