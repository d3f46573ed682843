"""Kubernetes and Helm: recognition, workload shapes, effective settings,
suppressions, and a mixed repository scanned end to end."""

import json

import pytest

from iacguard.model import Unknown
from iacguard.normalizers.kubernetes import normalize
from iacguard.parsers.kubernetes import KubernetesFormat

FORMAT = KubernetesFormat()


def resources(text):
    return list(normalize(FORMAT.parse(text, "k.yaml")))


def containers(text):
    return {r.address: r for r in resources(text) if r.kind == "container"}


POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: n}
spec:
  securityContext: {runAsUser: 1000, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: a
      image: nginx:1.27
      securityContext: {runAsUser: 0}
    - name: b
      image: nginx:1.27
      securityContext: {seccompProfile: {type: Unconfined}}
"""


def test_effective_security_context_is_container_over_pod():
    found = containers(POD)
    a, b = found["Pod/n/p/containers/a"], found["Pod/n/p/containers/b"]
    assert (a.value("run_as_user"), a.attr("run_as_user").location.line) == (0, 9)
    assert (b.value("run_as_user"), b.attr("run_as_user").location.line) == (1000, 5)
    assert b.value("run_as_non_root") is True
    assert (a.value("seccomp_profile"), b.value("seccomp_profile")) == ("RuntimeDefault", "Unconfined")


@pytest.mark.parametrize(
    ("kind", "wrapper", "long_running"),
    [
        ("Deployment", "spec:\n  template:\n    spec:\n", True),
        ("StatefulSet", "spec:\n  template:\n    spec:\n", True),
        ("DaemonSet", "spec:\n  template:\n    spec:\n", True),
        ("Job", "spec:\n  template:\n    spec:\n", False),
        ("CronJob", "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n", False),
        ("Rollout", "spec:\n  template:\n    spec:\n", True),
    ],
)
def test_every_workload_shape_yields_pod_and_containers(kind, wrapper, long_running):
    indent = " " * (len(wrapper.splitlines()[-1]) - len(wrapper.splitlines()[-1].lstrip()) + 2)
    text = f"apiVersion: x/v1\nkind: {kind}\nmetadata: {{name: w}}\n{wrapper}{indent}containers:\n{indent}  - name: c\n{indent}    image: app:1\n"
    found = resources(text)
    assert [r.kind for r in found] == ["k8s_object", "pod", "container"]
    assert found[2].address == f"{kind}/default/w/containers/c"
    assert found[2].value("long_running") is long_running


def test_lists_and_non_workloads():
    text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      containers: [{name: c, image: a:1}]\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: m}\n"
    assert [(r.kind, r.address) for r in resources(text)] == [
        ("k8s_object", "Pod/default/p"), ("pod", "Pod/default/p"), ("container", "Pod/default/p/containers/c"),
        ("k8s_object", "ConfigMap/default/m"), ("k8s_data", "ConfigMap/default/m"),
    ]


def test_wrong_types_are_unknown_not_guessed():
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: \"true\"\n  containers:\n    - name: c\n      image: [a]\n      securityContext: {privileged: 1}\n"
    _, pod, container = resources(text)
    assert isinstance(pod.value("host_network"), Unknown)
    assert isinstance(container.value("privileged"), Unknown) and isinstance(container.value("image"), Unknown)


def test_sniffing():
    assert FORMAT.sniff("apiVersion: v1\nkind: Pod\n")
    assert not FORMAT.sniff("services:\n  web:\n    image: nginx\n")
    assert not FORMAT.sniff("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n")
    assert not FORMAT.sniff('apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    {{- include "chart.labels" . | nindent 4 }}\nspec:\n  image: "{{ .Values.image }}"\n')
    # Rendered output: `{{` only inside quoted text, as in a dashboard or an alert template.
    assert FORMAT.sniff('apiVersion: v1\nkind: ConfigMap\ndata:\n  board.json: |\n    {"legendFormat": "{{pod}}"}\n  alert: \'{{ $labels.x }} is ''down''\'\n')
    # ... and in a plain value's middle, a comment, or a block scalar's lines (a Go template kept as data): valid
    # YAML, which a `{{` anywhere made a skipped file.
    assert FORMAT.sniff("apiVersion: v1\nkind: PrometheusRule\nspec:\n  summary: Instance {{ $labels.instance }} down\n")
    assert FORMAT.sniff("# Rendered from the {{ .Values }} chart\napiVersion: v1\nkind: Pod\n")
    assert FORMAT.sniff('apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n    {{ define "x" }}\n    {{- if .y }}\n  other: 1\n')
    assert not FORMAT.sniff('apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n    text\n{{- if .y }}\n')
    # `kind` after the head a file is told by (kubectl writes `data` before it): `apiVersion` at the top level tells
    assert FORMAT.sniff("apiVersion: v1\ndata:\n  big.conf: |\n    " + "x" * 10000)
    assert not FORMAT.sniff("name: chart\nversion: 1\nconfig:\n  apiVersion: v1\n")
    # but not other tools' files with an `apiVersion` of their own (Grafana's, a Helm repository's index)
    assert not FORMAT.sniff("apiVersion: 1\ndatasources:\n  - name: x\n") and not FORMAT.sniff("apiVersion: v1\nentries:\n  a: []\n")
    # A chart's template is one by its Helm actions wherever they stand, outside quotes.
    assert not FORMAT.sniff("apiVersion: v1\nkind: Pod\nmetadata:\n  name: app-{{ .Release.Name }}\n")


MIXED_DOCKERFILE = "FROM alpine:3.20\nHEALTHCHECK CMD true\nEXPOSE 22\n"
MIXED_MANIFEST = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web  # iacguard:ignore IG206 -- CPU is capped by the namespace quota
      image: nginx
"""
MIXED_HELM = """\
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: release-shop
  annotations:
    iacguard.io/ignore: IG207
    iacguard.io/ignore-reason: memory is capped by a LimitRange
spec:
  template:
    spec:
      containers:
        - name: shop
          image: myacr.azurecr.io/shop:2.3.1
          securityContext: {runAsUser: 0}
"""


@pytest.fixture
def mixed(tmp_path):
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text(MIXED_DOCKERFILE)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(MIXED_MANIFEST)
    (tmp_path / "k8s" / "rendered.yaml").write_text(MIXED_HELM)
    (tmp_path / "chart" / "templates").mkdir(parents=True)
    (tmp_path / "chart" / "templates" / "deployment.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\njobs: {}\n")
    return tmp_path


def test_mixed_repository_text(cli, mixed):
    run = cli("scan", "--select", "IG101,IG201,IG206,IG207,IG304", cwd=mixed)
    assert run.lines == [
        "docker/Dockerfile:1:1: IG201 [high] the final stage sets no USER, so the image runs as root unless its base image alpine:3.20 sets one; declare it with USER or the non_root_images option (stage/0)",
        "docker/Dockerfile:3:8: IG304 [medium] EXPOSE 22 publishes the SSH port (stage/0)",
        "k8s/pod.yaml:8:13: IG201 [high] no non-root user is set (runAsNonRoot or a non-zero runAsUser), so the image's user (often root) applies (Pod/shop/web/containers/web)",
        "k8s/pod.yaml:8:13: IG207 [medium] resources.limits.memory is not set (Pod/shop/web/containers/web)",
        "k8s/pod.yaml:9:14: IG101 [medium] image nginx has no tag, so it means whatever `latest` is when pulled; pin a version or digest (Pod/shop/web/containers/web)",
        "k8s/rendered.yaml:14:17: IG206 [medium] resources.limits.cpu is not set (Deployment/default/release-shop/containers/shop) from shop/templates/deployment.yaml",
        "k8s/rendered.yaml:16:40: IG201 [high] runAsUser: 0 runs the container as root (Deployment/default/release-shop/containers/shop) from shop/templates/deployment.yaml",
        "Found 7 findings (3 high, 4 medium) in 3 files; 2 suppressed (1 annotation, 1 inline).",
    ]


def test_mixed_repository_json(cli, mixed):
    document = json.loads(cli("scan", "--format", "json", "--select", "IG201,IG206,IG207", cwd=mixed).out)
    findings = {(f["path"], f["rule"]): f for f in document["findings"]}
    helm = findings[("k8s/rendered.yaml", "IG201")]
    assert (helm["format"], helm["source_template"], helm["resource_type"]) == ("kubernetes", "shop/templates/deployment.yaml", "apps/v1/Deployment")
    assert findings[("k8s/rendered.yaml", "IG207")]["suppression"] == {"kind": "annotation", "reason": "memory is capped by a LimitRange"}
    assert findings[("k8s/pod.yaml", "IG206")]["suppression"] == {"kind": "inline", "reason": "CPU is capped by the namespace quota"}
    assert document["summary"]["files"] == 3 and document["errors"] == []


def test_helm_output_on_standard_input(cli, tmp_path):
    run = cli("scan", "--select", "IG201", "-", cwd=tmp_path, stdin=MIXED_HELM)
    assert run.lines[0] == (
        "<stdin>:16:40: IG201 [high] runAsUser: 0 runs the container as root "
        "(Deployment/default/release-shop/containers/shop) from shop/templates/deployment.yaml"
    )


def test_comment_above_a_container_covers_it(cli, tmp_path):
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  containers:\n"
        "    # iacguard:ignore IG202 -- device plugin needs it\n    - name: c\n      image: a:1\n"
        "      securityContext:\n        privileged: true\n"
    )
    document = json.loads(cli("scan", "--format", "json", "--select", "IG202", cwd=tmp_path).out)
    assert [(f["line"], f["suppressed"]) for f in document["findings"]] == [(10, True)]


