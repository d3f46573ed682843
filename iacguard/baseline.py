"""Baselines: adopt iacguard on an existing repository without fixing everything first.

`--write-baseline FILE` records the fingerprints of the current unsuppressed
findings; `--baseline FILE` then marks findings with a recorded fingerprint as
suppressed (kind "baseline"), so only new findings count. Fingerprints do not contain
line numbers (see `runner._fingerprint`), so findings stay baselined when unrelated
lines are added, removed or reformatted.

A baseline records the fingerprint version it was written with (none means 1). One
written by the previous version is matched against each finding's previous
fingerprint, so an upgrade that changes how fingerprints are made (a split rule, for
example) does not bring every baselined finding back; `--write-baseline` then
rewrites it in the current version.
"""

from __future__ import annotations

import json
from pathlib import Path

from iacguard import __version__, inputs
from iacguard.errors import ConfigError, shown
from iacguard.model import Suppression
from iacguard.runner import FINGERPRINT_VERSION, ScanResult
from iacguard.structs import struct

FORMAT_VERSION = 1
MAX_BASELINE_SIZE = 64 * 1024 * 1024  # about 250,000 recorded findings


def baseline_text(result: ScanResult) -> tuple[str, int]:
    """The baseline document recording the unsuppressed findings, and their number."""
    entries = [
        {
            "fingerprint": finding.fingerprint,
            "rule": finding.code,
            "path": finding.location.path,
            "resource": finding.resource.address,
            "message": finding.message,
        }
        for finding in result.active_findings
    ]
    document = {
        "version": FORMAT_VERSION,
        "fingerprint_version": FINGERPRINT_VERSION,
        "tool": {"name": "iacguard", "version": __version__},
        "findings": entries,
    }
    return json.dumps(document, indent=2) + "\n", len(entries)


def is_baseline(path: Path) -> bool:
    """True when `path` holds an iacguard baseline (so regenerating it is safe)."""
    try:
        load_baseline(path)
    except ConfigError:
        return False
    return True


@struct(frozen=True)
class Baseline:
    fingerprints: frozenset[str]
    fingerprint_version: int

    def holds(self, finding) -> bool:
        """True when the finding is recorded: by its fingerprint of the baseline's
        version (the previous version's is kept for baselines written by it)."""
        current = self.fingerprint_version == FINGERPRINT_VERSION
        return (finding.fingerprint if current else finding.previous_fingerprint) in self.fingerprints


def load_baseline(path: Path) -> Baseline:
    """The recorded fingerprints and their version. The file is read through the input door, as a regular
    file of at most `MAX_BASELINE_SIZE` bytes: a FIFO or a device is refused, not
    waited on or read forever."""
    try:
        document = json.loads(inputs.read_bytes(path, MAX_BASELINE_SIZE, limit="the baseline size limit"))
    except inputs.Refused as refused:
        raise ConfigError(f"cannot read baseline {path}: {refused.reason}") from None
    except ValueError as error:
        raise ConfigError(f"baseline {path} is not valid JSON: {error}") from None
    except RecursionError:
        raise ConfigError(f"baseline {path} is not valid JSON: nested too deeply") from None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION or not isinstance(document.get("findings"), list):
        raise ConfigError(f"baseline {path} is not an iacguard baseline (version {FORMAT_VERSION})")
    version = document.get("fingerprint_version", 1)
    if version not in (FINGERPRINT_VERSION - 1, FINGERPRINT_VERSION):
        raise ConfigError(
            f"baseline {path} has fingerprint version {shown(version)}; this iacguard reads versions "
            f"{FINGERPRINT_VERSION - 1} and {FINGERPRINT_VERSION}: write it again with --write-baseline"
        )
    fingerprints = frozenset(entry["fingerprint"] for entry in document["findings"] if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str))
    return Baseline(fingerprints, version)


def apply_baseline(result: ScanResult, baseline: Baseline, path: Path) -> int:
    """Suppress findings recorded in the baseline; returns how many."""
    suppression = Suppression("baseline", None, f"recorded in {path.name}", 0)
    count = 0
    for finding in result.findings:
        if finding.suppression is None and baseline.holds(finding):
            finding.suppression = suppression
            count += 1
    return count
