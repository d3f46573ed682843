"""Files checked only through a build: a Kustomize base or patch, a Helm chart's
templates and values.

Their suppressions are judged by the build or render that reads them (IG002, IG007):
used when any instance of a finding they cover is suppressed (another overlay, another
value set), unused otherwise, reported once at their own file and line. An editor's
buffer of such a file (`--stdin-filename PATH -`) stands in for it: the overlays and
charts that use it are built with the buffer's text, so a scan of the buffer says
what a scan of the saved file would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from iacguard import inputs
from iacguard.formats import ScanContext
from iacguard.helm import render
from support import TESTDATA

RENDERER = render.find_renderer()
needs_renderer = pytest.mark.skipif(RENDERER is None, reason="no Helm renderer: pip install 'iacguard-lint[helm]'")

BASE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostPID: true  # iacguard:ignore IG401 -- the node agent reads host processes
      containers:
        - name: app
          image: registry.example.com/web:1.4.2
          securityContext:
            privileged: true
            runAsUser: 10001
            # iacguard:ignore IG203 -- nothing here escalates
            allowPrivilegeEscalation: false
"""
PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          securityContext:
            runAsUser: 0  # iacguard:ignore IG201 -- the init step needs root
            # iacguard:ignore IG202 -- not privileged here
            readOnlyRootFilesystem: true
"""
# Overlay b suppresses its own instance of the base's privileged container only.
ANNOTATION = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      annotations:
        iacguard.io/ignore: IG202
        iacguard.io/ignore-reason: overlay b runs the node agent
"""
LOOSE = """\
apiVersion: v1
kind: Pod
metadata:
  name: loose
  namespace: tools
spec:
  # iacguard:ignore IG401 -- scanned on its own, judged once
  containers: [{name: c, image: registry.example.com/c:1.0, securityContext: {runAsUser: 10001, allowPrivilegeEscalation: false}}]
"""
KUSTOMIZE = {
    "base/kustomization.yaml": "resources: [deployment.yaml]\n",
    "base/deployment.yaml": BASE,
    "overlays/a/kustomization.yaml": "resources: [../../base]\npatches:\n  - path: patch.yaml\n",
    "overlays/a/patch.yaml": PATCH,
    "overlays/b/kustomization.yaml": "resources: [../../base]\npatches:\n  - path: annotate.yaml\n",
    "overlays/b/annotate.yaml": ANNOTATION,
    "loose/pod.yaml": LOOSE,
}
KUSTOMIZE_RULES = "IG201,IG202,IG203,IG401"
KUSTOMIZE_REPORT = [
    "base/deployment.yaml:17:25: IG202 [critical] the container runs privileged, with full control of its host "
    "(Deployment/default/web/containers/app) from overlays/a/kustomization.yaml, overlays/b/kustomization.yaml",
    "base/deployment.yaml:19:13: IG007 [warning] unused suppression: no finding of IG203 was suppressed",
    "loose/pod.yaml:7:3: IG007 [warning] unused suppression: no finding of IG401 was suppressed",
    "overlays/a/patch.yaml:12:13: IG007 [warning] unused suppression: no finding of IG202 was suppressed",
]

# The test chart's template, with a comment each value set uses and one none uses.
TEMPLATE_EDITS = [
    ('          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
     '          # iacguard:ignore IG101 -- the tag is pinned in every value set\n'
     '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n'),
    ("            privileged: {{ .Values.privileged }}\n",
     "            privileged: {{ .Values.privileged }}  # iacguard:ignore IG202 -- the debug set runs privileged\n"),
    ("            {{- range .Values.env }}\n",
     "            {{- range .Values.env }}\n            # iacguard:ignore IG210 -- a throwaway password for the root set\n"),
]
CHART_RULES = "IG101,IG202,IG210,IG404"
CHART_REPORT = [
    "web/examples/rendered.yaml:4:1: IG007 [warning] unused suppression: no finding of IG404 was suppressed",
    "web/examples/rendered.yaml:11:14: IG101 [medium] image nginx uses the mutable `latest` tag; pin a version or digest (Pod/shop/example/containers/app)",
    "web/templates/deployment.yaml:20:11: IG007 [warning] unused suppression: no finding of IG101 was suppressed",
]


