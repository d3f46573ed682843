"""Paths and helpers shared by the tests (importable: pytest puts tests/ on sys.path)."""

import shutil
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


def with_modules(folder: Path, fmt: str, callers: dict[str, str]) -> None:
    """The modules of `testdata/modules/<fmt>` copied into `folder`, and the files
    `callers` (name: text) written beside them."""
    shutil.copytree(TESTDATA / "modules" / fmt / "modules", folder / "modules")
    for name, text in callers.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
