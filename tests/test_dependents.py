"""A scan of a changed file also checks the files that use it (`iacguard.dependents`),
as a pre-commit hook needs: in `testdata/dependents`, each change makes a file other
than the changed one report a finding."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time

import pytest

from iacguard import dependents
from iacguard.helm.render import find_renderer
from support import DEPENDENCY_CHANGES, DEPENDENTS, apply_change

PARTS = {"terraform-override", "terraform-template", "kustomize-patch", "kustomize-base", "helm-values", "compose-override", "compose-dotenv", "compose-env-file", "compose-extends", "compose-include-merged"}  # checked only through their user, even with --no-dependents


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(DEPENDENTS, tmp_path / "repo")
    return tmp_path / "repo"


def hook(cli, repo, *files, options=()):
    return cli("scan", "--hook", "-v", "--root", ".", *options, "--", *files, cwd=repo)


def needs_renderer(change):
    if change.kind == "helm-values" and find_renderer() is None:
        pytest.skip("no Helm renderer: pip install 'iacguard-lint[helm]'")


@pytest.mark.parametrize("change", DEPENDENCY_CHANGES, ids=lambda change: change.kind)
def test_a_change_alone_rechecks_what_uses_it(change, cli, repo):
    needs_renderer(change)
    assert hook(cli, repo, change.changed).code == 0
    apply_change(repo, change)
    run = hook(cli, repo, change.changed)
    assert run.code == 1, run.out + run.err
    assert [line.split(" [")[0] for line in run.lines if " IG" in line] == [change.finding]
    assert f"iacguard: {change.reason}\n" in run.err


@pytest.mark.parametrize("change", DEPENDENCY_CHANGES, ids=lambda change: change.kind)
def test_no_dependents_checks_only_the_files_given(change, cli, repo):
    """A file that is part of a chart or an overlay is still checked through it."""
    needs_renderer(change)
    apply_change(repo, change)
    run = hook(cli, repo, change.changed, options=("--no-dependents",))
    assert run.code == (1 if change.kind in PARTS else 0), run.out + run.err
    assert ("also checking" in run.err) == (change.kind in PARTS)


def test_a_whole_scan_reports_a_module_once_at_its_caller(cli, repo):
    """The module folder scanned on its own (its default is secure) and its caller
    (which sets the value): one finding, at the caller's argument."""
    apply_change(repo, DEPENDENCY_CHANGES[2])
    run = cli("scan", "--root", ".", "module", cwd=repo)
    assert run.code == 1
    assert run.lines[:-1] == ["module/envs/prod/main.tf:3:16: IG501 [high] https_only is false, so the app also serves plain HTTP "
                              "(module.web.azurerm_linux_web_app.app) via module/modules/web/main.tf:10, module/modules/web/main.tf:1"]


@pytest.mark.parametrize("fmt", ["terraform", "bicep"])
def test_a_module_scanned_alone_does_not_repeat_its_callers_finding(fmt, cli, repo):
    """The module's insecure default applies through a caller that leaves it unset:
    reported there, and not again for the module file scanned on its own. A module
    that nothing calls is checked on its own as before."""
    if fmt == "terraform":
        (repo / "module/modules/web/main.tf").write_text((repo / "module/modules/web/main.tf").read_text()
                                                          .replace("default = true", "default = false").replace("= true", "= var.https_only"))
        (repo / "module/envs/prod/main.tf").write_text('module "web" {\n  source = "../../modules/web"\n}\n')
        changed, expected = "module/modules/web/main.tf", ["module/modules/web/main.tf:2:13: IG501"]
        alone = ["module/modules/web/main.tf:10:25: IG501"]
    else:
        (repo / "bicepmodule/site.bicep").write_text((repo / "bicepmodule/site.bicep").read_text()
                                                      .replace("= true", "= false").replace("httpsOnly: true", "httpsOnly: httpsOnly"))
        (repo / "bicepmodule/main.bicep").write_text("module site './site.bicep' = {\n  name: 'site'\n}\n")
        changed, expected = "bicepmodule/site.bicep", ["bicepmodule/site.bicep:1:24: IG501"]
        alone = ["bicepmodule/site.bicep:7:16: IG501"]
    run = hook(cli, repo, changed)
    assert [line.split(" [")[0] for line in run.lines if " IG" in line] == expected
    assert any("(module." in line for line in run.lines)
    run = hook(cli, repo, changed, options=("--no-dependents",))
    assert [line.split(" [")[0] for line in run.lines if " IG" in line] == alone


