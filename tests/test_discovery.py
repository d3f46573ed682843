"""Which files a scan reads: names, content sniffing, ignores, excludes, links."""

import errno
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


LICENCE = "".join(f"# Line {number} of the licence this file is under, which a header repeats.\n" for number in range(120))
PRIVILEGED_POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n{annotations}spec:\n  containers:\n    - name: web\n"
                  "      image: nginx:1.27\n      securityContext:\n        privileged: true\n")
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def codes(cli, root, *args, stdin=None):
    run = cli("scan", "--format", "json", "--select", "IG202,IG201,IG501", *args, cwd=root, stdin=stdin)
    return run.code, sorted({(finding["path"], finding["rule"]) for finding in json.loads(run.out)["findings"]})


def arm_template(schema_last: bool, resources_first: bool = False) -> str:
    """An ARM template of a web app serving plain HTTP, its `$schema` after 9 KB of
    parameters (or of resources, whose `apiVersion` and `kind` a manifest has too)."""
    parameters = {f"name{number}": {"type": "string", "defaultValue": "x" * 60} for number in range(110)}
    site = {"type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "kind": "app,linux", "name": "web", "location": "westeurope",
            "properties": {"httpsOnly": False, "siteConfig": {"appSettings": [{"name": f"S{n}", "value": "v" * 60} for n in range(110)]}}}
    keys = {"resources": [site], "parameters": parameters} if resources_first else {"parameters": parameters, "resources": [site]}
    template = {**keys, "$schema": SCHEMA, "contentVersion": "1.0.0.0"} if schema_last else {"$schema": SCHEMA, **keys}
    return json.dumps(template, indent=2)


