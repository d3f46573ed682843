"""The result cache and parallel scans: same output, never stale."""

import json
import os
import sys
import time

import pytest

from iacguard.cache import FORMAT_VERSION, STAMP_MARGIN, Cache, file_digest, user_folder
from support import TESTDATA, cache_entries, write_cache_entry

APP = 'resource "azurerm_linux_web_app" "api" {\n  name = "api"\n  https_only = var.https\n  site_config {}\n}\n'


@pytest.fixture
def cached(monkeypatch):
    """The cache turned on; its folder is the user's, set up by conftest for each test."""
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    return user_folder()


def rules_found(cli, cwd, *args):
    run = cli("scan", "--format", "json", *args, cwd=cwd)
    return sorted((f["rule"], f["line"]) for f in json.loads(run.out)["findings"])


def test_warm_results_equal_cold_and_follow_every_input(cli, tmp_path, cached):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "main.tf").write_text(APP)
    (tmp_path / "variables.tf").write_text('variable "https" { default = true }\n')
    cold = rules_found(cli, tmp_path, "--select", "IG304,IG501")
    assert cold == [("IG304", 2)]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Dockerfile", "main.tf", "variables.tf"]
    assert len(cache_entries(cached)) == 3  # one entry per file, outside the tree
    assert rules_found(cli, tmp_path, "--select", "IG304,IG501") == cold

    # The file's content changes.
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n\nEXPOSE 22\n")
    assert rules_found(cli, tmp_path, "--select", "IG304,IG501") == [("IG304", 3)]
    # A file the result depends on changes (a sibling's variable default).
    (tmp_path / "variables.tf").write_text('variable "https" { default = false }\n')
    assert rules_found(cli, tmp_path, "--select", "IG304,IG501") == [("IG304", 3), ("IG501", 3)]
    # The configuration changes: other rules, another severity.
    assert rules_found(cli, tmp_path, "--select", "IG501") == [("IG501", 3)]
    (tmp_path / ".iacguard.yaml").write_text("severity: {IG501: low}\n")
    document = json.loads(cli("scan", "--format", "json", "--select", "IG501", cwd=tmp_path).out)
    assert document["findings"][0]["severity"] == "low"


def test_files_that_appear_later_are_noticed(cli, tmp_path, cached):
    (tmp_path / "main.tf").write_text(APP)
    (tmp_path / "variables.tf").write_text('variable "https" { default = true }\n')
    assert rules_found(cli, tmp_path, "--select", "IG501") == []
    (tmp_path / "zz.auto.tfvars").write_text("https = false\n")
    assert rules_found(cli, tmp_path, "--select", "IG501") == [("IG501", 3)]
    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "parameters": {"https": {"type": "bool", "defaultValue": True}},
                "resources": [{"type": "Microsoft.Web/sites", "name": "a", "properties": {"httpsOnly": "[parameters('https')]"}}]}
    (tmp_path / "site.json").write_text(json.dumps(template))
    assert rules_found(cli, tmp_path, "--select", "IG501", "site.json") == []
    (tmp_path / "site.parameters.json").write_text(json.dumps({"parameters": {"https": {"value": False}}}))
    assert rules_found(cli, tmp_path, "--select", "IG501", "site.json") == [("IG501", 1)]


