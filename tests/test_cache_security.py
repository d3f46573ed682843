"""A scanned repository can neither poison, redirect nor write through the cache, nor
get its code run as a plugin; baselines fail cleanly (red-team D02, D15, D25-D28, C01,
C10)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from iacguard import cache as cache_module
from iacguard import runner
from iacguard.cache import ABSENT, Cache, file_digest, open_cache, user_folder
from iacguard.plugins import installed_entry_points
from support import TESTDATA, cache_entries, deadline, write_cache_entry

DOCKERFILE = "FROM alpine:3.20\nEXPOSE 22\n"
EXPECTED = ["Dockerfile:2:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)",
            "Found 1 finding (1 medium) in 1 file."]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with one finding, scanned with the cache on."""
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


def scan(cli, repo, *args):
    with deadline():
        return cli("scan", "--select", "IG304", *args, cwd=repo)


def entries(folder: Path) -> list[str]:
    """The keys of the results cached under `folder`."""
    return sorted(key.removeprefix("results/") for key in cache_entries(folder) if key.startswith("results/"))


def the_entry(repo: Path) -> tuple[Cache, str, dict]:
    """The cache of `repo`, the key of its only entry, and the entry."""
    cache = open_cache(repo)
    [key] = entries(user_folder())
    return cache, key, cache.get("results", key)


# D15: entries of the wrong shape are misses, even when signed.

FINDING = {"code": "IG304", "message": "m", "location": ["Dockerfile", 2, 1, 2, 10], "resource": ["image_build", "stage", "stage/0", "dockerfile", None],
           "fingerprint": "f", "severity": None, "suppression": None}
WRONG_SHAPES = {
    "empty": {},
    "findings not a list": {"findings": 5, "diagnostics": [], "checks": "[]", "dependencies": []},
    "dependencies not a list": {"findings": [], "diagnostics": [], "checks": "[]", "dependencies": 5},
    "dependency of three": {"findings": [], "diagnostics": [], "checks": "[]", "dependencies": [[1, 2, 3]]},
    "finding without location": {"findings": [{"code": "IG101"}], "diagnostics": [], "checks": "[]", "dependencies": []},
    "short diagnostic": {"findings": [], "diagnostics": [[1]], "checks": "[]", "dependencies": []},
    "bogus severity": {"findings": [{**FINDING, "severity": "bogus"}], "diagnostics": [], "checks": "[]", "dependencies": []},
    "line true": {"findings": [{**FINDING, "location": ["Dockerfile", True, 1, None, None]}], "diagnostics": [], "checks": "[]", "dependencies": []},
    "unknown level": {"findings": [], "diagnostics": [["Dockerfile", 1, 1, "IG000", "m", "fatal"]], "checks": "[]", "dependencies": []},
    "extra key": {"findings": [], "diagnostics": [], "checks": "[]", "dependencies": [], "exit": 0},
    "hop of three": {"findings": [{**FINDING, "previous_fingerprint": "f", "via": [["m", "main.tf", 1]]}], "diagnostics": [], "checks": "[]", "dependencies": []},
    "checks not a text": {"findings": [], "diagnostics": [], "checks": ["stage/0", "IG304"], "dependencies": []},
    "checks not JSON": {"findings": [], "diagnostics": [], "checks": "[[", "dependencies": []},
    "checks nested too deeply": {"findings": [], "diagnostics": [], "checks": "[" * 100000 + "]" * 100000, "dependencies": []},
    "check without a code": {"findings": [], "diagnostics": [], "checks": '["stage/0", "IG304", "stage/1"]', "dependencies": []},
    "check with a number": {"findings": [], "diagnostics": [], "checks": '["stage/0", 304]', "dependencies": []},
    "check as a list": {"findings": [], "diagnostics": [], "checks": '[["stage/0", "IG304"]]', "dependencies": []},
}


