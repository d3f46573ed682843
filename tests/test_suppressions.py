"""Inline suppressions: where they apply, what they report."""

import json

DOCKERFILE = """\
# iacguard:ignore-file IG104 -- the build needs the full distribution
FROM ubuntu:24.04
# iacguard:ignore IG305,package-install-hygiene -- cache kept on purpose
RUN apt-get update && \\
    apt-get install curl
# iacguard:ignore IG304
EXPOSE 22
# iacguard:ignore IG999 -- no such rule
EXPOSE 22/tcp
USER app
"""


def findings(cli, tmp_path, text=DOCKERFILE):
    (tmp_path / "Dockerfile").write_text(text)
    run = cli("scan", "--format", "json", cwd=tmp_path)
    return run, json.loads(run.out)


def test_suppressed_findings_are_marked_not_dropped(cli, tmp_path):
    run, document = findings(cli, tmp_path)
    by_rule = {}
    for finding in document["findings"]:
        by_rule.setdefault(finding["rule"], []).append((finding["line"], finding["suppression"]))
    assert by_rule["IG104"] == [(2, {"kind": "file", "reason": "the build needs the full distribution"})]
    # IG311 was split out of IG305, and IG308 was named package-install-hygiene: the old
    # code and the old name still reach them
    assert by_rule["IG305"] == [(4, {"kind": "inline", "reason": "cache kept on purpose"})]
    assert by_rule["IG311"] == [(5, {"kind": "inline", "reason": "cache kept on purpose"})]
    assert by_rule["IG308"] == [(5, {"kind": "inline", "reason": "cache kept on purpose"})]
    assert by_rule["IG304"] == [(7, {"kind": "inline", "reason": ""}), (9, None)]
    assert document["summary"]["suppressed"] == 5


def test_unknown_rules_in_suppressions_are_warned_about(cli, tmp_path):
    _, document = findings(cli, tmp_path)
    assert {"path": "Dockerfile", "line": 8, "column": 1, "code": "IG002", "level": "warning",
            "message": "suppression names unknown rule 'IG999'"} in document["warnings"]


def test_text_output_hides_suppressed_findings_unless_asked(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    run = cli("scan", "--select", "IG304,IG104", cwd=tmp_path)
    assert run.lines == [
        "Dockerfile:8:1: IG002 [warning] suppression names unknown rule 'IG999'",
        "Dockerfile:9:8: IG304 [medium] EXPOSE 22/tcp publishes the SSH port (stage/0)",
        "Found 1 finding (1 medium) in 1 file; 2 suppressed (1 file, 1 inline).",
    ]
    shown = cli("scan", "--select", "IG304", "--show-suppressed", cwd=tmp_path)
    assert "Dockerfile:7:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0) [suppressed]" in shown.lines


def test_verbose_mode_lists_suppressions_without_reason(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    quiet = cli("scan", "--select", "IG304", cwd=tmp_path)
    assert not any("without a reason" in line for line in quiet.lines)
    verbose = cli("scan", "--select", "IG304", "-v", cwd=tmp_path)
    assert "Dockerfile:6:1: IG002 [note] suppression without a reason" in verbose.lines


def test_everything_suppressed_exits_zero(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("# iacguard:ignore-file\nFROM ubuntu\n")
    run = cli("scan", cwd=tmp_path)
    assert run.code == 0 and run.lines[-1].startswith("No findings in 1 file;")


def test_suppression_by_name_covers_only_that_rule(cli, tmp_path):
    text = "FROM alpine:3.20\n# iacguard:ignore ssh-port-exposed -- legacy\nEXPOSE 22\nUSER root\n"
    _, document = findings(cli, tmp_path, text)
    assert [(f["rule"], f["suppressed"]) for f in document["findings"] if f["rule"] in ("IG304", "IG201")] == [
        ("IG304", True), ("IG201", False)]



def test_a_comment_at_the_resource_head_covers_the_resources_findings(cli, tmp_path):
    """A finding is covered at its own location or at its resource's head: above a
    stage's FROM, the whole stage; the other stage is not."""
    text = "FROM alpine:3.20 AS tools\nEXPOSE 22\n# iacguard:ignore IG304 -- bastion stage, reviewed\nFROM alpine:3.20\nRUN true\nEXPOSE 22\n"
    _, document = findings(cli, tmp_path, text)
    assert [(f["line"], f["suppressed"]) for f in document["findings"] if f["rule"] == "IG304"] == [(2, False), (6, True)]