def test_duplicate_keys_and_syntax_errors_are_reported(cli, tmp_path):
    (tmp_path / "dup.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  hostPID: false\n  containers: []\n")
    (tmp_path / "bad.yaml").write_text("apiVersion: v1\nkind: Pod\nspec: [unclosed\n")
    run = cli("scan", "--select", "IG401", cwd=tmp_path)
    assert "bad.yaml:4:1: IG000 [error] cannot parse Kubernetes: did not find expected ',' or ']'" in run.lines
    assert "dup.yaml:6:3: IG003 [warning] duplicate key 'hostPID': the last value is used here, and kubectl rejects the file" in run.lines


def test_yaml_1_1_y_and_n_are_booleans_where_a_boolean_goes():
    """kubectl reads `privileged: Y` as true; Compose's YAML 1.2 would not, so the shared loader keeps the text."""
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: y\n  containers:\n    - name: c\n      image: a:1\n" \
           "      securityContext: {privileged: Y, allowPrivilegeEscalation: n}\n"
    _, pod, container = resources(text)
    assert pod.value("host_network") is True
    assert container.value("privileged") is True and container.value("allow_privilege_escalation") is False


def test_a_cluster_service_version_is_namespaced(cli, tmp_path):
    """OLM's ClusterServiceVersion lives in a namespace despite its name: one placed in
    `default` is reported as any namespaced object is."""
    (tmp_path / "csv.yaml").write_text("apiVersion: operators.coreos.com/v1alpha1\nkind: ClusterServiceVersion\nmetadata: {name: op.v1, namespace: default}\n")
    assert cli("scan", "--no-cache", "--select", "IG404", "csv.yaml", cwd=tmp_path).lines[0].startswith("csv.yaml:3:36: IG404")