@pytest.mark.parametrize("value", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_signed_entries_of_the_wrong_shape_are_misses(cli, repo, value):
    assert scan(cli, repo).lines == EXPECTED
    cache, key, _ = the_entry(repo)
    cache.put("results", key, value)
    assert cache.get("results", key) == value  # signed: only its shape gives it away
    run = scan(cli, repo)
    assert (run.code, run.lines, run.err) == (1, EXPECTED, "")


def test_deeply_nested_entries_are_misses(cli, repo):
    scan(cli, repo)
    cache, key, _ = the_entry(repo)
    payload = zlib.compress(b"[" * 100000 + b"]" * 100000)
    write_cache_entry(user_folder(), f"results/{key}", cache._signature("results", key, payload) + b"\n" + payload)
    assert cache.get("results", key) is None
    assert scan(cli, repo).lines == EXPECTED


def test_an_entry_that_unpacks_past_the_entry_limit_is_a_miss(cli, repo, monkeypatch):
    """Signed, so no one else made it; still never unpacked past `MAX_ENTRY_SIZE`."""
    scan(cli, repo)
    cache, key, record = the_entry(repo)
    cache.put("results", key, {**record, "padding": "x" * 100_000})
    assert cache.get("results", key)["padding"] == "x" * 100_000
    monkeypatch.setattr(cache_module, "MAX_ENTRY_SIZE", 50_000)  # the packed entry is far smaller
    assert cache.get("results", key) is None


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_dependency_that_cannot_be_hashed_makes_a_miss_not_a_hang(cli, repo, special):
    os.mkfifo(repo / "fifo")
    scan(cli, repo)
    cache, key, record = the_entry(repo)
    cache.put("results", key, {**record, "findings": [], "dependencies": [[str(repo / special) if special == "fifo" else special, "x"]]})
    assert scan(cli, repo).lines == EXPECTED


# C01: a poisoned entry is not trusted: it is signed with the user's own key, for its own key.

def test_an_entry_with_its_findings_removed_is_a_miss(cli, repo):
    scan(cli, repo)
    [(key, value)] = cache_entries(user_folder()).items()
    signature, _, packed = value.partition(b"\n")
    record = json.loads(zlib.decompress(packed))
    assert len(record["findings"]) == 1
    write_cache_entry(user_folder(), key, signature + b"\n" + zlib.compress(json.dumps({**record, "findings": []}).encode()))
    assert scan(cli, repo).lines == EXPECTED


def test_entries_signed_by_another_key_or_for_another_key_are_misses(cli, repo):
    scan(cli, repo)
    cache, key, record = the_entry(repo)
    emptied = {**record, "findings": []}
    cache.put("results", "0" * 64, emptied)  # a valid entry, moved to the key of the file
    write_cache_entry(user_folder(), f"results/{key}", cache_entries(user_folder())["results/" + "0" * 64])
    assert scan(cli, repo).lines == EXPECTED
    cache._secret = secrets.token_bytes(32)  # another user's key
    cache.put("results", key, emptied)
    assert scan(cli, repo).lines == EXPECTED


def test_no_cache_entry_chooses_what_is_imported(cli, repo, monkeypatch):
    monkeypatch.delenv("IACGUARD_DISABLE_PLUGIN_AUTOLOAD")
    monkeypatch.delitem(sys.modules, "this", raising=False)
    scan(cli, repo)
    cache, _, _ = the_entry(repo)
    for version in ("v1", "v2"):  # where the entry points were cached, as files
        folder = cache.directory / version / "entry-points" / "61"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "61d11381609d35a277c81f76e247a0cdb4c923ef17fdd31ff12bc380d23b477c.json").write_text('[["evil", "this"]]')
    cache.put("entry-points", "61d11381609d35a277c81f76e247a0cdb4c923ef17fdd31ff12bc380d23b477c", [["evil", "this"]])
    assert scan(cli, repo).lines == EXPECTED
    assert "this" not in sys.modules


# D26: the cache folder cannot hide files from the scan or from git.

