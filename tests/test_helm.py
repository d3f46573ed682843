"""Helm chart folders: rendered in a process of their own, findings on template lines.

The charts of `testdata/helm/` are small ones of our own; the real charts of the
shared `corpus2` are scanned when it is beside the repository. Rendering needs a
renderer: the `helm` extra, which CI installs (`.ci/run`), or `helm` on PATH.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import sys
import tarfile
from pathlib import Path

import pytest

from support import ROOT, TESTDATA, refusals
from iacguard.discovery import Discovery, Target
from iacguard.helm import render
from iacguard.errors import BudgetExceeded
from iacguard.helm import charts
from iacguard.helm.charts import ChartIndex, chart_files
from iacguard.helm.lines import LineMap
from iacguard.plugins import load_registry

CHARTS = TESTDATA / "helm"
CORPUS2 = ROOT.parent / "shared" / "corpus2"
RENDERER = render.find_renderer()
needs_renderer = pytest.mark.skipif(RENDERER is None, reason="no Helm renderer: pip install 'iacguard-lint[helm]'")
RULES = "IG101,IG201,IG202,IG203,IG210,IG404,IG405"


def chart_copy(tmp_path: Path, name: str) -> Path:
    """A copy of a test chart in a git work tree of its own (the scan root)."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    return Path(shutil.copytree(CHARTS / name, tmp_path / name))


def value_sets_config(folder: Path, sets: dict[str, list[list[str]]]) -> Path:
    config = folder / ".iacguard.yaml"
    config.write_text(json.dumps({"helm_value_sets": sets}))
    return config


def findings(run) -> list[str]:
    return [line for line in run.lines if ": IG" in line and not any(level in line for level in ("[note]", "[warning]", "[error]"))]


WEB_WITH_EVERY_SET = [
    "web/templates/deployment.yaml:20:18: IG101 [medium] image nginx uses the mutable `latest` tag; pin a version or digest (Deployment/default/release-name-web/containers/web) from web/templates/deployment.yaml",
    "web/templates/deployment.yaml:22:13: IG201 [high] runAsUser: 0 runs the container as root (Deployment/default/release-name-web/containers/web) from web/templates/deployment.yaml",
    "web/templates/deployment.yaml:23:13: IG202 [critical] the container runs privileged, with full control of its host (Deployment/default/release-name-web/containers/web) from web/templates/deployment.yaml",
    "web/templates/deployment.yaml:26:13: IG210 [high] env DB_PASSWORD holds a literal secret; pass it from a secret store instead (Deployment/default/release-name-web/containers/web) from web/templates/deployment.yaml",
]


@needs_renderer
def test_a_chart_is_rendered_with_each_value_set_and_findings_point_at_template_lines(cli, tmp_path):
    chart_copy(tmp_path, "web")
    value_sets_config(tmp_path, {"web": [["web/ci/latest.yaml"], ["web/ci/privileged.yaml"], ["web/ci/root.yaml"]]})
    run = cli("scan", "--select", RULES, "--color", "never", "web", cwd=tmp_path)
    assert [line for line in findings(run) if "/templates/" in line] == WEB_WITH_EVERY_SET, run.out
    # examples/ is not part of the chart: a manifest there is scanned on its own
    assert "web/examples/rendered.yaml:10:14: IG101" in run.out and "in 2 files" in run.out and run.code == 1


@needs_renderer
def test_the_chart_s_own_values_alone_and_the_namespace_rendered_as_unset(cli, tmp_path):
    chart_copy(tmp_path, "web")
    run = cli("scan", "--select", RULES, "--color", "never", "web/Chart.yaml", cwd=tmp_path)
    assert findings(run) == [] and run.code == 0, run.out  # IG404: `.Release.Namespace` is chosen at install
    report = tmp_path / "checks.xml"
    cli("scan", "--select", "IG202", "-f", "junit", "-o", str(report), "web/Chart.yaml", cwd=tmp_path)
    assert "Deployment/default/release-name-web/containers/web" in report.read_text()
    assert "iacguard-release-namespace" not in report.read_text()