def test_a_module_is_paired_with_its_own_source(cli, repo):
    """A module whose source is an expression is no local call, and never takes the
    source of the module block after it."""
    (repo / "module/envs/prod/main.tf").write_text('module "elsewhere" {\n  source = var.where\n}\n'
                                                   'module "web" {\n  source     = "../../modules/web"\n  https_only = false\n}\n')
    run = hook(cli, repo, DEPENDENCY_CHANGES[2].changed)
    assert "iacguard: also checking module/envs/prod/main.tf: it calls module/modules/web as module web\n" in run.err, run.err


def test_excluded_and_ignored_users_are_not_checked(cli, repo):
    """Callers are found by the scan's own walk, which passes over them; a file of the
    changed file's folder is looked at, and `-v` says why it was passed over."""
    module = DEPENDENCY_CHANGES[2]
    apply_change(repo, module)
    assert hook(cli, repo, module.changed, options=("--exclude", "module/envs")).code == 0
    variables = DEPENDENCY_CHANGES[1]
    apply_change(repo, variables)
    excluded = hook(cli, repo, variables.changed, options=("--exclude", "variables/main.tf"))
    assert excluded.code == 0
    assert ("iacguard: skipped variables/main.tf: excluded by configuration, so it is not checked although it shares the "
            "variables and locals of variables/variables.tf") in excluded.err
    (repo / ".gitignore").write_text("envs/\n")
    (repo / "module" / ".gitignore").write_text("main.tf\n!modules/web/main.tf\n")
    (repo / "variables" / ".gitignore").write_text("main.tf\n")
    assert hook(cli, repo, module.changed).code == 0
    ignored = hook(cli, repo, variables.changed)
    assert ignored.code == 0
    assert "iacguard: skipped variables/main.tf: matched by variables/.gitignore:1, so it is not checked although" in ignored.err


def test_a_user_that_cannot_be_read_fails_the_hook(cli, repo):
    """A file that might call the changed module but cannot be read is checked, so
    that its own read error fails the run: never dropped silently."""
    change = DEPENDENCY_CHANGES[2]
    (repo / "module/envs/broken.tf").write_bytes(b"module \x00\x01 binary")
    run = hook(cli, repo, change.changed)
    assert run.code == 4, run.out + run.err
    assert "also checking module/envs/broken.tf: it could not be read to tell which files it calls" in run.err
    assert "module/envs/broken.tf" in run.out and "IG001" in run.out


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_user_outside_the_scan_root_is_refused(cli, repo, tmp_path):
    outside = tmp_path / "outside.tf"
    outside.write_text('resource "azurerm_linux_web_app" "x" {\n  https_only = var.https_only\n}\n')
    os.symlink(outside, repo / "variables" / "linked.tf")
    run = hook(cli, repo, "variables/variables.tf")
    assert run.code == 4, run.out + run.err
    assert "variables/linked.tf: IG001 [error] outside the scan root" in run.out


def test_the_search_is_bounded(cli, repo, monkeypatch):
    monkeypatch.setattr(dependents, "MAX_DEPENDENTS", 1)
    (repo / "variables/other.tf").write_text("# another file of the folder\n")
    run = hook(cli, repo, "variables/variables.tf")
    assert run.code == 4, run.out + run.err
    assert "variables/variables.tf: IG004 [error] more than 1 files depend on the files given; the rest are not checked" in run.out


def test_a_whole_root_scan_does_not_search(cli, repo, monkeypatch):
    """The ordinary scan of a repository has every file among its targets already."""
    monkeypatch.setattr(dependents, "find", None)
    assert cli("scan", "--root", ".", ".", cwd=repo).code == 0