def test_a_zero_limit_or_request_is_none(cli, tmp_path):
    """The kubelet sets no limit for a zero one, and a zero request (one taken from a
    zero limit too) reserves nothing."""
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n"
                                       "    - name: zero\n      image: a:1\n      resources:\n        limits: {cpu: 0, memory: \"0Ki\"}\n"
                                       "    - name: set\n      image: a:1\n      resources:\n        limits: {cpu: 500m, memory: 1Gi}\n")
    run = cli("scan", "--no-cache", "--select", "IG206,IG207,IG208,IG215", "pod.yaml", cwd=tmp_path)
    assert run.lines == [
        "pod.yaml:9:23: IG206 [medium] resources.limits.cpu is 0, which sets no limit (Pod/shop/p/containers/zero)",
        "pod.yaml:9:23: IG208 [low] resources.requests.cpu is 0, which reserves nothing (Pod/shop/p/containers/zero)",
        "pod.yaml:9:34: IG207 [medium] resources.limits.memory is 0, which sets no limit (Pod/shop/p/containers/zero)",
        "pod.yaml:9:34: IG215 [low] resources.requests.memory is 0, which reserves nothing (Pod/shop/p/containers/zero)",
        "Found 4 findings (2 medium, 2 low) in 1 file.",
    ]