@needs_renderer
def test_a_namespace_the_chart_writes_out_is_judged_and_the_release_s_is_not(cli, tmp_path):
    """iacguard renders `.Release.Namespace` as a name of its own, so a `default` in
    the output is one the template writes: reported at its line. The release's
    namespace and none at all are chosen at install."""
    chart_copy(tmp_path, "placed")
    run = cli("scan", "--no-cache", "--select", "IG404", "--color", "never", "placed", cwd=tmp_path)
    assert findings(run) == [
        "placed/templates/api.yaml:6:14: IG404 [low] the Deployment is placed in the default namespace (Deployment/default/release-name-api) from placed/templates/api.yaml",
    ], run.out


@needs_renderer
def test_a_container_list_a_template_writes_as_a_mapping_is_an_error_not_a_container(cli, tmp_path):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "templates" / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  template:\n    spec:\n"
        "      containers:\n        name: web\n        image: nginx:1.27\n        securityContext: {privileged: true}\n")
    run = cli("scan", "--no-cache", "--select", "IG201,IG202", "--color", "never", "chart", cwd=tmp_path)
    assert run.code == 4 and findings(run) == [], run.out
    assert [line for line in run.lines if "[error]" in line] == [
        "chart/Chart.yaml:1:1: IG000 [error] containers is a mapping, where a Deployment takes a list of containers: the API server rejects "
        "the object, and no container is read from it (Deployment/default/release-name-web) (in chart/templates/deploy.yaml)",
    ]


@needs_renderer
def test_command_line_values_are_one_more_set_and_findings_are_kept_once_per_template_line(cli, tmp_path):
    chart_copy(tmp_path, "web")
    value_sets_config(tmp_path, {"web": [["web/ci/privileged.yaml"], ["web/ci/latest.yaml", "web/ci/privileged.yaml"]]})
    run = cli("scan", "--select", RULES, "--color", "never", "--helm-values", "web/ci/root.yaml,web/ci/privileged.yaml", "web/Chart.yaml", cwd=tmp_path)
    # privileged in three sets, one finding; the files of a set merge in order
    assert findings(run) == WEB_WITH_EVERY_SET, run.out


@needs_renderer
def test_a_template_that_fails_makes_the_chart_incomplete_and_other_sets_still_count(cli, tmp_path):
    chart_copy(tmp_path, "failing")
    run = cli("scan", "--select", "IG202", "--color", "never", "--helm-values", "failing/ci/tagged.yaml", "failing", cwd=tmp_path)
    assert run.code == 4
    assert ("failing/Chart.yaml:1:1: IG008 [error] cannot render the chart with its own values: "
            "execution error at (failing/templates/pod.yaml:8:48): image.tag must be set (in failing/templates/pod.yaml)") in run.lines
    assert findings(run) == [
        "failing/templates/pod.yaml:10:21: IG202 [critical] the container runs privileged, with full control of its host (Pod/default/needs-a-tag/containers/app) from failing/templates/pod.yaml",
    ]


def test_without_a_renderer_every_chart_is_incomplete_and_the_install_command_is_said_once(cli, tmp_path, monkeypatch):
    chart_copy(tmp_path, "web")
    chart_copy(tmp_path, "failing")
    monkeypatch.setattr(render, "find_renderer", lambda: None)
    run = cli("scan", "--color", "never", ".", cwd=tmp_path)
    assert run.code == 4
    assert run.err.count("pip install 'iacguard-lint[helm]'") == 1
    errors = [line for line in run.lines if "IG008" in line]
    assert errors == [f"{name}/Chart.yaml:1:1: IG008 [error] the chart is not rendered: no Helm renderer is installed "
                      f"(pip install 'iacguard-lint[helm]' (or put helm on PATH))" for name in ("failing", "web")]


@needs_renderer
def test_a_dependency_not_vendored_is_dropped_with_a_note_and_a_vendored_one_is_rendered(cli, tmp_path):
    chart_copy(tmp_path, "umbrella")
    run = cli("scan", "--select", "IG202,IG405", "--color", "never", "-v", "umbrella", cwd=tmp_path)
    assert run.code == 1, run.out
    assert ("umbrella/Chart.yaml:7:5: IG006 [note] dependency cache from https://charts.example.com/stable is not vendored in "
            "charts/, so it is not rendered or checked (iacguard never fetches; vendor it with `helm dependency build`)") in run.lines
    assert findings(run) == [
        "umbrella/charts/worker/templates/job.yaml:13:13: IG202 [critical] the container runs privileged, with full control of its host (Job/default/release-name-worker/containers/worker) from umbrella/charts/worker/templates/job.yaml",
        "umbrella/templates/namespace-reader.yaml:6:17: IG405 [high] apiGroups: '*' grants every API group (Role/reader) from umbrella/templates/namespace-reader.yaml",
        "umbrella/templates/namespace-reader.yaml:7:17: IG405 [high] resources: '*' grants every resource (Role/reader) from umbrella/templates/namespace-reader.yaml",
    ]


