"""The pre-commit hook, run by the real pre-commit tool against this repository.

`pre-commit try-repo` installs iacguard from this checkout (uncommitted changes
included) into its own environment, which needs pip to reach PyPI for the
dependencies, as any pre-commit user's first run does. The dependency test runs
offline instead: a `repo: local` hook with the published hook's settings, whose
entry is the iacguard installed beside this interpreter (`language: system`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iacguard.helm.render import find_renderer
from support import DEPENDENCY_CHANGES, DEPENDENTS, ROOT, apply_change

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD_DOCKERFILE = "FROM alpine:3.20\nEXPOSE 22\n"
GOOD_DOCKERFILE = "FROM alpine:3.20\nEXPOSE 8080\nHEALTHCHECK CMD true\nUSER 10001\n"
BAD_MANIFEST = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  hostNetwork: true\n  containers: []\n"
GOOD_MANIFEST = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  automountServiceAccountToken: false\n  containers: []\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=iacguard tests", "-c", "user.email=tests@example.com", *args], cwd=repo, check=True, capture_output=True)


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("IACGUARD_", "PRE_COMMIT"))}
    environment["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "iacguard", "--all-files"],
        cwd=repo, capture_output=True, text=True, env=environment, timeout=600,
    )


def commit(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).write_text(text)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", message)


def test_hook_fails_on_findings_and_passes_after_the_fix(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, {"Dockerfile": BAD_DOCKERFILE, "pod.yaml": BAD_MANIFEST, "README.md": "not scanned\n"}, "bad")

    failing = try_repo(repo, tmp_path / "pre-commit-home")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "Dockerfile:2:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)" in failing.stdout
    assert "pod.yaml:5:16: IG401 [high] hostNetwork: true shares the node's namespace with the pod (Pod/n/p)" in failing.stdout

    config = "select: [IG304, IG401, IG403, IG201]\n"
    commit(repo, {"Dockerfile": GOOD_DOCKERFILE, "pod.yaml": GOOD_MANIFEST, ".iacguard.yaml": config}, "fixed")
    passing = try_repo(repo, tmp_path / "pre-commit-home")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


def test_hook_fails_on_a_broken_manifest_and_takes_option_like_names_as_files(tmp_path):
    """The hook's entry ends in `--`: a staged file named like an option is scanned as
    a file, never read as an option that writes a report over a scanned file."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    main_tf = 'resource "azurerm_linux_web_app" "app" {\n  name       = "app"\n  https_only = false\n}\n'
    commit(repo, {"main.tf": main_tf, "--output=main.tf": main_tf, "broken.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n",
                  ".iacguard.yaml": "select: [IG501]\n"}, "hostile")

    run = try_repo(repo, tmp_path / "pre-commit-home")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "broken.yaml:4:1: IG000 [error] cannot parse Kubernetes" in run.stdout
    assert "--output=main.tf:3:16: IG501 [high] https_only is false, so the app also serves plain HTTP (azurerm_linux_web_app.app)" in run.stdout
    assert (repo / "main.tf").read_text() == main_tf


def test_hook_output_is_one_sorted_report_with_one_summary(tmp_path):
    """Without `require_serial`, pre-commit splits the staged files over one run per
    core (more than four files are enough) and shuffles them: several reports, each
    with its own summary. The hook is serial, so there is one of each, sorted."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, {f"svc{number:02d}.Dockerfile": BAD_DOCKERFILE for number in range(12)}, "twelve images")

    run = try_repo(repo, tmp_path / "pre-commit-home")
    assert run.returncode == 1, run.stdout + run.stderr
    findings = [line for line in run.stdout.splitlines() if ".Dockerfile:" in line]
    assert len(findings) == 24 and findings == sorted(findings)
    summaries = [line for line in run.stdout.splitlines() if line.startswith(("Found ", "No findings"))]
    assert summaries == ["Found 24 findings (12 high, 12 medium) in 12 files."]


def local_hook_config() -> str:
    """`.pre-commit-config.yaml` with the published hook as a local one, run by the
    installed iacguard: no network, no environment to build."""
    import yaml  # pre-commit's own dependency

    hook, = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    program = Path(sys.executable).with_name("iacguard")
    assert program.is_file(), "iacguard is not installed beside the interpreter"
    hook.update(entry=hook["entry"].replace("iacguard", str(program), 1), language="system")
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]})


def run_hook(repo: Path, home: Path, *options: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("IACGUARD_", "PRE_COMMIT"))}
    environment.update(PRE_COMMIT_HOME=str(home), IACGUARD_NO_CACHE="1")
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", *options], cwd=repo, capture_output=True, text=True, env=environment, timeout=300)


def test_each_dependency_alone_fails_the_hook(tmp_path):
    """A commit that changes only a var file, `variables.tf`, a module, a parameter
    file, a Kustomize patch or base, or a chart's values fails when the file that
    uses it becomes insecure; the same files unchanged pass."""
    repo = tmp_path / "repo"
    shutil.copytree(DEPENDENTS, repo)
    (repo / ".pre-commit-config.yaml").write_text(local_hook_config())
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "secure")
    home = tmp_path / "pre-commit-home"
    passing = run_hook(repo, home, "--all-files")
    assert passing.returncode == 0, passing.stdout + passing.stderr

    changes = [change for change in DEPENDENCY_CHANGES if change.kind != "helm-values" or find_renderer() is not None]
    for change in changes:
        apply_change(repo, change)
        git(repo, "add", change.changed)
        failing = run_hook(repo, home)
        assert failing.returncode == 1, (change.kind, failing.stdout + failing.stderr)
        assert change.finding in failing.stdout, (change.kind, failing.stdout)
        git(repo, "reset", "-q", "--hard")