@pytest.mark.parametrize("folder", [".", "src", "src/"])
def test_a_cache_dir_over_scanned_files_is_refused(cli, repo, folder):
    (repo / "src").mkdir()
    (repo / "src" / "Dockerfile").write_text(DOCKERFILE)
    before = sorted(repo.rglob("*"))
    run = scan(cli, repo, "--cache-dir", folder)
    where = repo / "src" if folder.startswith("src") else repo
    assert (run.code, run.out) == (2, "")
    assert run.err == f"iacguard: error: cache folder {where} exists and was not made by iacguard: name a folder that does not exist yet\n"
    assert sorted(repo.rglob("*")) == before


def test_an_empty_cache_dir_is_a_usage_error(cli, repo):
    run = scan(cli, repo, "--cache-dir", "")
    assert (run.code, run.err) == (2, "iacguard: error: --cache-dir needs a folder (use --no-cache to turn the cache off)\n")
    assert not (repo / ".gitignore").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_new_cache_dir_in_the_tree_hides_only_itself(cli, repo):
    shutil.rmtree(repo / ".git")
    git = ["git", "-C", str(repo), "-c", "user.email=a@b", "-c", "user.name=x"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "i"], check=True)
    (repo / "notes.txt").write_text("wip\n")
    (repo / "build").mkdir()
    (repo / "build" / "Dockerfile").write_text(DOCKERFILE)
    for _ in range(2):  # made, then used again
        run = scan(cli, repo, "--cache-dir", "build/cache")
        assert run.lines[-1] == "Found 2 findings (2 medium) in 2 files."
    cache = repo / "build" / "cache"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700 and (cache / "CACHEDIR.TAG").is_file() and len(entries(cache)) == 2
    status = subprocess.run([*git, "status", "--porcelain", "--untracked-files=all"], check=True, capture_output=True, text=True).stdout
    assert status.splitlines() == ["?? build/Dockerfile", "?? notes.txt"]


def test_an_empty_folder_is_taken_over_and_a_look_alike_refused(cli, repo):
    (repo / "empty").mkdir(mode=0o755)
    assert scan(cli, repo, "--cache-dir", "empty").lines == EXPECTED
    assert stat.S_IMODE((repo / "empty").stat().st_mode) == 0o700 and len(entries(repo / "empty")) == 1
    shutil.copytree(repo / "empty", repo / "lookalike")  # tagged, as a repository could commit it, but not private
    os.chmod(repo / "lookalike", 0o755)
    assert scan(cli, repo, "--cache-dir", "lookalike").code == 2


# D27: links planted by the repository are never written through.

def test_a_planted_cache_folder_is_never_used(cli, repo):
    """(a) a dangling `.gitignore` link and (c) a cache folder that is a link."""
    planted = repo / ".iacguard_cache"
    planted.mkdir()
    (planted / ".gitignore").symlink_to(repo / "work" / "dangle" / "created-by-scan")
    (repo / "victim").mkdir()
    (repo / "linked").symlink_to(repo / "victim")
    (repo.parent / "outside").mkdir()
    (repo / "out").symlink_to(repo.parent / "outside")
    assert scan(cli, repo).lines == EXPECTED  # the default cache is elsewhere
    assert scan(cli, repo, "--cache-dir", ".iacguard_cache").code == 2
    assert scan(cli, repo, "--cache-dir", "linked").code == 2
    run = scan(cli, repo, "--cache-dir", "out/cache")
    assert (run.code, run.err) == (2, f"iacguard: error: cache folder {repo}/out/cache: a symbolic link leads it out of the scanned tree\n")
    assert not (repo / "work").exists() and list((repo / "victim").iterdir()) == [] and list((repo.parent / "outside").iterdir()) == []


@pytest.mark.parametrize("name", cache_module._STORE_FILES)
def test_the_database_names_are_never_written_through(cli, repo, name):
    """(b) links at the names of the database and of the files SQLite keeps beside it."""
    scan(cli, repo)
    cache, key, record = the_entry(repo)
    folder = cache.directory / f"v{cache_module.FORMAT_VERSION}"
    victim, dangling = repo.parent / "precious.txt", repo.parent / "created-by-scan"
    victim.write_text("IMPORTANT USER DATA\n")
    for target in (victim, dangling):
        shutil.rmtree(folder)
        folder.mkdir(mode=0o700)
        (folder / name).symlink_to(target)
        assert scan(cli, repo).lines == EXPECTED
        planted = open_cache(repo)
        planted.put("results", key, record)
        assert planted.get("results", key) is None
    assert victim.read_text() == "IMPORTANT USER DATA\n" and not dangling.exists()
    (folder / name).unlink()
    os.link(victim, folder / name)  # a second name of a file elsewhere
    assert scan(cli, repo).lines == EXPECTED
    assert victim.read_text() == "IMPORTANT USER DATA\n"