@needs_renderer
def test_an_apiversion_v1_chart_s_requirements_are_dropped_with_a_note_too(cli, tmp_path):
    chart_copy(tmp_path, "legacy")
    run = cli("scan", "--select", "IG202", "--color", "never", "-v", "legacy", cwd=tmp_path)
    assert run.code == 1, run.out
    assert ("legacy/Chart.yaml:1:1: IG006 [note] dependency queue from https://charts.example.com/stable is not vendored in "
            "charts/, so it is not rendered or checked (iacguard never fetches; vendor it with `helm dependency build`) "
            "(in legacy/requirements.yaml)") in run.lines
    assert findings(run) == [
        "legacy/templates/pod.yaml:10:21: IG202 [critical] the container runs privileged, with full control of its host (Pod/default/release-name-legacy/containers/main) from legacy/templates/pod.yaml",
    ]


def test_a_chart_outside_the_scan_root_is_refused(cli, tmp_path):
    (tmp_path / "repo").mkdir()
    chart_copy(tmp_path, "web")
    run = cli("scan", "--color", "never", "--root", "repo", "web", cwd=tmp_path)
    assert run.code == 4
    assert [line for line in run.lines if "IG005" in line] == [
        "web/Chart.yaml: IG005 [error] depends on web, which was refused: the chart's folder is outside the scan root, so none of its files are read"
    ]


@needs_renderer
def test_a_template_named_alone_scans_its_chart_and_chart_files_are_never_loose_files(cli, tmp_path):
    chart = chart_copy(tmp_path, "web")
    value_sets_config(tmp_path, {"web": [["web/ci/privileged.yaml"]]})
    run = cli("scan", "--select", "IG202", "--color", "never", "--hook", "--", "web/templates/deployment.yaml", "web/values.yaml", cwd=tmp_path)
    assert findings(run) == [WEB_WITH_EVERY_SET[2]] and "in 1 file" in run.out, run.out
    index = ChartIndex(tmp_path)
    owned = sorted(path.relative_to(chart).as_posix() for path in chart.rglob("*") if path.is_file() and index.owner(path) == chart)
    assert owned == ["Chart.yaml", "templates/_helpers.tpl", "templates/configmap.yaml", "templates/deployment.yaml",
                     "templates/tests/connection.yaml", "values.yaml"]


@needs_renderer
def test_a_change_to_any_chart_file_checks_the_chart_again(cli, tmp_path, monkeypatch):
    chart = chart_copy(tmp_path, "web")
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    first = cli("scan", "--select", "IG202,IG101", "--color", "never", "--cache-dir", "cache", "web/Chart.yaml", cwd=tmp_path)
    assert findings(first) == []
    (chart / "values.yaml").write_text((chart / "values.yaml").read_text().replace("privileged: false", "privileged: true"))
    assert findings(cli("scan", "--select", "IG202,IG101", "--color", "never", "--cache-dir", "cache", "web/Chart.yaml", cwd=tmp_path)) == [WEB_WITH_EVERY_SET[2]]
    (chart / "templates" / "extra.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: extra}\nspec:\n  containers:\n    - {name: x, image: 'nginx:latest'}\n")
    again = cli("scan", "--select", "IG202,IG101", "--color", "never", "--cache-dir", "cache", "web/Chart.yaml", cwd=tmp_path)
    assert [line.split(" [")[0] for line in findings(again)] == ["web/templates/deployment.yaml:23:13: IG202", "web/templates/extra.yaml:6:24: IG101"]


