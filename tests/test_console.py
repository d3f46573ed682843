"""The command line at scale, through the installed console script and real pipes:
what a person sees on a big repository (statistics, a display threshold, quiet
output, the busiest files, per-file ignores, several reports from one scan, the
progress line), how it behaves in pipes and on user errors, and how rules are found."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from support import ROOT

IACGUARD = Path(sys.executable).parent / "iacguard"
SCHEMA = json.loads((ROOT / "iacguard" / "schemas" / "report-v1.json").read_text())

# Six findings by default: 3 high (IG201, IG302, IG309), 2 medium (IG101, IG304), 1 low (IG104).
BAD = "FROM ubuntu\nRUN curl -k https://x | sh\nEXPOSE 22\n"
BROKEN_MANIFEST = "apiVersion: v1\nkind: Pod\nspec: [\n"


def iacguard(*args: str, cwd: Path, env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess:
    """The console script, as a shell runs it: own process, real standard streams."""
    environment = {key: value for key, value in os.environ.items() if key not in ("CI", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([str(IACGUARD), *args], cwd=cwd, capture_output=True, text=True, env=environment | (env or {}), timeout=300, **options)


def piped_into_head(command: str, cwd: Path, lines: int = 1) -> tuple[str, int, str]:
    """`iacguard ... | head -N` in a real shell: what head printed, iacguard's own
    exit status and what iacguard wrote on stderr."""
    script = f"{command} 2>stderr.txt | head -{lines}; echo \"status=${{PIPESTATUS[0]}}\""
    run = subprocess.run(["bash", "-c", script], cwd=cwd, capture_output=True, text=True, timeout=300)
    *shown, status = run.stdout.splitlines()
    return "\n".join(shown), int(status.removeprefix("status=")), (cwd / "stderr.txt").read_text()


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the scan root: config is searched up to here
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(BAD)
    return tmp_path


@pytest.fixture
def many(tmp_path):
    """Three hundred Dockerfiles with six findings each: 1,800 lines of report,
    far more than a pipe holds, and more than a screen."""
    for number in range(300):
        folder = tmp_path / f"svc{number:03d}"
        folder.mkdir()
        (folder / "Dockerfile").write_text(BAD)
    return tmp_path


# Item 3: output at scale.

def test_statistics_count_each_rule_most_first_in_place_of_the_findings(project):
    (project / "web").mkdir()
    (project / "web" / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    run = iacguard("scan", "--statistics", cwd=project)
    assert run.returncode == 1 and run.stderr == ""
    lines = run.stdout.splitlines()
    assert lines[-1] == "Found 8 findings (4 high, 3 medium, 1 low) in 2 files."
    assert lines[:-1] == [
        "2  IG201  [high]      container-runs-as-root",
        "2  IG304  [medium]    ssh-port-exposed",
        "1  IG101  [medium]    image-tag-not-pinned",
        "1  IG104  [low]       base-image-not-lean",
        "1  IG302  [high]      remote-script-piped-to-shell",
        "1  IG309  [high]      tls-verification-disabled",
    ]
    document = json.loads(iacguard("scan", "-f", "json", cwd=project).stdout)
    assert document["summary"]["by_rule"] == {"IG201": 2, "IG304": 2, "IG101": 1, "IG104": 1, "IG302": 1, "IG309": 1}
    needs_text = iacguard("scan", "--statistics", "-f", "json", cwd=project)
    assert needs_text.returncode == 2 and "--statistics changes the text report" in needs_text.stderr


def test_min_severity_hides_lower_findings_from_every_report_but_fail_on_still_counts_them(project):
    run = iacguard("scan", "--min-severity", "high", cwd=project)
    assert run.returncode == 1
    assert [line.split(" [")[0] for line in run.stdout.splitlines()[:-1]] == [
        "app/Dockerfile:1:1: IG201", "app/Dockerfile:2:5: IG302", "app/Dockerfile:2:5: IG309",
    ]
    assert run.stdout.splitlines()[-1] == "Found 3 findings (3 high) in 1 file; 3 below high not shown."
    only_low_fail = iacguard("scan", "--select", "IG104", "--min-severity", "critical", cwd=project)
    assert only_low_fail.returncode == 1  # nothing shown, yet the run fails: --fail-on low counts it
    assert only_low_fail.stdout == "No findings in 1 file; 1 below critical not shown.\n"
    assert iacguard("scan", "--min-severity", "high", "--fail-on", "critical", cwd=project).returncode == 0

    (project / ".iacguard.yaml").write_text("min_severity: medium\n")
    document = json.loads(iacguard("scan", "-f", "json", cwd=project).stdout)
    jsonschema.validate(document, SCHEMA)
    assert {finding["severity"] for finding in document["findings"]} == {"high", "medium"}
    assert document["summary"]["hidden"] == 1 and document["summary"]["findings"] == 5
    junit = iacguard("scan", "-f", "junit", cwd=project).stdout
    assert "IG104" not in junit  # a hidden finding's check is not shown as passed
    sarif = json.loads(iacguard("scan", "-f", "sarif", cwd=project).stdout)
    assert {result["ruleId"] for result in sarif["runs"][0]["results"]} == {"IG101", "IG201", "IG302", "IG304", "IG309"}
    overridden = iacguard("scan", "--min-severity", "info", cwd=project)
    assert overridden.stdout.splitlines()[-1] == "Found 6 findings (3 high, 2 medium, 1 low) in 1 file."
    bad = iacguard("scan", "--min-severity", "severe", cwd=project)
    assert bad.returncode == 2 and "--min-severity" in bad.stderr


def test_nothing_hides_an_incomplete_file(project):
    (project / "broken.yaml").write_text(BROKEN_MANIFEST)
    for options in (["--min-severity", "critical"], ["--quiet"], ["--statistics"], ["-q", "--statistics", "--min-severity", "critical"]):
        run = iacguard("scan", *options, cwd=project)
        assert run.returncode == 4, options
        assert "broken.yaml:4:1: IG000 [error] cannot parse Kubernetes" in run.stdout, options


def test_quiet_prints_the_findings_and_nothing_else(project):
    run = iacguard("scan", "--quiet", "--write-baseline", "baseline.json", cwd=project)
    assert run.returncode == 0 and run.stdout.count("\n") == 6 and run.stderr == ""
    assert all(line.startswith("app/Dockerfile:") for line in run.stdout.splitlines())
    assert iacguard("scan", "-q", "--baseline", "baseline.json", cwd=project).stdout == ""
    annotations = iacguard("scan", "-q", "-f", "github", cwd=project).stdout.splitlines()
    assert len(annotations) == 6 and all(line.startswith("::") for line in annotations)
    both = iacguard("scan", "-q", "-v", cwd=project)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_a_long_report_ends_with_the_files_that_have_the_most_findings(project):
    for name, copies in (("a", 5), ("b", 2), ("c", 1)):
        (project / f"{name}.Dockerfile").write_text((BAD * copies).replace("FROM ubuntu\n", "FROM ubuntu AS x\n"))
    short = iacguard("scan", cwd=project).stdout.splitlines()
    assert short[-1].startswith("Found ") and not any(line.startswith("Files with the most") for line in short)
    for number in range(10):
        (project / f"s{number}.Dockerfile").write_text(BAD)
    lines = iacguard("scan", cwd=project).stdout.splitlines()
    assert lines[lines.index("Files with the most findings:"):] == [
        "Files with the most findings:",
        "  22  a.Dockerfile (11 high, 10 medium, 1 low)",
        "  10  b.Dockerfile (5 high, 4 medium, 1 low)",
        "   6  app/Dockerfile (3 high, 2 medium, 1 low)",
        "   6  c.Dockerfile (3 high, 2 medium, 1 low)",
        *(f"   6  s{number}.Dockerfile (3 high, 2 medium, 1 low)" for number in range(6)),
        "  and 4 more files with findings",
        "Found 104 findings (52 high, 38 medium, 14 low) in 14 files.",
    ]
    assert "Files with the most" not in iacguard("scan", "-q", cwd=project).stdout


def test_per_file_ignores_suppress_rules_in_matching_files(project):
    (project / "app" / "legacy").mkdir()
    (project / "app" / "legacy" / "Dockerfile").write_text(BAD)
    (project / "tools").mkdir()
    (project / "tools" / "Dockerfile").write_text(BAD)
    (project / ".iacguard.yaml").write_text(
        "per_file_ignores:\n"
        "  legacy/: [IG201, supply-chain]\n"     # a folder, at any depth; a tag selects rules too
        "  tools/Dockerfile: IG3\n"              # a code prefix
        "  '!app/**': base-image-not-lean\n"     # everywhere but under app/
    )
    document = json.loads(iacguard("scan", "-f", "json", cwd=project).stdout)
    suppressed = {(finding["path"], finding["rule"]): finding["suppression"] for finding in document["findings"] if finding["suppressed"]}
    assert suppressed == {
        ("app/legacy/Dockerfile", "IG201"): {"kind": "config", "reason": "per_file_ignores: legacy/"},
        ("app/legacy/Dockerfile", "IG101"): {"kind": "config", "reason": "per_file_ignores: legacy/"},
        ("app/legacy/Dockerfile", "IG302"): {"kind": "config", "reason": "per_file_ignores: legacy/"},
        ("app/legacy/Dockerfile", "IG309"): {"kind": "config", "reason": "per_file_ignores: legacy/"},
        ("tools/Dockerfile", "IG302"): {"kind": "config", "reason": "per_file_ignores: tools/Dockerfile"},
        ("tools/Dockerfile", "IG304"): {"kind": "config", "reason": "per_file_ignores: tools/Dockerfile"},
        ("tools/Dockerfile", "IG309"): {"kind": "config", "reason": "per_file_ignores: tools/Dockerfile"},
        ("tools/Dockerfile", "IG104"): {"kind": "config", "reason": "per_file_ignores: !app/**"},
    }
    assert document["summary"]["suppressed_by_kind"] == {"config": 8}
    text = iacguard("scan", cwd=project).stdout.splitlines()[-1]
    assert text == "Found 10 findings (4 high, 4 medium, 2 low) in 3 files; 8 suppressed (8 config)."
    sarif = json.loads(iacguard("scan", "-f", "sarif", cwd=project).stdout)
    kinds = {s["kind"] for result in sarif["runs"][0]["results"] for s in result.get("suppressions", [])}
    assert kinds == {"external"}

    # scanned from elsewhere, the patterns stay relative to the config's folder
    elsewhere = iacguard("scan", "-f", "json", str(project), cwd=project.parent)
    assert json.loads(elsewhere.stdout)["summary"]["suppressed"] == 8

    for config, message in (
        ("per_file_ignores: {legacy/: [IG999]}\n", "unknown rule selector 'IG999'"),
        ("per_file_ignores: [legacy/]\n", "must map path patterns to rules"),
        ("per_file_ignores: {legacy/: []}\n", "names no rule"),
        ("per_file_ignores: {'#legacy': IG201}\n", "is not a path pattern"),
        ("per_file_ignores: {'a\\': IG201}\n", "escapes nothing"),
    ):
        (project / ".iacguard.yaml").write_text(config)
        run = iacguard("scan", cwd=project)
        assert run.returncode == 2 and message in run.stderr, (config, run.stderr)


def test_per_file_ignores_in_pyproject(project):
    (project / "pyproject.toml").write_text('[tool.iacguard.per-file-ignores]\n"app/**" = ["IG2", "IG3"]\n')
    run = iacguard("scan", cwd=project)
    assert run.stdout.splitlines()[-1] == "Found 2 findings (1 medium, 1 low) in 1 file; 4 suppressed (4 config)."


def test_several_reports_from_one_scan(project):
    (project / "reports").mkdir()
    run = iacguard("scan", "--format", "sarif:reports/out.sarif", "-f", "json:out.json", "-f", "text", cwd=project)
    assert run.returncode == 1 and run.stdout == iacguard("scan", cwd=project).stdout
    assert (project / "out.json").read_text() == iacguard("scan", "-f", "json", cwd=project).stdout
    assert json.loads((project / "reports" / "out.sarif").read_text())["runs"][0]["results"]
    files_only = iacguard("scan", "-f", "junit:out.xml", "-f", "json", "-o", "out2.json", cwd=project)
    assert files_only.returncode == 1 and files_only.stdout == ""
    assert (project / "out.xml").read_text().startswith("<?xml") and json.loads((project / "out2.json").read_text())["version"] == 1

    before = sorted(path.name for path in project.iterdir())
    for arguments, message in (
        (["-f", "text", "-f", "json"], "only one report can go to standard output"),
        (["-f", "text", "-f", "json", "-o", "x.json"], "-o names the file of the one --format given without a file"),
        (["-f", "sarif:x.sarif", "-o", "x.json"], "-o names the file of the one --format given without a file"),
        (["-f", "sarif:same", "-f", "json:./same"], "two outputs name the same file"),
        (["-f", "json:same", "--write-baseline", "same"], "two outputs name the same file"),
        (["-f", "json:"], "the file name after ':' is missing"),
        (["-f", "yaml:x.yaml"], "unknown output format 'yaml'"),
        (["-f", "json:missing/x.json", "-f", "text"], "cannot write report"),
        (["-f", "json:reports", "-f", "text"], "it is a directory"),
        (["-f", "text:app/Dockerfile"], "refusing to overwrite"),
    ):
        refused = iacguard("scan", *arguments, cwd=project)
        assert (refused.returncode, refused.stdout) == (2, ""), arguments
        assert message in refused.stderr, (arguments, refused.stderr)
    assert sorted(path.name for path in project.iterdir()) == before  # refused before the scan: nothing written


# The console script's own code, with the two-second delay at zero: how long a scan
# takes depends on the machine, and every file must draw the line here.
NO_DELAY = "import sys, iacguard.progress as p; p.DELAY = p.INTERVAL = 0; from iacguard.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_line_on_a_terminal(many, jobs):
    """stderr on a terminal (a real pseudo-terminal): `scanned N of M files`
    rewritten in place as files are done, in this process or from workers, and
    erased at the end; the report on stdout is untouched."""
    controller, terminal = pty.openpty()
    try:
        environment = {key: value for key, value in os.environ.items() if key not in ("CI", "TERM")}
        process = subprocess.Popen(
            [sys.executable, "-c", NO_DELAY, "scan", "--jobs", jobs, "--select", "IG304"],
            cwd=many, stdout=subprocess.PIPE, stderr=terminal, env=environment,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        out, _ = process.communicate(timeout=300)
    finally:
        os.close(controller)
    assert process.returncode == 1 and out.decode().splitlines()[-1] == "Found 300 findings (300 medium) in 300 files."
    drawn = shown.decode().split("\r\x1b[K")
    assert drawn[0] == "" and drawn[-1] == ""  # every draw starts on an erased line, and the last write erases it
    assert drawn[1:-1] == [f"iacguard: scanned {number} of 300 files" for number in range(1, 301)]


@pytest.mark.parametrize(("stderr_is_a_terminal", "environment", "options"), [
    (False, {}, []),                 # a pipe or a file
    (True, {"CI": "true"}, []),      # a CI log
    (True, {"TERM": "dumb"}, []),    # a terminal that cannot erase a line
    (True, {}, ["--quiet"]),
])
def test_no_progress_line_in_pipes_ci_logs_or_quiet_runs(cli, many, monkeypatch, stderr_is_a_terminal, environment, options):
    """In-process, with the delay at zero so every file would draw the line."""
    import io

    from iacguard import progress

    class Stream(io.StringIO):
        def isatty(self):
            return stderr_is_a_terminal

    stream = Stream()
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    assert cli("scan", "--jobs", "1", "--select", "IG304", *options, cwd=many).code == 1
    assert stream.getvalue() == ""
    monkeypatch.setattr(Stream, "isatty", lambda self: True)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert cli("scan", "--jobs", "1", "--select", "IG304", cwd=many).code == 1
    assert stream.getvalue().startswith("\r\x1b[Kiacguard: scanned 1 of 300 files") and stream.getvalue().endswith("\r\x1b[K")


# Item 4: pipes and user errors, through the console script.

@pytest.mark.parametrize(("command", "status"), [
    ("scan --select IG304,IG201,IG101", 1),
    ("scan --color always", 1),
    ("scan -f json", 1),
    ("scan -f sarif", 1),
    ("scan --statistics -f sarif:out.sarif -f text", 1),
    ("rules", 0),
    ("rules --format json", 0),
    ("explain IG201", 0),
])
def test_a_reader_that_stops_early_ends_the_output_quietly(many, command, status):
    shown, exit_status, stderr = piped_into_head(f"{IACGUARD} {command}", many)
    assert (exit_status, stderr) == (status, "")
    assert shown


def test_an_output_that_cannot_be_written_is_a_usage_error_before_the_scan(project):
    (project / "reports").mkdir()
    for arguments in (["-o", "missing/report.sarif"], ["-o", "reports"], ["--write-baseline", "missing/b.json"]):
        run = iacguard("scan", "-f", "sarif", *arguments, "--jobs", "1", cwd=project)
        assert run.returncode == 2 and run.stdout == "" and run.stderr.startswith("iacguard: error: cannot write"), run.stderr
        assert "internal error" not in run.stderr


def test_config_is_found_from_the_scanned_path_and_named_with_verbose(project, tmp_path_factory):
    (project / ".iacguard.yaml").write_text("select: [IG304]\n")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    run = iacguard("scan", "-v", str(project / "app"), cwd=elsewhere)
    assert run.returncode == 1 and run.stdout.splitlines()[0].endswith("IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)")
    assert run.stdout.splitlines()[-1] == "Found 1 finding (1 medium) in 1 file."
    assert f"iacguard: config: {project / '.iacguard.yaml'}" in run.stderr.splitlines()
    (project / ".iacguard.yaml").unlink()
    (project / "pyproject.toml").write_text("[tool.iacguard]\nselect = ['IG101']\n")
    run = iacguard("scan", "-v", "app", cwd=project)
    assert run.stdout.splitlines()[-1] == "Found 1 finding (1 medium) in 1 file."
    assert "iacguard: config: pyproject.toml" in run.stderr.splitlines()
    (project / "pyproject.toml").write_text("[tool.iacguard]\nselect = []\n")
    empty = iacguard("scan", cwd=project)
    assert empty.returncode == 2 and "selects no rule" in empty.stderr
    assert iacguard("scan", "--select", "", cwd=project).returncode == 2


# Item 5: discoverable rules.

def test_rules_are_listed_in_aligned_columns_with_a_header(tmp_path):
    lines = iacguard("rules", cwd=tmp_path).stdout.splitlines()
    header = lines[0]
    assert header.split() == ["CODE", "NAME", "SEVERITY", "ON", "FORMATS", "TAGS", "SUMMARY"]
    starts = [header.index(heading) for heading in ("NAME", "SEVERITY", "ON ", "FORMATS", "TAGS", "SUMMARY")]
    for line in lines[1:]:
        assert all(line[start - 2 : start] == "  " and line[start] != " " for start in starts), line
    ig102 = next(line for line in lines if line.startswith("IG102 "))
    assert ig102[starts[2]:].startswith("no ")


def test_rules_filtered_by_format_and_tag(tmp_path):
    def codes(*options):
        run = iacguard("rules", *options, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        return [line.split()[0] for line in run.stdout.splitlines()[1:]]

    everything = codes()
    bicep = codes("--for", "bicep")
    assert "IG501" in bicep and "IG201" in bicep and "IG301" not in bicep and "IG401" not in bicep
    assert codes("--for", "Dockerfile") == [code for code in everything if code.startswith(("IG1", "IG3")) or code in ("IG201", "IG210", "IG212")]
    assert codes("--tag", "secrets") == ["IG210", "IG214", "IG409", "IG808"]
    assert codes("--tag", "secrets,aks", "--for", "kubernetes") == ["IG210", "IG409"]
    for options, message in ((["--tag", "nope"], "unknown tag nope (tags: aks, app-service,"), (["--for", "cdk"], "unknown format 'cdk'")):
        run = iacguard("rules", *options, cwd=tmp_path)
        assert run.returncode == 2 and message in run.stderr


def test_rules_json_lists_what_a_tool_needs(tmp_path):
    rules = json.loads(iacguard("rules", "--format", "json", "--for", "kubernetes", cwd=tmp_path).stdout)
    ig201 = next(rule for rule in rules if rule["code"] == "IG201")
    assert {key: ig201[key] for key in ("code", "name", "severity", "formats", "tags", "enabled", "enabled_by_default", "aliases")} == {
        "code": "IG201", "name": "container-runs-as-root", "severity": "high",
        "formats": ["Dockerfile", "Kubernetes", "Kustomize", "Helm chart", "ARM", "Bicep", "Docker Compose"], "tags": ["runtime", "dockerfile", "kubernetes"],
        "enabled": True, "enabled_by_default": True, "aliases": [],
    }
    assert ig201["references"]["hadolint"] == ["DL3002"] and "KSV012" in ig201["references"]["trivy"]
    ig208 = next(rule for rule in rules if rule["code"] == "IG208")
    assert "resource-requests-missing" in ig208["aliases"]
    (tmp_path / ".iacguard.yaml").write_text("select: [IG102]\n")
    ig102 = next(rule for rule in json.loads(iacguard("rules", "--format", "json", cwd=tmp_path).stdout) if rule["code"] == "IG102")
    assert (ig102["enabled"], ig102["enabled_by_default"]) == (True, False)


@pytest.mark.parametrize(("peer_id", "first_line"), [
    ("DL3002", "hadolint DL3002 is checked by IG201 container-runs-as-root."),
    ("dl3002", "hadolint DL3002 is checked by IG201 container-runs-as-root."),
    ("KSV012", "trivy KSV012 is checked by IG201 container-runs-as-root."),
    ("AVD-KSV-0012", "trivy KSV012 is checked by IG201 container-runs-as-root."),
    ("AVD-DS-0002", "trivy DS002 is checked by IG201 container-runs-as-root."),
    ("CKV_K8S_20", "checkov CKV_K8S_20 is checked by IG203 privilege-escalation-allowed."),
])
def test_explain_takes_another_tools_id(tmp_path, peer_id, first_line):
    run = iacguard("explain", peer_id, cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.splitlines()[0] == first_line
    code = first_line.split(" by ")[1].split()[0]
    assert run.stdout.splitlines()[2].startswith(f"{code} ") and "## How to fix" in run.stdout


def test_explain_lists_every_rule_that_covers_a_peer_check(tmp_path):
    run = iacguard("explain", "unset-memory-requirements", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout.splitlines()[0] == "kube-linter unset-memory-requirements is checked by 2 rules; `iacguard explain CODE` explains each:"
    assert [line.split()[0] for line in run.stdout.splitlines()[1:]] == ["IG207", "IG215"]
    assert iacguard("explain", "latest-tag", cwd=tmp_path).stdout.startswith("kube-linter latest-tag is checked by 2 rules")
    diagnostic = iacguard("explain", "IG003", cwd=tmp_path)
    assert diagnostic.returncode == 0 and diagnostic.stdout.startswith("IG003 content-warning (a diagnostic")
    unknown = iacguard("explain", "DL9999", cwd=tmp_path)
    assert unknown.returncode == 2 and "another tool's check id" in unknown.stderr


def test_a_selector_that_names_nothing_lists_the_tags(project):
    run = iacguard("scan", "--select", "security", cwd=project)
    assert run.returncode == 2
    assert "unknown rule selector 'security' (use all, a code, name, code prefix or tag: aks, app-service, azure," in run.stderr


def test_the_readme_lists_every_tag():
    from iacguard.plugins import load_registry

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Every rule has tags"):readme.index("A selector that names nothing")]
    tags = {tag for rule in load_registry(autoload=False).rules.values() for tag in rule.tags}
    assert tags and {tag for tag in tags if f"`{tag}`" not in section} == set()
