"""A hostile repository, scanned the way CI scans an untrusted pull request.

One repository combines several attacks: files that hang a naive reader (a FIFO, a
link to /dev/zero), a file that expands to gigabytes when evaluated, a dependency
outside the repository, a `.gitignore` pattern that backtracks, names that inject
terminal escapes and workflow commands, a file named like an option, planted cache
links and a package that would run if imported. The real console script runs under
an address-space limit and a hang guard (not a speed assertion): it must exit 4,
report the good files' findings, and change nothing outside its cache and report.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

IACGUARD = Path(sys.executable).parent / "iacguard"
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space
HANG_GUARD = 60  # seconds

WEB_APP = 'resource "azurerm_linux_web_app" "app" {\n  name       = "app"\n  https_only = false\n}\n'


def build(repo: Path, outside: Path) -> None:
    (repo / ".git").mkdir(parents=True)
    (outside / "secret.tfvars").write_text('image = "registry.example/topsecret-token"\n')
    (outside / "victim.txt").write_text("precious\n")
    # good files, whose findings must come through
    (repo / "good").mkdir()
    (repo / "good" / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (repo / "good" / "main.tf").write_text(WEB_APP)
    # a reader that blocks or never ends
    (repo / "fifo").mkdir()
    os.mkfifo(repo / "fifo" / "fifo.tf")
    (repo / "zero").mkdir()
    (repo / "zero" / "main.tf").write_text(WEB_APP)
    (repo / "zero" / "zero.tf").symlink_to("/dev/zero")
    os.mkfifo(repo / "Dockerfile")
    # a dependency outside the repository
    (repo / "leak").mkdir()
    (repo / "leak" / "main.tf").write_text(WEB_APP)
    (repo / "leak" / "terraform.tfvars").symlink_to(outside / "secret.tfvars")
    # values that double until they fill the memory
    doubling = ['locals {', '  s0 = "xxxxxxxxxxxxxxxx"'] + [f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"' for i in range(1, 40)] + ['}']
    (repo / "blowup").mkdir()
    (repo / "blowup" / "main.tf").write_text("\n".join(doubling) + "\n" + WEB_APP.replace("false", "local.s39 == \"\""))
    (repo / "blowup" / "Dockerfile").write_text("ARG A=xxxxxxxxxxxxxxxx\n" + "ARG A=${A}${A}\n" * 40 + "FROM alpine:${A}\nUSER root\n")
    # a .gitignore that backtracks, names that inject into logs, a name like an option
    (repo / ".gitignore").write_text("************b\n")
    (repo / "names").mkdir()
    (repo / "names" / "a\x1b[2J\n::error file=README.md::injected.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (repo / "names" / "--output=main.tf").write_text(WEB_APP)
    # planted cache links and an importable package
    (repo / ".iacguard_cache").mkdir()
    (repo / ".iacguard_cache" / ".gitignore").symlink_to(outside / "created-by-scan")
    (repo / "evil-1.0.dist-info").mkdir()
    (repo / "evil-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (repo / "evil-1.0.dist-info" / "entry_points.txt").write_text("[iacguard]\nevil = evilmod\n")
    (repo / "evilmod.py").write_text(f"open({str(outside / 'PWNED')!r}, 'w').write('ran')\n")


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry below `folder` with its type, size and modification time."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        entries[str(path.relative_to(folder))] = (status.st_mode, status.st_size, status.st_mtime_ns)
    return entries


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_a_hostile_repository_fails_closed(tmp_path):
    repo, outside, home, report = tmp_path / "repo", tmp_path / "outside", tmp_path / "home", tmp_path / "report.json"
    outside.mkdir()
    build(repo, outside)
    before = (snapshot(repo), snapshot(outside))
    environment = {key: value for key, value in os.environ.items() if not key.startswith("IACGUARD_")}
    environment |= {"XDG_CACHE_HOME": str(home / ".cache"), "HOME": str(home)}
    for command in ([str(IACGUARD)], [sys.executable, "-m", "iacguard"]):
        run = subprocess.run(
            [*command, "scan", "--format", "json", "--output", str(report), "--jobs", "2", "."],
            cwd=repo, env=environment, capture_output=True, text=True, timeout=HANG_GUARD, preexec_fn=limited,
        )
        assert run.returncode == 4, run.stderr
        assert "Traceback" not in run.stderr and run.stdout == ""
        document = json.loads(report.read_text())
        found = {(f["path"], f["rule"]) for f in document["findings"]}
        assert {("good/Dockerfile", "IG304"), ("good/main.tf", "IG501"), ("names/--output=main.tf", "IG501")} <= found
        assert not any("topsecret" in f["message"] for f in document["findings"])
        incomplete = set(document["summary"]["incomplete"])
        assert {"Dockerfile", "blowup/Dockerfile", "blowup/main.tf", "fifo/fifo.tf", "leak/main.tf", "zero/main.tf"} <= incomplete
        assert "good/main.tf" not in incomplete and "good/Dockerfile" not in incomplete
        assert (snapshot(repo), snapshot(outside)) == before, "nothing outside the cache and the report changes"
