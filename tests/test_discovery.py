"""Which files a scan reads: names, content sniffing, ignores, excludes, links."""

import json
import os

import pytest

DOCKERFILE = "FROM alpine:3.20\nEXPOSE 22\n"


def scanned(cli, root, *args):
    run = cli("scan", "--select", "IG304", *args, cwd=root)
    return [line.split(":", 1)[0] for line in run.lines[:-1]]


def write(root, relative, text=DOCKERFILE):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_names_and_sniffing(cli, tmp_path):
    for name in ("Dockerfile", "Containerfile", "api.Dockerfile", "web.dockerfile", "Dockerfile.prod", "b/dockerfile"):
        write(tmp_path, name)
    write(tmp_path, "Dockerfile.dockerignore", "node_modules\n")
    write(tmp_path, "Dockerfile.md", "# Notes\nSome text\n")
    write(tmp_path, "README.md", "FROM alpine\n")
    assert scanned(cli, tmp_path) == [
        "Containerfile", "Dockerfile", "Dockerfile.prod", "api.Dockerfile", "b/dockerfile", "web.dockerfile",
    ]


def test_walk_is_deterministic_and_skips_tool_folders(cli, tmp_path):
    for name in ("z/Dockerfile", "a/Dockerfile", "m/n/Dockerfile", ".git/Dockerfile", "node_modules/x/Dockerfile"):
        write(tmp_path, name)
    assert scanned(cli, tmp_path) == ["a/Dockerfile", "m/n/Dockerfile", "z/Dockerfile"]


def test_gitignore_files_are_honoured_when_walking(cli, tmp_path):
    write(tmp_path, ".gitignore", "build/\n*.gen.Dockerfile\n")
    write(tmp_path, "build/Dockerfile")
    write(tmp_path, "x.gen.Dockerfile")
    write(tmp_path, "svc/.gitignore", "legacy/\n!keep.gen.Dockerfile\n")
    write(tmp_path, "svc/legacy/Dockerfile")
    write(tmp_path, "svc/keep.gen.Dockerfile")
    write(tmp_path, "svc/Dockerfile")
    assert scanned(cli, tmp_path) == ["svc/Dockerfile", "svc/keep.gen.Dockerfile"]
    # A file named explicitly is scanned even when git ignores it.
    assert scanned(cli, tmp_path, "build/Dockerfile") == ["build/Dockerfile"]


def test_config_excludes_apply_to_walks_and_named_files(cli, tmp_path):
    (tmp_path / ".git").mkdir()  # as under a pre-commit hook: named files, config at the top of the work tree
    write(tmp_path, ".iacguard.yaml", "exclude: [vendor/, '*.test.Dockerfile']\n")
    write(tmp_path, "vendor/Dockerfile")
    write(tmp_path, "a.test.Dockerfile")
    write(tmp_path, "app/Dockerfile")
    assert scanned(cli, tmp_path) == ["app/Dockerfile"]
    assert scanned(cli, tmp_path, "vendor/Dockerfile", "a.test.Dockerfile", "app/Dockerfile") == ["app/Dockerfile"]
    assert scanned(cli, tmp_path, "--exclude", "app/") == []


def test_excludes_are_relative_to_the_config_file(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".iacguard.yaml", "exclude: [/app/]\n")
    write(tmp_path, "app/Dockerfile")
    write(tmp_path, "lib/app/Dockerfile")
    assert scanned(cli, tmp_path / "lib", ".") == ["app/Dockerfile"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_symlinks_stay_inside_the_root_and_never_loop(cli, tmp_path):
    outside = tmp_path / "outside"
    write(outside, "Dockerfile")
    root = tmp_path / "root"
    write(root, "app/Dockerfile")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "app" / "again").symlink_to(root / "app", target_is_directory=True)
    (root / "escape").symlink_to(outside, target_is_directory=True)
    (root / "escape.Dockerfile").symlink_to(outside / "Dockerfile")
    (root / "alias.Dockerfile").symlink_to(root / "app" / "Dockerfile")
    # A link to a scanned file does not scan it twice; a file of ours by its name
    # that leads out of the root is reported, unread, and fails the run.
    assert scanned(cli, root) == ["app/Dockerfile", "escape.Dockerfile"]
    (root / "self.Dockerfile").symlink_to(root / "self.Dockerfile")
    (root / "dangling.Dockerfile").symlink_to(root / "gone")
    (root / "dangling.txt").symlink_to(root / "gone")
    run = cli("scan", "-v", "--format", "json", cwd=root)
    assert run.code == 4
    assert [(e["path"], e["code"], e["message"]) for e in json.loads(run.out)["errors"]] == [
        ("dangling.Dockerfile", "IG001", "symbolic link is broken or loops on itself"),
        ("escape.Dockerfile", "IG001", "symbolic link leads outside the scan root"),
        ("self.Dockerfile", "IG001", "symbolic link is broken or loops on itself"),
    ]
    assert "iacguard: skipped escape: symbolic link leads outside the scan root" in run.err
    assert "iacguard: skipped loop: symbolic link leads to a folder scanned already (a loop or an alias)" in run.err
    assert "iacguard: skipped app/again: symbolic link leads to a folder scanned already (a loop or an alias)" in run.err
    assert "iacguard: skipped dangling.txt: symbolic link is broken or loops on itself" in run.err