def test_a_windows_host_process_container_is_privileged():
    """It runs on the node with the node's access: the Baseline standard forbids it as privileged."""
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    windowsOptions: {hostProcess: true}\n"
            "  containers:\n    - name: c\n      image: a:1\n    - name: d\n      image: a:1\n      securityContext:\n        windowsOptions: {hostProcess: false}\n")
    _, _, host, own = resources(text)
    assert host.value("privileged") is True and host.attr("privileged").location.line == 6
    assert own.value("privileged") is not True


@pytest.mark.parametrize(
    ("placement", "system"),
    [
        ("  os: {name: windows}\n  nodeSelector: {kubernetes.io/os: linux}\n", "windows"),  # spec.os is what the API server reads
        ("  nodeSelector: {kubernetes.io/os: windows}\n", "windows"),
        ("  nodeSelector: {disktype: ssd}\n", "linux"),
    ],
)
def test_a_container_runs_on_its_pod_s_system(placement, system):
    text = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{placement}  containers:\n    - name: c\n      image: a:1\n"
    assert resources(text)[2].value("os") == system


def test_the_windows_user_is_the_container_s_over_the_pod_s():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n"
            "  securityContext:\n    windowsOptions: {runAsUserName: ContainerUser}\n"
            "  containers:\n    - name: c\n      image: a:1\n    - name: d\n      image: a:1\n"
            "      securityContext:\n        windowsOptions: {runAsUserName: ContainerAdministrator}\n")
    _, _, pod_user, own = resources(text)
    assert (pod_user.value("run_as_user_name"), pod_user.attr("run_as_user_name").location.line) == ("ContainerUser", 7)
    assert own.value("run_as_user_name") == "ContainerAdministrator"


def test_a_kind_of_another_api_group_is_not_read_as_the_built_in_one():
    """Volcano's Job shares only the name of batch/v1's: its pods are under `spec.tasks`."""
    text = ("apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: j}\nspec:\n  tasks:\n"
            "    - name: worker\n      template:\n        spec:\n          containers:\n            - name: c\n              image: a:1\n")
    found = resources(text)
    assert [(r.kind, r.address) for r in found] == [
        ("k8s_object", "Job/default/j"), ("pod", "Job/default/j/tasks[worker]"), ("container", "Job/default/j/tasks[worker]/containers/c"),
    ]
    assert found[2].value("long_running") is False


def test_a_workload_s_own_annotations_do_not_reach_its_pods():
    """The pods get their template's annotations only, also when the template has no metadata."""
    text = ("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: j\n  annotations:\n"
            "    container.apparmor.security.beta.kubernetes.io/c: unconfined\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"
            "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: c\n              image: a:1\n")
    container = resources(text)[2]
    assert not container.attr("apparmor_profile").is_set and not container.attr("seccomp_profile").is_set


