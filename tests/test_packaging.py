"""The wheel, a fresh virtual environment, and a real third-party plugin.

Builds iacguard's wheel, installs it with the example plugin from `plugins/` into a
new virtual environment, and checks from the outside that every built-in rule ships
and that the plugin's rule fires through the normal CLI. The wheel is built from a
copy of the container image's build context (what `.dockerignore` sends), so these
checks also show that the image's `pip install` gets everything iacguard needs. Needs
pip to reach PyPI for the dependencies, as any installation does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from support import ROOT, TESTDATA, docker_context


PLUGIN = ROOT / "plugins" / "iacguard-oci-labels"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("packaging")
    wheels = work / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(docker_context(work / "context"))],
        check=True,
    )
    environment = work / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    wheel = next(wheels.glob("iacguard_lint-*.whl"))
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel), f"{PLUGIN}[test]"], check=True)
    return environment


def run(environment: Path, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run a program of the environment with plugin autoloading on unless `env` says otherwise."""
    variables = {key: value for key, value in os.environ.items() if key not in ("IACGUARD_DISABLE_PLUGIN_AUTOLOAD", "IACGUARD_NO_CACHE")}
    return subprocess.run([environment / "bin" / args[0], *args[1:]], cwd=cwd, capture_output=True, text=True, env=variables | env)


def test_wheel_ships_every_built_in_rule(installed):
    expected = sorted(folder.name for folder in TESTDATA.glob("IG*"))
    script = "from iacguard.builtin import defined_rules; print(' '.join(r.code for _, r in defined_rules()))"
    result = run(installed, "python", "-c", script, cwd=installed)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected
    location = run(installed, "python", "-c", "import iacguard.rules; print(iacguard.rules.__file__)", cwd=installed)
    assert "site-packages" in location.stdout


def test_plugin_rule_fires_through_the_cli(installed, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER 10001\n")
    result = run(installed, "iacguard", "scan", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "Dockerfile:1:1: ORG101 [low] the shipped image has no org.opencontainers.image.source label (stage/0)",
        "Found 1 finding (1 low) in 1 file.",
    ]
    (tmp_path / "Dockerfile").write_text(
        'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://example.com/acme/orders"\n'
        "HEALTHCHECK CMD true\nUSER 10001\n"
    )
    assert run(installed, "iacguard", "scan", cwd=tmp_path).returncode == 0
    listing = run(installed, "iacguard", "rules", "--format", "json", cwd=tmp_path)
    assert '"plugin": "oci_labels"' in listing.stdout


def test_the_plugin_passes_its_own_tests(installed):
    """They check its rules against its fixtures with `iacguard.testing`, as a plugin
    author runs them: with the plugin installed."""
    result = run(installed, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=PLUGIN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def test_plugins_can_be_switched_off(installed, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER 10001\n")
    result = run(installed, "iacguard", "scan", cwd=tmp_path, IACGUARD_DISABLE_PLUGIN_AUTOLOAD="1")
    assert result.returncode == 0 and result.stdout == "No findings in 1 file.\n"


def test_installs_under_our_distribution_name(installed):
    """The package index's `iacguard` is another project: ours is `iacguard-lint`,
    and the version it reports is the package's own."""
    script = "import importlib.metadata, iacguard; print(importlib.metadata.version('iacguard-lint'), iacguard.__version__)"
    result = run(installed, "python", "-c", script, cwd=installed)
    assert result.returncode == 0, result.stderr
    distribution_version, package_version = result.stdout.split()
    assert distribution_version == package_version


def test_install_lines_and_release_tag_name_our_package():
    """Every install line names `iacguard-lint`; the pre-commit snippet's `rev` is the
    tag of the current version, which the CHANGELOG describes."""
    from iacguard import __version__

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r"pip install (\S+)", readme)
    assert "iacguard-lint" in installs and "iacguard" not in installs
    assert re.findall(r"^\s+rev: (\S+)$", readme, re.M) == [f"v{__version__}"]
    assert f"## {__version__} " in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    plugin = (PLUGIN / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dependencies = ["iacguard-lint"]' in plugin
