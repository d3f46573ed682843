"""Kustomize: builds in-process, findings in the files that wrote the values, the
plan of which kustomizations a scan builds, and the build compared with
`kubectl kustomize` where kubectl is installed.

The trees of `testdata/kustomize/` are scanned as they stand, each with a fixed set of
rules, and must print exactly their `expected.txt` (rewrite them with
`IACGUARD_UPDATE_FIXTURES=1` and review the diff). Trees that make a scan incomplete
(a cycle, a missing file, a folder outside the root) are written by the tests below,
so a scan of the whole of `testdata/` stays complete.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from iacguard.budgets import MAX_MODULE_DEPTH, Budget
from iacguard.discovery import Discovery, Target
from iacguard.errors import BudgetExceeded
from iacguard.evaluators.kustomize import KustomizeBuild, _matches, _label_selected
from iacguard.evaluators.patches import PatchError, copy_tree, in_file, json_patch, list_merging, plain, strategic_merge
from iacguard.formats import ScanContext
from iacguard.dependents import Tree
from iacguard.kustomize_plan import plan
from iacguard.parsers import yaml as positional_yaml
from iacguard.parsers.kustomize import Kustomization, KustomizeFormat, kustomization_file
from iacguard.plugins import load_registry
from support import ROOT, TESTDATA, refusals
from test_lsp import analysed

CASES = TESTDATA / "kustomize"
RULES = "IG101,IG201,IG202,IG205,IG210,IG401,IG404"
UPDATE = os.environ.get("IACGUARD_UPDATE_FIXTURES") == "1"
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS2 = ROOT.parent / "shared" / "corpus2"
KUBECTL = shutil.which("kubectl")


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def scan(cli, folder: Path, *paths: str, rules: str = RULES):
    return cli("scan", "--root", ".", "--select", rules, "--color", "never", "-v", *(paths or (".",)), cwd=folder)


def build(path: Path, root: Path | None = None) -> tuple[list[dict], ScanContext, list]:
    """The objects a kustomization file builds, without positions, with the context
    (refusals) and the diagnostics of the build."""
    parsed = KustomizeFormat().parse(path.read_text(), str(path))
    context = ScanContext(root=root or path.parent)
    objects = KustomizeBuild(parsed, context).build(str(path))
    return [plain(built.obj) for built in objects], context, parsed.diagnostics


@pytest.mark.parametrize("case", ["shared-base", "generators", "unsupported", "custom-resources"])
def test_case_prints_its_findings(case, cli):
    """Findings on exact lines of the files that wrote the values: the base, the patch
    file, the inline patch, the component, the generator's literal and env file."""
    run = scan(cli, CASES / case)
    expected = CASES / case / "expected.txt"
    if UPDATE:
        expected.write_text(run.out)
    assert run.out == expected.read_text()
    assert run.code == 1


def test_shared_base_is_reported_once_naming_both_overlays(cli):
    lines = scan(cli, CASES / "shared-base").lines
    privileged = [line for line in lines if " IG202 " in line]
    assert privileged == [
        "base/deployment.yaml:17:25: IG202 [critical] the container runs privileged, with full control of its host "
        "(Deployment/default/web/containers/app) from overlays/prod/kustomization.yaml, overlays/staging/kustomization.yaml"
    ]


def test_overlays_are_related_locations(cli, tmp_path):
    report = tmp_path / "report.json"
    cli("scan", "--root", ".", "--select", "IG202", "--format", "json", "--output", str(report), ".", cwd=CASES / "shared-base")
    finding, = json.loads(report.read_text())["findings"]
    assert (finding["path"], finding["line"], finding["resource"]) == ("base/deployment.yaml", 17, "Deployment/default/web/containers/app")
    assert finding["related"] == [
        {"message": f"built for the Kustomize overlay overlays/{name}", "path": f"overlays/{name}/kustomization.yaml", "line": None, "column": None}
        for name in ("prod", "staging")
    ]


# Two overlays of one base, built as one target: `plain` leaves the base as it is,
# `priv` patches its container privileged, beside the base's allowPrivilegeEscalation: false.
SHARED_BASE = {
    "base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
    "base/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n"
                        "        - name: app\n          image: nginx:1.25\n          securityContext:\n            allowPrivilegeEscalation: false\n",
    "plain/kustomization.yaml": "resources:\n  - ../base\n",
    "priv/kustomization.yaml": "resources:\n  - ../base\npatches:\n  - path: privileged.yaml\n",
    "priv/privileged.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n"
                            "        - name: app\n          securityContext:\n            privileged: true\n",
}


def told(cli, folder: Path) -> list[str]:
    """The diagnostics of a scan of `folder`, as `path:line: CODE message`."""
    report = folder / "report.json"
    cli("scan", "--root", ".", "--format", "json", "--output", str(report), ".", cwd=folder)
    loaded = json.loads(report.read_text())
    report.unlink()
    return [f"{d['path']}:{d['line']}: {d['code']} {d['message']}" for d in (*loaded["errors"], *loaded["warnings"])]