def test_apparmor_is_read_in_the_kubelet_s_order():
    """The container's field, then the container's annotation, then the pod's field."""
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
            "    container.apparmor.security.beta.kubernetes.io/a: unconfined\n    container.apparmor.security.beta.kubernetes.io/b: unconfined\n"
            "spec:\n  securityContext: {appArmorProfile: {type: Localhost}}\n  containers:\n"
            "    - name: a\n      image: x:1\n      securityContext: {appArmorProfile: {type: RuntimeDefault}}\n"
            "    - name: b\n      image: x:1\n    - name: c\n      image: x:1\n")
    found = containers(text)
    assert [found[f"Pod/default/p/containers/{name}"].value("apparmor_profile") for name in "abc"] == ["RuntimeDefault", "Unconfined", "Localhost"]


@pytest.mark.parametrize(("names", "account"), [("serviceAccount: old", "old"), ("serviceAccountName: new\n  serviceAccount: old", "new")])
def test_the_deprecated_service_account_field_names_the_account_when_the_name_is_not_set(names, account):
    text = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  {names}\n  containers:\n    - name: c\n      image: a:1\n"
    assert resources(text)[1].value("service_account") == account


MISSHAPEN = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
        - name: setup
          image: busybox:1.36
          securityContext: {runAsNonRoot: true, privileged: true}
      containers:
        name: app
        image: nginx:1.27
        securityContext: {privileged: true}
---
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: build, namespace: ci}
spec:
  stepTemplate:
    - securityContext: {privileged: true}
  steps:
    name: compile
    image: registry.example.com/builder:3
    securityContext: {privileged: true}