def test_the_root_is_walked_only_for_the_uses_asked_for(cli, repo, monkeypatch):
    """With `--no-dependents`, and for the files found in a folder given, only the
    uses through which a file is checked at all are asked for: no format walks the
    root for the callers of a Terraform or Bicep file. A Terraform or Bicep file
    changed alone has its callers looked up among its own format's files only (no
    compose file reads it as an env file, an included file or a Dockerfile, and no
    Terraform file renders a Bicep file as a template)."""
    walked = []
    files = dependents.Tree.files
    monkeypatch.setattr(dependents.Tree, "files", lambda self, fmt: walked.append(fmt.name) or files(self, fmt))
    assert hook(cli, repo, "module/modules/web/main.tf", "bicepmodule/site.bicep", options=("--no-dependents",)).code == 0
    assert cli("scan", "--root", ".", "module", "bicepmodule", cwd=repo).code == 0
    assert walked == []
    assert hook(cli, repo, "module/modules/web/main.tf").code == 0
    assert hook(cli, repo, "bicepmodule/site.bicep").code == 0
    assert walked == ["terraform", "terraform-json", "bicep"]  # the module's callers are `.tf` and `.tf.json` files


def test_an_include_s_project_directory_is_where_its_files_read_from(cli, repo):
    """With `project_directory`, every file an `include` merges (the first too) reads
    its relative paths from that folder: a change there re-checks the including file."""
    folder = repo / "composeinclude"
    (folder / "compose.yaml").write_text("include:\n  - path: shared/base.yaml\n    project_directory: config\n")
    (folder / "shared" / "base.yaml").write_text("services:\n  app:\n    image: registry.example.com/app:1.4\n    env_file: app.env\n")
    (folder / "config").mkdir()
    (folder / "config" / "app.env").write_text("MODE=safe\nAPI_TOKEN=9f2c41d7e8ab\n")
    run = hook(cli, repo, "composeinclude/config/app.env")
    assert [line.split(" [")[0] for line in run.lines if " IG" in line] == ["composeinclude/config/app.env:2:1: IG210"], run.out + run.err
    assert ("iacguard: also checking composeinclude/compose.yaml: it includes composeinclude/shared/base.yaml, "
            "which reads composeinclude/config/app.env as an env_file from composeinclude/config\n") in run.err


def test_a_terraform_json_file_calls_modules_and_reads_templates(cli, repo):
    """A `.tf.json` caller is followed like a `.tf` one, for its module calls and the
    templates its strings read."""
    (repo / "module/envs/prod/main.tf").unlink()
    (repo / "module/envs/prod/main.tf.json").write_text(
        '{"module": {"web": {"source": "../../modules/web", "https_only": false}}}\n')
    change = DEPENDENCY_CHANGES[2]
    apply_change(repo, change)
    run = hook(cli, repo, change.changed)
    assert run.code == 1, run.out + run.err
    assert "iacguard: also checking module/envs/prod/main.tf.json: it calls module/modules/web as module web\n" in run.err
    (repo / "template/main.tf").unlink()
    (repo / "template/main.tf.json").write_text(json.dumps({"resource": {"azurerm_linux_web_app": {"app": {
        "name": "app", "location": "westeurope", "resource_group_name": "rg", "service_plan_id": "plan",
        "https_only": '${trimspace(templatefile("${path.module}/https.tftpl", { enabled = true })) == "true"}',
        "site_config": {}}}}}))
    run = hook(cli, repo, "template/https.tftpl")
    assert "iacguard: also checking template/main.tf.json: it reads template/https.tftpl with templatefile\n" in run.err, run.err


