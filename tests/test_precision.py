"""The hand-judged sample of findings on the shared corpus keeps its verdicts.

`testdata/precision/corpus-sample.tsv` (drawn and scored with
`scripts/precision_sample.py`) records findings on real files with a verdict: a
`correct` or `open` one must still be reported at its line, a `wrong` one (a false
alarm that was fixed) must not come back. A rule change that moves or drops a judged
finding fails here until the sample is judged again.
"""

from __future__ import annotations

import json

import pytest

from support import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "testdata" / "precision" / "corpus-sample.tsv"


def _rows() -> list[dict]:
    import csv

    with SAMPLE.open(newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
def test_judged_findings_keep_their_verdicts(cli, tmp_path):
    rows = _rows()
    assert len(rows) >= 150 and {row["verdict"] for row in rows} <= {"correct", "open", "wrong"}
    assert all(row["why"].strip() for row in rows), "every verdict says why"
    report = tmp_path / "report.json"
    # The folders of the judged files: a Terraform or Bicep finding may point into a
    # file (a variable's default) whose resource another file of the folder declares.
    paths = sorted({row["path"].rsplit("/", 1)[0] for row in rows})
    rules = sorted({row["rule"] for row in rows})
    cli("scan", "--no-cache", "--allow-incomplete", "--format", "json", "--output", str(report), "--select", ",".join(rules), "--", *paths, cwd=CORPUS)
    reported = {(f["path"], f["line"], f["rule"]) for f in json.loads(report.read_text())["findings"] if f["suppression"] is None}
    mismatched = [
        f"{row['path']}:{row['line']} {row['rule']} judged {row['verdict']} but {'reported' if reported_now else 'not reported'}"
        for row in rows
        if (reported_now := (row["path"], int(row["line"]), row["rule"]) in reported) != (row["verdict"] != "wrong")
    ]
    assert mismatched == []