"""


def test_a_kubectl_list_whose_first_item_fills_the_head_is_still_a_manifest(cli, tmp_path):
    """`kubectl get cm,deploy -o json` writes each object's keys in order: a large
    ConfigMap's `data` comes before its `kind`, and the List's own `kind` last, so
    the head of the file tells nothing; the whole text does."""
    config_map = {"apiVersion": "v1", "data": {f"key{index}": "x" * 100 for index in range(100)}, "kind": "ConfigMap",
                  "metadata": {"name": "settings", "namespace": "shop"}}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"},
                  "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.27", "securityContext": {"privileged": True}}]}}}}
    (tmp_path / "export.json").write_text(json.dumps({"apiVersion": "v1", "items": [config_map, deployment], "kind": "List"}, indent=4))
    run = cli("scan", "--no-cache", "--select", "IG202", "export.json", cwd=tmp_path)
    assert run.lines == [
        "export.json:129:51: IG202 [critical] the container runs privileged, with full control of its host (Deployment/shop/web/containers/app)",
        "Found 1 finding (1 critical) in 1 file.",
    ]


def test_no_escalation_beside_privileged_or_cap_sys_admin_is_a_container_the_api_server_rejects(cli, tmp_path):
    """The API server refuses `allowPrivilegeEscalation: false` with `privileged: true`
    or with `CAP_SYS_ADMIN` added as written (it compares that string; `SYS_ADMIN` passes)."""
    (tmp_path / "k.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: app\n          image: nginx:1.27\n          securityContext: {privileged: yes, allowPrivilegeEscalation: false}\n"
        "        - name: admin\n          image: nginx:1.27\n          securityContext:\n            allowPrivilegeEscalation: false\n"
        "            capabilities: {add: [CAP_SYS_ADMIN]}\n"
        "        - name: spelled\n          image: nginx:1.27\n          securityContext:\n            allowPrivilegeEscalation: false\n"
        "            capabilities: {add: [SYS_ADMIN]}\n"
        "        - name: escalating\n          image: nginx:1.27\n          securityContext: {privileged: true, allowPrivilegeEscalation: true}\n")
    run = cli("scan", "--no-cache", "--select", "IG202", "k.yaml", cwd=tmp_path)
    assert run.lines == [
        "k.yaml:10:41: IG202 [critical] the container runs privileged, with full control of its host (Deployment/shop/web/containers/app)",
        "k.yaml:10:72: IG003 [warning] allowPrivilegeEscalation: false with privileged: true: the API server rejects the container "
        "(Deployment/shop/web/containers/app)",
        "k.yaml:14:39: IG003 [warning] allowPrivilegeEscalation: false with capabilities.add CAP_SYS_ADMIN: the API server rejects the "
        "container (Deployment/shop/web/containers/admin)",
        "k.yaml:23:41: IG202 [critical] the container runs privileged, with full control of its host (Deployment/shop/web/containers/escalating)",
        "Found 2 findings (2 critical) in 1 file.",
    ]


def test_capabilities_add_written_as_a_string_is_no_cap_sys_admin_beside_no_escalation(cli, tmp_path):
    """`capabilities.add` is a list; a string there (which the API server refuses)
    holds no `CAP_SYS_ADMIN`, even when it spells it, so no conflict is told."""
    (tmp_path / "k.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n"
        "    - name: app\n      image: nginx:1.27\n      securityContext:\n        allowPrivilegeEscalation: false\n"
        "        capabilities: {add: NOT_CAP_SYS_ADMIN}\n")
    run = cli("scan", "--no-cache", "--select", "IG202", "k.yaml", cwd=tmp_path)
    assert not any("IG003" in line for line in run.lines), run.lines


def test_a_container_list_written_as_a_mapping_is_an_error_not_a_container(cli, tmp_path):
    """A pod spec's `containers` is a list (Tekton's `steps` too, and its
    `stepTemplate` one container): the API server rejects another shape, so it gives
    no container for every rule to judge, and the file is incomplete."""
    (tmp_path / "k.yaml").write_text(MISSHAPEN)
    run = cli("scan", "--no-cache", "--select", "IG201,IG202", "k.yaml", cwd=tmp_path)
    assert run.code == 4
    assert run.lines == [
        "k.yaml:10:61: IG202 [critical] the container runs privileged, with full control of its host (Deployment/shop/web/initContainers/setup)",
        "k.yaml:11:7: IG000 [error] containers is a mapping, where a Deployment takes a list of containers: the API server rejects the object, "
        "and no container is read from it (Deployment/shop/web)",
        "k.yaml:20:3: IG000 [error] stepTemplate is a list, where a Task takes one container: the API server rejects the object, "
        "and no container is read from it (Task/ci/build)",
        "k.yaml:22:3: IG000 [error] steps is a mapping, where a Task takes a list of containers: the API server rejects the object, "
        "and no container is read from it (Task/ci/build)",
        "Found 1 finding (1 critical) in 1 file; 1 file incomplete (analysis did not finish).",
    ]


def test_a_custom_resource_s_mapping_is_no_container_and_no_error():
    """An operator's schema may give `initContainers` another meaning: only its list
    of containers is read, and nothing is said of the rest."""
    text = ("apiVersion: example.com/v1\nkind: Sandbox\nmetadata: {name: s}\nspec:\n  podTemplate:\n    spec:\n"
            "      initContainers:\n        name: setup\n        image: busybox:1.36\n"
            "      containers:\n        - name: worker\n          image: a:1\n")
    parsed = FORMAT.parse(text, "k.yaml")
    assert [r.address for r in normalize(parsed) if r.kind == "container"] == ["Sandbox/default/s/podTemplate/containers/worker"]
    assert parsed.diagnostics == []


OVERRIDES = """\
apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata: {name: es, namespace: search}
spec:
  nodeSets:
    - name: main
      podTemplate:
        spec:
          containers:
            - name: elasticsearch
              securityContext: {privileged: true}
              resources: {limits: {memory: 4Gi}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  template: {spec: {containers: [{name: db, image: "", env: [{name: MODE, value: patched}]}]}}
"""


def test_an_entry_without_an_image_is_an_override_whose_absent_settings_are_unknown():
    """An operator (ECK here) merges a container written without an image into one it
    completes, and a built-in workload's (which the API server refuses alone) is a
    fragment merged into a base: what the entry writes holds, the rest is not known,
    nor is what the pod leaves out. Such an entry alone is enough to find the pod spec."""
    found = {r.address: r for r in resources(OVERRIDES) if r.kind in ("pod", "container")}
    es = found["Elasticsearch/search/es/nodeSets[main]/podTemplate/containers/elasticsearch"]
    assert es.value("privileged") is True and es.value("memory_limit") == "4Gi"
    for name in ("run_as_non_root", "allow_privilege_escalation", "capabilities_drop", "seccomp_profile", "cpu_limit", "image"):
        assert isinstance(es.value(name), Unknown), name
    assert isinstance(found["Elasticsearch/search/es/nodeSets[main]/podTemplate"].value("automount_service_account_token"), Unknown)
    db = found["StatefulSet/data/db/containers/db"]
    assert [variable.name for variable in db.value("env")] == ["MODE"]
    assert isinstance(db.value("read_only_root_filesystem"), Unknown)
    assert isinstance(found["StatefulSet/data/db"].value("automount_service_account_token"), Unknown)


def _limit_range(items: str, namespace: str | None = "shop") -> str:
    written = f", namespace: {namespace}" if namespace else ""
    return f"apiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr{written}}}\nspec:\n  limits:\n{items}---\n"


def _pod(namespace: str | None = "shop", resources: str = "") -> str:
    written = f", namespace: {namespace}" if namespace else ""
    return f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{written}}}\nspec:\n{resources}  containers:\n    - name: c\n      image: a:1\n"


def _settings(text: str) -> dict:
    container = next(r for r in resources(text) if r.kind == "container")
    return {name: container.attr(name) for name in ("cpu_limit", "memory_limit", "cpu_request", "memory_request")}


def test_a_limit_range_gives_its_defaults_as_the_api_server_fills_them():
    """A limit from `default`, else `max`; a request from `defaultRequest`, else that
    limit, else `min`; a later item over an earlier; `type: Pod` gives none."""
    items = ("    - type: Container\n      max: {cpu: '2', memory: 1Gi}\n      min: {cpu: 10m}\n"
             "    - type: Container\n      default: {memory: 512Mi}\n      defaultRequest: {memory: 256Mi}\n"
             "    - type: Pod\n      default: {cpu: '4'}\n      defaultRequest: {cpu: '3'}\n")
    found = _settings(_limit_range(items) + _pod())
    assert {name: attr.value for name, attr in found.items()} == {"cpu_limit": "2", "memory_limit": "512Mi", "cpu_request": "2", "memory_request": "256Mi"}
    assert (found["cpu_limit"].location.line, found["cpu_limit"].native) == (7, "LimitRange max.cpu")
    assert (found["memory_request"].location.line, found["memory_request"].native) == (11, "LimitRange defaultRequest.memory")
    only_min = _settings(_limit_range("    - type: Container\n      min: {cpu: 10m}\n") + _pod())
    assert (only_min["cpu_request"].value, only_min["cpu_limit"].is_set) == ("10m", False)


@pytest.mark.parametrize(("range_namespace", "pod_namespace", "expected"), [
    ("shop", "shop", "500m"), (None, None, "500m"), ("shop", None, Unknown), (None, "shop", Unknown), ("staging", "shop", None),
])
def test_a_limit_range_applies_to_the_pods_of_its_namespace(range_namespace, pod_namespace, expected):
    """The plugin gives the defaults of the pod's namespace. Where only one of them
    writes a namespace, kubectl's context decides the other: the default may apply."""
    text = _limit_range("    - type: Container\n      default: {cpu: 500m}\n", range_namespace) + _pod(pod_namespace)
    limit = _settings(text)["cpu_limit"]
    assert isinstance(limit.value, Unknown) if expected is Unknown else limit.value == expected


def test_two_limit_ranges_of_one_namespace_leave_the_default_unknown():
    """The plugin applies the first LimitRange it lists that gives a default."""
    item = "    - type: Container\n      default: {cpu: 500m}\n"
    assert isinstance(_settings(_limit_range(item) + _limit_range(item) + _pod())["cpu_limit"].value, Unknown)


def test_pod_level_resources_bound_the_containers_that_set_none():
    """`spec.resources` (on by default since Kubernetes 1.34): the pod's request
    defaults to its limit, and a container's own values come first."""
    pod_resources = "  resources:\n    limits: {cpu: '1', memory: 1Gi}\n"
    found = _settings(_pod(resources=pod_resources))
    assert {name: attr.value for name, attr in found.items()} == {"cpu_limit": "1", "memory_limit": "1Gi", "cpu_request": "1", "memory_request": "1Gi"}
    assert found["cpu_request"].native == "the pod's resources.limits.cpu"
    own = _pod(resources=pod_resources).replace("image: a:1\n", "image: a:1\n      resources: {requests: {cpu: 100m}}\n")
    assert _settings(own)["cpu_request"].value == "100m"


@pytest.mark.parametrize(("pod_namespace", "expected"), [("default", False), (None, Unknown), ("other", True)])
def test_a_service_account_of_a_namespace_the_pod_may_be_in_leaves_the_token_unknown(pod_namespace, expected):
    """A pod that writes no namespace goes where kubectl's context says, perhaps the
    namespace of the ServiceAccount that turns the token off."""
    account = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: default}\nautomountServiceAccountToken: false\n---\n"
    pod = next(r for r in resources(account + _pod(pod_namespace)) if r.kind == "pod")
    token = pod.value("automount_service_account_token")
    assert isinstance(token, Unknown) if expected is Unknown else token is expected


