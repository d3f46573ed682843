"""Output a scanned repository cannot use for injection, and incomplete files named in
every format.

Names, paths and values come from the scanned files. Text output must show them on
one line without anything a terminal or a CI log would act on (D21), JUnit must stay
well-formed XML (D22), SARIF URIs must be percent-encoded (D23), and no character of
theirs may stop a report from being written. Every format names the files whose
analysis did not complete, and the summaries count suppressions by kind.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from iacguard.config import Config
from iacguard.diagnostics import Diagnostic
from iacguard.model import Location, Resource, Suppression
from iacguard.plugins import load_registry
from iacguard.policy import build_policy
from iacguard.reporters import ReportContext, printable
from iacguard.runner import Finding, ScanResult
from test_cli import SCHEMA as REPORT_SCHEMA
from test_sarif import SCHEMA as SARIF_SCHEMA

# Everything a terminal or log viewer acts on, except the newline that ends a line.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
OWN_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
LOG_COMMAND = re.compile(r"##\w*\[")  # GitHub's older syntax, Azure Pipelines, TeamCity

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: "p\\u001b[2J\\u001b]0;pwned\\u0007"
  namespace: default
spec:
  containers:
    - name: "c\\n::error file=README.md,line=1::injected annotation\\n"
      image: nginx
"""
ROOT_USER = "FROM alpine:3.20\nUSER root\n"


def assert_inert(out: str) -> None:
    """No raw control character, and no line GitHub Actions would run as a workflow command."""
    assert not RAW_CONTROL.findall(OWN_COLOUR.sub("", out))
    for line in out.splitlines():
        plain = OWN_COLOUR.sub("", line)
        assert not plain.lstrip().startswith("::") and not LOG_COMMAND.search(plain), line