def test_a_template_path_built_from_variables_names_the_files_it_can_match(cli, repo):
    """What the path writes out (its folder and the start and end of the name) decides
    which files it can read; nothing outside the module's folder."""
    main = repo / "template/main.tf"
    main.write_text(main.read_text().replace('"${path.module}/https.tftpl"', '"${path.module}/kinds/web-${var.kind}.tftpl"'))
    (repo / "template/kinds").mkdir()
    for name in ("web-linux.tftpl", "web-windows.tftpl", "db-linux.tftpl", "web-linux.txt"):
        (repo / "template/kinds" / name).write_text("${enabled}\n")
    (repo / "template/https.tftpl").rename(repo / "template/kinds/web-https.tftpl")
    reads = {}
    for name in ("web-linux.tftpl", "web-windows.tftpl", "db-linux.tftpl", "web-linux.txt"):
        run = hook(cli, repo, f"template/kinds/{name}")
        reads[name] = "also checking template/main.tf: it reads template/kinds/web-*.tftpl with templatefile" in run.err
    assert reads == {"web-linux.tftpl": True, "web-windows.tftpl": True, "db-linux.tftpl": False, "web-linux.txt": False}
    (repo / "template/kinds/web-linux.tftpl").write_text("false\n")
    run = hook(cli, repo, "template/kinds/web-linux.tftpl")
    assert run.code == 0  # `var.kind` is unknown: the template is not evaluated, so nothing is reported
    main.write_text(main.read_text().replace('"${path.module}/kinds/web-${var.kind}.tftpl"', '"${path.module}/../${var.kind}.tftpl"'))
    (repo / "outside.tftpl").write_text("${enabled}\n")
    assert "also checking" not in hook(cli, repo, "outside.tftpl").err


def _tree(repo, parts_only=False, cache=None, cwd=None, config_folder=None, **settings):
    from pathlib import Path

    from iacguard.discovery import Discovery
    from iacguard.formats import ScanContext
    from iacguard.plugins import load_registry

    registry = load_registry(autoload=False)
    discovery = Discovery(list(registry.formats.values()), Path(cwd or repo), Path(config_folder or repo), scan_root=Path(repo), **settings)
    return dependents.Tree(discovery, Path(repo), ScanContext(root=Path(repo)), parts_only=parts_only, cache=cache), registry


def _walks(monkeypatch) -> list:
    """The walks made from now on, one item each."""
    from iacguard.discovery import Discovery

    made, walk = [], Discovery._walk
    monkeypatch.setattr(Discovery, "_walk", lambda self, *args, **kwargs: made.append(args[0]) or walk(self, *args, **kwargs))
    return made


def _kustomizations(repo, tmp_path, walks, shared=False, **settings) -> list[str]:
    """The kustomizations a walk of `repo` finds, with the cache in `tmp_path`, as
    the walk for Kustomize alone (`--no-dependents`) or the one shared by every
    format sees them, with discovery's `settings`; `walks` says whether a walk was
    made."""
    from iacguard.cache import Cache

    before = len(walks)
    tree, registry = _tree(repo, parts_only=not shared, cache=Cache(tmp_path / "cache", repo), **settings)
    found = [path.relative_to(repo).as_posix() for path in tree.files(registry.formats["kustomize"])]
    return [*found, "walked" if len(walks) > before else "remembered"]


CHANGES_TO_A_WALK = {
    "kustomization added": lambda repo: (repo / "new").mkdir() or (repo / "new" / "kustomization.yaml").write_text("resources: []\n"),
    "kustomization removed": lambda repo: (repo / "kustomize/base/kustomization.yaml").unlink(),
    "folder renamed": lambda repo: (repo / "kustomize/overlays").rename(repo / "kustomize/variants"),
    "folder ignored": lambda repo: (repo / ".gitignore").write_text("base/\n"),
    "ignored folder let in": lambda repo: (repo / "kustomize/.gitignore").write_text("#verlays/\n"),  # the same size
}


@pytest.mark.parametrize("shared", [False, True], ids=["parts only", "shared"])
@pytest.mark.parametrize("change", CHANGES_TO_A_WALK)
def test_a_walk_kept_in_the_cache_is_used_until_a_folder_listed_or_gitignore_read_changes(repo, tmp_path, monkeypatch, change, shared):
    """The second walk is told by the status of the folders the first listed; an
    entry added, removed or renamed in any of them, or a `.gitignore` file changed
    in content alone, makes a walk again, which finds what a walk without the cache
    finds."""
    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))  # every status old enough to be trusted
    (repo / "kustomize/.gitignore").write_text("overlays/\n")
    walks = _walks(monkeypatch)
    first = _kustomizations(repo, tmp_path, walks, shared)
    assert first == ["kustomize/base/kustomization.yaml", "walked"]
    assert _kustomizations(repo, tmp_path, walks, shared) == ["kustomize/base/kustomization.yaml", "remembered"]
    time.sleep(0.05)  # past a tick of the clock that stamps files
    CHANGES_TO_A_WALK[change](repo)
    again = _kustomizations(repo, tmp_path, walks, shared)
    tree, registry = _tree(repo, parts_only=not shared)
    assert again == [*(path.relative_to(repo).as_posix() for path in tree.files(registry.formats["kustomize"])), "walked"]
    assert again != first
    assert _kustomizations(repo, tmp_path, walks, shared) == [*again[:-1], "remembered"]


