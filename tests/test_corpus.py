"""Real-world input never crashes the scan.

Scans every file of the shared corpus (read in place, beside the repository)
and checks that each file is accounted for and no internal error occurred.
"""

from __future__ import annotations

import json

import pytest

from support import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
def test_corpus_scans_without_internal_errors(cli, tmp_path):
    report = tmp_path / "report.json"
    run = cli("scan", "--format", "json", "--output", str(report), "--jobs", "2", ".", cwd=CORPUS)
    assert "Traceback" not in run.err
    document = json.loads(report.read_text())
    assert run.code == (4 if document["errors"] else 1), run.err  # a few corpus files are truly broken
    single = tmp_path / "single.json"
    cli("scan", "--format", "json", "--output", str(single), "--jobs", "1", ".", cwd=CORPUS)
    assert single.read_text() == report.read_text(), "output must not depend on --jobs"
    internal = [d for d in document["errors"] + document["warnings"] if d["code"] in ("IG999", "IG004")]
    assert internal == []  # no crash, no real file over an evaluation budget
    # The corpus holds parts of repositories: a dependency may be missing, never refused.
    refused = [d for d in document["errors"] if d["code"] == "IG005"]
    assert all(d["message"].endswith("No such file or directory") for d in refused), refused
    # Every file the corpus's own manifest lists as IaC is scanned: variable files are
    # inputs of their modules, not files with resources of their own.
    # A file the manifest calls ARM for a deployment template it embeds (an Azure Policy
    # definition's deployIfNotExists) is no template: its top level has no `$schema`.
    manifest = [line.split("\t") for line in (CORPUS / "MANIFEST.tsv").read_text().splitlines()[1:]]
    expected = [path for kind, _, path in manifest if not path.endswith(".tfvars") and not (kind == "arm" and _embeds_a_template(CORPUS / path))]
    assert document["summary"]["files"] == len(expected) > 500
    assert all(finding["line"] >= 1 for finding in document["findings"])


def _embeds_a_template(path) -> bool:
    """A JSON object without a top-level `$schema` (one with comments is taken as a template)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except ValueError:
        return False
    return isinstance(document, dict) and "$schema" not in document
