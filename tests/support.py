"""Paths and helpers shared by the tests (importable: pytest puts tests/ on sys.path)."""

from pathlib import Path

from iacguard import hookimpl

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"


class RulesPlugin:
    """A plugin object contributing the given rules, for in-process registries."""

    def __init__(self, *rules):
        self.rules = rules

    @hookimpl
    def iacguard_rules(self):
        return list(self.rules)