def test_a_walk_is_not_kept_when_it_met_a_link_or_a_folder_changed_just_before(repo, tmp_path, monkeypatch):
    """Where a link leads is no status of a folder listed, and a folder changed within
    `STAMP_MARGIN` of the run could change again unseen."""
    from iacguard import cache as cache_module

    walks = _walks(monkeypatch)
    assert _kustomizations(repo, tmp_path, walks)[-1] == _kustomizations(repo, tmp_path, walks)[-1] == "walked"  # the copy is new
    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))
    (repo / "linked").symlink_to(repo / "kustomize")
    assert _kustomizations(repo, tmp_path, walks)[-1] == _kustomizations(repo, tmp_path, walks)[-1] == "walked"
    (repo / "linked").unlink()
    assert _kustomizations(repo, tmp_path, walks)[-1] == "walked"
    assert _kustomizations(repo, tmp_path, walks)[-1] == "remembered"


def test_a_parts_only_walk_finds_the_files_the_shared_walk_finds(repo):
    """With `--no-dependents` a format walks for its own files alone; what it finds is
    what the walk shared by every format finds: the same excludes, `.gitignore`
    files, links and chart files passed over."""
    (repo / ".gitignore").write_text("ignored/\n")
    (repo / "ignored").mkdir()
    (repo / "ignored" / "kustomization.yaml").write_text("resources: [a.yaml]\n")
    (repo / "linked").symlink_to(repo / "kustomize")
    (repo / "chart" / "templates" / "kustomization.yaml").write_text("resources: []\n")
    shared, registry = _tree(repo)
    alone, _ = _tree(repo, parts_only=True)
    for name in ("kustomize", "terraform", "compose"):
        found = alone.files(registry.formats[name])
        assert found == shared.files(registry.formats[name]) and found, name
    assert not any("ignored" in str(path) or "templates" in str(path) for path in alone.files(registry.formats["kustomize"]))


def test_real_paths_are_resolved_per_folder_as_the_system_would(repo):
    tree, _ = _tree(repo)
    (repo / "folder-link").symlink_to(repo / "kustomize")
    (repo / "kustomize" / "file-link.yaml").symlink_to(repo / "compose" / "compose.yaml")
    (repo / "kustomize" / "dangling.yaml").symlink_to(repo / "nowhere" / "x.yaml")
    (repo / "deep-link").symlink_to(repo / "kustomize" / "overlays")
    for path in ("folder-link/base/deployment.yaml", "folder-link/file-link.yaml", "kustomize/dangling.yaml", "folder-link/../compose",
                 "deep-link/../base/deployment.yaml", "kustomize/missing.yaml", "folder-link", "deep-link/..", "kustomize/"):
        assert tree.settings.real_path(repo / path) == os.path.realpath(repo / path), path


def test_real_paths_of_folders_written_with_links_and_dots_are_the_system_s_in_any_order(repo):
    """A folder is resolved from the nearest folder above it already resolved: links
    among the steps, chains of links, relative ones, loops, missing folders and `..`
    past them resolve as the system resolves the whole name, whichever names were
    asked about first."""
    (repo / "overlays-link").symlink_to("kustomize/overlays")  # relative
    (repo / "chain").symlink_to(repo / "overlays-link")
    (repo / "loop-a").symlink_to(repo / "loop-b")
    (repo / "loop-b").symlink_to(repo / "loop-a")
    (repo / "kustomize" / "up").symlink_to("..")
    names = ["chain/../base/deployment.yaml", "chain/prod/../../base/kustomization.yaml", "overlays-link/../../compose/compose.yaml",
             "kustomize/up/kustomize/up/terraform/main.tf", "loop-a/x/../y.yaml", "loop-b/z.yaml", "missing/deeper/../../kustomize/base/a.yaml",
             "kustomize/overlays/prod/./../../base/./deployment.yaml", "chain/prod/" + "../" * 300 + "etc/hosts",
             "kustomize/base/deployment.yaml/../kustomization.yaml", "chain/..", "loop-a/.", "kustomize/up/"]
    for order in (names, names[::-1], names[1::2] + names[::2]):
        tree, _ = _tree(repo)
        for name in order:
            assert tree.settings.real_path(repo / name) == os.path.realpath(repo / name), name


