"""Paths and helpers shared by the tests (importable: pytest puts tests/ on sys.path)."""

import importlib.util
import shutil
import signal
import sqlite3
import sys
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from iacguard import hookimpl
from iacguard.cache import FORMAT_VERSION

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"


def cache_entries(folder: Path) -> dict[str, bytes]:
    """Every entry of the result caches under `folder` (the user's cache folder, or a
    `--cache-dir`), by key (`results/<hash>`)."""
    found = {}
    for store in sorted(folder.glob(f"**/v{FORMAT_VERSION}/entries.sqlite")):
        with closing(sqlite3.connect(store)) as connection:
            try:
                found.update(connection.execute("SELECT key, value FROM entries"))
            except sqlite3.OperationalError:  # made by a run that has not made its table yet
                pass
    return found


def write_cache_entry(folder: Path, key: str, value: bytes) -> None:
    """Replace the entry `key` of the one result cache under `folder` as an attacker
    with access to the file would."""
    [store] = folder.glob(f"**/v{FORMAT_VERSION}/entries.sqlite")
    with closing(sqlite3.connect(store)) as connection, connection:
        connection.execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (key, value))


def load_script(name: str):
    """A module of scripts/ (not a package), imported by its path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class RulesPlugin:
    """A plugin object contributing the given rules, for in-process registries."""

    def __init__(self, *rules):
        self.rules = rules

    @hookimpl
    def iacguard_rules(self):
        return list(self.rules)


def refusals(run) -> list[str]:
    """The refused dependencies (IG005) of a text report, as printed."""
    return [line for line in run.lines if " IG005 " in line]


def with_modules(folder: Path, fmt: str, callers: dict[str, str]) -> None:
    """The modules of `testdata/modules/<fmt>` copied into `folder`, and the files
    `callers` (name: text) written beside them."""
    shutil.copytree(TESTDATA / "modules" / fmt / "modules", folder / "modules")
    for name, text in callers.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def docker_context_entries() -> tuple[list[str], list[str]]:
    """What `.dockerignore` lets `docker build .` send: the names it admits and the
    patterns it leaves out inside them. The file is an allowlist (`*`, then `!NAME` per
    file or folder, then `**/PATTERN`); any other line fails here, so a reading this
    small never disagrees with Docker's."""
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    assert lines[0] == "*", ".dockerignore must start by leaving everything out"
    admitted = [line[1:] for line in lines[1:] if line.startswith("!")]
    left_out = [line[3:] for line in lines[1:] if line.startswith("**/")]
    assert len(admitted) + len(left_out) == len(lines) - 1, f"unexpected .dockerignore lines: {lines}"
    return admitted, left_out


def docker_context(destination: Path) -> Path:
    """A copy of the container image's build context in `destination`."""
    admitted, left_out = docker_context_entries()
    destination.mkdir(parents=True, exist_ok=True)
    for name in admitted:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns(*left_out))
        else:
            shutil.copy2(source, destination / name)
    return destination


DEPENDENTS = TESTDATA / "dependents"


@dataclass(frozen=True)
class DependencyChange:
    """In the repository `testdata/dependents`, an edit of one file that another file
    reads, which makes that other file (or the build it is part of) insecure; what a
    scan of the changed file alone reports then, and why `-v` says it checked more."""

    kind: str
    changed: str
    old: str
    new: str
    finding: str
    reason: str