def test_a_diagnostic_is_told_on_the_overlay_whose_build_tells_it(cli, tmp_path):
    """Overlays that share a base are one target, but what one overlay's build makes
    is that overlay's: the container the patch makes privileged is rejected in
    `priv`, never in `plain` (it was told on `plain`, the target's first overlay,
    in the editor too). What both builds tell about the base they share is told
    once, on the first."""
    write(tmp_path, {**SHARED_BASE, "base/kustomization.yaml": "resources:\n  - deploy.yaml\nreplacements: []\n"})
    (tmp_path / ".git").mkdir()  # the editor's root
    escalation = ("allowPrivilegeEscalation: false with privileged: true: the API server rejects the container "
                  "(Deployment/default/web/containers/app) (in base/deploy.yaml)")
    assert told(cli, tmp_path) == [
        "plain/kustomization.yaml:1: IG006 replacements: replacements are not applied; the rest of the build is checked (in base/kustomization.yaml)",
        f"priv/kustomization.yaml:1: IG003 {escalation}",
    ]
    assert analysed(tmp_path, "plain/kustomization.yaml") == [(1, "IG006")]  # replacements: not applied
    assert analysed(tmp_path, "priv/kustomization.yaml") == [(1, "IG003")]
    assert (12, "IG003") in analysed(tmp_path, "base/deploy.yaml")  # where it is written
    shutil.rmtree(tmp_path / "priv")
    assert [line for line in told(cli, tmp_path) if " IG006 " not in line] == []


def test_each_overlay_of_a_target_tells_its_own_problems_at_its_own_lines(cli, tmp_path):
    """A patch that matches nothing, a patch file that does not parse and an inline
    patch that does not parse, in the second overlay of a target: each is told at
    the line of that overlay that names it (they were told on the first overlay's
    first line, naming the other)."""
    write(tmp_path, {
        **SHARED_BASE,
        "priv/kustomization.yaml": "resources:\n  - ../base\npatches:\n  - path: broken.yaml\n  - patch: 'a: ['\n"
                                   "  - target: {kind: Job}\n    patch: '[{op: remove, path: /spec}]'\n",
        "priv/broken.yaml": "spec: [\n",
    })
    assert told(cli, tmp_path) == [
        "priv/kustomization.yaml:5: IG000 inline patch does not parse: did not find expected node content",
        "priv/kustomization.yaml:4: IG005 depends on priv/broken.yaml, which was refused: does not parse: did not find expected node content",
        "priv/kustomization.yaml:6: IG003 no resource matches the patch's target, so it changes nothing",
    ]


def test_a_budget_that_stops_a_target_is_told_on_each_of_its_overlays(cli, tmp_path):
    """Overlays built as one target stop together: none of their findings is
    reported, so each is incomplete (only the first was)."""
    depth = MAX_MODULE_DEPTH + 1
    write(tmp_path, {f"k{level}/kustomization.yaml": f"resources: [../k{level + 1}]\n" for level in range(depth)})
    write(tmp_path, {
        f"k{depth}/kustomization.yaml": "resources: [pod.yaml]\n",
        f"k{depth}/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1}]\n",
        "deep/kustomization.yaml": "resources: [../k0]\n",
        "plain/kustomization.yaml": f"resources: [../k{depth}/pod.yaml]\n",
    })
    stopped = f"IG004 evaluation stopped: kustomizations nest more than {MAX_MODULE_DEPTH} deep (in k{MAX_MODULE_DEPTH - 2}/kustomization.yaml, line 1)"
    assert told(cli, tmp_path) == [f"deep/kustomization.yaml:None: {stopped}", f"plain/kustomization.yaml:None: {stopped}"]