def test_real_paths_of_files_asked_again_are_the_system_s_until_the_reads_are_forgotten(repo, monkeypatch):
    """A file's real path is remembered for the rest of the scan, a relative name by
    the folder it was asked from; a context that forgets its reads (a language server,
    after files changed) resolves it again."""
    from iacguard.formats import ScanContext

    context = ScanContext(root=repo)
    (repo / "kustomize" / "file-link.yaml").symlink_to(repo / "compose" / "compose.yaml")
    (repo / "compose" / "file-link.yaml").symlink_to("../terraform/main.tf")
    names = ["kustomize/file-link.yaml", "compose/file-link.yaml", "kustomize/base/deployment.yaml", "kustomize/missing.yaml"]
    for _ in range(2):
        for name in names:
            assert context.real_path(repo / name) == context.real_path(str(repo / name)) == os.path.realpath(repo / name), name
    for folder in ("kustomize", "compose"):
        monkeypatch.chdir(repo / folder)
        assert context.real_path("file-link.yaml") == os.path.realpath("file-link.yaml"), folder
    (repo / "kustomize" / "file-link.yaml").unlink()
    (repo / "kustomize" / "file-link.yaml").symlink_to(repo / "terraform" / "main.tf")
    context.forget_reads()
    assert context.real_path(repo / "kustomize" / "file-link.yaml") == os.path.realpath(repo / "terraform" / "main.tf")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_of_another_name_to_a_patch_is_checked_through_the_overlay(cli, repo):
    """The overlays are looked up by the real path of a file given; one whose name no
    kustomization names is still resolved when it is a link."""
    change = next(change for change in DEPENDENCY_CHANGES if change.kind == "kustomize-patch")
    apply_change(repo, change)
    (repo / "kustomize" / "alias.yaml").symlink_to(repo / change.changed)
    run = hook(cli, repo, "kustomize/alias.yaml", options=("--no-dependents",))
    assert "iacguard: also checking kustomize/overlays/prod/kustomization.yaml: it uses kustomize/alias.yaml as a patch\n" in run.err, run.err
    assert run.code == 1


def test_a_scan_with_a_cache_walks_for_the_overlays_of_a_file_once_while_the_tree_is_unchanged(cli, repo, tmp_path, monkeypatch):
    """A list of files given with `--no-dependents` still looks for the overlays they
    are part of: the walk is kept in the scan's cache, and a kustomization added
    later is found."""
    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    walks = _walks(monkeypatch)
    options = ("--no-dependents", "--cache-dir", str(tmp_path / "cache"))
    given = ("kustomize/overlays/prod/patch.yaml", "bicepmodule/site.bicep")
    for _ in range(2):
        run = hook(cli, repo, *given, options=options)
        assert "iacguard: also checking kustomize/overlays/prod/kustomization.yaml: " in run.err, run.err
    assert len(walks) == 1
    time.sleep(0.05)
    (repo / "kustomize/overlays/dev").mkdir()
    (repo / "kustomize/overlays/dev/kustomization.yaml").write_text("resources:\n  - ../../base\npatches:\n  - path: ../prod/patch.yaml\n")
    run = hook(cli, repo, *given, options=options)
    assert "iacguard: also checking kustomize/overlays/dev/kustomization.yaml: " in run.err, run.err
    assert len(walks) == 2


@pytest.mark.parametrize("settings", [{"exclude": ("kustomize/base",)}, {"gitignore": False}, "working folder"],
                         ids=["excludes", "isolated", "working folder"])
