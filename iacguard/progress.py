"""A progress line for long scans, for a person watching a terminal.

A cold scan of a large repository takes tens of seconds; without a sign of life it
looks hung. The line goes to standard error, so it never mixes with a report on
standard output, and only when standard error is a terminal and not a CI job (the
`CI` variable, set by GitHub Actions, GitLab, Azure Pipelines and most others): in a
pipe, a file or a CI log a rewritten line is noise. It appears only once a scan has
lasted `DELAY` seconds (a single-file check from an editor never shows it), is
rewritten at most every `INTERVAL` seconds, and is erased when the scan ends.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

DELAY = 2.0
INTERVAL = 0.1
_ERASE_LINE = "\r\x1b[K"


class Progress:
    """Counts files done out of `total`, shown on `stream` once `DELAY` has passed."""

    def __init__(self, stream: TextIO, total: int, clock=time.monotonic):
        self.stream = stream
        self.total = total
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.drawn_at: float | None = None

    def advance(self) -> None:
        self.done += 1
        now = self.clock()
        if now - self.started < DELAY or (self.drawn_at is not None and now - self.drawn_at < INTERVAL):
            return
        self.drawn_at = now
        self.stream.write(f"{_ERASE_LINE}iacguard: scanned {min(self.done, self.total):,} of {self.total:,} files")
        self.stream.flush()

    def close(self) -> None:
        """Erase the line, so the report or the next prompt starts clean."""
        if self.drawn_at is not None:
            self.stream.write(_ERASE_LINE)
            self.stream.flush()
            self.drawn_at = None


def progress_for(stream: TextIO, total: int) -> Progress | None:
    """A progress line on `stream` if a person is watching it, else None."""
    in_ci = os.environ.get("CI", "").lower() not in ("", "0", "false")
    if in_ci or os.environ.get("TERM") == "dumb" or not stream.isatty():
        return None
    return Progress(stream, total)
