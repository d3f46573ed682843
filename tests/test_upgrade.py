"""Upgrades keep users' baselines: fingerprint versions and the aliases of split rules.

`testdata/upgrade/baseline.json` was written by iacguard before the rule changes of
0.2.0 (fingerprint version 1). It must still cover every finding that did not change;
`CHANGED` lists the findings an upgrade reports anew on purpose, each with its reason.
"""

import json
import shutil
from pathlib import Path

import pytest

from iacguard import problem, rule
from iacguard.baseline import apply_baseline, baseline_text, load_baseline
from iacguard.config import Config
from iacguard.discovery import Discovery
from iacguard.errors import ConfigError
from iacguard.formats import ScanContext
from iacguard.plugins import load_registry
from iacguard.policy import build_policy
from iacguard.runner import FINGERPRINT_VERSION, scan

from support import TESTDATA, RulesPlugin

UPGRADE = TESTDATA / "upgrade"

# Findings that a baseline of version 1 no longer covers, and why (none yet).
CHANGED: set[str] = set()
# Findings of that baseline that are no longer reported, and why.
DROPPED = {
    "app/Dockerfile: IG212 (stage/1)": "HEALTHCHECK is checked only with dockerfile_healthcheck",
    "app/worker.Dockerfile: IG212 (stage/0)": "HEALTHCHECK is checked only with dockerfile_healthcheck",
    "deploy/web.yaml: IG212 (Deployment/default/web/containers/proxy)": "the proxy declares no port",
    "deploy/web.yaml: IG206 (Deployment/default/web/containers/proxy)": "off by default",
    "deploy/web.yaml: IG206 (Deployment/default/web/containers/web)": "off by default",
    "deploy/web.yaml: IG209 (Deployment/default/web/containers/proxy)": "off by default",
    "deploy/web.yaml: IG209 (Deployment/default/web/containers/web)": "off by default",
    "deploy/web.yaml: IG403 (Deployment/default/web)": "off by default",
    "deploy/web.yaml: IG407 (Deployment/default/web/containers/proxy)": "off by default",
    "deploy/web.yaml: IG404 (Deployment/default/web)": "a missing namespace is chosen at deployment",
    **dict.fromkeys([f"infra/modules/site/main.tf: {code} (azurerm_linux_web_app.this)" for code in ("IG503", "IG505", "IG506", "IG507")],
                    "the module's file scanned on its own repeated what its caller infra/main.tf reports"),
}


def _named(finding: dict) -> str:
    return f"{finding['path']}: {finding['rule']} ({finding['resource']})"


def _named_anywhere(finding: dict) -> set[str]:
    """A current finding under its own file and under each file it passed through: a
    finding through a module that moved to the caller's argument is still reported."""
    places = {finding["path"], *(related["path"] for related in finding["related"])}
    return {_named({**finding, "path": place}) for place in places}


def test_a_baseline_written_before_the_upgrade_covers_the_unchanged_findings(cli):
    recorded = json.loads((UPGRADE / "baseline.json").read_text())
    assert "fingerprint_version" not in recorded  # written by the previous version
    run = cli("scan", "--no-cache", "--format", "json", "--baseline", "baseline.json", ".", cwd=UPGRADE)
    document = json.loads(run.out)
    active = {f"{f['path']}:{f['line']}: {f['rule']} ({f['resource']})" for f in document["findings"] if f["suppression"] is None}
    assert active == CHANGED
    reported = set().union(*map(_named_anywhere, document["findings"]))
    assert {_named(f) for f in recorded["findings"]} - reported == set(DROPPED)
    assert document["summary"]["suppressed_by_kind"]["baseline"] >= len(recorded["findings"]) - len(CHANGED) - len(DROPPED)


def test_a_baseline_written_before_findings_moved_to_the_callers_argument_still_covers_them(cli):
    """Version 1 located a value a module's caller decided at the module's line; each
    finding keeps that location's fingerprint as its previous one."""
    folder = TESTDATA / "modules"
    recorded = json.loads((folder / "baseline.json").read_text())
    assert "fingerprint_version" not in recorded
    document = json.loads(cli("scan", "--no-cache", "--format", "json", "--baseline", "baseline.json", ".", cwd=folder).out)
    moved = [f for f in document["findings"] if f["related"]]
    assert {(f["path"], f["line"]) for f in moved} >= {("terraform/main.tf", 3), ("terraform/modules/app/variables.tf", 2), ("bicep/main.bicep", 18)}
    assert [f for f in document["findings"] if f["suppression"] is None] == []
    # A module's file scanned on its own (or a nested module's caller) no longer repeats
    # what an outer caller reports for the same resource: those entries are fixed.
    repeats = [f for f in recorded["findings"] if any(
        other["rule"] == f["rule"] and other["resource"].startswith("module.") and other["resource"].endswith("." + f["resource"])
        for other in recorded["findings"])]
    assert len(repeats) == 12
    assert document["summary"]["suppressed_by_kind"] == {"baseline": len(recorded["findings"]) - len(repeats)}