DEPENDENCY_CHANGES = [
    DependencyChange("tfvars", "tfvars/terraform.tfvars", "true", "false",
                     "tfvars/main.tf:6:25: IG501", "also checking tfvars/main.tf: Terraform loads tfvars/terraform.tfvars for its folder"),
    DependencyChange("variables.tf", "variables/variables.tf", "true", "false",
                     "variables/main.tf:6:25: IG501", "also checking variables/main.tf: it shares the variables and locals of variables/variables.tf"),
    DependencyChange("terraform-module", "module/modules/web/main.tf", "https_only          = true", "https_only          = var.https_only",
                     "module/envs/prod/main.tf:3:16: IG501", "also checking module/envs/prod/main.tf: it calls module/modules/web as module web"),
    DependencyChange("terraform-override", "override/override.tf", "true", "false",
                     "override/override.tf:2:16: IG501", "also checking override/main.tf: override/override.tf overrides its blocks"),
    DependencyChange("terraform-template", "template/https.tftpl", "${enabled}", "false",
                     "template/main.tf:6:25: IG501", "also checking template/main.tf: it reads template/https.tftpl with templatefile"),
    DependencyChange("bicepparam", "bicepparam/main.bicepparam", "= true", "= false",
                     "bicepparam/main.bicep:7:16: IG501", "also checking bicepparam/main.bicep: it takes its parameters from bicepparam/main.bicepparam"),
    DependencyChange("arm-parameters", "armparam/azuredeploy.parameters.json", '"value": true', '"value": false',
                     "armparam/azuredeploy.json:13:35: IG501",
                     "also checking armparam/azuredeploy.json: it takes its parameters from armparam/azuredeploy.parameters.json"),
    DependencyChange("bicep-module", "bicepmodule/site.bicep", "httpsOnly: true", "httpsOnly: httpsOnly",
                     "bicepmodule/main.bicep:4:16: IG501", "also checking bicepmodule/main.bicep: it uses bicepmodule/site.bicep as module site"),
    DependencyChange("kustomize-patch", "kustomize/overlays/prod/patch.yaml", "  replicas: 2\n",
                     "  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          securityContext:\n            privileged: true\n",
                     "kustomize/overlays/prod/patch.yaml:12:25: IG202",
                     "also checking kustomize/overlays/prod/kustomization.yaml: it uses kustomize/overlays/prod/patch.yaml as a patch"),
    DependencyChange("kustomize-base", "kustomize/base/deployment.yaml", "privileged: false", "privileged: true",
                     "kustomize/base/deployment.yaml:16:25: IG202", "also checking kustomize/overlays/prod/kustomization.yaml: it builds kustomize/base"),
    DependencyChange("helm-values", "chart/values.yaml", "false", "true",
                     "chart/templates/deployment.yaml:16:13: IG202", "also checking chart/Chart.yaml: the chart renders chart/values.yaml"),
    DependencyChange("compose-override", "compose/compose.override.yaml", "read_only: true", "privileged: true",
                     "compose/compose.override.yaml:3:17: IG202", "also checking compose/compose.yaml: it is merged with compose/compose.override.yaml"),
    DependencyChange("compose-dotenv", "compose/.env", "PRIVILEGED=false", "PRIVILEGED=true",
                     "compose/.env:1:1: IG202", "also checking compose/compose.yaml: its variables are set in compose/.env"),
    DependencyChange("compose-env-file", "compose/app.env", "MODE=safe\n", "MODE=safe\nAPI_TOKEN=9f2c41d7e8ab\n",
                     "compose/app.env:2:1: IG210", "also checking compose/compose.yaml: it reads compose/app.env as an env_file"),
    DependencyChange("compose-extends", "compose/common.yaml", "privileged: false", "privileged: true",
                     "compose/common.yaml:3:17: IG202",
                     "also checking compose/compose.yaml: it reads compose/common.yaml as the file of a service it extends"),
    DependencyChange("compose-include-merged", "composeinclude/shared/app.env", "MODE=safe\n", "MODE=safe\nAPI_TOKEN=9f2c41d7e8ab\n",
                     "composeinclude/shared/app.env:2:1: IG210",
                     "also checking composeinclude/compose.yaml: it includes composeinclude/extra/more.yaml, "
                     "which reads composeinclude/shared/app.env as an env_file from composeinclude/shared"),
]


def apply_change(repo: Path, change: DependencyChange) -> None:
    path = repo / change.changed
    text = path.read_text()
    assert change.old in text, change
    path.write_text(text.replace(change.old, change.new, 1))


class Hang(BaseException):
    """Raised in a hanging call; a BaseException, so that no handler of iacguard's
    (for OSError or Exception) can take it for an ordinary error."""


@contextmanager
def deadline(seconds: float = 10):
    """Fail instead of hanging the test run."""

    def expire(*_):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