def test_a_folder_inside_the_cache_replaced_by_a_link_is_not_entered(cli, repo):
    scan(cli, repo)
    cache, key, record = the_entry(repo)
    victim = repo.parent / "victim"
    victim.mkdir()
    shutil.rmtree(cache.directory / f"v{cache_module.FORMAT_VERSION}")
    (cache.directory / f"v{cache_module.FORMAT_VERSION}").symlink_to(victim)
    assert scan(cli, repo).lines == EXPECTED
    cache.put("results", key, record)
    assert list(victim.iterdir()) == []


# C10: a cache that cannot be written only costs time.

def test_a_run_that_cannot_write_the_cache_waits_briefly_and_scans(cli, repo, monkeypatch):
    """Another run holds the database for writing: this one waits `BUSY_TIMEOUT`, then
    goes on without storing, and a later run stores."""
    import sqlite3

    scan(cli, repo)
    [store] = user_folder().glob(f"**/v{cache_module.FORMAT_VERSION}/entries.sqlite")
    (repo / "Dockerfile").write_text("FROM alpine:3.20\n\nEXPOSE 22\n")
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with deadline(5):
            assert scan(cli, repo).lines == ["Dockerfile:3:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)", EXPECTED[-1]]
        assert len(entries(user_folder())) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    scan(cli, repo)
    assert len(entries(user_folder())) == 2


# D02 with the cache on, and the digest of dependencies: never a hang, never unbounded.

@pytest.mark.parametrize("make", [lambda path: path.symlink_to("/dev/zero"), os.mkfifo])
def test_a_special_file_named_on_the_command_line_is_refused_with_the_cache_on(cli, repo, make):
    make(repo / "main.tf")
    run = scan(cli, repo, "main.tf")
    assert (run.code, run.lines) == (4, ["main.tf: IG001 [error] not a regular file", "No findings in 1 file; 1 file incomplete (analysis did not finish)."])


def test_file_digest_reads_through_the_input_door(tmp_path):
    (tmp_path / "small").write_bytes(b"x")
    (tmp_path / "big").write_bytes(b"x" * 101)
    os.mkfifo(tmp_path / "fifo")
    with deadline():
        assert [file_digest(str(tmp_path / name), 100) for name in ("fifo", "big")] == [None, None]
        assert file_digest("/dev/zero", 100) is None
    assert file_digest(str(tmp_path / "small"), 100) == "d161d71145abeec5ef15abcf0459cec60a27321e2f0ac0ef7ace5254f5944476"
    assert file_digest(str(tmp_path / "missing"), 100) == ABSENT
    assert file_digest(str(tmp_path), 100) != file_digest(str(tmp_path / "small"), 100)


def test_a_result_depending_on_a_fifo_is_scanned_but_not_cached(cli, repo):
    """A sibling that is a FIFO is refused without blocking (the file that depends on
    it is incomplete), and a result that depends on what cannot be hashed is never
    cached: a later run could not tell whether it still holds."""
    (repo / "main.tf").write_text('resource "azurerm_linux_web_app" "app" {\n  https_only = false\n}\n')
    os.mkfifo(repo / "fifo.tf")
    for _ in range(2):
        run = scan(cli, repo, "--select", "IG501", "main.tf")
        assert run.code == 4
        assert run.lines[0] == "main.tf: IG005 [error] depends on fifo.tf, which was refused: not a regular file"
    assert entries(user_folder()) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_warm_runs_use_every_entry(cli, tmp_path, monkeypatch, jobs):
    """What `encode` writes passes the shape check, for every fixture, and what worker
    processes find is stored."""
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    arguments = ("scan", "--select", "all", "--format", "json", "--jobs", jobs, ".")
    cold = cli(*arguments, cwd=TESTDATA).out

    def not_from_the_cache(*args):
        raise AssertionError("scanned again")

    monkeypatch.setattr(runner, "scan_file", not_from_the_cache)
    assert cli(*arguments, cwd=TESTDATA).out == cold