def test_a_walk_kept_with_some_settings_is_not_used_with_others(repo, tmp_path, monkeypatch, settings):
    """What a walk passes over follows from the excludes, the folders they are
    relative to (a path outside the config's folder is matched from the working
    folder) and whether `.gitignore` files apply: a walk is kept for the settings
    that made it."""
    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))
    (repo / "kustomize/.gitignore").write_text("overlays/\n")
    walks = _walks(monkeypatch)
    first = {}
    if settings == "working folder":  # a config in another folder: its excludes are matched from the working folder
        first = {"config_folder": repo / "bicepmodule", "exclude": ("kustomize/base",)}
        settings = {**first, "cwd": repo / "kustomize"}
        assert _kustomizations(repo, tmp_path, walks, **first) == ["walked"]
    assert _kustomizations(repo, tmp_path, walks) == ["kustomize/base/kustomization.yaml", "walked"]
    found = _kustomizations(repo, tmp_path, walks, **settings)
    tree, registry = _tree(repo, parts_only=True, **settings)
    assert found == [*(path.relative_to(repo).as_posix() for path in tree.files(registry.formats["kustomize"])), "walked"]
    assert found != (["walked"] if first else ["kustomize/base/kustomization.yaml", "walked"])
    assert _kustomizations(repo, tmp_path, walks, **settings) == [*found[:-1], "remembered"]


def test_a_walk_kept_is_not_used_once_a_format_s_code_changes(repo, tmp_path, monkeypatch):
    """Which files a walk keeps follows from the formats' claims by name: a plugin's
    format edited or upgraded (its module's modification time) walks again."""
    import importlib.util
    from pathlib import Path

    from iacguard.cache import Cache
    from iacguard.discovery import Discovery
    from iacguard.formats import ScanContext
    from iacguard import cache as cache_module

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))
    (repo / "app.jsonnet").write_text("{}\n")
    (repo / "lib.libsonnet").write_text("{}\n")
    plugin = tmp_path / "jsonnet_format.py"

    def walk(suffixes: str) -> list[str]:
        plugin.write_text("from iacguard.formats import Claim\n\n\nclass JsonnetFormat:\n    name = 'jsonnet'\n\n"
                          f"    def claim(self, filename):\n        return Claim.YES if filename.endswith({suffixes}) else Claim.NO\n")
        os.utime(plugin, ns=(time.time_ns(), time.time_ns()))
        spec = importlib.util.spec_from_file_location("jsonnet_format", plugin)
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, "jsonnet_format", module)
        spec.loader.exec_module(module)
        discovery = Discovery([module.JsonnetFormat()], Path(repo), Path(repo), scan_root=Path(repo))
        tree = dependents.Tree(discovery, Path(repo), ScanContext(root=Path(repo)), cache=Cache(tmp_path / "cache", repo))
        return sorted(path.name for path in tree.candidates(discovery))

    assert walk("'.jsonnet'") == walk("'.jsonnet'") == ["app.jsonnet"]
    time.sleep(0.05)
    assert walk("('.jsonnet', '.libsonnet')") == ["app.jsonnet", "lib.libsonnet"]


def test_a_walk_past_the_most_statuses_kept_is_not_kept_nor_are_its_statuses_held(repo, tmp_path, monkeypatch):
    """A tree of more folders than `MAX_STAMPS` is walked every time, and its walk
    holds no more statuses than that."""
    from iacguard import cache as cache_module
    from iacguard import discovery

    monkeypatch.setattr(cache_module, "STAMP_MARGIN", -(10**18))
    monkeypatch.setattr(discovery, "MAX_STAMPS", 5)
    walks = _walks(monkeypatch)
    assert _kustomizations(repo, tmp_path, walks)[-1] == _kustomizations(repo, tmp_path, walks)[-1] == "walked"
    tree, _ = _tree(repo)
    looked_at: list = []
    list(tree.discovery.candidates(repo, looked_at))
    assert len(looked_at) == 6 and looked_at[-1] is None
    monkeypatch.setattr(discovery, "MAX_STAMPS", 10_000)
    assert _kustomizations(repo, tmp_path, walks)[-1] == "walked"
    assert _kustomizations(repo, tmp_path, walks)[-1] == "remembered"