def test_unrecognised_named_files_are_skipped_quietly(cli, tmp_path):
    write(tmp_path, "notes.txt", "hello\n")
    run = cli("scan", "notes.txt", cwd=tmp_path)
    assert (run.code, run.lines) == (0, ["No findings in 0 files."])
    assert "not a recognised" in cli("scan", "-v", "notes.txt", cwd=tmp_path).err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_may_lead_anywhere_inside_the_scan_root(cli, tmp_path):
    """Scanning a folder of a repository, a link to another folder of the same
    repository is inside the scan root: it is scanned, not refused."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, "common/shared.Dockerfile")
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "shared.Dockerfile").symlink_to(tmp_path / "common" / "shared.Dockerfile")
    run = cli("scan", "--select", "IG304", "service", cwd=tmp_path)
    assert run.code == 1 and run.lines[0].startswith("service/shared.Dockerfile:")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_folder_is_scanned_under_its_own_name_and_a_link_to_it_is_the_alias(cli, tmp_path):
    """A link sorted before the folder it leads to does not take the folder's name:
    folders reached through links are walked last, so the note names the link."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, "shared/Dockerfile")
    (tmp_path / "a-link").symlink_to("shared", target_is_directory=True)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "deep").symlink_to("../shared", target_is_directory=True)
    run = cli("scan", "--select", "IG304", "-v", cwd=tmp_path)
    assert [line.split(":", 1)[0] for line in run.lines[:-1]] == ["shared/Dockerfile"]
    assert [line for line in run.err.splitlines() if "scanned already" in line] == [
        "iacguard: skipped a-link: symbolic link leads to a folder scanned already (a loop or an alias)",
        "iacguard: skipped app/deep: symbolic link leads to a folder scanned already (a loop or an alias)",
    ]
    # A link is still walked where the folder it leads to is not (outside the folder scanned).
    assert scanned(cli, tmp_path, "app") == ["app/deep/Dockerfile"]


POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx:1.27}]\n"


def test_a_walk_knows_a_chart_s_files_from_each_folder_s_listing_as_a_file_named_alone_is_known(tmp_path):
    from iacguard.discovery import Discovery, Skipped, Target
    from iacguard.plugins import load_registry

    write(tmp_path, "web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")
    write(tmp_path, "web/templates/deploy.yaml", POD)  # the chart's: rendered, never loose
    write(tmp_path, "web/examples/pod.yaml", POD)  # in the chart's folder, not the chart's
    write(tmp_path, "linked/templates/deploy.yaml", POD)
    (tmp_path / "linked/Chart.yaml").symlink_to("../web/Chart.yaml")  # a link to a file counts
    write(tmp_path, "odd/Chart.yaml/pod.yaml", POD)  # a folder of that name does not
    write(tmp_path, "odd/templates/pod.yaml", POD)
    registry = load_registry(autoload=False)
    discovery = Discovery(list(registry.formats.values()), tmp_path, tmp_path, scan_root=tmp_path)
    walked = [(item.display, item.format.name) for item in discovery.targets(["."]) if isinstance(item, Target)]
    assert walked == [
        ("linked/Chart.yaml", "helm"),
        ("odd/Chart.yaml/pod.yaml", "kubernetes"),
        ("odd/templates/pod.yaml", "kubernetes"),
        ("web/Chart.yaml", "helm"),
        ("web/examples/pod.yaml", "kubernetes"),
    ]
    named = Discovery(list(registry.formats.values()), tmp_path, tmp_path, scan_root=tmp_path)  # no walk: a look-up per folder
    files = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file())
    passed_over = [name for name in files if isinstance(named.chart_file(tmp_path / name), Skipped)]
    assert passed_over == ["linked/templates/deploy.yaml", "web/templates/deploy.yaml"]
