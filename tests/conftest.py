"""Shared helpers: run the real CLI in-process and capture what it prints."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from iacguard.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def cli(monkeypatch, capsys):
    """Call `iacguard` with arguments; optional `cwd` and `stdin` text."""

    def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path_factory):
    """Tests see the built-in plugin only, no colour and no cache, unless they ask
    otherwise; a cache they ask for is kept in a folder of their own, never in the home."""
    monkeypatch.setenv("IACGUARD_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("IACGUARD_NO_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
