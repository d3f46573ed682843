"""Ctrl-C and SIGTERM end a scan with one line and the conventional status (130,
143): no worker tracebacks, no half-written report, the previous report intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from support import ROOT, cache_entries

from iacguard.cache import FORMAT_VERSION

CORPUS = ROOT.parent / "shared" / "corpus"
IACGUARD = Path(sys.executable).parent / "iacguard"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
@pytest.mark.parametrize(("signum", "to_group", "status", "line"), [
    (signal.SIGINT, True, 130, "iacguard: interrupted"),
    (signal.SIGINT, False, 130, "iacguard: interrupted"),
    (signal.SIGTERM, False, 143, "iacguard: terminated"),
])
def test_a_signal_ends_the_scan_with_one_line(tmp_path, tmp_path_factory, signum, to_group, status, line):
    report = tmp_path / "report.sarif"
    report.write_text("previous good report\n")
    cache = tmp_path_factory.mktemp("cache")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("IACGUARD_")} | {"XDG_CACHE_HOME": str(cache)}
    process = subprocess.Popen(
        [IACGUARD, "scan", "--jobs", "2", "-f", "sarif", "-o", str(report), str(CORPUS)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
        start_new_session=True,  # a process group of its own, as a terminal gives a job
    )
    # The signal comes once the workers read the cache and the main process writes it:
    # the scan is under way, on a quiet machine or a loaded one.
    deadline = time.monotonic() + 60
    while not cache_entries(cache) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the scan ended before the signal could be sent"
    if to_group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (status, "", line + "\n")
    assert report.read_text() == "previous good report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.sarif"]
    [store] = cache.glob(f"**/v{FORMAT_VERSION}/entries.sqlite")
    with closing(sqlite3.connect(store)) as database:  # a stopped write leaves no damage
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


@pytest.mark.parametrize("command", [["explain", "IG201"], ["rules"], ["scan", "--select", "IG401", str(ROOT / "testdata" / "IG401")]])
def test_a_reader_that_goes_away_ends_the_output_quietly(command):
    """`iacguard explain IG201 | head -1`, with the reader gone before the first
    write: no traceback, no error line, the command's own status."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        run = subprocess.run([IACGUARD, *command], stdout=writer, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(writer)
    assert run.stderr == "" and run.returncode == (1 if command[0] == "scan" else 0)