def test_findings_through_modules_come_back_from_the_cache_whole(cli, tmp_path, cached):
    """Related locations and both fingerprints are part of a cached result."""
    (tmp_path / "modules" / "site").mkdir(parents=True)
    (tmp_path / "modules" / "site" / "main.tf").write_text('variable "https" {}\n' + APP)
    (tmp_path / "main.tf").write_text('module "site" {\n  source = "./modules/site"\n  https  = false\n}\n')
    reports = [cli("scan", "--select", "IG501", "--format", "sarif", ".", cwd=tmp_path).out for _ in range(2)]
    assert len(cache_entries(cached)) == 2  # each file's own result
    assert reports[0] == reports[1]
    (result,) = json.loads(reports[1])["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert [place["message"]["text"] for place in result["relatedLocations"]] == ["set by module.site in main.tf", "module variable declared here"]
    assert set(result["partialFingerprints"]) == {"iacguard/v1", "iacguard/v2"}


def test_a_scan_naming_one_small_file_does_without_the_default_cache(cli, tmp_path, cached):
    """An editor's or a hook's one file was edited since it was last checked: looking
    it up would cost more than its check. A larger file, two files, a folder, or a
    cache folder named on the command line use the cache."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    (tmp_path / "large.Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n" + "# a comment line of some length\n" * 600)
    assert cli("scan", "--select", "IG304", "Dockerfile", cwd=tmp_path).code == 1
    assert not cached.exists()
    cli("scan", "--select", "IG304", "large.Dockerfile", cwd=tmp_path)
    assert len(results(cached)) == 1
    cli("scan", "--select", "IG304", "Dockerfile", "large.Dockerfile", cwd=tmp_path)
    assert len(results(cached)) == 2
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n\nEXPOSE 22\n")
    cli("scan", "--select", "IG304", ".", cwd=tmp_path)
    assert len(results(cached)) == 3
    cli("scan", "--select", "IG304", "--cache-dir", "elsewhere", "Dockerfile", cwd=tmp_path)
    assert len(results(tmp_path / "elsewhere")) == 1


def results(folder) -> list[str]:
    """The keys of the files' results in the caches under `folder` (besides them, a
    run slower than `STAMP_MARGIN` keeps its files' stamps and its walks)."""
    return [key for key in cache_entries(folder) if key.startswith("results/")]


def test_corrupt_entries_are_misses(cli, tmp_path, cached):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    first = rules_found(cli, tmp_path, "--select", "IG304")
    for key in cache_entries(cached):
        write_cache_entry(cached, key, b"{not json")
    assert rules_found(cli, tmp_path, "--select", "IG304") == first


def test_a_database_that_is_no_database_is_replaced(cli, tmp_path, cached):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    first = rules_found(cli, tmp_path, "--select", "IG304")
    [store] = cached.glob(f"*/v{FORMAT_VERSION}/entries.sqlite")
    store.write_bytes(b"not a database, " * 1000)
    assert rules_found(cli, tmp_path, "--select", "IG304") == first
    assert len(cache_entries(cached)) == 1


def test_no_cache_writes_nothing(cli, tmp_path, cached):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    cli("scan", "--no-cache", cwd=tmp_path)
    assert not cached.exists()
    cli("scan", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert sorted(path.name for path in (tmp_path / "elsewhere").iterdir()) == [".gitignore", "CACHEDIR.TAG", f"v{FORMAT_VERSION}"]
    assert [path.name for path in cached.iterdir()] == ["secret"]  # the key only


def test_parallel_output_is_identical(cli, tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        report = tmp_path / f"jobs{jobs}.json"
        cli("scan", "--select", "all", "--format", "json", "--output", str(report), "--jobs", jobs, ".", cwd=TESTDATA)
        outputs.append(report.read_text())
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["summary"]["files"] > 100


@pytest.mark.parametrize(("count", "workers"), [(32, 2), (1000, 2), (2349, 2), (13000, 4), (37, 3)])
@pytest.mark.parametrize("per_folder", [1, 7, 40, 1000])
def test_workers_are_given_runs_of_neighbours_long_first(count, workers, per_folder):
    from iacguard.runner import LONGEST_RUN, SHORTEST_RUN, _runs

    names = [f"top/f{index // per_folder}/main{index}.tf" for index in range(count)]
    runs = list(_runs(names, workers))
    assert [index for run in runs for index in run] == list(range(count))  # every target once, in order
    sizes = [len(run) for run in runs]
    assert max(sizes) <= LONGEST_RUN and min(sizes[:-1] or [SHORTEST_RUN]) >= SHORTEST_RUN  # the last is what is left
    left = count
    for size in sizes[:-1]:  # long first, the workers end together: at least half of what the schedule gives
        scheduled = max(SHORTEST_RUN, min(LONGEST_RUN, left // (2 * workers)))
        assert scheduled // 2 <= size <= scheduled
        left -= size


def test_a_run_ends_between_folders_where_it_can():
    """A folder of modules and the files that call them is scanned by one worker: a run
    ends where two neighbours share the fewest folders, in the last half of its length."""
    from iacguard.runner import _runs

    names = [f"repo/{group}/{leaf}/file{index}.bicep" for group in ("a", "b", "c") for leaf, files in (("x", 20), ("y", 30)) for index in range(files)]
    names += [f"repo/d/z/file{index}.bicep" for index in range(600)]
    runs = list(_runs(names, 2))
    # The first run would end at 64, inside b/x: it ends where a/ and b/ part (50).
    assert (runs[0].start, runs[0].stop) == (0, 50)
    # The second would end at 114 inside c/x; where b/ and c/ part (100) lies in its last half.
    assert (runs[1].start, runs[1].stop) == (50, 100)
    assert all(run.stop - run.start == 64 for run in runs[3:6])  # one folder: the schedule's length


def test_checks_are_the_same_from_workers_and_from_the_cache(cli, tmp_path, cached):
    """A scan's checks travel packed (`runner.PackedChecks`); the JUnit report, which
    counts them, is the same from one process, from workers and from the cache."""
    outputs = []
    for options in (("--no-cache", "--jobs", "1"), ("--jobs", "2"), ("--jobs", "2")):  # the last one warm
        report = tmp_path / f"report{len(outputs)}.xml"
        cli("scan", "--select", "all", "--format", "junit", "--output", str(report), *options, ".", cwd=TESTDATA)
        outputs.append(report.read_text())
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("<testcase ") > 1000


def test_a_warm_scan_forks_no_worker_and_a_scan_forks_for_the_files_not_cached_only(cli, tmp_path, cached, monkeypatch):
    """Entries are looked up in the main process: workers are forked for the files the
    cache has no result for, and only when there are enough of them (`PARALLEL_MINIMUM`)."""
    import multiprocessing

    from iacguard import runner
    from iacguard.runner import PARALLEL_MINIMUM

    forked = []
    real = multiprocessing.get_context

    def get_context(method=None):
        forked.append(method)
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    for index in range(4 * PARALLEL_MINIMUM):
        (tmp_path / f"Dockerfile.{index}").write_text(f"FROM alpine:3.{index}\nEXPOSE 22\n")
    cold = rules_found(cli, tmp_path, "--select", "IG304", "--jobs", "2")
    assert len(cold) == 4 * PARALLEL_MINIMUM and forked == ["fork"]
    assert rules_found(cli, tmp_path, "--select", "IG304", "--jobs", "2") == cold and forked == ["fork"]
    for index in range(PARALLEL_MINIMUM):  # too few changed files to fork for
        (tmp_path / f"Dockerfile.{index}").write_text(f"FROM alpine:3.{index}\n\nEXPOSE 22\n")
    assert rules_found(cli, tmp_path, "--select", "IG304", "--jobs", "2") == sorted([("IG304", 3)] * PARALLEL_MINIMUM + cold[PARALLEL_MINIMUM:])
    assert forked == ["fork"]
    for index in range(2 * PARALLEL_MINIMUM):
        (tmp_path / f"Dockerfile.{index}").write_text(f"FROM alpine:3.{index}\n\n\nEXPOSE 22\n")
    assert rules_found(cli, tmp_path, "--select", "IG304", "--jobs", "2")[-2 * PARALLEL_MINIMUM:] == [("IG304", 4)] * 2 * PARALLEL_MINIMUM
    assert forked == ["fork", "fork"]
    # A first batch of look-ups that finds mostly misses (a cold cache): the workers
    # look the rest up themselves, in parallel, and find them.
    monkeypatch.setattr(runner, "QUERY_KEYS", 8)
    first = sorted(tmp_path.iterdir())[:8]  # the targets' order
    for path in first:
        path.write_text(path.read_text() + "# changed\n")
    entries = len(cache_entries(cached))
    lines = {path.name: path.read_text().split("\n").index("EXPOSE 22") + 1 for path in tmp_path.iterdir()}
    assert rules_found(cli, tmp_path, "--select", "IG304", "--jobs", "2") == sorted(("IG304", line) for line in lines.values())
    assert forked == ["fork", "fork", "fork"] and len(cache_entries(cached)) == entries + 8


def test_entries_are_looked_up_many_at_a_time_each_verified(tmp_path, monkeypatch):
    """`Cache.get_many` answers for more keys than one query holds; an entry that does
    not verify is a miss for its own key only."""
    import sqlite3

    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "QUERY_KEYS", 3)
    cache = Cache(tmp_path / "cache", tmp_path / "repo")
    cache.put_many([cache.entry("results", str(index), {"index": index}) for index in range(7)])
    cache.put("other", "1", {"kind": "other"})
    [store] = (tmp_path / "cache").glob("*/entries.sqlite")
    with sqlite3.connect(store) as connection:  # a value signed for another key
        connection.execute("UPDATE entries SET value = (SELECT value FROM entries WHERE key = 'results/5') WHERE key = 'results/4'")
    connection.close()
    asked = [str(index) for index in (6, 0, 4, 5, 9, 2, 1, 3)]
    assert cache.get_many("results", asked) == {str(index): {"index": index} for index in (6, 0, 5, 2, 1, 3)}
    assert cache.get_many("other", asked) == {"1": {"kind": "other"}} and cache.get_many("results", []) == {}


def test_jobs_must_be_positive(cli, tmp_path):
    assert cli("scan", "--jobs", "0", cwd=tmp_path).code == 2


def test_a_python_without_sqlite_scans_without_the_cache(cli, tmp_path, cached, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlite3", None)  # what `import sqlite3` meets in a Python built without it
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    assert rules_found(cli, tmp_path, "--select", "IG304") == [("IG304", 2)]
    run = cli("scan", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert (run.code, run.err) == (2, "iacguard: error: this Python has no sqlite3 module, so there is no result cache: use --no-cache\n")


def test_a_locked_database_is_kept(cli, tmp_path, cached, monkeypatch):
    """A database another run holds (here: locked for good) is no damaged one: it is
    left alone, and the scan goes on without the cache."""
    import sqlite3

    from iacguard import cache as cache_module

    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nEXPOSE 22\n")
    assert rules_found(cli, tmp_path, "--select", "IG304") == [("IG304", 2)]
    kept = set(cache_entries(cached))
    [store] = cached.glob(f"*/v{FORMAT_VERSION}/entries.sqlite")
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.1)
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")  # so that opening it again needs a lock the holder keeps
    holder.execute("BEGIN EXCLUSIVE")
    try:
        (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n\nEXPOSE 22\n")
        assert rules_found(cli, tmp_path, "--select", "IG304") == [("IG304", 3)]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert set(cache_entries(cached)) == kept and len(kept) == 1


def test_results_are_keyed_by_the_code_of_the_engine_and_of_every_rule():
    """A result made by other code is never reused: the key stamps each module, the
    built-in rules' too, which a source checkout keeps in a folder of its own."""
    from iacguard.builtin import builtin_rules
    from iacguard.runner import _code_stamps

    stamped = {path for path, _ in _code_stamps()}
    engine = os.path.realpath(sys.modules["iacguard.runner"].__file__)
    rules = [os.path.realpath(rule.source_file) for rule in builtin_rules()]
    assert engine in stamped and rules and set(rules) <= stamped
    assert len(stamped) == len(_code_stamps())  # each file once, also where the rules lie inside the package


def test_a_database_keeps_the_entries_of_its_last_writes(tmp_path, monkeypatch):
    """Entries that nothing reads any more (another version's, other settings') leave
    the database instead of piling up: the oldest written go first, and rewriting an
    entry makes it new again."""
    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 3)
    cache = Cache(tmp_path / "cache", tmp_path / "repo")
    for name in ("a", "b", "c", "d"):
        cache.put("results", name, {"name": name})
    cache.put("results", "b", {"name": "b", "again": True})
    cache.put_many([cache.entry("results", "e", {"name": "e"})])
    assert sorted(key.partition("/")[2] for key in cache_entries(tmp_path / "cache")) == ["b", "d", "e"]
    assert cache.get("results", "b") == {"name": "b", "again": True} and cache.get("results", "a") is None


def test_a_diagnostic_keeps_where_another_file_writes_its_problem_through_the_cache():
    """`Diagnostic.written_in` (a chart's template that does not render) survives a
    record's trip through the cache, and a record that holds another shape there is
    not taken."""
    import json

    from iacguard.diagnostics import Diagnostic
    from iacguard.runner import _well_formed, decode, encode

    diagnostic = Diagnostic("web/Chart.yaml", 1, 1, "IG008", "cannot render (in web/templates/a.yaml)", "error", ("web/templates/a.yaml", 24, 3))
    record = json.loads(json.dumps({**encode([], [diagnostic], []), "dependencies": []}))
    assert _well_formed(record)
    assert decode(record, None)[1] == [diagnostic]
    record["diagnostics"][0][6] = ["web/templates/a.yaml", "24", 3]
    assert not _well_formed(record)


def _stamped(tmp_path, monkeypatch, margin: int):
    """A cache over `tmp_path / "repo"` trusting stamps `margin` ns old, with a file
    `main.tf` hashed once and the run's stamps kept."""
    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", margin)
    repo = tmp_path / "repo"
    repo.mkdir()
    path = repo / "main.tf"
    path.write_text(APP)
    cache = Cache(tmp_path / "cache", repo)
    first = cache.file_digest(str(path), 1 << 20)
    cache.keep_stamps()
    return cache_module, path, first


def test_a_file_whose_stamp_is_unchanged_is_not_read_again(tmp_path, monkeypatch):
    """The second run hashes nothing: the file's status is the one the first stored.
    A change of content with the size and modification time put back changes the
    change time, and the file is read again."""
    cache_module, path, first = _stamped(tmp_path, monkeypatch, margin=-(10**18))  # every file old enough
    real_read = cache_module.inputs.read_bytes
    reads = []
    monkeypatch.setattr(cache_module.inputs, "read_bytes", lambda *args, **kwargs: reads.append(str(args[0])) or real_read(*args, **kwargs))
    assert Cache(tmp_path / "cache", path.parent).file_digest(str(path), 1 << 20) == first and str(path) not in reads

    before = path.stat()
    time.sleep(0.05)  # past a tick of the clock that stamps files
    path.write_text(APP.replace("api", "ipa"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    changed = Cache(tmp_path / "cache", path.parent).file_digest(str(path), 1 << 20)
    assert reads.count(str(path)) == 1
    assert changed != first and changed == cache_module.file_digest(str(path), 1 << 20)


def test_a_file_changed_just_before_the_run_is_read_again_next_time(tmp_path, monkeypatch):
    """A file whose change time is within `STAMP_MARGIN` of the run's start could
    change again within the same tick unseen: it is not stamped, and no entry is written."""
    _, path, _ = _stamped(tmp_path, monkeypatch, margin=STAMP_MARGIN)
    assert Cache(tmp_path / "cache", path.parent).get("stamps", "files") is None



@pytest.mark.parametrize("stored", [["not", "a", "mapping"], {"PATH": "a digest"}, {"PATH": [1, 2, 3]}, {"PATH": "STAMP+NUMBER"}])
def test_stamps_of_the_wrong_shape_are_not_trusted(tmp_path, monkeypatch, stored):
    """Signed, so only iacguard wrote them; a stamp of another shape still never
    stands for the file's content."""
    cache_module, path, first = _stamped(tmp_path, monkeypatch, margin=-(10**18))
    status = path.stat()
    stamp = [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]
    if isinstance(stored, dict):
        stored = {str(path): stamp + [5] if value == "STAMP+NUMBER" else value for value in stored.values()}
    cache = Cache(tmp_path / "cache", path.parent)
    cache.put("stamps", "files", stored)
    assert Cache(tmp_path / "cache", path.parent).file_digest(str(path), 1 << 20) == first


@pytest.mark.parametrize("appears", ["file", "broken link", "folder"])
def test_a_path_remembered_absent_is_looked_for_again_once_its_folder_changes(tmp_path, monkeypatch, appears):
    """An absent path is remembered with its folder's stamp, which an entry made in
    the folder changes: what appears there is seen (a broken link has no digest)."""
    _, path, _ = _stamped(tmp_path, monkeypatch, margin=-(10**18))
    absent = path.parent / "main.parameters.json"
    cache = Cache(tmp_path / "cache", path.parent)
    assert cache.file_digest(str(absent), 1 << 20) == "absent"
    cache.keep_stamps()
    assert Cache(tmp_path / "cache", path.parent).file_digest(str(absent), 1 << 20) == "absent"
    time.sleep(0.05)
    if appears == "file":
        absent.write_text("{}")
    elif appears == "broken link":
        absent.symlink_to(tmp_path / "nowhere")
    else:
        absent.mkdir()
    expected = None if appears == "broken link" else file_digest(str(absent), 1 << 20)
    assert expected != "absent" and Cache(tmp_path / "cache", path.parent).file_digest(str(absent), 1 << 20) == expected


def test_a_folder_remembered_is_listed_again_once_an_entry_is_added(tmp_path, monkeypatch):
    _, path, _ = _stamped(tmp_path, monkeypatch, margin=-(10**18))
    cache = Cache(tmp_path / "cache", path.parent)
    before = cache.file_digest(str(path.parent), 1 << 20)
    cache.keep_stamps()
    time.sleep(0.05)
    (path.parent / "variables.tf").write_text("")
    after = Cache(tmp_path / "cache", path.parent).file_digest(str(path.parent), 1 << 20)
    assert after != before and after == file_digest(str(path.parent), 1 << 20)


POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext: {privileged: true}\n"


def test_a_format_told_by_content_is_kept_while_the_file_keeps_its_stamp(cli, tmp_path, cached, monkeypatch):
    """A YAML file is told by its content once; later runs tell it by its stamp
    without reading it to sniff, until its content changes. That a file is of no
    format is kept too. The search for the files' users tells the files it walks
    among each format's alone (is this a Compose file?): kept apart, never taken
    for the scan's."""
    from iacguard import cache as cache_module
    from iacguard import discovery

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))
    (tmp_path / "pod.yaml").write_text(POD)
    (tmp_path / "ci.yaml").write_text("steps:\n  - run: make\n")
    sniffed = []
    content = discovery._content
    monkeypatch.setattr(discovery, "_content", lambda path, *args: sniffed.append(path.name) or content(path, *args))

    def scan():
        sniffed.clear()
        return rules_found(cli, tmp_path, "--select", "IG202", "pod.yaml", "ci.yaml"), sorted(set(sniffed))

    assert scan() == ([("IG202", 8)], ["ci.yaml", "pod.yaml"])
    assert scan() == ([("IG202", 8)], [])
    time.sleep(0.05)  # past a tick of the clock that stamps files
    (tmp_path / "pod.yaml").write_text(POD.replace("kind: Pod", "kind: NotAPod").replace("apiVersion: v1", "steps: v1"))
    assert scan() == ([], ["pod.yaml"])
    (tmp_path / "ci.yaml").write_text(POD)
    assert scan() == ([("IG202", 8)], ["ci.yaml"])
    assert scan() == ([("IG202", 8)], [])


def test_a_format_told_just_after_a_change_is_told_again_next_time(cli, tmp_path, monkeypatch):
    """The file could change again within the same tick of the clock, unseen."""
    from iacguard import discovery

    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "pod.yaml").write_text(POD)
    sniffed = []
    content = discovery._content
    monkeypatch.setattr(discovery, "_content", lambda path, *args: sniffed.append(path.name) or content(path, *args))
    for _ in range(2):
        assert rules_found(cli, tmp_path / "repo", "--select", "IG202", "--cache-dir", str(tmp_path / "cache"), "pod.yaml") == [("IG202", 8)]
    assert sniffed == ["pod.yaml", "pod.yaml"]


def test_stamps_past_the_most_kept_leave_the_oldest_out(tmp_path, monkeypatch):
    """A store keeps at most `MAX_STAMPS` paths: a file whose stamp changed counts
    once, and past the bound this run's stamps are kept, those before left out."""
    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))
    monkeypatch.setattr(cache_module, "MAX_STAMPS", 3)
    repo = tmp_path / "repo"
    repo.mkdir()
    paths = [repo / name for name in ("a.tf", "b.tf", "c.tf", "d.tf")]

    def digest_of(*files) -> list[str]:
        cache = Cache(tmp_path / "cache", repo)
        for path in files:
            cache.file_digest(str(path), 1 << 20)
        cache.keep_stamps()
        return sorted(os.path.basename(key) for key in Cache(tmp_path / "cache", repo).get("stamps", "files"))

    for path in paths:
        path.write_text(APP)
    assert digest_of(*paths[:3]) == ["a.tf", "b.tf", "c.tf"]
    time.sleep(0.05)
    paths[0].write_text(APP.replace("api", "ipa"))
    assert digest_of(paths[0]) == ["a.tf", "b.tf", "c.tf"]
    assert digest_of(paths[3]) == ["d.tf"]
