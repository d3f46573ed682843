"""GitHub annotations, JUnit XML, and the JSON report's layout."""

import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iacguard.reporters.json import indented, write_indented

DOCKERFILE = "FROM alpine:3.20\nEXPOSE 22, 80\n# iacguard:ignore IG304 -- bastion\nEXPOSE 22\nFORM\n"


def test_github_annotations(cli, tmp_path):
    (tmp_path / "a.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\nUSER root\n")
    (tmp_path / "b.Dockerfile").write_text("FROM alpine\nFORM x\n")
    run = cli("scan", "--format", "github", "--select", "IG201,IG304", cwd=tmp_path)
    assert run.lines == [
        "::warning file=a.Dockerfile,line=2,col=8,endLine=2,endColumn=10,title=IG304 ssh-port-exposed [medium]::EXPOSE 22 publishes the SSH port (stage/0)",
        "::error file=a.Dockerfile,line=3,col=6,endLine=3,endColumn=10,title=IG201 container-runs-as-root [high]::USER root runs the container as root (stage/0)",
        "::error file=b.Dockerfile,line=2,col=1,title=IG000::cannot parse Dockerfile: unknown instruction 'FORM' (the file's analysis is incomplete)",
        "Found 2 findings (1 high, 1 medium) in 2 files; 1 file incomplete (analysis did not finish).",
    ]


def test_github_escapes_properties_and_data(cli, tmp_path):
    (tmp_path / "we,ird:name.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    run = cli("scan", "--format", "github", "--select", "IG304", cwd=tmp_path)
    assert run.lines[0].startswith("::warning file=we%2Cird%3Aname.Dockerfile,line=2,")


def test_junit_cases_per_rule_and_resource(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM golang:1.22 AS build\nEXPOSE 22\nFROM alpine:3.20\nEXPOSE 22\n# iacguard:ignore IG201 -- reviewed\nUSER root\n")
    (tmp_path / "broken.Dockerfile").write_text("FROM alpine\nFORM x\n")
    run = cli("scan", "--format", "junit", "--select", "IG201,IG304", cwd=tmp_path)
    root = ElementTree.fromstring(run.out)
    # The builder stage gets no IG201 case: runtime rules only check what ships.
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "2", "1")
    suite = root.find("testsuite[@name='Dockerfile']")
    cases = [(case.get("classname"), case.get("name"), case.find("failure") is not None) for case in suite]
    assert cases == [
        ("Dockerfile.stage/build", "IG304 ssh-port-exposed", True),
        ("Dockerfile.stage/1", "IG201 container-runs-as-root", False),
        ("Dockerfile.stage/1", "IG304 ssh-port-exposed", True),
    ]
    failure = suite.find("testcase/failure")
    assert failure.get("type") == "medium" and failure.text == "Dockerfile:2:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/build)"
    error = root.find("testsuite[@name='broken.Dockerfile']/testcase/error")
    assert error.get("type") == "IG000"


def test_junit_counts_a_failure_for_a_finding_in_another_file(cli, tmp_path):
    """A finding through a module points into the module's file: it fails the check of
    the caller that made it, as the summary counts it."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "mods" / "web").mkdir(parents=True)
    (tmp_path / "mods" / "web" / "main.tf").write_text('variable "https" { default = true }\nresource "azurerm_linux_web_app" "this" {\n'
                                                       '  https_only = var.https\n  site_config {}\n}\n')
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "main.tf").write_text('module "web" {\n  source = "../mods/web"\n  https  = false\n}\n')
    root = ElementTree.fromstring(cli("scan", "--format", "junit", "--select", "IG501,IG505", "env", cwd=tmp_path).out)
    failed = [(suite.get("name"), case.get("name"), case.find("failure").text.split(": ")[0])
              for suite in root for case in suite if case.find("failure") is not None]
    assert root.get("failures") == "2" and failed == [
        ("env/main.tf", "IG501 app-allows-http", "env/main.tf:3:12"),
        ("env/main.tf", "IG505 app-no-managed-identity", "mods/web/main.tf:2:1"),
    ]


_JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda children: st.lists(children, max_size=4) | st.tuples(children) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    | st.dictionaries(st.integers() | st.booleans() | st.none(), children, max_size=2),
    max_leaves=30,
)


def assert_laid_out_as_json_dumps(value):
    """Whole and written piece by piece, at any depth."""
    expected = json.dumps(value, indent=2)
    assert indented(value) == expected
    for depth in (0, 1, 2, 3):
        out = io.StringIO()
        write_indented(value, out, depth=depth)
        assert out.getvalue() == expected


@given(_JSON_VALUES)
def test_the_json_report_is_laid_out_as_json_dumps_lays_it_out(value):
    assert_laid_out_as_json_dumps(value)


@pytest.mark.parametrize("value", [
    {"findings": [], "errors": {}, "summary": {"by_rule": {}, "nested": [[], [{}], {"a": [{"b": None}]}]}},
    {"message": "caf\u00e9 \u2028 \U0001f600 \ud800 \x00 \"quoted\" \\ back\nslash", "ratio": 0.5, "nan": float("nan")},
    [True, False, None, -1, 10**30, "", {1: "int key", None: "null key"}],
])
def test_the_json_report_layout_of_non_ascii_nested_and_empty_values(value):
    assert_laid_out_as_json_dumps(value)