def test_d21_kubernetes_names_are_shown_not_obeyed(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(POD)
    run = cli("scan", "--select", "IG404,IG203", cwd=tmp_path)
    assert_inert(run.out)
    assert run.lines == [
        r"pod.yaml:5:14: IG404 [low] the Pod is placed in the default namespace (Pod/default/p\x1b[2J\x1b]0;pwned\x07)",
        r"pod.yaml:8:13: IG203 [high] allowPrivilegeEscalation: false is not set "
        r"(Pod/default/p\x1b[2J\x1b]0;pwned\x07/containers/c\n::error file=README.md,line=1::injected annotation\n)",
        "Found 2 findings (1 high, 1 low) in 1 file.",
    ]


@pytest.mark.parametrize("name, shown", [
    ("a\nb.Dockerfile", r"a\nb.Dockerfile"),
    ("\x1b[31mRED\x1b[0m.Dockerfile", r"\x1b[31mRED\x1b[0m.Dockerfile"),
    ("cr\r.Dockerfile", r"cr\r.Dockerfile"),
    ("ctl\x01.Dockerfile", r"ctl\x01.Dockerfile"),
    # Variants: a workflow command as the whole name, with white space before it, the
    # older `##[` syntax, a C1 control, a Unicode line separator and a bidi override.
    ("::error file=x::boom.Dockerfile", r"\x3a:error file=x::boom.Dockerfile"),
    ("  ::add-mask::secret.Dockerfile", r"  \x3a:add-mask::secret.Dockerfile"),
    ("x##[add-mask]secret.Dockerfile", r"x##\x5badd-mask]secret.Dockerfile"),
    ("##vso[task.setvariable variable=PATH]x.Dockerfile", r"##vso\x5btask.setvariable variable=PATH]x.Dockerfile"),
    ("c1\x9b2J\u2028\u202egnp.Dockerfile", r"c1\x9b2J\u2028\u202egnp.Dockerfile"),
])
def test_d21_file_names_are_shown_not_obeyed(cli, tmp_path, name, shown):
    (tmp_path / name).write_text(ROOT_USER)
    run = cli("scan", "--select", "IG201", cwd=tmp_path)
    assert_inert(run.out)
    assert run.lines == [f"{shown}:2:6: IG201 [high] USER root runs the container as root (stage/0)", "Found 1 finding (1 high) in 1 file."]


def test_d21_terraform_labels_and_bicep_names(cli, tmp_path):
    (tmp_path / "main.tf").write_text('resource "azurerm_linux_function_app" "a\x1b[31mred" {\n  name = "x"\n  site_config {}\n}\n')
    (tmp_path / "app.bicep").write_text("resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: '\\u{1b}[2Jx'\n  kind: 'app'\n  properties: {}\n}\n")
    run = cli("scan", "--select", "IG505", cwd=tmp_path)
    assert_inert(run.out)
    assert run.lines[:2] == [
        r"app.bicep:1:1: IG505 [low] identity.type is not set, so the app has no managed identity (Microsoft.Web/sites/\x1b[2Jx)",
        r"main.tf:1:1: IG505 [low] identity is not set, so the app has no managed identity (azurerm_linux_function_app.a\x1b[31mred)",
    ]


def test_d21_diagnostics_and_suppression_reasons_are_escaped_too(cli, tmp_path):
    (tmp_path / "\x1b]0;t\x07.Dockerfile").write_text("FROM alpine\nFORM x\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n# iacguard:ignore IG201 -- ok\x1b[2K\nUSER root\n")
    run = cli("scan", "--select", "IG201", "--show-suppressed", cwd=tmp_path)
    assert_inert(run.out)
    assert run.lines == [
        r"\x1b]0;t\x07.Dockerfile:2:1: IG000 [error] cannot parse Dockerfile: unknown instruction 'FORM'",
        r"Dockerfile:3:6: IG201 [high] USER root runs the container as root (stage/0) [suppressed: ok\x1b[2K]",
        "No findings in 2 files; 1 suppressed (1 inline); 1 file incomplete (analysis did not finish).",
    ]


def test_colour_codes_of_our_own_stay(cli, tmp_path):
    (tmp_path / "\x1b[8mhidden.Dockerfile").write_text(ROOT_USER)
    run = cli("scan", "--select", "IG201", "--color", "always", cwd=tmp_path)
    assert_inert(run.out)
    assert run.lines[0].startswith("\x1b[1m" + r"\x1b[8mhidden.Dockerfile:2:6:" + "\x1b[0m ")


@pytest.mark.parametrize("text, shown", [
    ("plain: text::with colons", "plain: text::with colons"),
    ("tab\there", r"tab\there"),
    ("del\x7f", r"del\x7f"),
    ("\ud800lone", r"\ud800lone"),
    ("\udcff.tf", r"\udcff.tf"),
    ("\ufffe\uffff", r"\ufffe\uffff"),
    ("\u3000::x", "\u3000" + r"\x3a:x"),
    ("\t::x", r"\t::x"),
    ("a::b ##[c", r"a::b ##\x5bc"),
    ("##teamcity[buildStatus text='ok']", r"##teamcity\x5bbuildStatus text='ok']"),
    ("# [not] ## [commands]", "# [not] ## [commands]"),
])
def test_printable(text, shown):
    assert printable(text) == shown


def test_d22_junit_is_well_formed_with_control_characters(cli, tmp_path):
    (tmp_path / "ctl\x01.Dockerfile").write_text("FROM alpine\n")
    (tmp_path / "pod.yaml").write_text(POD)
    run = cli("scan", "--format", "junit", "--select", "IG101,IG203", cwd=tmp_path)
    root = ElementTree.fromstring(run.out)
    assert [suite.get("name") for suite in root] == [r"ctl\x01.Dockerfile", "pod.yaml"]
    failure = root.find("testsuite[@name='pod.yaml']/testcase/failure")
    assert failure.get("message") == "image nginx has no tag, so it means whatever `latest` is when pulled; pin a version or digest"
    assert r"(Pod/default/p\x1b[2J\x1b]0;pwned\x07/containers/c\n::error file=README.md,line=1::injected annotation\n)" in failure.text


def test_d22_junit_variant_xml_forbidden_characters_in_an_error(cli, tmp_path):
    """U+FFFE and U+FFFF are forbidden by XML too; here they reach an error message."""
    (tmp_path / "odd\x1f.Dockerfile").write_text("FROM alpine\nFORM\ufffe\uffff x\n")
    run = cli("scan", "--format", "junit", cwd=tmp_path)
    error = ElementTree.fromstring(run.out).find("testsuite/testcase/error")
    assert error.get("type") == "IG000"
    assert error.text == r"odd\x1f.Dockerfile:2: cannot parse Dockerfile: unknown instruction 'FORM\ufffe\uffff' (the file's analysis is incomplete)"


HELM = "---\n# Source: my chart/templates/pod #1 %zz.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n"


def sarif_uris(document: dict) -> list[str]:
    run = document["runs"][0]
    locations = [location for result in run.get("results", []) for location in result["locations"] + result.get("relatedLocations", [])]
    locations += [location for note in run["invocations"][0].get("toolExecutionNotifications", []) for location in note.get("locations", [])]
    return [location["physicalLocation"]["artifactLocation"]["uri"] for location in locations]


@pytest.mark.skipif(SARIF_SCHEMA is None, reason="shared/sarif-schema-2.1.0.json is not beside the repository")
def test_d23_helm_template_uris_are_percent_encoded(cli, tmp_path):
    (tmp_path / "out.yaml").write_text(HELM)
    document = json.loads(cli("scan", "--format", "sarif", "--select", "IG203", cwd=tmp_path).out)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(document)
    (result,) = document["runs"][0]["results"]
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "my%20chart/templates/pod%20%231%20%25zz.yaml"}
    assert result["relatedLocations"][0]["message"]["text"] == "rendered from the Helm template my chart/templates/pod #1 %zz.yaml"