def write(root: Path, files: dict[str, str]) -> Path:
    (root / ".git").mkdir(exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def chart(root: Path) -> Path:
    """The test chart `web` in `root`, its template commented (`TEMPLATE_EDITS`), an
    unused comment in its `examples/` (scanned on its own, so judged once), and value
    sets: the privileged one and the root one."""
    (root / ".git").mkdir(exist_ok=True)
    folder = Path(shutil.copytree(TESTDATA / "helm" / "web", root / "web"))
    template = folder / "templates" / "deployment.yaml"
    text = template.read_text()
    for old, new in TEMPLATE_EDITS:
        assert old in text
        text = text.replace(old, new)
    template.write_text(text)
    example = folder / "examples" / "rendered.yaml"
    example.write_text(example.read_text().replace("metadata:\n", "# iacguard:ignore IG404 -- the namespace is written out\nmetadata:\n", 1))
    (root / ".iacguard.yaml").write_text(json.dumps({"helm_value_sets": {"web": [["web/ci/privileged.yaml"], ["web/ci/root.yaml"]]}}))
    return folder


def report(run) -> list[str]:
    """Findings and suppression warnings, without the summary (nor the content
    warnings of the builds: the privileged value set and overlay keep their base's
    `allowPrivilegeEscalation: false`)."""
    return [line for line in run.lines if ": IG" in line and " IG003 " not in line]


def scan(cli, root: Path, rules: str, *arguments: str, stdin: str | None = None):
    return cli("scan", "--select", rules, "--color", "never", "--report-unused-suppressions", *arguments, cwd=root, stdin=stdin)


# Suppressions judged by the build


def test_a_build_judges_the_suppressions_of_its_bases_and_patches_once(cli, tmp_path):
    root = write(tmp_path, KUSTOMIZE)
    run = scan(cli, root, KUSTOMIZE_RULES, ".")
    assert report(run) == KUSTOMIZE_REPORT, run.out
    # IG401 in the base, IG201 in the patch; overlay b's annotation is used by its own
    # instance of IG202, which overlay a's instance keeps reported
    assert run.lines[-1] == "Found 1 finding (1 critical) in 7 files; 2 suppressed (2 inline)."


@pytest.mark.parametrize("named", ["base/deployment.yaml", "overlays/a/patch.yaml", "overlays/b/kustomization.yaml"])
def test_one_file_of_a_build_named_judges_every_file_of_the_build(named, cli, tmp_path):
    """A pre-commit hook names one changed file: its overlays are built, and the
    suppressions of everything they read are judged as in a scan of the tree."""
    root = write(tmp_path, KUSTOMIZE)
    assert report(scan(cli, root, KUSTOMIZE_RULES, named)) == [line for line in KUSTOMIZE_REPORT if not line.startswith("loose/")]


def test_near_misses_in_a_base_are_warned_about(cli, tmp_path):
    root = write(tmp_path, {**KUSTOMIZE, "base/deployment.yaml": BASE.replace("ignore IG203 --", "ignore IG2O3 --")})
    run = cli("scan", "--select", KUSTOMIZE_RULES, "--color", "never", ".", cwd=root)
    assert "base/deployment.yaml:19:13: IG002 [warning] suppression names unknown rule 'IG2O3'" in run.lines


def test_a_malformed_annotation_is_warned_about_where_it_is_written(cli, tmp_path):
    root = write(tmp_path, {**KUSTOMIZE, "overlays/b/annotate.yaml": ANNOTATION.replace("ignore: IG202", "ignore: IG202 IG401")})
    run = cli("scan", "--select", KUSTOMIZE_RULES, "--color", "never", ".", cwd=root)
    assert [line for line in run.lines if " IG002 " in line] == [
        "overlays/b/annotate.yaml:9:1: IG002 [warning] malformed suppression, so it suppresses nothing; the syntax is: iacguard.io/ignore: RULE[,RULE...]"]


@needs_renderer
def test_a_render_judges_the_suppressions_of_the_chart_s_templates_across_value_sets(cli, tmp_path):
    chart(tmp_path)
    run = scan(cli, tmp_path, CHART_RULES, "web")
    # IG202 under the privileged set, IG210 under the root set: each comment is used by
    # the one set that renders its finding; the IG101 comment by none
    assert report(run) == CHART_REPORT, run.out
    assert run.lines[-1].endswith("; 2 suppressed (2 inline).")


@needs_renderer
def test_a_comment_is_used_only_by_the_value_sets_that_render_its_finding(cli, tmp_path):
    chart(tmp_path)
    (tmp_path / ".iacguard.yaml").unlink()  # the chart's own values only
    unused = [line for line in report(scan(cli, tmp_path, CHART_RULES, "web")) if "templates/" in line]
    assert unused == [
        "web/templates/deployment.yaml:20:11: IG007 [warning] unused suppression: no finding of IG101 was suppressed",
        "web/templates/deployment.yaml:24:51: IG007 [warning] unused suppression: no finding of IG202 was suppressed",
        "web/templates/deployment.yaml:27:13: IG007 [warning] unused suppression: no finding of IG210 was suppressed",
    ]


@needs_renderer
def test_output_does_not_depend_on_jobs_or_the_cache(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    write(tmp_path, KUSTOMIZE)
    chart(tmp_path)
    # enough files for two workers (see runner.PARALLEL_MINIMUM)
    write(tmp_path, {f"more/pod{number}.yaml": LOOSE.replace("name: loose", f"name: pod{number}") for number in range(40)})
    rules = f"{KUSTOMIZE_RULES},{CHART_RULES}"
    cache = ("--cache-dir", str(tmp_path / "cache"))
    runs = [scan(cli, tmp_path, rules, "--jobs", jobs, *options, ".")
            for jobs, options in (("1", ("--no-cache",)), ("2", ("--no-cache",)), ("2", cache), ("1", cache))]  # the last from the cache
    assert runs[0].out == runs[1].out == runs[2].out == runs[3].out
    assert set(KUSTOMIZE_REPORT + CHART_REPORT) <= set(runs[0].lines)
    assert sum(" IG007 " in line for line in runs[0].lines) == 3 + 2 + 40
    # an edit to a comment in the base is judged again, not taken from the cache
    (tmp_path / "base/deployment.yaml").write_text(BASE.replace("# iacguard:ignore IG203 -- nothing", "# nothing"))
    again = scan(cli, tmp_path, rules, *cache, ".")
    assert [line for line in again.lines if line not in runs[0].lines] == []
    assert [line for line in runs[0].lines if line not in again.lines] == [KUSTOMIZE_REPORT[1]]


# Editor buffers


def saved_and_buffered(cli, root: Path, name: str, edited: str, rules: str) -> tuple[list[str], list[str], list[str]]:
    """What a scan reports for the file `name` as it is on disk, for its buffer holding
    `edited` (the file on disk unchanged), and for the file once `edited` is saved."""
    on_disk = report(scan(cli, root, rules, name))
    buffered = report(scan(cli, root, rules, "--stdin-filename", name, "-", stdin=edited))
    original = (root / name).read_text()
    (root / name).write_text(edited)
    saved = report(scan(cli, root, rules, name))
    (root / name).write_text(original)
    return on_disk, buffered, saved


@pytest.mark.parametrize(("name", "old", "new"), [
    ("base/deployment.yaml", "privileged: true", "privileged: false\n            capabilities: {add: [SYS_ADMIN]}"),
    ("overlays/a/patch.yaml", "readOnlyRootFilesystem: true", "privileged: false"),
    ("overlays/b/kustomization.yaml", "  - path: annotate.yaml\n", "  - path: annotate.yaml\nnamespace: default\n"),
])
def test_a_buffer_of_a_base_a_patch_or_an_overlay_is_built_into_its_overlays(name, old, new, cli, tmp_path):
    root = write(tmp_path, KUSTOMIZE)
    edited = (root / name).read_text().replace(old, new)
    on_disk, buffered, saved = saved_and_buffered(cli, root, name, edited, "IG201,IG202,IG203,IG204,IG401,IG404")
    assert buffered == saved != on_disk


def test_a_buffer_of_a_patch_is_no_whole_object(cli, tmp_path):
    """Given alone, a patch would be a Deployment that sets almost nothing."""
    root = write(tmp_path, KUSTOMIZE)
    run = cli("scan", "-v", "--color", "never", "--stdin-filename", "overlays/a/patch.yaml", "-", cwd=root, stdin=PATCH)
    assert not [line for line in run.lines if line.startswith("overlays/a/patch.yaml") and " IG007 " not in line and " IG201 " not in line]
    assert "not scanned alone overlays/a/patch.yaml: patch of overlays/a/kustomization.yaml, built by overlays/a" in run.err


def test_a_buffer_is_never_a_cached_file(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    root = write(tmp_path, KUSTOMIZE)
    cache = ("--cache-dir", str(tmp_path / "cache"))
    before = report(scan(cli, root, KUSTOMIZE_RULES, *cache, "base/deployment.yaml"))
    edited = BASE.replace("privileged: true", "privileged: false")
    buffered = report(scan(cli, root, KUSTOMIZE_RULES, *cache, "--stdin-filename", "base/deployment.yaml", "-", stdin=edited))
    after = report(scan(cli, root, KUSTOMIZE_RULES, *cache, "base/deployment.yaml"))
    assert before == after != buffered
    assert not [line for line in buffered if " IG202 [" in line]


@needs_renderer
@pytest.mark.parametrize(("name", "old", "new"), [
    ("web/templates/deployment.yaml", "automountServiceAccountToken: false", "automountServiceAccountToken: false\n      hostPID: true"),
    ("web/values.yaml", 'tag: "1.27"', "tag: latest"),
    ("web/ci/root.yaml", "value: hunter2", "valueFrom: {secretKeyRef: {name: db, key: password}}"),  # a value set of the config
])
def test_a_buffer_of_a_template_or_values_file_renders_the_chart(name, old, new, cli, tmp_path):
    chart(tmp_path)
    edited = (tmp_path / name).read_text().replace(old, new)
    assert edited != (tmp_path / name).read_text()
    on_disk, buffered, saved = saved_and_buffered(cli, tmp_path, name, edited, "IG101,IG202,IG210,IG401")
    assert buffered == saved != on_disk


@needs_renderer
def test_a_buffer_of_a_template_is_checked_through_its_chart(cli, tmp_path):
    chart(tmp_path)
    template = (tmp_path / "web/templates/deployment.yaml").read_text()
    run = cli("scan", "-v", "--select", "IG401", "--color", "never", "--stdin-filename", "web/templates/deployment.yaml", "-",
              cwd=tmp_path, stdin=template.replace("automountServiceAccountToken: false", "hostPID: true"))
    assert [line for line in run.lines if " IG401 " in line][0].startswith("web/templates/deployment.yaml:17:16: IG401 [high] hostPID: true shares the node's namespace")
    assert "skipped web/templates/deployment.yaml: a file of the Helm chart web/Chart.yaml, checked by rendering the chart" in run.err


def test_standard_input_that_no_format_claims_and_no_file_uses_is_skipped_as_the_saved_file_is(cli, tmp_path):
    """An editor may pipe every buffer: one that names a file no format claims (a CI
    workflow, a values file of nothing) gives what a scan of that file gives."""
    write(tmp_path, KUSTOMIZE)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "values.yaml").write_text("replicas: 2\n")
    saved = cli("scan", "--format", "json", "notes/values.yaml", cwd=tmp_path)
    run = cli("scan", "--format", "json", "--stdin-filename", "notes/values.yaml", "-", cwd=tmp_path, stdin="replicas: 2\n")
    assert (run.code, json.loads(run.out)) == (saved.code, json.loads(saved.out)) and run.code == 0
    assert json.loads(run.out)["summary"]["files"] == 0


def test_a_buffer_obeys_the_input_door_s_rules(tmp_path):
    """The scan root and the size limit apply to the buffer as to the file."""
    inside, outside = tmp_path / "repo" / "a.yaml", tmp_path / "elsewhere.yaml"
    context = ScanContext(root=tmp_path / "repo", max_file_size=100, buffers={inside: "kind: Pod\n", outside: "kind: Pod\n"})
    assert context.read_dependency(inside) == "kind: Pod\n" and str(inside) in context.dependencies
    assert context.read_dependency(outside) is None and context.refused[str(outside)] == "outside the scan root"
    context.buffers[str(inside)] = "x" * 101
    with pytest.raises(inputs.Refused, match="over the 100 bytes limit"):
        context.read_bytes(inside)
