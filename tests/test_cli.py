"""The command line: exit codes, output formats, selection, config, stdin."""

import io
import json
import os
import sys
from pathlib import Path

import jsonschema
import pytest

from iacguard import __version__

BAD = "FROM ubuntu\nRUN curl -k https://x | sh\nEXPOSE 22\n"
GOOD = "FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER 10001\n"
SCHEMA = json.loads((Path(__file__).parent.parent / "iacguard" / "schemas" / "report-v1.json").read_text())


@pytest.fixture
def project(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(BAD)
    (tmp_path / "ok.Dockerfile").write_text(GOOD)
    return tmp_path


def test_text_output_is_sorted_with_a_summary(cli, project):
    run = cli("scan", cwd=project)
    assert run.code == 1
    assert run.lines == [
        "app/Dockerfile:1:1: IG201 [high] the final stage sets no USER, so the image runs as root unless its base image ubuntu sets one; declare it with USER or the non_root_images option (stage/0)",
        "app/Dockerfile:1:6: IG101 [medium] image ubuntu has no tag, so it means whatever `latest` is when pulled; pin a version or digest (stage/0)",
        "app/Dockerfile:1:6: IG104 [low] the final image is based on ubuntu, a full distribution; use a slim, alpine or distroless base (stage/0)",
        "app/Dockerfile:2:5: IG302 [high] curl output is piped into sh: the script runs unverified (stage/0)",
        "app/Dockerfile:2:5: IG309 [high] curl -k/--insecure skips TLS certificate verification (stage/0)",
        "app/Dockerfile:3:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)",
        "Found 6 findings (3 high, 2 medium, 1 low) in 2 files.",
    ]


def test_clean_scan_exits_zero(cli, project):
    run = cli("scan", "ok.Dockerfile", cwd=project)
    assert (run.code, run.lines) == (0, ["No findings in 1 file."])


def test_json_output_follows_the_schema(cli, project):
    run = cli("scan", "--format", "json", cwd=project)
    document = json.loads(run.out)
    jsonschema.validate(document, SCHEMA)
    assert document["tool"] == {"name": "iacguard", "version": __version__}
    first = document["findings"][0]
    assert {k: first[k] for k in ("rule", "name", "severity", "path", "line", "column", "resource", "format", "suppressed")} == {
        "rule": "IG201", "name": "container-runs-as-root", "severity": "high", "path": "app/Dockerfile",
        "line": 1, "column": 1, "resource": "stage/0", "format": "dockerfile", "suppressed": False,
    }
    assert document["summary"]["findings"] == 6 and document["summary"]["files"] == 2


def test_output_file_and_colour(cli, project):
    run = cli("scan", "--format", "json", "--output", "report.json", cwd=project)
    assert run.out == "" and run.code == 1
    assert json.loads((project / "report.json").read_text())["summary"]["findings"] == 6
    coloured = cli("scan", "--color", "always", "app/Dockerfile", cwd=project)
    assert "\x1b[1;31m[high]\x1b[0m" in coloured.out
    plain = cli("scan", "app/Dockerfile", cwd=project)
    assert "\x1b[" not in plain.out


@pytest.mark.parametrize(
    ("selector", "codes"),
    [
        (["--select", "IG3"], {"IG302", "IG304", "IG309"}),
        (["--select", "container-runs-as-root,IG304"], {"IG201", "IG304"}),
        (["--select", "supply-chain"], {"IG101", "IG302", "IG309"}),
        (["--ignore", "IG1,IG2,IG302,remote-script-piped-to-shell,IG304"], {"IG309"}),
        (["--ignore", "IG1,IG2,IG30"], set()),
        (["--select", "IG102"], {"IG102"}),
        (["--select", "all", "--ignore", "IG2,IG3,IG104"], {"IG101"}),
    ],
)
def test_select_and_ignore(cli, project, selector, codes):
    run = cli("scan", "--format", "json", *selector, "app/Dockerfile", cwd=project)
    assert {finding["rule"] for finding in json.loads(run.out)["findings"]} == codes


def test_off_by_default_rule_needs_its_exact_name(cli, project):
    (project / "pinned").mkdir()
    (project / "pinned" / "Dockerfile").write_text(GOOD)
    assert cli("scan", "--select", "IG1", "pinned", cwd=project).code == 0
    assert cli("scan", "--select", "image-not-pinned-by-digest", "pinned", cwd=project).code == 1


@pytest.mark.parametrize(("threshold", "code"), [("low", 1), ("high", 1), ("critical", 0), ("none", 0)])
def test_fail_on(cli, project, threshold, code):
    assert cli("scan", "--fail-on", threshold, "app/Dockerfile", cwd=project).code == code


def test_dockerfile_healthcheck_is_checked_once_configured(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nUSER 10001\n")
    assert cli("scan", "--select", "IG212", cwd=tmp_path).lines == ["No findings in 1 file."]
    (tmp_path / ".iacguard.yaml").write_text("rules:\n  healthcheck-missing:\n    dockerfile_healthcheck: true\n")
    assert cli("scan", cwd=tmp_path).lines == [
        "Dockerfile:1:1: IG212 [low] the final stage declares no HEALTHCHECK (stage/0)",
        "Found 1 finding (1 low) in 1 file.",
    ]


def test_config_file_found_upward(cli, project):
    (project / ".git").mkdir()  # the search stops at the top of the work tree
    (project / ".iacguard.yaml").write_text(
        "select: [IG1, IG2]\nignore: [healthcheck-missing]\nfail-on: high\nseverity:\n  IG104: high\n"
        "rules:\n  IG103:\n    allowed_registries: [myacr.azurecr.io]\n"
    )
    run = cli("scan", "--format", "json", ".", cwd=project / "app")
    findings = {f["rule"]: f["severity"] for f in json.loads(run.out)["findings"]}
    assert findings == {"IG101": "medium", "IG103": "high", "IG104": "high", "IG201": "high"}


def test_pyproject_config(cli, project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.iacguard]\nselect = ["IG304"]\n')
    run = cli("scan", "--format", "json", cwd=project)
    assert {f["rule"] for f in json.loads(run.out)["findings"]} == {"IG304"}


def test_command_line_overrides_config(cli, project):
    (project / ".iacguard.yaml").write_text("select: [IG304]\nfail_on: critical\n")
    run = cli("scan", "--select", "IG201", "--fail-on", "high", cwd=project)
    assert run.code == 1 and all(": IG201 " in line for line in run.lines[:-1])


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("selct: [IG201]\n", "unknown key 'selct'"),
        ("fail_on: severe\n", "key 'fail_on' must be one of"),
        ("select: 3\n", "key 'select' must be a list of strings"),
        ("select: [IG999]\n", "unknown rule selector 'IG999'"),
        ("severity: {nope: high}\n", "unknown rule 'nope' in 'severity'"),
        ("rules: {IG103: {allowed: [x]}}\n", "rule IG103 (image-from-unapproved-registry) has no option 'allowed'"),
        ("rules: {IG103: {allowed_registries: x}}\n", "option 'allowed_registries' of rule IG103 must be a list of strings"),
        ("rules: {IG201: {non_root_images: ['a b']}}\n", "option 'non_root_images' of rule IG201: 'a b' is not NAME or NAME:TAG"),
        ("select: [IG201\n", "invalid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_bad_config_exits_2_naming_the_key(cli, project, config, message):
    (project / ".iacguard.yaml").write_text(config)
    run = cli("scan", cwd=project)
    assert run.code == 2 and message in run.err and run.out == ""


def test_usage_errors_exit_2(cli, project):
    assert cli("scan", "missing/Dockerfile", cwd=project).code == 2
    assert cli("scan", "--format", "xml", cwd=project).code == 2
    assert cli("scan", "--fail-on", "severe", cwd=project).code == 2
    assert cli("scan", "--config", "nowhere.yaml", cwd=project).code == 2
    assert cli("frobnicate", cwd=project).code == 2
    assert cli(cwd=project).code == 2


def test_broken_file_is_reported_and_the_scan_goes_on(cli, project):
    (project / "broken").mkdir()
    (project / "broken" / "Dockerfile").write_text("FROM alpine\nRUN <<EOF\necho unterminated\n")
    run = cli("scan", "--select", "IG304", cwd=project)
    assert "broken/Dockerfile:2:5: IG000 [error] cannot parse Dockerfile: heredoc <<EOF is never terminated" in run.lines
    assert "app/Dockerfile:3:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)" in run.lines
    assert run.lines[-1] == "Found 1 finding (1 medium) in 3 files; 1 file incomplete (analysis did not finish)."
    assert run.code == 4
    errors = json.loads(cli("scan", "--format", "json", "--select", "IG304", cwd=project).out)["errors"]
    assert errors == [{"path": "broken/Dockerfile", "line": 2, "column": 5, "code": "IG000", "level": "error",
                       "message": "cannot parse Dockerfile: heredoc <<EOF is never terminated"}]


def test_an_incomplete_file_fails_the_run_unless_allowed_on_the_command_line(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine\nFORM x\n")
    (tmp_path / "ok.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    assert cli("scan", cwd=tmp_path).code == 4  # over the findings' exit 1
    assert cli("scan", "--strict", cwd=tmp_path).code == 4  # the default, still accepted
    assert cli("scan", "--fail-on", "none", cwd=tmp_path).code == 4  # not masked by the threshold
    assert cli("scan", "--format", "json", cwd=tmp_path).code == 4  # nor by the output format
    assert cli("scan", "--allow-incomplete", "--fail-on", "none", cwd=tmp_path).code == 0
    assert cli("scan", "--allow-incomplete", cwd=tmp_path).code == 1
    assert cli("scan", "ok.Dockerfile", cwd=tmp_path).code == 1


def test_binary_and_latin1_files(cli, tmp_path):
    (tmp_path / "Dockerfile").write_bytes(b"\x00\x01binary")
    (tmp_path / "other.Dockerfile").write_bytes(b"# caf\xe9\nFROM alpine:3.20\nEXPOSE 22\n")
    run = cli("scan", "--select", "IG304", cwd=tmp_path)
    assert "Dockerfile: IG001 [error] binary content, not a text file" in run.lines
    assert "other.Dockerfile:1:1: IG001 [warning] not valid UTF-8; read as Latin-1" in run.lines
    assert "other.Dockerfile:3:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)" in run.lines


def test_standard_input_read_as_latin1_is_warned_about_as_a_file_is(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"# caf\xe9\nFROM alpine:3.20\nEXPOSE 22\n")))
    run = cli("scan", "--select", "IG304", "--stdin-filename", "other.Dockerfile", "-", cwd=tmp_path)
    assert run.lines[:2] == ["other.Dockerfile:1:1: IG001 [warning] not valid UTF-8; read as Latin-1",
                             "other.Dockerfile:3:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)"]


def test_bom_is_ignored(cli, tmp_path):
    (tmp_path / "Dockerfile").write_bytes(b"\xef\xbb\xbfFROM alpine:3.20\nEXPOSE 22\n")
    assert cli("scan", "--select", "IG304", cwd=tmp_path).lines[0].startswith("Dockerfile:2:8: IG304")


def test_stdin_with_a_file_name(cli, tmp_path):
    run = cli("scan", "--select", "IG304", "--stdin-filename", "svc/Dockerfile", "-", cwd=tmp_path, stdin=BAD)
    assert run.lines[0] == "svc/Dockerfile:3:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)"


def test_stdin_takes_the_configuration_of_the_file_it_names(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".iacguard.yaml").write_text("ignore: [IG304]\n")
    run = cli("scan", "--stdin-filename", "svc/Dockerfile", "-", cwd=tmp_path, stdin=BAD)
    assert "IG304" not in run.out and "IG201" in run.out


def test_stdin_is_sniffed_without_a_name(cli, tmp_path):
    run = cli("scan", "--select", "IG304", "-", cwd=tmp_path, stdin=BAD)
    assert run.lines[0].startswith("<stdin>:3:8: IG304")
    assert cli("scan", "-", cwd=tmp_path, stdin="just text\n").code == 2


@pytest.mark.parametrize("name", ["CHANGELOG.md", "notes.txt", "NOTES", "pod.json.bak"])
def test_a_buffer_named_as_no_format_claims_is_passed_over_whatever_it_holds(cli, tmp_path, name):
    """As the saved file would be: its content is not asked what it is."""
    for text in (BAD, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n"):
        run = cli("scan", "--stdin-filename", name, "-", cwd=tmp_path, stdin=text)
        assert (run.code, run.out.strip()) == (0, "No findings in 0 files."), name


def test_rules_and_explain(cli, tmp_path):
    listing = cli("rules", cwd=tmp_path)
    assert listing.code == 0 and any(line.startswith("IG201  container-runs-as-root") for line in listing.lines)
    assert any(line.split()[:4] == ["IG102", "image-not-pinned-by-digest", "low", "no"] for line in listing.lines)
    rules = json.loads(cli("rules", "--format", "json", cwd=tmp_path).out)
    ig103 = next(rule for rule in rules if rule["code"] == "IG103")
    assert ig103["formats"] == ["Dockerfile", "Kubernetes", "Kustomize", "Helm chart", "Terraform", "Terraform JSON", "Terraform plan", "ARM", "Bicep", "Docker Compose"] and ig103["options"][0]["name"] == "allowed_registries"
    for reference in ("IG201", "container-runs-as-root"):
        explained = cli("explain", reference, cwd=tmp_path)
        assert explained.code == 0 and explained.lines[0] == "IG201 container-runs-as-root [high]"
        assert "## How to fix" in explained.out and "hadolint: DL3002" in explained.out
    assert cli("explain", "IG998", cwd=tmp_path).code == 2


def test_explain_for_one_format_shows_only_its_fix_and_example(cli, tmp_path):
    every = cli("explain", "IG503", cwd=tmp_path).out
    assert all(f"### {label}" in every for label in ("Terraform", "ARM", "Bicep"))
    bicep = cli("explain", "IG503", "--for", "bicep", cwd=tmp_path)
    assert bicep.code == 0 and "### Bicep" in bicep.out and "ftpsState: 'Disabled'" in bicep.out
    assert "### Terraform" not in bicep.out and "### ARM" not in bicep.out and 'ftps_state = "Disabled"' not in bicep.out
    assert "## Why it matters" in bicep.out and "checkov: CKV_AZURE_78" in bicep.out  # the shared text stays
    assert '"ftpsState": "Disabled"' in cli("explain", "app-ftp-allowed", "--for", "ARM", cwd=tmp_path).out
    dockerfile_only = cli("explain", "IG301", "--for", "terraform", cwd=tmp_path)
    assert dockerfile_only.code == 0 and "IG301 does not check Terraform files." in dockerfile_only.lines


def test_explain_for_an_unknown_format_is_a_usage_error(cli, tmp_path):
    run = cli("explain", "IG503", "--for", "cloudformation", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert "unknown format 'cloudformation' (formats: arm, bicep, compose, dockerfile, helm, kubernetes, kustomize, terraform, terraform-json, terraform-plan)" in run.err


def test_version(cli, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli("--version")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"iacguard {__version__}"


def test_module_entry_point(project):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "iacguard", "scan", "ok.Dockerfile"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "No findings in 1 file.\n"


def test_the_command_ends_without_tear_down_once_its_report_and_exit_handlers_are_out(project):
    """`command` ends the process itself (`os._exit`): the exit code, the whole report
    on a pipe, what an exit handler prints after it, and the cache's write-ahead log
    moved into its database all survive that."""
    import subprocess
    import sys

    script = (
        "import atexit, sys\n"
        "atexit.register(print, 'exit handler ran')\n"
        "sys.argv = ['iacguard', 'scan', '--cache-dir', 'cache', 'app/Dockerfile']\n"
        "from iacguard.__main__ import command\n"
        "command()\n"
        "print('not reached')\n"
    )
    environment = {**os.environ, "IACGUARD_NO_CACHE": "0"}
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, env=environment)
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stderr
    assert lines[0].startswith("app/Dockerfile:") and lines[-2].startswith("Found ") and lines[-1] == "exit handler ran"
    assert sorted(path.name for path in (project / "cache").rglob("entries.sqlite*")) == ["entries.sqlite"]


def test_hook_mode_takes_file_names_after_the_separator_only(cli, tmp_path):
    """pre-commit runs `entry + args + files`; a user's `args:` that lose the hook's
    `--` must fail loudly, not let a staged file's name act as an option."""
    (tmp_path / "--output=x.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    refused = cli("scan", "--hook", "--select", "IG304", "--output=x.Dockerfile", "Dockerfile", cwd=tmp_path)
    assert refused.code == 2 and "end the hook's `args:` with \"--\"" in refused.err
    run = cli("scan", "--hook", "--select", "IG304", "--", "--output=x.Dockerfile", "Dockerfile", cwd=tmp_path)
    assert run.code == 1
    assert run.lines[:2] == [
        "--output=x.Dockerfile:2:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)",
        "Dockerfile:2:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)",
    ]
    assert cli("scan", "--hook", "--", cwd=tmp_path).code == 0  # no staged file: nothing to scan


def test_options_are_never_abbreviated(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    for abbreviation in ("--o=x.txt", "--out=x.txt", "--write=b.json", "--conf=c.yaml", "--excl=*"):
        run = cli("scan", abbreviation, "Dockerfile", cwd=tmp_path)
        assert run.code == 2 and "unrecognized arguments" in run.err, abbreviation
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Dockerfile"]


def test_jobs_are_bounded(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    for value in ("99999999999999999999", "257", "0", "-3", "abc"):
        run = cli("scan", "--jobs", value, cwd=tmp_path)
        assert run.code == 2 and "--jobs" in run.err, value
    assert cli("scan", "--jobs", "256", "--fail-on", "none", cwd=tmp_path).code == 0


def test_outputs_are_checked_before_the_scan_and_never_replace_inputs(cli, tmp_path):
    (tmp_path / "main.tf").write_text('resource "azurerm_linux_web_app" "app" {\n  https_only = false\n}\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "notes.json").write_text('{"hand": "written"}\n')
    cases = [
        (("-o", "sub"), "it is a directory"),
        (("-o", "missing/out.json"), "cannot write report"),
        (("-o", "main.tf"), "refusing to overwrite an infrastructure-as-code file"),
        (("--write-baseline", "main.tf"), "refusing to overwrite an infrastructure-as-code file"),
        (("--write-baseline", "notes.json"), "is not an iacguard baseline"),
        (("--baseline", "b.json", "--write-baseline", "w.json"), "cannot be combined"),
        (("--stdin-filename", "Dockerfile"), "pass '-' as the only path"),
    ]
    for arguments, message in cases:
        run = cli("scan", *arguments, "main.tf", cwd=tmp_path)
        assert run.code == 2 and message in run.err and run.out == "", (arguments, run.err)
    assert (tmp_path / "notes.json").read_text() == '{"hand": "written"}\n'
    assert sorted(path.name for path in tmp_path.iterdir()) == ["main.tf", "notes.json", "sub"]  # no temporary file left
    assert cli("scan", "-o", "/proc/version", "main.tf", cwd=tmp_path).code == 2  # a kernel file: no temporary beside it
    assert cli("scan", "--select", "IG501", "-o", os.devnull, "main.tf", cwd=tmp_path).code == 1  # a device is written as it is


# A repository's inputs that no format scans, and what the refusal calls them.
READ_BY_NAME = {
    "tf/terraform.tfvars": "a Terraform variable file",
    "tf/app.auto.tfvars": "a Terraform variable file",
    "tf/prod.tfvars.json": "a Terraform variable file",  # loaded only when named: a later run may name it
    "tf/init.tftpl": "a Terraform template",
    "arm/site.parameters.json": "a parameter file",
    "chart/values.yaml": "a file of a Helm chart",
    "chart/.helmignore": "a file of a Helm chart",
    "chart/templates/NOTES.txt": "a file of a Helm chart",
    ".env": "an environment file",
    "web.env": "an environment file",
    ".gitignore": "an ignore file",
    ".iacguard.yml": "a config file",
    "pyproject.toml": "a config file",
}


def _inputs_repository(root: Path) -> dict[str, str]:
    """A repository with a Terraform folder, an ARM template, a chart and a Compose
    project, and the text of each of its files."""
    files = {
        "tf/main.tf": 'variable "https" {}\nresource "azurerm_linux_web_app" "app" {\n  https_only = var.https\n}\n',
        "arm/site.json": json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                                     "parameters": {"https": {"type": "bool"}}, "resources": []}),
        "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
        "chart/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: {{ .Values.image }}\n",
        "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    env_file: web.env\n",
        "Dockerfile": "FROM alpine:3.20\n",
        **{name: f"# {name}, written by hand\n" for name in READ_BY_NAME},
    }
    files["tf/terraform.tfvars"] = "https = false\n"
    files["tf/prod.tfvars.json"] = '{"https": true}\n'
    files["arm/site.parameters.json"] = '{"parameters": {"https": {"value": false}}}\n'
    files["chart/values.yaml"] = "image: nginx:latest\n"
    files[".iacguard.yml"] = "fail_on: none\n"
    files["pyproject.toml"] = "[project]\nname = 'app'\n"
    files[".gitignore"] = "*.log\n"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return files


def test_an_output_never_replaces_what_iacguard_reads_without_scanning_it(cli, tmp_path):
    """Variable and parameter files, a chart's files, environment, ignore and config
    files are refused before the scan, whether this scan reads them (the whole
    repository) or not (one Dockerfile: a later run may)."""
    files = _inputs_repository(tmp_path)
    for name, kind in READ_BY_NAME.items():
        for paths in (["."], ["Dockerfile"]):
            for option in ("-o", "--write-baseline"):
                run = cli("scan", option, name, *paths, cwd=tmp_path)
                assert (run.code, run.out) == (2, ""), (name, paths, option, run.err)
                assert f"refusing to overwrite {kind}" in run.err, (name, run.err)
    assert {name: (tmp_path / name).read_text() for name in files} == files
    assert not list(tmp_path.rglob("*.tmp"))
    (tmp_path / "notes.txt").write_text("old notes\n")  # a file iacguard never reads is the user's to replace
    assert cli("scan", "-o", "notes.txt", "Dockerfile", cwd=tmp_path).code == 0
    assert (tmp_path / "notes.txt").read_text() != "old notes\n"


def test_an_output_never_replaces_a_file_the_scan_read(cli, tmp_path, monkeypatch):
    """A file read through another, under any name (a Compose `env_file`, a
    Kustomize generator's file), is refused once the scan has read it, before any
    report is written: from one process, from workers and from the cache alike."""
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    (tmp_path / ".git").mkdir()
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.27\n    env_file: settings.txt\n")
    (tmp_path / "settings.txt").write_text("MODE=prod\n")
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "kustomization.yaml").write_text("configMapGenerator:\n  - name: app\n    files: [app.properties]\n")
    (tmp_path / "k" / "app.properties").write_text("mode=prod\n")
    for index in range(40):  # enough files for two workers
        (tmp_path / f"{index}.Dockerfile").write_text("FROM alpine:3.20\n")
    for options in (("--no-cache", "--jobs", "1"), ("--jobs", "2"), ("--jobs", "2")):  # the last one from the cache
        for name in ("settings.txt", "k/app.properties"):
            run = cli("scan", *options, "-f", "text", "-f", f"json:{name}", "--write-baseline", "baseline.json", ".", cwd=tmp_path)
            assert (run.code, run.out) == (2, ""), (options, name, run.err)
            assert f"{tmp_path / name}: refusing to overwrite a file that this scan reads" in run.err
        assert not (tmp_path / "baseline.json").exists()
    assert (tmp_path / "settings.txt").read_text() == "MODE=prod\n" and (tmp_path / "k" / "app.properties").read_text() == "mode=prod\n"
    assert not list(tmp_path.rglob("*.tmp"))


def test_an_output_never_replaces_the_config_s_baseline_or_the_cache(cli, tmp_path, monkeypatch):
    """The config's baseline is refused while another is applied, and the cache's
    files (its database, its key) while the cache is in use."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / ".iacguard.yaml").write_text("baseline: b.json\n")
    assert cli("scan", "--write-baseline", "b.json", cwd=tmp_path).code == 0
    assert cli("scan", "--write-baseline", "other.json", cwd=tmp_path).code == 0
    baseline = (tmp_path / "b.json").read_text()
    run = cli("scan", "--baseline", "other.json", "-f", "json", "-o", "b.json", cwd=tmp_path)
    assert run.code == 2 and "b.json: refusing to overwrite a file that this scan reads" in run.err
    assert (tmp_path / "b.json").read_text() == baseline
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    assert cli("scan", "--cache-dir", "cache", "Dockerfile", cwd=tmp_path).code == 0
    from iacguard.cache import user_folder

    names = [*(str(path) for path in (tmp_path / "cache").rglob("*.sqlite")), str(user_folder() / "secret")]
    assert len(names) == 2 and all(os.path.isfile(name) for name in names)
    for name in names:
        run = cli("scan", "--cache-dir", "cache", "-o", name, "Dockerfile", cwd=tmp_path)
        assert run.code == 2 and "refusing to overwrite a file that this scan reads" in run.err, name


def test_a_failing_reporter_leaves_the_previous_report_whole(cli, tmp_path, monkeypatch):
    from iacguard.reporters.text import TextReporter

    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "report.txt").write_text("previous good report\n")

    def broken(self, result, out, context):
        out.write("half a rep")
        raise RuntimeError("reporter bug")

    monkeypatch.setattr(TextReporter, "render", broken)
    assert cli("scan", "-o", "report.txt", cwd=tmp_path).code == 3
    assert (tmp_path / "report.txt").read_text() == "previous good report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Dockerfile", "report.txt"]


def test_each_file_is_scanned_once_however_it_is_named(cli, tmp_path):
    (tmp_path / "ok.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    run = cli("scan", "--select", "IG304", "ok.Dockerfile", "ok.Dockerfile", "./ok.Dockerfile", ".", str(tmp_path / "ok.Dockerfile"), cwd=tmp_path)
    assert run.lines == ["ok.Dockerfile:2:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)", "Found 1 finding (1 medium) in 1 file."]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_files_given_by_name_are_told_apart_by_what_they_are(cli, tmp_path):
    """Each name given is looked at once (a hook gives thousands): a link named before
    its file is the same file, shown by the file's own name; a broken link is there,
    and reported, where a name of nothing is a usage error."""
    (tmp_path / "ok.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "alias.Dockerfile").symlink_to(tmp_path / "ok.Dockerfile")
    (tmp_path / "gone.Dockerfile").symlink_to(tmp_path / "nothing")
    run = cli("scan", "--select", "IG304", "alias.Dockerfile", "ok.Dockerfile", "gone.Dockerfile", cwd=tmp_path)
    assert run.lines == ["gone.Dockerfile: IG001 [error] cannot read file: No such file or directory",
                         "ok.Dockerfile:2:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)",
                         "Found 1 finding (1 medium) in 2 files; 1 file incomplete (analysis did not finish)."]
    missing = cli("scan", "ok.Dockerfile", "nothing.Dockerfile", "--cache-dir", "cache", cwd=tmp_path)
    assert missing.code == 2 and "no such file or directory: nothing.Dockerfile" in missing.err
    assert not (tmp_path / "cache").exists()  # a usage error makes nothing


def test_standard_input_has_the_file_size_limit_and_is_refused_as_its_file_would_be(cli, tmp_path):
    """An editor reading the JSON report gets one, with the IG001 the saved file would
    get (exit 4); a name no format claims is passed over, as that file would be."""
    (tmp_path / ".iacguard.yaml").write_text("max_file_size: 1000\n")
    large = "FROM alpine:3.20\n" + "# padding\n" * 200
    run = cli("scan", "--stdin-filename", "Dockerfile", "-", "--format", "json", cwd=tmp_path, stdin=large)
    assert run.code == 4
    assert [(error["path"], error["code"], error["message"]) for error in json.loads(run.out)["errors"]] == [
        ("Dockerfile", "IG001", "standard input is over the 1,000 bytes limit (max_file_size)")]
    assert cli("scan", "--stdin-filename", "notes.txt", "-", cwd=tmp_path, stdin=large).code == 0
    binary = cli("scan", "--stdin-filename", "Dockerfile", "-", cwd=tmp_path, stdin="FROM alpine:3.20\n\x00\x01")
    assert binary.code == 4 and "Dockerfile: IG001 [error] standard input: " in binary.out
    unnamed = cli("scan", "-", cwd=tmp_path, stdin=large)
    assert unnamed.code == 2 and "standard input is over the 1,000 bytes limit (max_file_size); its format cannot be told" in unnamed.err


def test_explain_knows_every_diagnostic_code(cli, tmp_path):
    for code in ("IG000", "IG001", "IG002", "IG003", "IG004", "IG005", "IG006", "IG007", "IG008", "IG999"):
        run = cli("explain", code.lower(), cwd=tmp_path)
        assert run.code == 0 and run.lines[0].startswith(f"{code} ") and "not a rule" in run.lines[0], code
    assert "exit 4" in cli("explain", "IG004", cwd=tmp_path).out