@pytest.mark.skipif(SARIF_SCHEMA is None, reason="shared/sarif-schema-2.1.0.json is not beside the repository")
def test_d23_variant_every_uri_decodes_to_its_path(cli, tmp_path):
    """Primary locations, notifications and paths outside the working directory."""
    names = ["we #1 %zz?.Dockerfile", "ünï\x01cödé.Dockerfile", "broken #2.Dockerfile"]
    (tmp_path / "work").mkdir()
    (tmp_path / "out side").mkdir()
    for name in names[:2]:
        (tmp_path / "work" / name).write_text(ROOT_USER)
    (tmp_path / "work" / names[2]).write_text("FROM alpine\nFORM x\n")
    (tmp_path / "out side" / "far #3.Dockerfile").write_text(ROOT_USER)
    document = json.loads(cli("scan", "--format", "sarif", "--select", "IG201", ".", str(tmp_path / "out side"), cwd=tmp_path / "work").out)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(document)
    uris = sarif_uris(document)
    assert all(not urlsplit(uri).fragment and not urlsplit(uri).query for uri in uris)
    far = (tmp_path / "out side" / "far #3.Dockerfile").as_posix()
    assert sorted(map(unquote, uris)) == sorted([*names, "file://" + far])
    assert document["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (tmp_path / "work").as_uri() + "/"


def surrogate_result() -> ScanResult:
    """Lone surrogates where scanned text can put them: a path decoded from a name
    that is not UTF-8, `\\ud800` escapes in JSON and Bicep names."""
    registry = load_registry(autoload=False)
    policy = build_policy(registry, Config(root=None, select=("IG201",)))
    path = "bad\udcff.Dockerfile"
    resource = Resource("container", "Dockerfile", "stage/\ud800", "dockerfile", Location(path, 1), source_template="t\ud800.yaml")
    finding = Finding(policy.by_code("IG201"), "user \ud800 is root", Location(path, 2, 6), resource, "0" * 32)
    suppressed = Finding(policy.by_code("IG201"), "again", Location(path, 3, 6), resource, "1" * 32, Suppression("inline", None, "why \ud800", 2))
    diagnostic = Diagnostic("broken\ud800.json", 1, 1, "IG000", "cannot parse \ud800")
    return ScanResult(findings=[finding, suppressed], diagnostics=[diagnostic], files=[path, "broken\ud800.json"], policy=policy)


@pytest.mark.parametrize("name", ["text", "json", "sarif", "github", "junit"])
def test_lone_surrogates_cannot_stop_a_report(name):
    reporter = load_registry(autoload=False).reporters[name]
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="")
    reporter.render(surrogate_result(), out, ReportContext("0", show_suppressed=True))
    out.seek(0)
    text = out.read()
    if name == "json":
        jsonschema.validate(json.loads(text), REPORT_SCHEMA)
    elif name == "sarif":
        uris = sarif_uris(json.loads(text))
        assert uris[0] == "bad%FF.Dockerfile" and uris[1] == "t%5Cud800.yaml"
    elif name == "junit":
        ElementTree.fromstring(text)
    elif name == "github":
        assert not RAW_CONTROL.findall(text)
        assert text.splitlines()[0].endswith(r"::user \ud800 is root (stage/\ud800)")
    else:
        assert_inert(text)
        assert text.splitlines()[0] == r"bad\udcff.Dockerfile:2:6: IG201 [high] user \ud800 is root (stage/\ud800) from t\ud800.yaml"


BROKEN = "FROM alpine\nFORM x\n"


@pytest.fixture
def half_broken(tmp_path):
    (tmp_path / "a.Dockerfile").write_text(ROOT_USER)
    (tmp_path / "b.Dockerfile").write_text(BROKEN)
    return tmp_path


def test_incomplete_files_in_text_and_github(cli, half_broken):
    text = cli("scan", "--select", "IG201", cwd=half_broken)
    assert text.code == 4
    assert text.lines[-1] == "Found 1 finding (1 high) in 2 files; 1 file incomplete (analysis did not finish)."
    github = cli("scan", "--format", "github", "--select", "IG201", cwd=half_broken)
    assert "::error file=b.Dockerfile,line=2,col=1,title=IG000::cannot parse Dockerfile: unknown instruction 'FORM' (the file's analysis is incomplete)" in github.lines