def test_a_long_head_hides_no_file_a_format_may_claim_by_its_name(cli, tmp_path):
    """A format told by content is told by the whole text when the head of the file
    (8 KiB) does not settle it: licence comments, or an ARM template's parameters
    before its `$schema`. A scan of the folder, of the file named, and the editor's
    buffer agree."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, "pod.yaml", LICENCE + PRIVILEGED_POD.format(annotations=""))
    write(tmp_path, "Dockerfile.prod", LICENCE + "FROM alpine:3.20\nUSER root\n")
    write(tmp_path, "services.yaml", LICENCE + "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n")
    write(tmp_path, "site.json", arm_template(schema_last=True))
    write(tmp_path, "resources.json", arm_template(schema_last=True, resources_first=True))
    expected = [("Dockerfile.prod", "IG201"), ("pod.yaml", "IG201"), ("pod.yaml", "IG202"), ("resources.json", "IG501"),
                ("services.yaml", "IG202"), ("site.json", "IG501")]
    assert codes(cli, tmp_path) == (1, expected)
    names = sorted({name for name, _ in expected})
    assert codes(cli, tmp_path, "--hook", "--", *names) == (1, expected)
    for name in names:
        buffer = (tmp_path / name).read_text()
        own = [code for path, code in expected if path == name]
        assert codes(cli, tmp_path, "--stdin-filename", name, "-", stdin=buffer) == (1, [(name, code) for code in own])
        assert codes(cli, tmp_path, "-", stdin=buffer) == (1, [("<stdin>", code) for code in own])


def test_only_a_top_level_schema_makes_an_arm_template(cli, tmp_path):
    """An ARM template is JSON whose top-level `$schema` names deploymentTemplate.json;
    the same text in a manifest's annotation, in YAML or JSON, makes none, and a
    `.yaml` file is never one."""
    from iacguard.parsers.arm import is_arm_template

    quoted = PRIVILEGED_POD.format(annotations=f"  annotations:\n    note: '\"$schema\": \"{SCHEMA}\"'\n")
    key = PRIVILEGED_POD.format(annotations=f'  annotations:\n    "$schema": "{SCHEMA}"\n')
    write(tmp_path, "quoted.yaml", quoted)
    write(tmp_path, "key.yaml", key)
    write(tmp_path, "key.json", json.dumps(yaml_load(key), indent=2))
    write(tmp_path, "flow.yaml", json.dumps({"$schema": SCHEMA, **yaml_load(key)}))
    assert codes(cli, tmp_path) == (1, [(name, code) for name in ("flow.yaml", "key.json", "key.yaml", "quoted.yaml") for code in ("IG201", "IG202")])
    assert is_arm_template(f'// a comment\n{{"parameters": {{"p": {{"$schema": "{SCHEMA}"}}}}, "$schema": "{SCHEMA}"}}')
    assert not is_arm_template(f'{{"properties": {{"template": {{"$schema": "{SCHEMA}"}}}}}}')  # a nested deployment's
    assert not is_arm_template(f'[{{"$schema": "{SCHEMA}"}}]') and not is_arm_template(f'{{}}\n{{"$schema": "{SCHEMA}"}}')
    assert not is_arm_template(f'key: 1\n{{"$schema": "{SCHEMA}"}}') and not is_arm_template(f'{{"a": "\\"$schema\\": \\"{SCHEMA}\\""}}')
    # the deployment engine's reader takes single-quoted strings: a bracket in one is text
    assert is_arm_template(f'{{\n  \'note\': \'}}\',\n  "$schema": "{SCHEMA}"}}')


def test_a_manifest_whose_values_stand_on_later_lines_is_a_manifest(cli, tmp_path):
    """YAML lets a value stand on the line after its key, and JSON a colon: kubectl
    applies both, so neither may pass a manifest over."""
    pod = "metadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - {name: app, image: 'app:1.0', securityContext: {privileged: true}}\n"
    write(tmp_path, "pod.yaml", "apiVersion:\n  v1\nkind:\n  Pod\n" + pod)
    write(tmp_path, "pod.json", json.dumps(yaml_load("apiVersion: v1\nkind: Pod\n" + pod), indent=2).replace('"apiVersion": ', '"apiVersion"\n  : ').replace('"kind": ', '"kind"\n  : '))
    assert codes(cli, tmp_path) == (1, [(name, code) for name in ("pod.json", "pod.yaml") for code in ("IG201", "IG202")])


def test_a_compose_file_is_told_by_its_services_whatever_its_configs_hold(cli, tmp_path):
    """A top-level `services:` is Compose's own: a config's inline content holding
    `apiVersion` and `kind` past the head (or in it) does not make the file Kubernetes."""
    padding = "".join(f"  pad{index}:\n    image: busybox:1.36\n" for index in range(400))
    content = "configs:\n  kube:\n    content: |\n      apiVersion: v1\n      kind: ConfigMap\n"
    write(tmp_path, "stack.yml", "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n" + padding + content)
    run = cli("scan", "--no-cache", "--select", "IG202", "stack.yml", cwd=tmp_path)
    assert run.lines[0].startswith("stack.yml:4:17: IG202 [critical]") and run.code == 1


def yaml_load(text):
    import yaml

    return yaml.safe_load(text)


def test_a_file_whose_content_cannot_tell_its_format_is_reported_unread(cli, tmp_path, monkeypatch):
    """A file whose name a format may claim, and whose head does not tell, is read
    whole within `max_file_size`; one larger, or that cannot be read, is reported
    unread (IG001) and fails the run, as a file claimed by its name is. Other YAML
    and JSON is still passed over quietly."""
    from iacguard import inputs

    write(tmp_path, ".iacguard.yaml", "max_file_size: 20000\n")
    write(tmp_path, "ci.yaml", LICENCE + "jobs:\n  test:\n    steps: []\n")
    big = write(tmp_path, "big.yaml", LICENCE * 3 + PRIVILEGED_POD.format(annotations=""))
    write(tmp_path, "secret/pod.yaml", PRIVILEGED_POD.format(annotations=""))
    real_open = os.open

    def open_descriptor(path, *args, **kwargs):
        if os.path.basename(os.path.dirname(path)) == "secret":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(inputs.os, "open", open_descriptor)
    run = cli("scan", "--format", "json", cwd=tmp_path)
    assert run.code == 4
    assert [(error["path"], error["code"], error["message"]) for error in json.loads(run.out)["errors"]] == [
        ("big.yaml", "IG001", f"cannot tell its format by its content: file is {big.stat().st_size:,} bytes, over the 20,000 bytes limit (max_file_size)"),
        ("secret/pod.yaml", "IG001", "cannot tell its format by its content: cannot read file: Permission denied"),
    ]
    assert cli("scan", "ci.yaml", cwd=tmp_path).lines == ["No findings in 0 files."]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_link_out_of_the_root_with_a_name_a_format_may_claim_fails_the_run(cli, tmp_path):
    """As a `.tf` link out of the root does: `pod.yaml` may be a manifest."""
    write(tmp_path, "outside/pod.yaml", PRIVILEGED_POD.format(annotations=""))
    root = tmp_path / "root"
    (root / ".git").mkdir(parents=True)
    (root / "pod.yaml").symlink_to(tmp_path / "outside" / "pod.yaml")
    (root / "notes.txt").symlink_to(tmp_path / "outside" / "pod.yaml")
    run = cli("scan", "-v", "--format", "json", cwd=root)
    assert run.code == 4
    assert [(e["path"], e["code"], e["message"]) for e in json.loads(run.out)["errors"]] == [
        ("pod.yaml", "IG001", "symbolic link leads outside the scan root"),
    ]
    assert "iacguard: skipped notes.txt: symbolic link leads outside the scan root" in run.err


@pytest.mark.parametrize("error, fails", [
    (OSError(errno.ENAMETOOLONG, "File name too long"), True),
    (PermissionError(errno.EACCES, "Permission denied"), True),
    (OSError(errno.EIO, "Input/output error"), True),
    (FileNotFoundError(errno.ENOENT, "No such file or directory"), False),  # gone during the walk
])
def test_a_folder_that_cannot_be_read_fails_the_run(cli, tmp_path, monkeypatch, error, fails):
    """A folder the walk cannot list may hold anything: a read error (IG001) naming
    it, and exit 4, for scan and fix alike; one that vanished is a note. A folder the
    configuration excludes is never listed."""
    from iacguard import discovery

    write(tmp_path, ".iacguard.yaml", "exclude: [vendor/]\n")
    write(tmp_path, "app/deep/Dockerfile", "FROM alpine:3.20\nUSER root\n")
    write(tmp_path, "vendor/deep/Dockerfile", "FROM alpine:3.20\nUSER root\n")
    write(tmp_path, "Dockerfile", "FROM alpine:3.20\nUSER 10001\n")
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "deep":
            raise error
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    run = cli("scan", "-v", "--format", "json", "--select", "IG201", cwd=tmp_path)
    errors = [(e["path"], e["code"], e["message"]) for e in json.loads(run.out)["errors"]]
    assert f"iacguard: skipped app/deep: cannot read directory: {error.strerror}" in run.err
    if fails:
        assert (run.code, errors) == (4, [("app/deep", "IG001", f"cannot read directory: {error.strerror}")])
        fixed = cli("fix", "--diff", cwd=tmp_path)
        assert fixed.code == 4 and f"iacguard: app/deep: not fixed: cannot read directory: {error.strerror}" in fixed.err
    else:
        assert (run.code, errors) == (0, [])


def test_an_entry_that_cannot_be_inspected_fails_the_run_only_when_it_would_be_read(cli, tmp_path):
    """A link whose target cannot be looked at (here a name too long for the system)
    may lead to anything: IG001, unless the walk never reads that name (a folder
    skipped by name, one a .gitignore ignores or the config excludes)."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".gitignore", "notes.txt\n")
    write(tmp_path, ".iacguard.yaml", "exclude: [cache/]\n")
    write(tmp_path, "Dockerfile", "FROM alpine:3.20\nUSER 10001\n")
    for name, letter in (("node_modules", "a"), ("notes.txt", "b"), ("cache", "c"), ("stuff", "d")):
        os.symlink(letter * 300, tmp_path / name)
    run = cli("scan", "--format", "json", cwd=tmp_path)
    errors = [(e["path"], e["code"], e["message"]) for e in json.loads(run.out)["errors"]]
    assert (run.code, errors) == (4, [("stuff", "IG001", "cannot inspect: File name too long")])