POLICIES = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: policies}
spec:
  rules:
    - name: add-capabilities
      mutate:
        foreach:
          - list: request.object.spec.containers
            patchStrategicMerge:
              spec:
                containers:
                  - name: "{{ element.name }}"
                    securityContext: {capabilities: {add: [NET_ADMIN]}}
    - name: mutate-deployments
      mutate:
        patchStrategicMerge:
          spec:
            template:
              spec:
                containers:
                  - (name): "*"
                    image: "registry.example/{{ element.name }}"
    - name: no-latest
      validate:
        pattern:
          spec:
            containers:
              - image: "!*:latest"
    - name: privileged-template
      validate:
        anyPattern:
          - spec:
              template:
                spec:
                  containers: [{name: app, securityContext: {privileged: true}}]
    - name: helper
      generate:
        kind: Deployment
        data:
          spec:
            template:
              spec:
                containers: [{name: helper, image: "helper:1.0"}]
---
apiVersion: mutations.gatekeeper.sh/v1
kind: Assign
metadata: {name: gatekeeper-template}
spec:
  template:
    spec:
      containers: [{name: app, securityContext: {privileged: true}}]
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: shop}
spec:
  postRenderers:
    - kustomize:
        patchesStrategicMerge:
          - kind: Deployment
            spec:
              template:
                spec:
                  containers: [{name: web, securityContext: {privileged: true}}]
---
apiVersion: example.com/v1
kind: Sidecars
metadata: {name: s, namespace: shop}
spec:
  containers: [{name: proxy, securityContext: {privileged: true}}]
"""


def test_a_policy_engines_patch_or_pattern_is_no_pod():
    """Kyverno's mutate and validate rules and a strategic merge patch describe other
    objects: nothing under them is a workload, with an image or without. An entry
    without an image is an operator's override only in a pod template (`template`,
    `podTemplate`), and never in a policy engine's object; what Kyverno generates is
    an object it creates, a workload as any other."""
    assert [r.address for r in resources(POLICIES) if r.kind in ("pod", "container")] == [
        "ClusterPolicy/default/policies/rules[helper]/generate/data",
        "ClusterPolicy/default/policies/rules[helper]/generate/data/containers/helper",
    ]