def test_a_baseline_of_version_1_covers_no_compose_finding_wherever_the_service_s_head_stands(cli, tmp_path):
    """0.1.x read no Compose file: the baseline it wrote for this project (0.1.0's
    output, kept as it wrote it) records the Dockerfile's finding only. It still
    covers that one; the service's findings, located since at the head of the
    service in the file that defines it rather than in the override file, were never
    covered by a baseline of version 1, before that move or after it."""
    (tmp_path / "Dockerfile").write_text("FROM nginx:1.27\n")
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    build: .\n    read_only: true\n")
    (tmp_path / "compose.override.yaml").write_text("services:\n  web:\n    environment:\n      MODE: dev\n")
    (tmp_path / "baseline.json").write_text(json.dumps({"version": 1, "tool": {"name": "iacguard", "version": "0.1.0"}, "findings": [
        {"fingerprint": "2e5caa28ae45e4caa3775cf993c06f84", "rule": "IG201", "path": "Dockerfile", "resource": "stage/0",
         "message": "the final stage sets no USER, so the image runs as root"},
    ]}))
    run = cli("scan", "--no-cache", "--select", "IG201,IG203", "--format", "json", "--baseline", "baseline.json", ".", cwd=tmp_path)
    reported = [(f["path"], f["line"], f["column"], f["rule"], f["resource"], f["suppression"] and f["suppression"]["kind"]) for f in json.loads(run.out)["findings"]]
    assert reported == [
        ("Dockerfile", 1, 1, "IG201", "stage/0", "baseline"),
        ("compose.yaml", 2, 3, "IG201", "services/web", None),
        ("compose.yaml", 2, 3, "IG203", "services/web", None),
    ]