def test_a_folder_whose_path_is_too_long_to_read_fails_the_run(cli, tmp_path):
    """The real case: a tracked file deeper than the system's longest path."""
    (tmp_path / ".git").mkdir()
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(21):  # 21 x 201 characters: past PATH_MAX (4,096 on Linux) wherever the test runs
            os.mkdir("d" * 200, dir_fd=folder)
            below = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = below
        written = os.open("Dockerfile", os.O_WRONLY | os.O_CREAT, dir_fd=folder)
        os.write(written, b"FROM alpine:3.20\nUSER root\n")
        os.close(written)
    finally:
        os.close(folder)
    try:
        os.scandir(os.path.join(tmp_path, *["d" * 200] * 21)).close()
        pytest.skip("this system reads paths of any length")
    except OSError as error:
        assert error.errno == errno.ENAMETOOLONG
    run = cli("scan", "--format", "json", cwd=tmp_path)
    assert run.code == 4
    [unread] = json.loads(run.out)["errors"]
    assert unread["code"] == "IG001" and unread["message"] == "cannot read directory: File name too long"
    assert len(unread["path"]) > 4000 and unread["path"].startswith("d" * 200 + "/")


@pytest.mark.parametrize("padding", [0, 9000])
def test_a_plan_is_told_by_its_top_level_keys_whatever_manifests_it_holds(cli, tmp_path, padding):
    """A plan of Kubernetes manifests (`kubernetes_manifest`) has `apiVersion` and
    `kind` as keys, within its head or after it: it is still a plan, its own
    `format_version` at the top level. A manifest whose annotations hold a plan's
    keys is still a manifest."""
    import shutil

    from support import TESTDATA

    shutil.copytree(TESTDATA / "IG501" / "terraform-plan", tmp_path, dirs_exist_ok=True)
    (tmp_path / "pass_https.json").unlink()
    plan = json.loads((tmp_path / "fail_http.json").read_text())
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"padding": "x" * padding}}
    plan["resource_changes"].insert(0, {"address": "kubernetes_manifest.settings", "mode": "managed", "type": "kubernetes_manifest",
                                        "name": "settings", "change": {"actions": ["create"], "before": None, "after": {"manifest": manifest}}})
    (tmp_path / "fail_http.json").write_text(json.dumps(plan, indent=2))
    pod = yaml_load(PRIVILEGED_POD.format(annotations=""))
    pod["metadata"]["annotations"] = {"format_version": "1.2", "planned_values": "{}"}
    (tmp_path / "pod.json").write_text(json.dumps(pod, indent=2))
    assert codes(cli, tmp_path) == (1, [("main.tf", "IG501"), ("pod.json", "IG201"), ("pod.json", "IG202")])