def test_incomplete_files_in_json(cli, half_broken):
    (half_broken / "c.Dockerfile").write_text(BROKEN)
    document = json.loads(cli("scan", "--format", "json", "--select", "IG201", cwd=half_broken).out)
    jsonschema.validate(document, REPORT_SCHEMA)
    assert document["summary"]["incomplete"] == ["b.Dockerfile", "c.Dockerfile"]
    assert cli("scan", cwd=half_broken).lines[-1].endswith("; 2 files incomplete (analysis did not finish).")


def test_incomplete_files_in_sarif(cli, half_broken):
    run = json.loads(cli("scan", "--format", "sarif", "--select", "IG201", cwd=half_broken).out)["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"] == "b.Dockerfile: cannot parse Dockerfile: unknown instruction 'FORM' (the file's analysis is incomplete)"
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "b.Dockerfile", "uriBaseId": "%SRCROOT%"}


def test_incomplete_files_in_junit(cli, half_broken):
    root = ElementTree.fromstring(cli("scan", "--format", "junit", "--select", "IG201", cwd=half_broken).out)
    assert root.get("errors") == "1"
    error = root.find("testsuite[@name='b.Dockerfile']/testcase/error")
    assert (error.get("type"), error.get("message")) == ("IG000", "cannot parse Dockerfile: unknown instruction 'FORM' (the file's analysis is incomplete)")


def test_warnings_leave_a_file_complete(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n# iacguard:ignore IG998 -- no such rule\nUSER root\n")
    text = cli("scan", "--select", "IG201", cwd=tmp_path)
    assert (text.code, text.lines[-1]) == (1, "Found 1 finding (1 high) in 1 file.")
    document = json.loads(cli("scan", "--format", "json", "--select", "IG201", cwd=tmp_path).out)
    assert document["summary"]["incomplete"] == [] and document["warnings"]
    sarif = json.loads(cli("scan", "--format", "sarif", "--select", "IG201", cwd=tmp_path).out)
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_suppressions_are_counted_by_kind(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text(
        "# iacguard:ignore-file IG101 -- the build pins the base\nFROM alpine\n# iacguard:ignore IG304 -- bastion\nEXPOSE 22\nUSER root\n"
    )
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n  annotations:\n    iacguard.io/ignore: IG401\n"
        "spec:\n  hostNetwork: true\n  containers: [{name: c, image: 'a:1'}]\n"
    )
    selection = ("--select", "IG101,IG201,IG304,IG401")
    cli("scan", *selection, "--write-baseline", "baseline.json", cwd=tmp_path)
    run = cli("scan", *selection, "--baseline", "baseline.json", cwd=tmp_path)
    assert run.lines == ["No findings in 2 files; 5 suppressed (1 annotation, 2 baseline, 1 file, 1 inline)."]
    document = json.loads(cli("scan", "--format", "json", *selection, "--baseline", "baseline.json", cwd=tmp_path).out)
    jsonschema.validate(document, REPORT_SCHEMA)
    assert document["summary"]["suppressed"] == 5
    assert document["summary"]["suppressed_by_kind"] == {"annotation": 1, "baseline": 2, "file": 1, "inline": 1}


def test_suppression_counts_variant_arm_metadata_and_none(cli, tmp_path):
    site = {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "quiet", "location": "westeurope",
            "metadata": {"iacguard": {"ignore": ["IG505"], "reason": "internal tool"}}, "properties": {}}
    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": [site]}
    (tmp_path / "azuredeploy.json").write_text(json.dumps(template))
    assert cli("scan", "--select", "IG505", cwd=tmp_path).lines == ["No findings in 1 file; 1 suppressed (1 metadata)."]
    document = json.loads(cli("scan", "--format", "json", "--select", "IG201", cwd=tmp_path).out)
    assert (document["summary"]["suppressed"], document["summary"]["suppressed_by_kind"]) == (0, {})


CREDENTIAL_SOURCES = {
    "main.tf": 'module "net" {\n  source = "git::https://deploy:ghp_s3cretToken@github.com/org/net.git?ref=v1"\n}\n',
    "compose.yaml": "services:\n  web:\n    build: https://ci:glpat-s3cretToken@gitlab.example.com/org/web.git\n",
}


@pytest.mark.parametrize("name", sorted(CREDENTIAL_SOURCES))
@pytest.mark.parametrize("output", ["text", "json", "sarif", "github", "junit"])
def test_a_token_in_a_remote_source_is_masked_in_every_output(cli, tmp_path, name, output):
    """A module source or build context written with a user and token (a common way
    to reach a private repository) is quoted by the "not fetched" note; the token
    must reach no CI log and no SARIF upload."""
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(CREDENTIAL_SOURCES[name])
    result = cli("scan", "--no-cache", "-v", "-f", output, name, cwd=tmp_path)
    both = result.out + result.err
    assert "s3cretToken" not in both
    if output != "junit":  # JUnit has no place for notes
        assert "IG006" in both and "***@" in both