@needs_renderer
def test_helm_on_path_comes_first_and_its_output_is_read_like_the_library_s(cli, tmp_path, monkeypatch):
    """A stand-in `helm` speaking `helm template`'s command line and output, built on
    the library: the command iacguard gives it and the stream it reads back."""
    if RENDERER.kind != "library":
        pytest.skip("a real helm is on PATH")
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    helm = bin_folder / "helm"
    helm.write_text(f"#!{sys.executable}\n" + STAND_IN_HELM)
    helm.chmod(helm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    assert render.find_renderer().kind == "helm"
    chart_copy(tmp_path, "web")
    value_sets_config(tmp_path, {"web": [["web/ci/latest.yaml"], ["web/ci/privileged.yaml"], ["web/ci/root.yaml"]]})
    run = cli("scan", "--select", RULES, "--color", "never", "web/Chart.yaml", cwd=tmp_path)
    assert findings(run) == WEB_WITH_EVERY_SET, run.out + run.err


STAND_IN_HELM = '''
import sys
import helm_python
from iacguard.helm.library import merge

arguments = sys.argv[1:]
assert arguments[0] == "template" and arguments[3] == "--namespace", arguments
values = {}
for index, argument in enumerate(arguments):
    if argument == "--values":
        values = merge(values, helm_python.values_from_yaml(open(arguments[index + 1]).read()) or {})
with helm_python.Chart.load(arguments[2]) as chart:
    for name, text in sorted(chart.render(values, name=arguments[1], namespace=arguments[4]).items()):
        for document in text.split("\\n---\\n"):
            if document.strip() and not name.endswith("NOTES.txt"):
                print(f"---\\n# Source: {name}\\n{document.strip()}")
'''


@needs_renderer
@pytest.mark.parametrize("template, budget", [
    ('{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}', "took more than 2 seconds"),
    ('data: "{{ range until 2500000 }}xxxxxxxx{{ end }}"', "renders more than 16 MiB"),
    ('{{ $x := until 1000000000 }}', "more than 1024 MiB of memory"),
])
def test_a_render_over_its_budgets_is_stopped(cli, tmp_path, monkeypatch, template, budget):
    monkeypatch.setattr(render, "RENDER_SECONDS", 2 if "seconds" in budget else 20)
    chart = chart_copy(tmp_path, "failing")
    (chart / "templates" / "pod.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\n{template}\n")
    run = cli("scan", "--jobs", "1", "--color", "never", "failing", cwd=tmp_path)
    assert run.code == 4
    assert any(line.startswith("failing/Chart.yaml: IG004 [error] evaluation stopped: ") and budget in line for line in run.lines), run.out


def test_line_map_exact_lines_lines_with_actions_and_expansions():
    template = "\n".join([
        "spec:",                                              # 1
        "  replicas: {{ .Values.replicas }}",                 # 2
        "  labels:",                                          # 3
        "    {{- include \"labels\" . | nindent 4 }}",        # 4
        "  ports:",                                           # 5
        "  {{- range .Values.ports }}",                       # 6
        "    - name: {{ .name }}",                            # 7
        "      port: {{ .port }}",                            # 8
        "  {{- end }}",                                       # 9
        "  selector: {}",                                     # 10
    ])
    rendered = ["spec:", "  replicas: 3", "  labels:", "    a: b", "    c: d", "  ports:",
                "    - name: http", "      port: 80", "    - name: grpc", "      port: 90", "  selector: {}"]
    line_map = LineMap(template, "\n".join(rendered))
    located = [line_map.locate(number, 3) for number in range(1, len(rendered) + 1)]
    assert [line for line, _, _ in located] == [1, 2, 3, 4, 4, 5, 7, 8, 7, 8, 10]
    assert [exact for _, _, exact in located] == [True, False, True, False, False, True, False, False, False, False, True]
    assert line_map.locate(2, 13) == (2, 3, False)  # a column past the first action: the line's first character
    assert line_map.locate(2, 5) == (2, 5, False)  # before it: exact



def test_line_map_output_of_an_expansion_equal_to_a_later_literal_line_is_the_expansion_s():
    template = "\n".join([
        "spec:",                                                       # 1
        "  containers:",                                               # 2
        "    - name: app",                                             # 3
        "      securityContext:",                                      # 4
        "        {{- toYaml .Values.securityContext | nindent 8 }}",   # 5
        "      image: app:1.0",                                        # 6
        "    - name: debug",                                           # 7
        "      securityContext:",                                      # 8
        "        privileged: true",                                    # 9
    ])
    rendered = ["spec:", "  containers:", "    - name: app", "      securityContext:", "        runAsUser: 0",
                "        privileged: true", "      image: app:1.0", "    - name: debug", "      securityContext:", "        privileged: true"]
    line_map = LineMap(template, "\n".join(rendered))
    assert [line_map.locate(number, 9)[0] for number in range(1, len(rendered) + 1)] == [1, 2, 3, 4, 5, 5, 6, 7, 8, 9]
    assert line_map.locate(10, 9) == (9, 9, True)
    # a block between them that the render skipped does not count
    template = "\n".join(["      securityContext:", "        {{- toYaml .Values.securityContext | nindent 8 }}",
                          "      {{- if .Values.resources }}", "      resources: {}", "      {{- end }}", "      image: app:1.0"])
    line_map = LineMap(template, "\n".join(["      securityContext:", "        runAsUser: 0", "      image: app:1.0"]))
    assert [line_map.locate(number, 7) for number in (2, 3)] == [(2, 9, False), (6, 7, True)]

@needs_renderer
@pytest.mark.skipif(not CORPUS2.is_dir(), reason="the shared corpus2 is not beside the repository")
def test_the_real_charts_of_corpus2_render_and_every_chart_file_is_accounted_for(cli, tmp_path):
    """Every file the manifest tags `helm-chart` is a source of a chart that rendered,
    or scanned on its own; the output does not depend on --jobs."""
    collector = CORPUS2 / "open-telemetry__opentelemetry-helm-charts" / "charts" / "opentelemetry-collector"
    config = tmp_path / "corpus2.yaml"
    config.write_text(json.dumps({"helm_value_sets": {str(collector): [[str(collector / "ci" / "deployment-values.yaml")]]}}))
    reports = []
    for jobs in ("1", "2"):
        report = tmp_path / f"report-{jobs}.json"
        run = cli("scan", "--no-cache", "--config", str(config), "-f", "json", "-o", str(report), "--jobs", jobs, ".", cwd=CORPUS2)
        assert "Traceback" not in run.err
        reports.append(report.read_text())
    assert reports[0] == reports[1], "output must not depend on --jobs"
    document = json.loads(reports[0])
    # corpus2 holds only the YAML of its Kustomize trees: their generators' inputs
    # (scripts, configuration files) are missing, which makes those builds incomplete.
    problems = [d for d in document["errors"] if d["code"] in ("IG999", "IG004", "IG005", "IG008")
                and not (d["code"] == "IG005" and d["path"].endswith("kustomization.yaml"))]
    # the collector's own values leave image.repository unset on purpose: its NOTES.txt fails
    assert [(d["path"], d["code"]) for d in problems] == [(str((collector / "Chart.yaml").relative_to(CORPUS2)), "IG008")]
    rendered = {Path(f["path"]).parts[:4] for f in document["findings"] if "/templates/" in f["path"]}
    assert len(rendered) >= 7  # the charts with workloads, each with findings in its templates
    charts = {d["path"] for d in document["errors"] + document["warnings"]} | {f["path"] for f in document["findings"]}
    registry = load_registry(autoload=False)
    targets = {item.path for item in Discovery(list(registry.formats.values()), CORPUS2, CORPUS2).targets(["."]) if isinstance(item, Target)}
    index = ChartIndex(CORPUS2)
    manifest = [line.split("\t") for line in (CORPUS2 / "MANIFEST.tsv").read_text().splitlines()[1:]]
    for tag, _, path in manifest:
        if tag != "helm-chart":
            continue
        owner = index.owner(CORPUS2 / path)
        if owner is None:  # ci/ values, examples/ output, documentation: scanned like any file, or not claimed
            continue
        assert owner / "Chart.yaml" in targets, path
    rendered_charts = {path for path in charts if path.endswith("/Chart.yaml")}
    assert rendered_charts <= {str(path.relative_to(CORPUS2)) for path in targets}


@needs_renderer
def test_the_renderer_is_the_only_program_run_with_an_empty_environment_outside_the_tree(cli, tmp_path, monkeypatch):
    import subprocess

    started = []
    real_popen = subprocess.Popen

    def record(command, **options):
        started.append((command, options))
        return real_popen(command, **options)

    monkeypatch.setattr(subprocess, "Popen", record)
    chart_copy(tmp_path, "web")
    run = cli("scan", "--jobs", "1", "--select", "IG202", "--helm-values", "web/ci/privileged.yaml", "web/Chart.yaml", cwd=tmp_path)
    assert run.code == 1
    [(command, options)] = started  # every value set in one renderer process
    assert options["env"] == {} and options["start_new_session"] and options["stdin"] == subprocess.DEVNULL
    workspace = Path(options["cwd"])
    assert not workspace.is_relative_to(tmp_path) and not workspace.exists()  # private, and removed afterwards
    assert command[-1].startswith(str(workspace)) or RENDERER.kind == "helm"


@needs_renderer
def test_a_document_separator_with_a_comment_keeps_the_template_s_source(cli, tmp_path):
    """`--- # second` starts a document as `---` does: the Secret after it is the
    chart's, whose values are given at install (it was read as a loose manifest: a
    false IG210)."""
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("password: Sup3rS3cretValue99\n")
    (chart / "templates" / "secret.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n--- # second\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  DB_PASSWORD: {{ .Values.password | quote }}\n")
    run = cli("scan", "--no-cache", "--select", "IG210", "chart", cwd=tmp_path)
    assert run.code == 0, run.out


def subchart_chart(folder: Path, dependency: str, subchart_folder: str = "sub", subchart_name: str = "sub") -> Path:
    """A chart `parent` (in `folder`) vendoring the chart `subchart_name` in
    `charts/subchart_folder`, whose pod is privileged; `dependency` is the
    dependency's entry in Chart.yaml."""
    sub = folder / "charts" / subchart_folder
    (sub / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(f"apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n{dependency}")
    (sub / "Chart.yaml").write_text(f"apiVersion: v2\nname: {subchart_name}\nversion: 0.1.0\n")
    (sub / "templates" / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\nspec:\n  containers:\n"
        "    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n")
    return folder


@needs_renderer
def test_a_subchart_a_value_set_enables_is_rendered_though_the_chart_s_own_values_disable_it(cli, tmp_path):
    chart = subchart_chart(tmp_path / "chart", "  - name: sub\n    version: 0.1.0\n    condition: sub.enabled\n")
    (chart / "values.yaml").write_text("sub:\n  enabled: false\n")
    (tmp_path / "on.yaml").write_text("sub:\n  enabled: true\n")
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", "--helm-values", "on.yaml", "chart", cwd=tmp_path)
    assert [line.split(" [")[0] for line in findings(run)] == ["chart/charts/sub/templates/pod.yaml:10:21: IG202"], run.out


@needs_renderer
def test_an_aliased_subchart_s_findings_point_at_the_folder_it_is_vendored_in(cli, tmp_path):
    subchart_chart(tmp_path / "chart", "  - name: sub\n    version: 0.1.0\n    alias: second\n")
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", "chart", cwd=tmp_path)
    assert [line.split(" [")[0] for line in findings(run)] == ["chart/charts/sub/templates/pod.yaml:10:21: IG202"], run.out
    assert "(Pod/default/release-name-second/containers/c)" in run.out


@needs_renderer
def test_a_dependency_is_vendored_by_its_chart_s_name_not_by_the_folder_s_or_an_archive_s_prefix(cli, tmp_path):
    chart = subchart_chart(tmp_path / "chart", "  - name: sub\n    version: 0.1.0\n  - name: cache\n    version: 0.1.0\n", subchart_folder="sub-0.1")
    with tarfile.open(chart / "charts" / "cache-extra-0.1.0.tgz", "w:gz") as archive:  # another chart, cache-extra
        metadata = b"apiVersion: v2\nname: cache-extra\nversion: 0.1.0\n"
        entry = tarfile.TarInfo("cache-extra/Chart.yaml")
        entry.size = len(metadata)
        archive.addfile(entry, io.BytesIO(metadata))
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", "-v", "chart", cwd=tmp_path)
    assert [line.split(" [")[0] for line in run.lines if "IG006" in line or "IG202" in line] == [
        "chart/Chart.yaml:7:5: IG006", "chart/charts/sub-0.1/templates/pod.yaml:10:21: IG202"], run.out


@needs_renderer
def test_the_template_a_finding_was_rendered_from_is_named_by_its_file_in_the_tree(cli, tmp_path):
    """The chart `parent` lies in the folder `chart`: Helm's name for the template,
    `parent/charts/sub/templates/pod.yaml`, is no file of the tree."""
    (tmp_path / ".git").mkdir()
    subchart_chart(tmp_path / "chart", "  - name: sub\n    version: 0.1.0\n")
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", "chart", cwd=tmp_path)
    assert findings(run)[0].endswith(" from chart/charts/sub/templates/pod.yaml"), run.out
    document = json.loads(cli("scan", "--no-cache", "--select", "IG202", "-f", "sarif", "chart", cwd=tmp_path).out)
    [related] = document["runs"][0]["results"][0]["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"] == {"uri": "chart/charts/sub/templates/pod.yaml", "uriBaseId": "%SRCROOT%"}


@needs_renderer
def test_a_render_error_names_the_template_or_the_value_file_it_comes_from_on_one_line(cli, tmp_path):
    chart = chart_copy(tmp_path, "failing")
    (chart / "templates" / "pod.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ (lookup \"v1\" \"Secret\" \"ns\" \"x\").data.name }}\n")
    (tmp_path / "broken.yaml").write_text("image:\n  tag: [1.27\n")
    run = cli("scan", "--no-cache", "--color", "never", "--helm-values", "broken.yaml", "failing", cwd=tmp_path)
    assert [line for line in run.lines if "IG008" in line] == [
        "failing/Chart.yaml:1:1: IG008 [error] cannot render the chart with its own values: failing/templates/pod.yaml:4:38: executing "
        "\"failing/templates/pod.yaml\" at <\"x\">: nil pointer evaluating interface {}.name (in failing/templates/pod.yaml)",
        "failing/Chart.yaml:1:1: IG008 [error] cannot render the chart with values broken.yaml: failed to parse broken.yaml: error converting "
        "YAML to JSON: yaml: line 2: did not find expected ',' or ']' (in broken.yaml)",
    ], run.out


PRIVILEGED_POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: 'nginx:1.25', securityContext: {privileged: true}}\n"


@needs_renderer
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_chart_s_links_to_folders_of_the_repository_are_rendered_as_helm_renders_them(cli, tmp_path):
    """Helm's loader follows a link to a folder: templates kept in another folder,
    and a subchart vendored as a link, are rendered. Their real folders are scanned
    under their own names; the links are the aliases the walk passes over."""
    (tmp_path / ".git").mkdir()
    chart = subchart_chart(tmp_path / "sub-parent", "  - name: sub\n    version: 0.1.0\n")
    shutil.move(chart / "charts" / "sub", tmp_path / "sub")
    (chart / "charts" / "sub").symlink_to("../../sub", target_is_directory=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "pod.yaml").write_text(PRIVILEGED_POD)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 0.1.0\n")
    (tmp_path / "web" / "templates").symlink_to("../shared", target_is_directory=True)
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", "-v", ".", cwd=tmp_path)
    assert [line.split(" [")[0] for line in run.lines if " IG" in line] == [
        "shared/pod.yaml:6:68: IG202",
        "sub-parent/charts/sub/templates/pod.yaml:10:21: IG202",
        "sub/templates/pod.yaml:10:21: IG202",
        "web/templates/pod.yaml:6:68: IG202",
    ], run.out
    assert [line for line in run.err.splitlines() if "scanned already" in line] == [
        "iacguard: skipped sub-parent/charts/sub: symbolic link leads to a folder scanned already (a loop or an alias)",
        "iacguard: skipped web/templates: symbolic link leads to a folder scanned already (a loop or an alias)",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_chart_s_link_to_a_folder_out_of_the_scan_root_or_into_a_folder_it_lies_in_is_refused(tmp_path):
    """Not entered, and told (IG005: the chart is incomplete): Helm would read a
    folder outside the scan root, and follows a loop until loading fails."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "pod.yaml").write_text(PRIVILEGED_POD)
    chart = tmp_path / "repo" / "chart"
    (chart / "templates" / "deep").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "templates" / "pod.yaml").write_text(PRIVILEGED_POD)
    (chart / "templates" / "out").symlink_to(tmp_path / "outside", target_is_directory=True)
    (chart / "templates" / "deep" / "back").symlink_to("../..", target_is_directory=True)
    (chart / "extra").symlink_to("templates/deep", target_is_directory=True)  # an alias: read under each name
    refused = []
    files = chart_files(chart, Path.read_bytes, lambda folder: None, frozenset(), lambda path, why: refused.append((path.relative_to(chart).as_posix(), why)), tmp_path / "repo")
    assert [file.relative for file in files] == ["Chart.yaml", "templates/pod.yaml"]
    assert sorted(refused) == [
        ("extra/back", "a symbolic link to a folder it lies in (a loop, which Helm follows until it fails)"),
        ("templates/deep/back", "a symbolic link to a folder it lies in (a loop, which Helm follows until it fails)"),
        ("templates/out", "outside the scan root"),
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_that_reach_a_chart_s_folders_under_many_names_are_bounded(tmp_path, monkeypatch):
    """Two links in each of a chain of folders to the next: 2**depth names for the
    last one. Folders count against the chart's budget, as files do."""
    monkeypatch.setattr(charts, "MAX_CHART_FILES", 100)
    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    for depth in range(12):
        (chart / f"d{depth}").mkdir()
        for name in "ab":
            (chart / f"d{depth}" / name).symlink_to(f"../d{depth + 1}", target_is_directory=True)
    (chart / "d12").mkdir()
    with pytest.raises(BudgetExceeded, match="more than 100 files and folders"):
        chart_files(chart, Path.read_bytes, lambda folder: None, frozenset(), lambda path, why: None, tmp_path)


@needs_renderer
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_chart_with_a_folder_link_out_of_the_scan_root_is_incomplete(cli, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "pod.yaml").write_text(PRIVILEGED_POD)
    chart = tmp_path / "repo" / "chart"
    chart.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "templates").symlink_to(tmp_path / "outside", target_is_directory=True)
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", ".", cwd=tmp_path / "repo")
    assert run.code == 4
    assert refusals(run) == ["chart/Chart.yaml: IG005 [error] depends on chart/templates, which was refused: outside the scan root"]


def test_a_template_s_comments_are_those_of_the_yaml_it_renders():
    """A `#` in a quoted string (an escaped quote included), a block scalar or an
    action is text once rendered; a comment's own text keeps its actions. Past what
    reads as YAML, nothing is a comment."""
    from iacguard.parsers.helm import HelmChartFormat

    template = (
        "metadata:\n"
        "  name: {{ .Release.Name }}-web # trailing {{ .Values.why }}\n"
        "  annotations:\n"
        '    a: "{{ .Values.a }}\\" # iacguard:ignore-file -- quoted"\n'
        "    b: |\n"
        "      # iacguard:ignore-file -- a script's\n"
        '    c: {{ "# iacguard:ignore-file -- an action" }}\n'
        "{{- /* # iacguard:ignore-file -- a template comment */}}\n"
        "  {{- if .Values.x }}\n"
        "  # own line\n"
        "  {{- end }}\n"
        "spec: @reserved\n"
        "# past the end of what reads as YAML\n"
    )
    comments = HelmChartFormat().parse(template, "web/templates/x.yaml").comments
    assert [(c.line, c.column, c.text, c.own_line) for c in comments] == [
        (2, 33, "# trailing {{ .Values.why }}", False),
        (10, 3, "# own line", True),
    ]


@needs_renderer
def test_a_suppression_in_a_template_s_block_scalar_is_text(cli, tmp_path):
    chart_copy(tmp_path, "web")
    template = tmp_path / "web" / "templates" / "deployment.yaml"
    template.write_text(template.read_text() + "          args:\n            - |\n              # iacguard:ignore-file -- a script's line\n")
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", "--helm-values", "web/ci/privileged.yaml", "web", cwd=tmp_path)
    assert [line for line in findings(run) if ": IG202 " in line] == [WEB_WITH_EVERY_SET[2]] and run.code == 1, run.out
    template.write_text(template.read_text().replace("{{ .Values.privileged }}", "{{ .Values.privileged }} # iacguard:ignore IG202 -- a node agent"))
    run = cli("scan", "--no-cache", "--select", "IG202", "--color", "never", "--helm-values", "web/ci/privileged.yaml", "web", cwd=tmp_path)
    assert [line for line in findings(run) if ": IG202 " in line] == [] and run.code == 0, run.out