def test_a_rewritten_baseline_has_the_current_version_and_covers_everything(cli, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(UPGRADE, project)
    written = cli("scan", "--no-cache", "--write-baseline", "new.json", ".", cwd=project)
    assert written.code == 0
    assert json.loads((project / "new.json").read_text())["fingerprint_version"] == FINGERPRINT_VERSION
    run = cli("scan", "--no-cache", "--baseline", "new.json", ".", cwd=project)
    assert run.code == 0 and run.lines[-1].startswith("No findings in 7 files")


def test_a_baseline_of_an_unknown_fingerprint_version_is_refused(cli, tmp_path):
    document = json.loads((UPGRADE / "baseline.json").read_text()) | {"fingerprint_version": FINGERPRINT_VERSION + 1}
    (tmp_path / "future.json").write_text(json.dumps(document))
    with pytest.raises(ConfigError, match="fingerprint version 3; this iacguard reads versions 1 and 2"):
        load_baseline(tmp_path / "future.json")


# A rule that bundled two checks, and the same checks after a split: TST001 keeps its
# code for one check, TST002 takes the other and answers to TST001 as well.
def _make(code, name, words, aliases=()):
    def check(resource, options):
        """Doc."""
        for step in resource.value("runs") or ():
            for word in words:
                if word in step.script:
                    yield problem(step.location, f"{word} found")

    return rule(code=code, name=name, severity="low", kinds=("image_build",), aliases=aliases)(check)


BEFORE = (_make("TST001", "bundled-check", ("alpha", "beta")),)
AFTER = (_make("TST001", "alpha-check", ("alpha",)), _make("TST002", "beta-check", ("beta",), aliases=("TST001",)))


def _scan(rules, folder: Path, **config):
    registry = load_registry(autoload=False, extra_plugins=(RulesPlugin(*rules),))
    policy = build_policy(registry, Config(root=folder, select=config.pop("select", ("TST001",)), **config))
    discovery = Discovery(list(registry.formats.values()), folder, folder, scan_root=folder)
    targets = list(discovery.targets([str(folder)]))
    return scan(targets, registry, policy, ScanContext(root=folder))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project scanned from its root, as the command is run there: shown paths are
    relative to the working folder."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nRUN echo alpha beta\nRUN echo beta\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_old_code_selects_ignores_and_configures_every_split_rule(project):
    assert sorted(f.code for f in _scan(AFTER, project).findings) == ["TST001", "TST002", "TST002"]
    assert [f.code for f in _scan(AFTER, project, select=("beta-check",)).findings] == ["TST002", "TST002"]
    assert _scan(AFTER, project, ignore=("TST001",)).findings == []
    assert {f.severity for f in _scan(AFTER, project, severity={"TST001": "high"}).findings} == {"high"}


def test_a_suppression_of_the_old_code_covers_every_split_rule(project):
    (project / "Dockerfile").write_text("FROM alpine:3.20\n# iacguard:ignore TST001 -- both words are fine here\nRUN echo alpha beta\nRUN echo beta\n")
    findings = _scan(AFTER, project).findings
    assert [(f.code, f.location.line, f.suppression is not None) for f in sorted(findings, key=lambda f: f.location.line)] == [
        ("TST001", 3, True), ("TST002", 3, True), ("TST002", 4, False),
    ]


def test_a_baseline_of_the_bundled_rule_covers_the_split_rules_and_only_them(project):
    before = _scan(BEFORE, project)
    text, count = baseline_text(before)
    document = json.loads(text)
    document.pop("fingerprint_version")  # as the previous version wrote it
    (project / "old.json").write_text(json.dumps(document))
    after = _scan(AFTER, project)
    assert apply_baseline(after, load_baseline(project / "old.json"), project / "old.json") == count == 3

    # A baseline of the current version is matched on current fingerprints only: one
    # that records TST001's finding does not cover TST002's on the same line.
    (project / "new.json").write_text(baseline_text(_scan(AFTER, project, select=("alpha-check",)))[0])
    again = _scan(AFTER, project)
    apply_baseline(again, load_baseline(project / "new.json"), project / "new.json")
    assert sorted((f.code, f.location.line) for f in again.active_findings) == [("TST002", 2), ("TST002", 3)]


def test_an_alias_may_not_take_another_plugins_rule():
    with pytest.raises(ConfigError, match="takes IG201 as an alias, but IG201 is a rule of plugin 'builtin'"):
        load_registry(autoload=False, extra_plugins=(RulesPlugin(_make("TST003", "thief", ("x",), aliases=("IG201",))),))
    with pytest.raises(ConfigError, match="takes container-runs-as-root as an alias, but container-runs-as-root is a rule of plugin 'builtin'"):
        load_registry(autoload=False, extra_plugins=(RulesPlugin(_make("TST003", "thief", ("x",), aliases=("container-runs-as-root",))),))


# The same split where the rule that keeps the code is renamed: the old name answers
# for both, as the old code does, and is no code, so fingerprints keep the code.
RENAMED = (
    _make("TST001", "alpha-check", ("alpha",), aliases=("bundled-check",)),
    _make("TST002", "beta-check", ("beta",), aliases=("TST001", "bundled-check")),
)


def test_an_old_name_selects_and_ignores_every_split_rule(project):
    assert sorted(f.code for f in _scan(RENAMED, project, select=("bundled-check",)).findings) == ["TST001", "TST002", "TST002"]
    assert _scan(RENAMED, project, ignore=("bundled-check",)).findings == []
    assert [rule.previous_code for rule in RENAMED] == ["TST001", "TST001"]
    with pytest.raises(ValueError, match="must be other codes like IG201 or names"):
        _make("TST004", "delta-check", ("delta",), aliases=("delta-check",))


def test_each_check_of_a_split_rule_is_ignored_on_its_own(cli):
    def codes(*options):
        run = cli("scan", "--no-cache", "--format", "json", *options, "app/Dockerfile", "deploy/web.yaml", cwd=UPGRADE)
        return sorted({finding["rule"] for finding in json.loads(run.out)["findings"]} & SPLIT)

    SPLIT = {"IG208", "IG215", "IG305", "IG308", "IG311", "IG312", "IG313", "IG314"}
    assert codes() == sorted(SPLIT)
    assert codes("--ignore", "IG311", "--ignore", "IG313") == ["IG208", "IG215", "IG305", "IG308", "IG312", "IG314"]
    assert codes("--ignore", "IG305") == ["IG208", "IG215", "IG308", "IG312", "IG313", "IG314"]
    # the rule that kept the code is named alone by its name
    assert codes("--ignore", "package-cache-left", "--ignore", "cpu-request-missing") == ["IG215", "IG308", "IG311", "IG312", "IG313", "IG314"]
    assert codes("--ignore", "package-install-hygiene", "--ignore", "resource-requests-missing") == ["IG305", "IG311"]
    assert codes("--select", "IG308") == ["IG308", "IG312", "IG313", "IG314"]
    explained = cli("explain", "package-install-hygiene", cwd=UPGRADE)
    assert explained.code == 0 and "IG308 package-install-interactive, IG312 apt-instead-of-apt-get" in explained.out