def test_an_internal_error_is_told_on_each_overlay_of_the_target(cli, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr("iacguard.normalizers.kustomize.object_resources", broken)
    write(tmp_path, SHARED_BASE)
    stopped = "IG999 internal error while reading the file: RuntimeError: broken"
    assert told(cli, tmp_path) == [f"plain/kustomization.yaml:None: {stopped}", f"priv/kustomization.yaml:None: {stopped}"]


@pytest.mark.parametrize("path", ["overlays/prod/run-as-root.yaml", "base/deployment.yaml", "components/hardening/kustomization.yaml"])
def test_one_file_scanned_rechecks_its_overlays(path, cli):
    """A pre-commit hook or an editor scans one file: its top overlays are built, and
    a patch is never checked as if it were a whole Deployment."""
    whole = scan(cli, CASES / "shared-base").out
    alone = scan(cli, CASES / "shared-base", path)
    assert alone.out.splitlines()[:-1] == whole.splitlines()[:-1]
    assert "not scanned alone" in alone.err or path.endswith("kustomization.yaml")


def test_a_patch_alone_is_not_a_deployment(cli):
    """Before, a ten-line patch gave findings for everything it leaves out."""
    run = scan(cli, CASES / "shared-base", "overlays/prod/run-as-root.yaml", rules="all")
    patch_lines = [line for line in run.lines if line.startswith("overlays/prod/run-as-root.yaml")]
    assert patch_lines == [
        "overlays/prod/run-as-root.yaml:11:24: IG201 [high] runAsUser: 0 runs the container as root "
        "(Deployment/default/web/containers/app) from overlays/prod/kustomization.yaml"
    ]


def test_an_editor_buffer_of_a_patch_is_built_into_its_overlays(cli):
    """Standard input named as a patch stands in for the file: its overlays are built
    with the buffer (what an edit changes: `test_through_builds`), and the patch is
    never checked as a whole Deployment."""
    folder = CASES / "shared-base"
    patch = (folder / "overlays/prod/run-as-root.yaml").read_text()
    run = cli("scan", "--root", ".", "--select", RULES, "--color", "never", "-v", "--stdin-filename", "overlays/prod/run-as-root.yaml", "-",
              cwd=folder, stdin=patch)
    assert run.lines[:-1] == scan(cli, folder).lines[:-1]
    assert "not scanned alone overlays/prod/run-as-root.yaml: patch of overlays/prod/kustomization.yaml, built by overlays/prod" in run.err


def test_files_reached_by_kustomizations_are_accounted_for(cli):
    run = scan(cli, CASES / "shared-base")
    assert "iacguard: not scanned alone overlays/prod/run-as-root.yaml: patch of overlays/prod/kustomization.yaml, built by overlays/prod" in run.err
    assert "iacguard: not scanned alone base/deployment.yaml: resource of base/kustomization.yaml, built by overlays/prod, overlays/staging" in run.err
    assert run.lines[-1].endswith("in 7 files.")


def test_unsupported_fields_are_noted_and_the_rest_checked(cli):
    run = scan(cli, CASES / "unsupported")
    notes = [line for line in run.lines if " IG006 [note] " in line]
    assert [line.split(" IG006 [note] ")[1].split(":")[0] for line in notes] == [
        "remote resource https", "transformers", "replacements", "helmCharts"]
    assert any(" IG202 " in line for line in run.lines)
    assert "labels.yaml" not in run.out  # a transformer's configuration is not a manifest


def test_a_cycle_is_an_error_not_a_hang(cli, tmp_path):
    write(tmp_path, {
        "a/kustomization.yaml": "resources: [../b, pod.yaml]\n",
        "a/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1, securityContext: {privileged: true}}]\n",
        "b/kustomization.yaml": "resources: [../a]\n",
        "top/kustomization.yaml": "resources: [../a]\n",
    })
    run = scan(cli, tmp_path)
    assert run.code == 4
    assert ("top/kustomization.yaml: IG005 [error] depends on a/kustomization.yaml, which was refused: it includes itself, a cycle: "
            "a/kustomization.yaml -> b/kustomization.yaml -> a/kustomization.yaml") in run.lines
    assert "a/pod.yaml:5:68: IG202" in run.out  # the rest is still checked


def test_missing_files_are_refused(cli, tmp_path):
    write(tmp_path, {
        "kustomization.yaml": "resources: [gone.yaml, ../../outside]\nsecretGenerator:\n  - name: s\n    envs: [absent.env]\n",
    })
    run = scan(cli, tmp_path)
    assert run.code == 4
    assert refusals(run) == [  # each at the entry that names it
        "kustomization.yaml:1:13: IG005 [error] depends on gone.yaml, which was refused: cannot read file: No such file or directory",
        f"kustomization.yaml:1:24: IG005 [error] depends on {tmp_path.parent.parent / 'outside'}, which was refused: outside the scan root",
        "kustomization.yaml:4:12: IG005 [error] depends on absent.env, which was refused: cannot read file: No such file or directory",
    ]


def test_each_refused_file_is_told_at_the_entry_of_the_scanned_kustomization_that_names_it(cli, tmp_path):
    """Resources and bases (a file; a folder outside the root, without a
    kustomization, or whose kustomization is refused), components, patches and
    generator files. What a base's kustomization names has no line: a diagnostic's
    line is the top kustomization's. Another overlay built in the same target tells
    what it names itself, at its own entry."""
    write(tmp_path, {
        "kustomization.yaml": "resources:\n  - gone.yaml\n  - base\nbases:\n  - empty\n  - binary\ncomponents:\n  - ../outside\n"
                              "patchesStrategicMerge:\n  - missing-patch.yaml\npatches:\n  - path: broken.yaml\n"
                              "configMapGenerator:\n  - name: c\n    files:\n      - key=missing.txt\n    envs:\n      - missing.env\n",
        "base/kustomization.yaml": "resources:\n  - missing-in-base.yaml\n",
        "empty/README": "",
        "broken.yaml": "a: [\n",
        "overlay/kustomization.yaml": "resources:\n  - ../base\n  - gone.yaml\n",
    })
    (tmp_path / "binary").mkdir()
    (tmp_path / "binary" / "kustomization.yaml").write_bytes(b"resources: []\n\0")
    run = scan(cli, tmp_path)
    assert run.code == 4
    assert refusals(run) == [
        "kustomization.yaml: IG005 [error] depends on base/missing-in-base.yaml, which was refused: cannot read file: No such file or directory",
        "kustomization.yaml:2:5: IG005 [error] depends on gone.yaml, which was refused: cannot read file: No such file or directory",
        "kustomization.yaml:5:5: IG005 [error] depends on empty, which was refused: a folder without a kustomization file",
        "kustomization.yaml:6:5: IG005 [error] depends on binary/kustomization.yaml, which was refused: binary content, not a text file",
        f"kustomization.yaml:8:5: IG005 [error] depends on {tmp_path.parent / 'outside'}, which was refused: outside the scan root",
        "kustomization.yaml:10:5: IG005 [error] depends on missing-patch.yaml, which was refused: cannot read file: No such file or directory",
        "kustomization.yaml:12:11: IG005 [error] depends on broken.yaml, which was refused: does not parse: did not find expected node content",
        "kustomization.yaml:16:9: IG005 [error] depends on missing.txt, which was refused: cannot read file: No such file or directory",
        "kustomization.yaml:18:9: IG005 [error] depends on missing.env, which was refused: cannot read file: No such file or directory",
        "overlay/kustomization.yaml:3:5: IG005 [error] depends on overlay/gone.yaml, which was refused: cannot read file: No such file or directory",
    ]


def test_a_kustomization_outside_the_root_is_refused(cli, tmp_path):
    write(tmp_path, {
        "outside/base/kustomization.yaml": "resources: [pod.yaml]\n",
        "outside/base/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1, securityContext: {privileged: true}}]\n",
        "repo/overlay/kustomization.yaml": "resources: [../../outside/base]\n",
    })
    run = scan(cli, tmp_path / "repo")
    assert run.code == 4
    assert f"overlay/kustomization.yaml:1:13: IG005 [error] depends on {tmp_path / 'outside/base'}, which was refused: outside the scan root" in run.lines
    assert " IG202 " not in run.out


@pytest.mark.parametrize("named", [".", "app/deploy.yaml"])
def test_a_kustomization_linked_from_outside_is_refused_and_never_hides_a_file(cli, tmp_path, named):
    """A kustomization file that is a link out of the scan root is not read: a
    hostile one could call a privileged pod its patch, and so unchecked."""
    write(tmp_path, {
        "outside/kustomization.yaml": "patches:\n  - path: deploy.yaml\n",
        "repo/app/deploy.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers: [{name: c, image: a:1, securityContext: {privileged: true}}]\n",
    })
    (tmp_path / "repo/app/kustomization.yaml").symlink_to(tmp_path / "outside/kustomization.yaml")
    run = scan(cli, tmp_path / "repo", named)
    assert "app/deploy.yaml:5:68: IG202 [critical] the container runs privileged, with full control of its host (Pod/x/p/containers/c)" in run.lines, run.out
    assert run.code == (4 if named == "." else 1), run.out


@pytest.mark.parametrize("named", [".", "a-link"])
def test_through_a_link_to_its_folder_a_kustomization_s_references_leave_the_real_folder(cli, tmp_path, named):
    """kustomize resolves a kustomization's folder before it joins `../base`: through
    `a-link -> overlays/prod` that is `overlays/base`, not the `base` the text names.
    Taken as text, the patch matched nothing and the privileged pod went unseen."""
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {{name: {}}}\nspec:\n  containers: [{{name: c, image: a:1}}]\n"
    write(tmp_path, {
        "base/kustomization.yaml": "resources: [pod.yaml]\n",
        "base/pod.yaml": pod.format("p"),
        "overlays/base/kustomization.yaml": "resources: [pod.yaml]\n",
        "overlays/base/pod.yaml": pod.format("q"),
        "overlays/prod/kustomization.yaml": "resources: [../base]\npatches:\n  - target: {kind: Pod, name: q}\n    patch: |-\n"
                                            "      - op: add\n        path: /spec/containers/0/securityContext\n        value: {privileged: true}\n",
    })
    (tmp_path / "a-link").symlink_to("overlays/prod", target_is_directory=True)
    run = scan(cli, tmp_path, named, rules="IG202")
    assert [line for line in run.lines if " IG" in line] == [
        "overlays/prod/kustomization.yaml:7:29: IG202 [critical] the container runs privileged, with full control of its host (Pod/default/q/containers/c) from overlays/prod/kustomization.yaml",
    ], run.out
    assert run.code == 1


def test_a_component_is_never_built_alone(cli, tmp_path):
    """Nor its patches checked; a resource nothing else checks is scanned alone."""
    write(tmp_path, {
        "component/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [pod.yaml]\n",
        "component/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1, securityContext: {privileged: true}}]\n",
    })
    write(tmp_path, {"component/kustomization.yaml": "kind: Component\nresources: [pod.yaml]\npatches: [{path: patch.yaml}]\n",
                     "component/patch.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n"})
    run = scan(cli, tmp_path)
    assert "component/kustomization.yaml: a Kustomize component that no kustomization uses" in run.err
    assert "component/patch.yaml: patch of component/kustomization.yaml, which no kustomization builds: a fragment" in run.err
    # its resource is a whole object that no build checks: it is scanned on its own
    assert [line.split(" [")[0] for line in run.lines[:-1]] == ["component/pod.yaml:5:23: IG201", "component/pod.yaml:5:68: IG202"]


@pytest.mark.parametrize("remote", [False, True])
def test_a_patch_that_matches_nothing_is_a_warning_unless_part_was_not_fetched(remote, cli, tmp_path):
    resources = "[pod.yaml, https://example.com/more.yaml]" if remote else "[pod.yaml]"
    write(tmp_path, {
        "kustomization.yaml": f"resources: {resources}\npatches:\n  - target: {{kind: Deployment}}\n    patch: '[{{op: add, path: /x, value: 1}}]'\n",
        "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1}]\n",
    })
    warnings = [line for line in scan(cli, tmp_path).lines if " IG003 " in line]
    assert warnings == ([] if remote else [
        "kustomization.yaml:3:5: IG003 [warning] no resource matches the patch's target, so it changes nothing"])  # kustomize builds all the same


def test_an_image_field_yaml_reads_as_a_number_is_refused_as_kustomize_refuses_it(cli, tmp_path):
    write(tmp_path, {
        "kustomization.yaml": "resources: [pod.yaml]\nimages:\n  - name: a\n    newTag: 1.20\n",
        "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1}]\n",
    })
    warnings = [line for line in scan(cli, tmp_path, rules="IG101").lines if " IG003 " in line]
    assert warnings == ["kustomization.yaml:4:13: IG003 [warning] images: newTag is not a string (quote it); kustomize build stops here, iacguard goes on without it"]


def test_nesting_is_bounded(cli, tmp_path):
    depth = MAX_MODULE_DEPTH + 2
    write(tmp_path, {f"k{level}/kustomization.yaml": f"resources: [../k{level + 1}]\n" for level in range(depth)})
    write(tmp_path, {f"k{depth}/kustomization.yaml": "resources: []\n"})
    run = scan(cli, tmp_path)
    assert run.code == 4
    assert f"k0/kustomization.yaml: IG004 [error] evaluation stopped: kustomizations nest more than {MAX_MODULE_DEPTH} deep (in k9/kustomization.yaml, line 1)" in run.lines


def test_copying_patches_are_bounded(tmp_path):
    doubling = "".join("  - op: copy\n    from: /spec\n    path: /spec/again\n" if index == 0 else
                       f"  - op: copy\n    from: /spec\n    path: /spec/again{index}\n" for index in range(40))
    write(tmp_path, {
        "kustomization.yaml": "resources: [pod.yaml]\npatches:\n  - target: {kind: Pod}\n    path: ops.yaml\n",
        "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1}]\n",
        "ops.yaml": doubling,
    })
    with pytest.raises(BudgetExceeded):
        build(tmp_path / "kustomization.yaml")


def test_output_does_not_depend_on_jobs_or_the_cache(cli, tmp_path, monkeypatch):
    if not CORPUS2.is_dir():
        pytest.skip("corpus2 is not beside the repository")
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    outputs = []
    for jobs in ("1", "2", "2"):  # the last from the cache
        report = tmp_path / f"jobs{jobs}-{len(outputs)}.json"
        cli("scan", "--format", "json", "--output", str(report), "--jobs", jobs, "--cache-dir", str(tmp_path / "cache"), ".", cwd=CORPUS2)
        outputs.append(report.read_text())
    assert outputs[0] == outputs[1] == outputs[2]
    assert "built for the Kustomize overlay stefanprodan__podinfo/deploy/overlays/production" in outputs[0]


# The build, piece by piece


def tree(text: str, path: str = "f.yaml"):
    return copy_tree(positional_yaml.load(text).documents[0].root, Budget(), in_file(path))


def test_strategic_merge_orders_and_locates_as_kubernetes_does():
    target = tree("spec:\n  containers:\n    - name: a\n      image: a\n    - name: c\n      env:\n        - {name: A, value: '1'}\n        - {name: B, value: '1'}\n", "base.yaml")
    patch = tree("spec:\n  containers:\n    - name: c\n      env:\n        - {name: B, value: '2'}\n        - {name: A, $patch: delete}\n    - name: new\n      image: x\n", "patch.yaml")
    strategic_merge(target, patch, Budget())
    assert plain(target) == {"spec": {"containers": [
        {"name": "c", "env": [{"name": "B", "value": "2"}]}, {"name": "new", "image": "x"}, {"name": "a", "image": "a"}]}}
    container = target["spec"]["containers"][0]
    assert container.value_marks["name"].path == "base.yaml"  # the merge key stays where the base wrote it
    assert container["env"][0].value_marks["value"].path == "patch.yaml"


def test_strategic_merge_directives():
    target = tree("a: {x: 1, y: 2}\nb: {x: 1}\nc: [1, 2]\nd: 1\nl:\n  - {name: p, v: 1}\n")
    patch = tree("a: {$patch: replace, z: 3}\nb: {$patch: delete}\nc: [3]\nd: null\nl:\n  - {$patch: replace}\n  - {name: q}\n")
    strategic_merge(target, patch, Budget())
    assert plain(target) == {"a": {"z": 3}, "c": [3], "l": [{"name": "q"}]}


def test_directives_kustomize_leaves_alone_change_nothing():
    """kustomize 5.5 applies none of these (it copies them through as plain keys):
    the capability stays added, the other keys stay, the order stays."""
    target = tree("sc:\n  capabilities: {add: [NET_ADMIN]}\n  privileged: true\ncontainers:\n  - {name: a}\n  - {name: b}\n")
    patch = tree("sc:\n  $retainKeys: [capabilities]\n  capabilities:\n    $deleteFromPrimitiveList/add: [NET_ADMIN]\n"
                 "$setElementOrder/containers: [{name: b}, {name: a}]\ncontainers:\n  - {name: a, image: x}\n")
    strategic_merge(target, patch, Budget())
    assert plain(target) == {"sc": {"capabilities": {"add": ["NET_ADMIN"]}, "privileged": True},
                             "containers": [{"name": "a", "image": "x"}, {"name": "b"}]}


@pytest.mark.parametrize(("api_version", "kind", "merged"), [
    ("apps/v1", "Deployment", True), ("batch/v1beta1", "CronJob", True), ("v1", "Pod", True),
    ("argoproj.io/v1alpha1", "Rollout", False), ("extensions/v1beta1", "Deployment", False), ("apps/v1beta1", "Deployment", False),
])
def test_lists_merge_by_key_only_in_the_kinds_of_kustomize_s_schema(api_version, kind, merged):
    """kustomize 5.5 infers no merge key: where its schema (Kubernetes 1.21's) does not
    hold the kind, a list of named objects is replaced whole."""
    target = tree(f"apiVersion: {api_version}\nkind: {kind}\ncontainers:\n  - {{name: a, image: a}}\n  - {{name: b, image: b}}\n"
                  "options:\n  - {name: ndots, value: '2'}\n  - {name: timeout, value: '1'}\n")
    patch = tree("containers:\n  - {name: a, securityContext: {privileged: true}}\noptions:\n  - {name: ndots, value: '5'}\n")
    strategic_merge(target, patch, Budget(), list_merging(target, own_schema=False))
    containers = [{"name": "a", "image": "a", "securityContext": {"privileged": True}}, {"name": "b", "image": "b"}]
    assert plain(target)["containers"] == (containers if merged else [{"name": "a", "securityContext": {"privileged": True}}])
    assert plain(target)["options"] == [{"name": "ndots", "value": "5"}]  # no merge key in any schema


def test_with_a_schema_of_its_own_a_build_merges_named_items_as_before(tmp_path):
    """iacguard does not read the schema `openapi` gives (a note says so): lists of
    named objects merge on `name`, in every kustomization of the build."""
    write(tmp_path, {
        "base/kustomization.yaml": "resources:\n  - thing.yaml\npatches:\n  - path: patch.yaml\n",
        "base/thing.yaml": "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  foo:\n    - {name: a, x: 1}\n    - {name: b}\n",
        "base/patch.yaml": "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  foo:\n    - {name: a, y: 2}\n",
        "kustomization.yaml": "resources:\n  - base\nopenapi:\n  path: schema.json\n",
    })
    objects, _, diagnostics = build(tmp_path / "kustomization.yaml")
    assert objects[0]["spec"]["foo"] == [{"name": "a", "x": 1, "y": 2}, {"name": "b"}]
    assert any(code == "IG006" and "openapi" in message for _, _, message, _, code in diagnostics)


def test_json_patch_operations_and_errors():
    document = tree("spec:\n  list: [a, b]\n  map: {k: v}\n")
    json_patch(document, tree("- {op: add, path: /spec/list/1, value: x}\n- {op: move, from: /spec/map/k, path: /spec/moved}\n- {op: test, path: /spec/moved, value: v}\n"), Budget())
    assert plain(document) == {"spec": {"list": ["a", "x", "b"], "map": {}, "moved": "v"}}
    with pytest.raises(PatchError, match="does not exist"):
        json_patch(document, tree("- {op: remove, path: /spec/nothing/here}\n"), Budget())
    with pytest.raises(PatchError, match="test /spec/moved failed"):
        json_patch(document, tree("- {op: test, path: /spec/moved, value: w}\n"), Budget())


@pytest.mark.parametrize(("pattern", "value", "matched"), [
    ("web", "web", True), ("web", "web2", False), ("web.*", "web-v2", True), ("web|api", "api", True),
    ("w.b", "wab", True), (".+", "", False), ("^web$", "web", True), ("[a-z]+", "web", False), (None, "x", True),
])
def test_selector_patterns(pattern, value, matched):
    assert _matches(pattern, value) is matched


def test_selector_patterns_take_linear_time():
    started = time.perf_counter()
    assert not _matches(".*a" * 30 + "b", "a" * 250)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(("selector", "matched"), [
    ("app=web", True), ("app==web,tier!=db", True), ("app in (api, web)", True), ("app notin (web)", False),
    ("tier", False), ("!tier", True), ("app=api", False),
])
def test_label_selectors(selector, matched):
    assert _label_selected(selector, {"app": "web"}) is matched


def test_inline_patches_are_located_in_the_kustomization(tmp_path):
    write(tmp_path, {
        "kustomization.yaml": "resources: [pod.yaml]\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Pod\n      metadata: {name: p}\n      spec:\n        hostPID: true\n",
        "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: a:1}]\n",
    })
    parsed = KustomizeFormat().parse((tmp_path / "kustomization.yaml").read_text(), str(tmp_path / "kustomization.yaml"))
    built = KustomizeBuild(parsed, ScanContext(root=tmp_path)).build(str(tmp_path / "kustomization.yaml"))
    mark = built[0].obj["spec"].value_marks["hostPID"]
    assert (mark.path, mark.line, mark.column) == (str(tmp_path / "kustomization.yaml"), 8, 18)


# Every file accounted for


def planned(folder: Path) -> tuple[list[Target], dict[str, str], list[str]]:
    registry = load_registry(autoload=False)
    discovery = Discovery(list(registry.formats.values()), folder, folder, scan_root=folder)
    targets = [item for item in discovery.targets(["."]) if isinstance(item, Target)]
    result = plan(targets, Tree(discovery, folder, ScanContext(), walked=targets), registry.formats["kustomize"])
    return result.targets, result.accounted, [target.display for target in targets]


def reached_files(folder: Path) -> set[str]:
    """Every local file a kustomization of the folder names, relative to it, but the
    resources of components that nothing uses (no build checks them)."""
    reached, used = {}, set()
    for path in folder.rglob("*"):
        if kustomization_file(str(path.parent)) == str(path):
            kustomization = Kustomization.from_parsed(KustomizeFormat().parse(path.read_text(), str(path)))
            for reference in kustomization.references():
                if os.path.isfile(reference.path):
                    reached[os.path.relpath(reference.path, folder)] = (reference.use, kustomization)
                elif reference.use in ("resource", "component"):
                    used.add(os.path.realpath(reference.path))
    return {path for path, (use, owner) in reached.items()
            if not (use == "resource" and owner.is_component and os.path.realpath(owner.folder) not in used)}


@pytest.mark.parametrize("folder", [CORPUS2 / "stefanprodan__podinfo", CORPUS / "GoogleCloudPlatform__microservices-demo",
                                    CORPUS / "GoogleCloudPlatform__kubernetes-engine-samples"], ids=lambda path: path.name)
def test_every_file_is_scanned_or_built(folder):
    """Each file is scanned on its own, or is part of a build (with the reason `-v`
    prints); no file a kustomization reaches is scanned on its own."""
    if not folder.is_dir():
        pytest.skip("the shared corpora are not beside the repository")
    targets, accounted, discovered = planned(folder)
    scanned = {target.display for target in targets} | {member for target in targets for member in target.members}
    assert set(discovered) <= scanned | set(accounted)
    loose = {target.display for target in targets if not target.members}
    assert not loose & reached_files(folder)
    kustomizations = {path for path in discovered if os.path.basename(path) == "kustomization.yaml"}
    assert kustomizations <= scanned | set(accounted) and len(kustomizations) >= 8


def test_the_corpus_kustomizations_are_all_planned():
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not beside the repository")
    found = sorted(CORPUS.rglob("kustomization.yaml"))
    assert len(found) == 42
    targets, accounted, _ = planned(CORPUS)
    scanned = {member for target in targets for member in target.members}
    assert {os.path.relpath(path, CORPUS) for path in found} <= scanned | set(accounted)


# Compared with kubectl kustomize


def _kubectl(folder: Path) -> list[dict] | None:
    import yaml

    run = subprocess.run([KUBECTL, "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(folder)], capture_output=True, text=True, timeout=120)
    return [document for document in yaml.safe_load_all(run.stdout) if document] if run.returncode == 0 else None


_HASH = re.compile(r"-[a-z0-9]{10}$")


def _identity(obj: dict) -> tuple:
    metadata = obj.get("metadata", {})
    return obj.get("kind"), metadata.get("namespace"), metadata.get("name")


def _without_hashes(node, generated: set[str]):
    """kubectl's output with the name hash of generated objects taken off (iacguard
    does not add it), wherever a name is written."""
    if isinstance(node, dict):
        return {key: _without_hashes(value, generated) for key, value in node.items()}
    if isinstance(node, list):
        return [_without_hashes(item, generated) for item in node]
    return _HASH.sub("", node) if isinstance(node, str) and _HASH.sub("", node) in generated else node


def assert_built_like_kubectl(path: Path, root: Path):
    ours, context, diagnostics = build(path, root)
    theirs = _kubectl(path.parent)
    assert theirs is not None, f"kubectl kustomize fails on {path.parent}"
    generated = {obj["metadata"]["name"] for obj in ours if obj.get("kind") in ("ConfigMap", "Secret")}
    theirs = [_without_hashes(obj, generated) for obj in theirs]
    if any(code == "IG006" for *_, code in diagnostics):
        # Something is not applied (a transformer plugin): the same objects, the same
        # specs, whatever the plugin does to metadata.
        ours = [{**obj, "metadata": None} for obj in ours]
        theirs = [{**obj, "metadata": None} for obj in theirs]
    assert sorted(json.dumps(obj, sort_keys=True) for obj in ours) == sorted(json.dumps(obj, sort_keys=True) for obj in theirs)


def _tops(folder: Path) -> list[Path]:
    targets, _, _ = planned(folder)
    return [folder / member for target in targets for member in target.members]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("case", ["shared-base", "generators", "transformers", "custom-resources"])
def test_fixtures_build_like_kubectl(case):
    folder = CASES / case
    tops = _tops(folder)
    assert tops
    for path in [*tops, *sorted(folder.rglob("base/kustomization.yaml"))]:
        assert_built_like_kubectl(path, folder)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_corpus2_builds_like_kubectl(tmp_path):
    """corpus2 holds the YAML of its kustomize trees: the inputs of generators (scripts,
    configuration files) are made empty in a copy, so kubectl can build them."""
    source = CORPUS2 / "stefanprodan__podinfo"
    if not source.is_dir():
        pytest.skip("corpus2 is not beside the repository")
    folder = tmp_path / "podinfo"
    shutil.copytree(source, folder)
    for path in folder.rglob("kustomization.yaml"):
        kustomization = Kustomization.from_parsed(KustomizeFormat().parse(path.read_text(), str(path)))
        for reference in kustomization.references():
            if reference.use == "generator input" and not os.path.exists(reference.path):
                write(Path(reference.path).parent, {Path(reference.path).name: ""})
    tops = _tops(folder)
    assert len(tops) == 4
    for path in [*tops, *sorted(folder.glob("deploy/bases/*/kustomization.yaml"))]:
        assert_built_like_kubectl(path, folder)


DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: app\nspec:\n  template:\n    spec:\n"
              "      containers:\n        - name: web\n          image: nginx:1.27\n")


def test_kustomizations_only_in_a_cycle_are_built_and_the_cycle_told(cli, tmp_path):
    """No top kustomization reaches them: one of them is built, whose build reports
    the cycle (it was dropped, and the scan passed)."""
    write(tmp_path, {
        "s/kustomization.yaml": "resources:\n  - deployment.yaml\n  - .\npatches:\n  - path: priv.yaml\n",
        "s/deployment.yaml": DEPLOYMENT,
        "s/priv.yaml": DEPLOYMENT.replace("          image: nginx:1.27\n", "          securityContext:\n            privileged: true\n"),
    })
    run = scan(cli, tmp_path)
    assert run.code == 4 and refusals(run) == [
        "s/kustomization.yaml:3:5: IG005 [error] depends on s/kustomization.yaml, which was refused: it includes itself, a cycle: s/kustomization.yaml -> s/kustomization.yaml"]
    assert "IG202 [critical]" in run.out


@pytest.mark.parametrize(("given", "name"), [("base/Kustomization", "Kustomization"), ("ov/app.env", "kustomization.yaml")])
def test_a_file_given_alone_rechecks_the_overlays_built_from_it(cli, tmp_path, given, name):
    """A base whose file is `Kustomization`, and a generator's input no format claims,
    bring the overlays that build them into a one-file scan (a pre-commit hook)."""
    write(tmp_path, {
        f"base/{name}": "resources:\n  - deployment.yaml\n",
        "base/deployment.yaml": DEPLOYMENT.replace("nginx:1.27", "nginx:latest"),
        "ov/kustomization.yaml": "resources:\n  - ../base\nsecretGenerator:\n  - name: creds\n    envs: [app.env]\n",
        "ov/app.env": "DB_PASSWORD=hunter2hunter2\n",
    })
    run = scan(cli, tmp_path, given)
    assert run.code == 1, run.out
    assert "IG101" in run.out and "ov/app.env:1:13: IG210" in run.out


def test_a_base_that_only_a_cycle_reaches_is_built_by_the_cycle_not_alone(cli, tmp_path):
    write(tmp_path, {
        "a-base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
        "a-base/deployment.yaml": DEPLOYMENT,
        "b/kustomization.yaml": "resources:\n  - ../a-base\n  - ../c\n",
        "c/kustomization.yaml": "resources:\n  - ../b\n",
    })
    run = scan(cli, tmp_path)
    assert "not scanned alone a-base/kustomization.yaml: built by b" in run.err
    assert "b/kustomization.yaml: IG005 [error]" in run.out and "a-base/kustomization.yaml: IG005" not in run.out


def test_a_container_list_a_base_writes_as_a_mapping_is_an_error_of_the_build(cli, tmp_path):
    """The built Deployment is read as a manifest is: no container from the mapping,
    and an error that makes the overlay incomplete, naming the file that wrote it."""
    write(tmp_path, {
        "overlay/kustomization.yaml": "resources: [../base]\nnamespace: shop\n",
        "base/kustomization.yaml": "resources: [deploy.yaml]\n",
        "base/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
                            "      containers:\n        name: web\n        image: nginx:1.27\n        securityContext: {privileged: true}\n",
    })
    run = scan(cli, tmp_path, "overlay", rules="IG202")
    assert run.code == 4 and not [line for line in run.lines if " IG202 " in line], run.out
    assert [line for line in run.lines if "[error]" in line] == [
        "overlay/kustomization.yaml:1:1: IG000 [error] containers is a mapping, where a Deployment takes a list of containers: the API server "
        "rejects the object, and no container is read from it (Deployment/default/web) (in base/deploy.yaml)",
    ]