def test_the_key_is_private_and_made_once(repo, monkeypatch):
    first = open_cache(repo)._secret
    key = user_folder() / "secret"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and open_cache(repo)._secret == first
    key.chmod(0o644)
    assert open_cache(repo) is None  # the default cache is off, not trusted
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo / ".cache"))  # inside the scanned tree
    assert open_cache(repo) is None and not (repo / ".cache").exists()


# D25: `python -m iacguard` runs nothing from the working directory.

EVIL = 'open("PWNED", "w").write("code from the scanned repo ran\\n")\n'


def evil_repository(path: Path) -> Path:
    dist_info = path / "evil-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[iacguard]\nevil = evilmod\n")
    (path / "evilmod.py").write_text(EVIL)
    (path / "Dockerfile").write_text(DOCKERFILE)
    return path


@pytest.mark.parametrize("pythonpath", [None, "."], ids=["-m", "-m with PYTHONPATH=."])
def test_python_m_does_not_load_plugins_from_the_working_directory(tmp_path, pythonpath):
    repo = evil_repository(tmp_path / "evil")
    environment = {key: value for key, value in os.environ.items() if key not in ("IACGUARD_DISABLE_PLUGIN_AUTOLOAD", "PYTHONPATH")}
    if pythonpath:
        environment["PYTHONPATH"] = pythonpath
    run = subprocess.run([sys.executable, "-m", "iacguard", "scan", "--select", "IG304", "."], cwd=repo, env=environment,
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout.splitlines(), run.stderr) == (1, EXPECTED, "")
    assert not (repo / "PWNED").exists()


@pytest.mark.parametrize("module", ["yaml", "dataclasses", "inspect", "textwrap"])
def test_python_m_imports_no_module_from_the_working_directory(tmp_path, module):
    """A module that iacguard imports after start-up is not taken from the scanned
    repository: the YAML parser for the config, and the standard library's modules
    that the package's public names need (imported only when asked for, after the
    working directory has left `sys.path`)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / f"{module}.py").write_text(EVIL)
    (repo / ".iacguard.yaml").write_text("select: [IG304]\n")
    (repo / "Dockerfile").write_text(DOCKERFILE)
    run = subprocess.run([sys.executable, "-m", "iacguard", "scan", "--no-cache", "."], cwd=repo, capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout.splitlines()) == (1, EXPECTED) and not (repo / "PWNED").exists()


def test_entry_points_come_from_sys_path_except_the_working_directory(tmp_path, monkeypatch):
    site = evil_repository(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site))
    assert ("evil", "evilmod") in installed_entry_points("iacguard")  # found where installed
    monkeypatch.chdir(site)
    assert ("evil", "evilmod") not in installed_entry_points("iacguard")
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    assert ("evil", "evilmod") not in installed_entry_points("iacguard")


# D28: bad baselines are usage errors, never a hang or a crash.

@pytest.mark.parametrize(("make", "message"), [
    (lambda path: path.write_text("[" * 100000 + "]" * 100000), "is not valid JSON: nested too deeply"),
    (os.mkfifo, "not a regular file"),
    (lambda path: path.symlink_to("/dev/zero"), "not a regular file"),
    (lambda path: path.write_text(json.dumps({"version": 1, "findings": ["x" * 1000] * 1000})), "over the 0.5 MiB limit"),
])
def test_bad_baselines_are_usage_errors(cli, repo, monkeypatch, make, message):
    monkeypatch.setattr("iacguard.baseline.MAX_BASELINE_SIZE", 512 * 1024)
    make(repo / "baseline.json")
    run = scan(cli, repo, "--baseline", "baseline.json")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("iacguard: error: ") and message in run.err and run.err.count("\n") == 1

