"""Paths and helpers shared by the tests (importable: pytest puts tests/ on sys.path)."""

import importlib.util
import shutil
import sys
from pathlib import Path

from iacguard import hookimpl

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"


def load_script(name: str):
    """A module of scripts/ (not a package), imported by its path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


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


def docker_context_entries() -> tuple[list[str], list[str]]:
    """What `.dockerignore` lets `docker build .` send: the names it admits and the
    patterns it leaves out inside them. The file is an allowlist (`*`, then `!NAME` per
    file or folder, then `**/PATTERN`); any other line fails here, so a reading this
    small never disagrees with Docker's."""
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    assert lines[0] == "*", ".dockerignore must start by leaving everything out"
    admitted = [line[1:] for line in lines[1:] if line.startswith("!")]
    left_out = [line[3:] for line in lines[1:] if line.startswith("**/")]
    assert len(admitted) + len(left_out) == len(lines) - 1, f"unexpected .dockerignore lines: {lines}"
    return admitted, left_out


def docker_context(destination: Path) -> Path:
    """A copy of the container image's build context in `destination`."""
    admitted, left_out = docker_context_entries()
    destination.mkdir(parents=True, exist_ok=True)
    for name in admitted:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns(*left_out))
        else:
            shutil.copy2(source, destination / name)
    return destination
