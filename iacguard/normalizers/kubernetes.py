"""Kubernetes objects as `k8s_object`, `pod`, `container`, `k8s_rbac` and `k8s_data`
resources.

Every object is a `k8s_object` (its namespace and whether its kind is namespaced);
workloads add their pods and containers, RBAC objects their rules, ConfigMaps and
Secrets their entries.

Every workload kind is reduced to its pod specs in one place (`pod_specs`), and the
effective security context of each container (container settings over pod settings)
is computed once here, so no rule repeats the merge. Locations follow one principle:
a finding about a value points at that value; a finding about a missing key points
at the container's `name` (or the pod spec's `spec:` key).

Where pod specs are kept: the built-in workloads (of the core, `apps`, `batch` and
`extensions` API groups) at their documented paths; any other kind (CronJob-like
operators, OpenShift DeploymentConfig, Argo Rollout, KEDA ScaledJob, JobSet, Ray,
Kubeflow `*ReplicaSpecs`, Knative, Volcano's Job, ECK) wherever a mapping holds a
`containers` list of objects with an `image` (or, in a pod template, a `name`),
outside `metadata` and `status` and outside a patch or a pattern (Kyverno's rules, a
strategic merge patch), which describe other objects; a workload that holds several
(Ray's head and worker groups) gives one pod per spec, its address naming the path
(`RayCluster/default/ray/workerGroupSpecs[gpu]`). Tekton tasks keep containers under
other names: `steps`, `sidecars` and the `stepTemplate` every step starts from.
Containers come only in the shapes the schema gives them: lists, and one container for
`stepTemplate`. Another shape (a `containers:` mapping) is no container; for a
built-in workload or a Tekton task, whose schema is known, it is an error (IG000), as
the API server rejects the object, and for another kind it is the operator's own
field. Where a controller fills fields at run time (Knative Serving, Tekton), only
what the file sets is known: an absent setting is Unknown, so no rule reports an
absence there. The same holds for a container written without an image, which the API
server refuses alone: an override that an operator merges into a container it
completes (ECK's `elasticsearch` entry), or a fragment a patch merges into its base;
and for the pod that holds one.

Some objects of the same input bear on the pods beside them (`_Beside`): a
ServiceAccount's `automountServiceAccountToken`, a binding that grants the account a
role, and the defaults a LimitRange gives containers that set no CPU or memory limit
or request. They apply in the pod's namespace; where only one of the two writes a
namespace, kubectl's context decides the other, and what they would give is Unknown.
A container's resources come from its own, else the pod's `spec.resources`, else a
LimitRange.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from typing import Any

from iacguard.diagnostics import CONTENT_WARNING, PARSE_ERROR
from iacguard.formats import ParsedFile, ScanContext
from iacguard.image import image_or_unknown
from iacguard.lazy import regex
from iacguard.model import Attr, EnvVar, Location, RbacRule, Related, Resource, Suppression, Unknown
from iacguard.parsers.documents import Mark, YamlFile, YMap, YSeq
from iacguard.structs import struct
from iacguard.suppress import annotation_suppression

# Where a diagnostic goes: `ParsedFile.diagnose(code, level, message, path, line, column)`.
Diagnose = Callable[[str, str, str, str, int, int], None]

POD_TEMPLATE_KINDS = {
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "PodTemplate",
}
BUILT_IN_WORKLOADS = POD_TEMPLATE_KINDS | {"Pod", "CronJob"}
# The API groups of the built-in workloads, whose pod specs are where their kind says;
# a kind of another group only shares the name (Volcano's `batch.volcano.sh` Job keeps
# its pods under `spec.tasks`) and is searched as any other.
BUILT_IN_GROUPS = {"", "apps", "batch", "extensions"}
RUN_TO_COMPLETION = {"Job", "CronJob", "ScaledJob", "JobSet", "RayJob", "PyTorchJob", "TFJob", "MPIJob", "XGBoostJob", "PaddleJob", "JAXJob"}
RBAC_KINDS = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}
DATA_KINDS = {"ConfigMap", "Secret"}
# Built-in kinds that live outside namespaces (`kubectl api-resources --namespaced=false`),
# and those of common add-ons; a CustomResourceDefinition in the same input tells the
# scope of its own kind.
CLUSTER_SCOPED_KINDS = {
    "Namespace", "Node", "PersistentVolume", "StorageClass", "VolumeAttachment", "CSIDriver", "CSINode",
    "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService", "PriorityClass",
    "RuntimeClass", "IngressClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "PodSecurityPolicy",
    "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration", "ComponentStatus",
    "ClusterIssuer", "ClusterPolicy", "ClusterSecretStore", "ClusterTask",
}
CONTAINER_LISTS = (("initContainers", "init"), ("containers", "container"), ("ephemeralContainers", "ephemeral"))
TEKTON_STEP_TEMPLATE = "stepTemplate"  # one container, where every other key of these lists holds a list
TEKTON_CONTAINER_LISTS = ((TEKTON_STEP_TEMPLATE, "container"), ("steps", "container"), ("sidecars", "sidecar"))
TEKTON_TASK_KINDS = {"Task", "ClusterTask", "TaskRun", "Pipeline", "PipelineRun"}
# Path segments that say nothing about which of several pod specs is meant.
_PLAIN_SEGMENTS = {"spec", "template", "jobTemplate", "taskSpec", "pipelineSpec"}
# The keys that hold a pod template (its metadata and spec) in the kinds searched for
# pod specs: Argo Rollouts, Kubeflow and Ray `template`, ECK `podTemplate`. Only there
# are entries without an image an operator's overrides of the containers it builds.
_POD_TEMPLATE_KEYS = {"template", "podTemplate"}
# Keys whose content is matched against or merged into other objects, not a workload:
# Kyverno's `mutate` and `validate` rules, their `pattern`, `anyPattern` and
# `patchStrategicMerge`, and the strategic merge and JSON patches of a Kustomization
# or of a GitOps tool's post-renderer.
_OVER_OTHERS = {"mutate", "validate", "pattern", "anyPattern", "patchStrategicMerge", "patchesStrategicMerge", "patchesJson6902"}
# The API groups of the policy engines (Kyverno, Gatekeeper), whose objects describe
# other objects: a container entry without an image there overrides nothing.
_POLICY_GROUPS = ("kyverno.io", "gatekeeper.sh")
_APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"
_APPARMOR_TYPES = {"unconfined": "Unconfined", "runtime/default": "RuntimeDefault"}
IGNORE_ANNOTATION = "iacguard.io/ignore"
REASON_ANNOTATION = "iacguard.io/ignore-reason"
_LEGACY_SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
_LEGACY_SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
_DEPENDENT_VARIABLE = regex(r"\$\([A-Za-z_][A-Za-z0-9_]*\)")  # `$(OTHER)` is expanded by the kubelet
_LEGACY_SECCOMP_TYPES = {"runtime/default": "RuntimeDefault", "docker/default": "RuntimeDefault", "unconfined": "Unconfined"}
# The namespace iacguard renders a chart into (see iacguard.normalizers.helm): what
# the templates take from `.Release.Namespace` is chosen at install, so it is unset.
RELEASE_NAMESPACE = "iacguard-release-namespace"


def normalize(parsed: ParsedFile, context: ScanContext | None = None, chart_rendered: bool = False) -> Iterator[Resource]:
    """The resources of a manifest, or of `helm template` output. `chart_rendered`
    says the output is a chart iacguard rendered itself (`iacguard.normalizers.helm`)."""
    loaded: YamlFile = parsed.native
    objects = [(obj, document.source, None) for document in loaded.documents for obj in objects_of(document.root)]
    yield from object_resources(parsed.path, objects, parsed.diagnose, chart_rendered=chart_rendered)


def object_resources(path: str, objects: list[tuple[YMap, str | None, YMap | None]], diagnose: Diagnose, via: tuple[Related, ...] = (),
                     chart_rendered: bool = False) -> Iterator[Resource]:
    """The resources of the Kubernetes objects of one input (a file, or one Kustomize
    build), each given with the Helm template it was rendered from and, for a built
    object, the object as its file declared it, which names it in addresses. Values
    are located in `path` unless their marks name another file, and every location
    carries `via` (the overlay a Kustomize build was made for). What cannot be read
    as its kind's schema says goes to `diagnose` (`ParsedFile.diagnose`)."""
    beside = _Beside.of([obj for obj, _, _ in objects])
    cluster_scoped = CLUSTER_SCOPED_KINDS | _declared_cluster_kinds(obj for obj, _, _ in objects)
    for obj, source, declared in objects:
        reader = _ObjectReader(path, obj, source, beside, diagnose, declared, via, chart_rendered)
        yield reader.object(obj["kind"] in cluster_scoped)
        yield from reader.resources()


def _declared_cluster_kinds(objects: Iterator[YMap]) -> set[str]:
    """The kinds that a CustomResourceDefinition in the same input declares with
    `scope: Cluster`."""
    return {
        kind
        for obj in objects
        if obj.get("kind") == "CustomResourceDefinition" and _get(obj, "spec", "scope") == "Cluster"
        and (kind := _str(_get(obj, "spec", "names", "kind")))
    }


@struct(frozen=True)
class _Beside:
    """What the objects of one input declare that bears on the pods among them, each
    with the namespace it is written in: ServiceAccounts by name, the accounts that a
    binding grants a role, and the defaults of LimitRanges (`_limit_range_defaults`)."""

    service_accounts: dict[tuple[str | None, str | None], YMap]
    bound_accounts: frozenset[tuple[str | None, str]]
    limit_ranges: tuple[tuple[str | None, dict[tuple[str, str], tuple[YMap, str]]], ...]

    @classmethod
    def of(cls, objects: list[YMap]) -> _Beside:
        return cls(
            {(_namespace_of(obj), _str(_get(obj, "metadata", "name"))): obj for obj in objects if obj.get("kind") == "ServiceAccount"},
            _bound_accounts(objects),
            tuple((_namespace_of(obj), defaults) for obj in objects
                  if obj.get("kind") == "LimitRange" and str(obj.get("apiVersion")) == "v1" and (defaults := _limit_range_defaults(obj))),
        )


def _same_namespace(pod: str | None, other: str | None) -> bool | None:
    """Whether an object declared beside a pod lives in the pod's namespace: True
    when both write the same one, or neither writes one (one `kubectl apply` puts
    both in the namespace of its context); False when they write different ones;
    None, unresolved, when only one writes it, since the other goes wherever the
    context of `kubectl` says."""
    if pod == other:
        return True
    return None if pod is None or other is None else False


def _bound_accounts(objects: list[YMap]) -> frozenset[tuple[str | None, str]]:
    """(namespace, name) of the ServiceAccounts that a RoleBinding or
    ClusterRoleBinding in the same input grants a role: their pods call the API, so
    they need the token mounted."""
    bound = set()
    for obj in objects:
        subjects = obj.get("subjects") if obj.get("kind") in ("RoleBinding", "ClusterRoleBinding") else None
        for subject in subjects if isinstance(subjects, YSeq) else ():
            if isinstance(subject, YMap) and subject.get("kind") == "ServiceAccount" and (name := _str(subject.get("name"))):
                bound.add((_namespace(subject.get("namespace")) or _namespace_of(obj), name))
    return frozenset(bound)


def _limit_range_defaults(obj: YMap) -> dict[tuple[str, str], tuple[YMap, str]]:
    """What a LimitRange gives a container that leaves out a CPU or memory limit or
    request, keyed by (`limits` or `requests`, resource), as the mapping that holds
    the value and the field it is: the API server fills each `type: Container` item
    with a limit from `default`, else `max`, and a request from `defaultRequest`,
    else that limit, else `min`; the LimitRanger admission plugin then gives the
    container what the items hold, a later item over an earlier one."""
    defaults: dict[tuple[str, str], tuple[YMap, str]] = {}
    items = _get(obj, "spec", "limits")
    for item in items if isinstance(items, YSeq) else ():
        if not isinstance(item, YMap) or item.get("type") != "Container":
            continue
        for resource in ("cpu", "memory"):
            limit = _holder(item, resource, "default", "max")
            request = _holder(item, resource, "defaultRequest") or limit or _holder(item, resource, "min")
            defaults.update({(field_name, resource): held for field_name, held in (("limits", limit), ("requests", request)) if held})
    return defaults


def _holder(item: YMap, resource: str, *fields: str) -> tuple[YMap, str] | None:
    """The first of a LimitRange item's `fields` that sets `resource`, and its name."""
    for name in fields:
        values = item.get(name)
        if isinstance(values, YMap) and values.get(resource) is not None:
            return values, name
    return None


def objects_of(root: Any) -> Iterator[YMap]:
    """Kubernetes objects in a document: the document itself, or the items of a List."""
    if not isinstance(root, YMap) or not isinstance(root.get("kind"), str) or "apiVersion" not in root:
        return
    if root["kind"].endswith("List") and isinstance(root.get("items"), YSeq):
        for item in root["items"]:
            yield from objects_of(item)
    else:
        yield root


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(node, YMap):
            return None
        node = node.get(key)
    return node


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _namespace_of(obj: YMap) -> str | None:
    return _namespace(_get(obj, "metadata", "namespace"))


def _namespace(value: Any) -> str | None:
    """A namespace as written; None when unset or rendered from `.Release.Namespace`."""
    return None if value == RELEASE_NAMESPACE else _str(value)


class _ObjectReader:
    def __init__(self, path: str, obj: YMap, source: str | None, beside: _Beside, diagnose: Diagnose,
                 declared: YMap | None = None, via: tuple[Related, ...] = (), chart_rendered: bool = False):
        self.path = path
        self.via = via
        self.diagnose = diagnose
        self.chart_rendered = chart_rendered
        self.beside = beside
        self.obj = obj
        self.source = source
        self.kind = obj["kind"]
        self.namespace = _namespace_of(obj)
        # Addresses name the object as its file declares it, so a finding in a
        # Kustomize base keeps the address (and fingerprint) it has when the file
        # is scanned alone.
        named = obj if declared is None else declared
        self.declared_namespace = _namespace_of(named)
        name = _str(_get(named, "metadata", "name")) or "unnamed"
        self.prefix = f"{self.kind}/{self.declared_namespace or 'default'}/{name}"
        self.cluster_address = f"{self.kind}/{name}"

    def at(self, mark: Mark | None) -> Location:
        mark = mark or self.obj.mark
        return Location(mark.path or self.path, mark.line, mark.column, via=self.via)

    def value_attr(self, mapping: Any, key: str, default_at: Location, expected: type | tuple = object) -> Attr:
        """The value of `mapping[key]` located at the value, or unset at `default_at`.
        A value of the wrong type is Unknown: the API server would reject it, and a
        rule must not guess what was meant."""
        if not isinstance(mapping, YMap) or key not in mapping or mapping[key] is None:
            return Attr(None, default_at, is_set=False)
        value = _yaml11_bool(mapping[key]) if expected is bool else mapping[key]
        location = self.at(mapping.value_marks[key])
        if expected is not object and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
            return Attr(Unknown(str(value)), location)
        return Attr(value, location)

    def key_location(self, mapping: Any, key: str) -> Location | None:
        if isinstance(mapping, YMap) and key in mapping:
            return self.at(mapping.key_marks[key])
        return None

    def resource(self, kind: str, address: str, location: Location, attrs: dict, suppressions: tuple, runtime: bool = True) -> Resource:
        native_type = f"{self.obj.get('apiVersion')}/{self.kind}"
        return Resource(kind, native_type, address, "kubernetes", location, attrs, self.obj, runtime, self.source, suppressions)

    def suppressions(self, *metadata: Any) -> tuple[Suppression, ...]:
        found = []
        for meta in metadata:
            annotations = _get(meta, "annotations")
            if not isinstance(annotations, YMap) or IGNORE_ANNOTATION not in annotations:
                continue
            reason = _str(_get(annotations, REASON_ANNOTATION)) or ""
            written = self.at(annotations.key_marks[IGNORE_ANNOTATION])
            found.append(annotation_suppression(annotations[IGNORE_ANNOTATION], reason, written.line, written.path))
        return tuple(found)

    def object(self, cluster_scoped: bool) -> Resource:
        """The object itself: where it lives. In Helm output the namespace is chosen
        at install, and `helm template` writes `default` for `.Release.Namespace`
        when none is given, so there it is unknown. A chart iacguard renders gets
        `RELEASE_NAMESPACE` for it instead, so a `default` there is the chart's own."""
        namespace_at = self.key_location(self.obj, "metadata") or self.at(None)
        namespace = self.value_attr(self.obj.get("metadata"), "namespace", namespace_at, str)
        if namespace.value == RELEASE_NAMESPACE:  # a chart rendered by iacguard: chosen at install
            namespace = Attr(None, namespace_at, is_set=False)
        may_be_release_namespace = namespace.value == "default" and not self.chart_rendered
        if self.source is not None and (not namespace.is_set or may_be_release_namespace):
            namespace = Attr(Unknown("namespace chosen at helm install"), namespace.location, is_set=namespace.is_set)
        attrs = {"namespace": namespace, "cluster_scoped": Attr(cluster_scoped, self.at(None))}
        address = self.prefix if self.declared_namespace or not cluster_scoped else self.cluster_address
        return self.resource("k8s_object", address, self.at(None), attrs, self.suppressions(self.obj.get("metadata")))

    def resources(self) -> Iterator[Resource]:
        if self.kind in RBAC_KINDS:
            yield self.rbac()
            return
        if self.kind in DATA_KINDS and str(self.obj.get("apiVersion")) == "v1":
            yield self.data()
            return
        filled = self.filled_by_controller()
        lists = TEKTON_CONTAINER_LISTS if self.is_tekton() else CONTAINER_LISTS
        for spec, template_meta, spec_at, label in self.pod_specs():
            suppressions = self.suppressions(self.obj.get("metadata"), template_meta)
            long_running = not self.is_tekton() and self.kind not in RUN_TO_COMPLETION and not (
                self.kind == "Pod" and spec.get("restartPolicy") in ("Never", "OnFailure")
            )
            address = f"{self.prefix}/{label}" if label else self.prefix
            members = [(list_key, role, *member) for list_key, role in lists for member in self.containers(spec, list_key, address)]
            overridden = any(_overrides(container) for _, _, container, _, _ in members)
            yield as_filled(self.pod(spec, spec_at, long_running, suppressions, address), filled or overridden, _FILLED if filled else _OVERRIDDEN_POD)
            for list_key, role, container, mark, fixed_name in members:
                resource = self.container(spec, template_meta, container, mark, list_key, role, long_running, suppressions, address, fixed_name)
                yield as_filled(resource, filled or _overrides(container), _FILLED if filled else _OVERRIDE)

    def containers(self, spec: YMap, key: str, address: str) -> Iterator[tuple[YMap, Mark, str | None]]:
        """The containers `spec[key]` holds in the shape the schema gives it: a list
        of containers, or one container, named after the key, for Tekton's
        `stepTemplate`. Another shape holds none. Where iacguard knows the schema (a
        built-in workload, a Tekton task) the object is invalid, and an error says
        that its containers were not checked; a custom resource's own schema may give
        the key a meaning of its own, so its pod specs are only searched for lists."""
        written = spec.get(key)
        single = key == TEKTON_STEP_TEMPLATE
        if written is None:
            return
        if single and isinstance(written, YMap):
            yield written, spec.value_marks[key], key
        elif not single and isinstance(written, YSeq):
            for index, container in enumerate(written):
                if isinstance(container, YMap):
                    yield container, written.item_marks[index], None
        elif self.is_built_in_workload() or self.is_tekton():
            wanted = "one container" if single else "a list of containers"
            at = self.at(spec.key_marks[key])
            self.diagnose(PARSE_ERROR, "error", f"{key} is {_shape(written)}, where a {self.kind} takes {wanted}: the API server rejects "
                          f"the object, and no container is read from it ({address})", at.path, at.line, at.column)

    def is_built_in_workload(self) -> bool:
        """A workload kind of the built-in API groups, whose pod specs are where its kind says."""
        return self.kind in BUILT_IN_WORKLOADS and self.api_group() in BUILT_IN_GROUPS

    def api_group(self) -> str:
        """The API group of `apiVersion` ('' for the core group's `v1`)."""
        return str(self.obj.get("apiVersion", "")).rpartition("/")[0]

    def is_policy(self) -> bool:
        """An object of a policy engine (`_POLICY_GROUPS`), which describes other objects."""
        group = self.api_group()
        return any(group == engine or group.endswith("." + engine) for engine in _POLICY_GROUPS)

    def is_tekton(self) -> bool:
        return str(self.obj.get("apiVersion", "")).startswith("tekton.dev/") and self.kind in TEKTON_TASK_KINDS

    def filled_by_controller(self) -> bool:
        """Knative Serving and Tekton complete the pod at run time (defaults for the
        security context, probes, resources): what the file leaves out is unknown."""
        return self.is_tekton() or str(self.obj.get("apiVersion", "")).startswith("serving.knative.dev/")

    def pod_specs(self) -> Iterator[tuple[YMap, Any, Location, str]]:
        """Each pod spec of the workload: the spec, its template metadata, where its
        `spec:` key is, and the path naming it among several ('' for the usual one)."""
        built_in = self.is_built_in_workload()
        if built_in and self.kind == "Pod":
            holders = [(self.obj, "")]
        elif built_in and self.kind == "CronJob":
            holders = [(_get(self.obj, "spec", "jobTemplate", "spec", "template"), "")]
        elif built_in and self.kind == "PodTemplate":
            holders = [(_get(self.obj, "template"), "")]
        elif built_in and self.kind in POD_TEMPLATE_KINDS:
            holders = [(_get(self.obj, "spec", "template"), "")]
        elif self.is_tekton():
            holders = list(_tekton_task_holders(self.obj))
        else:
            holders = list(_pod_spec_holders(self.obj, (), overrides=not self.is_policy()))
        for holder, label in holders:
            spec = _get(holder, "spec")
            if isinstance(spec, YMap):
                yield spec, _get(holder, "metadata"), self.key_location(holder, "spec") or self.at(spec.mark), label

    def pod(self, spec: YMap, spec_at: Location, long_running: bool, suppressions: tuple, address: str) -> Resource:
        volumes = spec.get("volumes")
        host_paths = []
        if isinstance(volumes, YSeq):
            for volume in volumes:
                host_path = _get(volume, "hostPath")
                if isinstance(host_path, YMap):
                    host_paths.append(self.value_attr(host_path, "path", self.at(volume.mark), str))
        attrs = {
            "long_running": Attr(long_running, spec_at),
            "host_network": self.value_attr(spec, "hostNetwork", spec_at, bool),
            "host_pid": self.value_attr(spec, "hostPID", spec_at, bool),
            "host_ipc": self.value_attr(spec, "hostIPC", spec_at, bool),
            "host_path_volumes": Attr(host_paths, spec_at),
            "automount_service_account_token": self.automount(spec, spec_at),
            "service_account": self.service_account(spec, spec_at),
        }
        return self.resource("pod", address, spec_at, attrs, suppressions)

    def service_account(self, spec: YMap, spec_at: Location) -> Attr:
        """`serviceAccountName`, else the deprecated `serviceAccount`, which the API
        server copies into it when it is not set."""
        name = self.value_attr(spec, "serviceAccountName", spec_at, str)
        return name if name.is_set and name.value else self.value_attr(spec, "serviceAccount", spec_at, str)

    def automount(self, spec: YMap, spec_at: Location) -> Attr:
        """The pod's setting, else its service account's when declared in the same input,
        else the platform default (mounted). Unknown when the account may be bound to
        a role in the same input (`_same_namespace`) and the pod does not turn the
        token off: the pod uses the API, so the token is needed."""
        own = self.value_attr(spec, "automountServiceAccountToken", spec_at, bool)
        account_name = _str(self.service_account(spec, spec_at).value) or "default"
        bound = any(name == account_name and _same_namespace(self.namespace, namespace) is not False for namespace, name in self.beside.bound_accounts)
        if own.value is not False and bound:
            return Attr(Unknown(f"service account {account_name} is bound to a role, so the pod uses the API"), own.location, is_set=own.is_set)
        return own if own.is_set else self.account_automount(account_name, spec_at)

    def account_automount(self, account_name: str, spec_at: Location) -> Attr:
        """`automountServiceAccountToken` of the pod's ServiceAccount declared in the
        same input and namespace, else the platform default (mounted); Unknown when
        only an account whose namespace may be the pod's turns the token off."""
        maybe = []
        for (namespace, name), account in self.beside.service_accounts.items():
            same = _same_namespace(self.namespace, namespace)
            if name != account_name or same is False:
                continue
            setting = self.value_attr(account, "automountServiceAccountToken", spec_at, bool)
            if same:
                return setting if setting.is_set else Attr(True, spec_at, is_set=False)
            maybe.append(setting)
        if any(setting.is_set and setting.value is not True for setting in maybe):
            return Attr(Unknown(f"service account {account_name} may be the one declared in another namespace"), spec_at, is_set=False)
        return Attr(True, spec_at, is_set=False)

    def container(self, spec, template_meta, container: YMap, item_mark: Mark, list_key: str, role: str, long_running: bool, suppressions,
                  pod_address: str, fixed_name: str | None = None) -> Resource:
        name = fixed_name or _str(container.get("name")) or "unnamed"
        name_at = self.at(container.value_marks.get("name", item_mark))
        if role == "init" and container.get("restartPolicy") == "Always":
            role = "sidecar"
        pod_context = spec.get("securityContext")
        context = container.get("securityContext")

        def effective(key: str, expected: type) -> Attr:
            own = self.value_attr(context, key, name_at, expected)
            return own if own.is_set else self.value_attr(pod_context, key, name_at, expected)

        image = self.value_attr(container, "image", name_at, str)
        if isinstance(image.value, str):
            image = Attr(image_or_unknown(image.value), image.location)
        capabilities = _get(context, "capabilities")
        resources, pod_resources = container.get("resources"), spec.get("resources")
        attrs = {
            "name": Attr(name, name_at),
            "role": Attr(role, name_at),
            "long_running": Attr(long_running and role in ("container", "sidecar"), name_at),
            "image": image,
            "images": Attr([image] if image.is_set else [], name_at),
            "image_pull_policy": self.value_attr(container, "imagePullPolicy", name_at, str),
            "os": self.os(spec, name_at),
            "run_as_user": effective("runAsUser", int),
            "run_as_non_root": effective("runAsNonRoot", bool),
            "run_as_user_name": self.run_as_user_name(context, pod_context, name_at),
            "privileged": self.privileged(context, pod_context, name_at),
            "allow_privilege_escalation": self.value_attr(context, "allowPrivilegeEscalation", name_at, bool),
            "capabilities_add": Attr(self.capabilities(capabilities, "add"), name_at),
            "capabilities_drop": Attr(self.capabilities(capabilities, "drop"), name_at),
            "read_only_root_filesystem": self.value_attr(context, "readOnlyRootFilesystem", name_at, bool),
            "seccomp_profile": self.seccomp(spec, template_meta, context, pod_context, name, name_at),
            "cpu_limit": self.quantity(resources, pod_resources, "limits", "cpu", name_at),
            "memory_limit": self.quantity(resources, pod_resources, "limits", "memory", name_at),
            "cpu_request": self.quantity(resources, pod_resources, "requests", "cpu", name_at),
            "memory_request": self.quantity(resources, pod_resources, "requests", "memory", name_at),
            "env": Attr(self.env(container), name_at),
            "secret_env": Attr(self.secret_env(container), name_at),
            "host_ports": Attr(self.ports(container, "hostPort"), name_at),
            "container_ports": Attr(self.ports(container, "containerPort"), name_at),
            "liveness_probe": self.value_attr(container, "livenessProbe", name_at, YMap),
            "readiness_probe": self.value_attr(container, "readinessProbe", name_at, YMap),
        }
        attrs["apparmor_profile"] = self.apparmor(template_meta, context, pod_context, name, name_at)
        address = f"{pod_address}/{list_key}" if fixed_name else f"{pod_address}/{list_key}/{name}"
        self.escalation_conflict(context, attrs["allow_privilege_escalation"], name_at, address)
        return self.resource("container", address, name_at, attrs, suppressions)

    def os(self, spec: YMap, name_at: Location) -> Attr:
        """The system the pod runs on: `spec.os.name`, else the node selector
        `kubernetes.io/os` that schedules it, else Linux. On Windows the Linux
        settings of the security context (capabilities, seccomp, privilege
        escalation, ...) mean nothing, and the API server refuses them beside
        `spec.os.name: windows`."""
        declared = self.value_attr(_get(spec, "os"), "name", name_at, str)
        if declared.is_set:
            return declared
        selected = self.value_attr(_get(spec, "nodeSelector"), "kubernetes.io/os", name_at, str)
        return selected if selected.is_set else Attr("linux", name_at, is_set=False)

    def run_as_user_name(self, context: Any, pod_context: Any, name_at: Location) -> Attr:
        """The Windows user: `windowsOptions.runAsUserName`, the container's over the pod's."""
        own = self.value_attr(_get(context, "windowsOptions"), "runAsUserName", name_at, str)
        return own if own.is_set else self.value_attr(_get(pod_context, "windowsOptions"), "runAsUserName", name_at, str)

    def capabilities(self, capabilities: Any, key: str) -> list[Attr]:
        items = _get(capabilities, key)
        if not isinstance(items, YSeq):
            return []
        return [
            Attr(item.upper().removeprefix("CAP_"), self.at(items.item_marks[index]))
            for index, item in enumerate(items)
            if isinstance(item, str)
        ]

    def privileged(self, context: Any, pod_context: Any, name_at: Location) -> Attr:
        """`privileged`, or a Windows HostProcess container (`windowsOptions.hostProcess`,
        the container's over the pod's), which runs on the node with its access: what
        the Pod Security Standards' Baseline forbids as privileged."""
        privileged = self.value_attr(context, "privileged", name_at, bool)
        if privileged.value is True:
            return privileged
        host_process = self.value_attr(_get(context, "windowsOptions"), "hostProcess", name_at, bool)
        if not host_process.is_set:
            host_process = self.value_attr(_get(pod_context, "windowsOptions"), "hostProcess", name_at, bool)
        return host_process if host_process.value is True else privileged

    def escalation_conflict(self, context: Any, escalation: Attr, name_at: Location, address: str) -> None:
        """`allowPrivilegeEscalation: false` beside `privileged: true`, or beside an added
        `CAP_SYS_ADMIN` (written so: the API server compares the string), is a container
        the API server rejects: a process of either can always gain privileges. Said as
        a content warning, so that a fix that makes the pair (a shared base hardened
        under an overlay that makes its container privileged) is refused."""
        if escalation.value is not False:
            return
        if self.value_attr(context, "privileged", name_at, bool).value is True:
            conflict = "privileged: true"
        elif isinstance(added := _get(_get(context, "capabilities"), "add"), YSeq) and "CAP_SYS_ADMIN" in added:
            conflict = "capabilities.add CAP_SYS_ADMIN"
        else:
            return
        at = escalation.location
        self.diagnose(CONTENT_WARNING, "warning", f"allowPrivilegeEscalation: false with {conflict}: the API server rejects "
                      f"the container ({address})", at.path, at.line, at.column)

    def quantity(self, resources: Any, pod_resources: Any, kind: str, key: str, name_at: Location) -> Attr:
        """The container's `kind` (`limits` or `requests`) of `key` (`cpu`, `memory`):
        its own, a request defaulting to the limit when only the limit is set; else
        the pod's (`spec.resources`, on by default since Kubernetes 1.34), which bounds
        all its containers together and whose request also defaults to its limit; else
        what a LimitRange gives a container that sets none (`limit_range_default`)."""
        kinds = ("requests", "limits") if kind == "requests" else ("limits",)
        for holder, native in ((resources, f"resources.{kind}.{key}"), (pod_resources, None)):
            for written in kinds:
                setting = self.value_attr(_get(holder, written), key, name_at)
                if setting.is_set:
                    return Attr(setting.value, setting.location, native=native or f"the pod's resources.{written}.{key}")
        return self.limit_range_default(kind, key, name_at)

    def limit_range_default(self, kind: str, key: str, name_at: Location) -> Attr:
        """What the LimitRanger admission plugin gives a container that sets no `kind`
        of `key`: the default of a LimitRange declared in the same input and the pod's
        namespace, located where the LimitRange writes it. Unknown when a LimitRange
        may or may not be in that namespace (`_same_namespace`), or when several give
        one (the plugin takes the first it lists); unset when none gives one."""
        found = [(same, held) for namespace, defaults in self.beside.limit_ranges
                 if (same := _same_namespace(self.namespace, namespace)) is not False and (held := defaults.get((kind, key)))]
        if not found:
            return Attr(None, name_at, is_set=False)
        (same, (values, written)), *others = found
        setting = self.value_attr(values, key, name_at)
        if same and not others:
            return Attr(setting.value, setting.location, native=f"LimitRange {written}.{key}")
        return Attr(Unknown(f"the default of a LimitRange that may apply ({written}.{key})"), setting.location)

    def pod_annotations(self, template_meta: Any) -> Any:
        """The annotations the pod gets: its template's (a bare Pod's own). A
        workload's own annotations stay on it, except that Tekton copies a run's (and
        its task's) onto the pods it makes."""
        if template_meta is None and self.is_tekton():
            template_meta = self.obj.get("metadata")
        return _get(template_meta, "annotations")

    def seccomp(self, spec, template_meta, context, pod_context, name: str, name_at: Location) -> Attr:
        for source in (context, pod_context):
            profile = self.value_attr(_get(source, "seccompProfile"), "type", name_at, str)
            if profile.is_set:
                return profile
        annotations = self.pod_annotations(template_meta)
        for key in (_LEGACY_SECCOMP_CONTAINER + name, _LEGACY_SECCOMP_POD):
            legacy = self.value_attr(annotations, key, name_at, str)
            if legacy.is_set:
                text = legacy.value.lower()
                kind = "Localhost" if text.startswith("localhost/") else _LEGACY_SECCOMP_TYPES.get(text, Unknown(text))
                return Attr(kind, legacy.location)
        return Attr(None, name_at, is_set=False)

    def apparmor(self, template_meta, context, pod_context, name: str, name_at: Location) -> Attr:
        """The effective AppArmor profile type, in the kubelet's order: the
        container's `appArmorProfile`, else the container's annotation that named it
        before Kubernetes 1.30, else the pod's `appArmorProfile`."""
        own = self.value_attr(_get(context, "appArmorProfile"), "type", name_at, str)
        if own.is_set:
            return own
        legacy = self.value_attr(self.pod_annotations(template_meta), _APPARMOR_ANNOTATION + name, name_at, str)
        if legacy.is_set:
            text = legacy.value.lower()
            return Attr("Localhost" if text.startswith("localhost/") else _APPARMOR_TYPES.get(text, Unknown(text)), legacy.location)
        return self.value_attr(_get(pod_context, "appArmorProfile"), "type", name_at, str)

    def env(self, container: YMap) -> list[EnvVar]:
        found = []
        items = container.get("env")
        if not isinstance(items, YSeq):
            return found
        for item in items:
            if not isinstance(item, YMap) or not isinstance(item.get("name"), str):
                continue
            location = self.at(item.value_marks["name"])
            if "valueFrom" in item:
                found.append(EnvVar(item["name"], Attr(None, location, is_set=False), False, location, "env"))
            else:
                value = self.value_attr(item, "value", location)
                literal = isinstance(value.value, (str, int, float)) and not isinstance(value.value, bool)
                literal = literal and not _DEPENDENT_VARIABLE.search(str(value.value))
                text = str(value.value) if literal else value.value
                found.append(EnvVar(item["name"], Attr(text, value.location, value.is_set), literal, location, "env"))
        return found

    def secret_env(self, container: YMap) -> list[Attr]:
        found = []
        items = container.get("env")
        for item in items if isinstance(items, YSeq) else ():
            reference = _get(item, "valueFrom", "secretKeyRef")
            if isinstance(reference, YMap):
                found.append(Attr(_str(reference.get("name")) or "", self.at(item.key_marks["valueFrom"])))
        sources = container.get("envFrom")
        for item in sources if isinstance(sources, YSeq) else ():
            reference = _get(item, "secretRef")
            if isinstance(reference, YMap):
                found.append(Attr(_str(reference.get("name")) or "", self.at(item.key_marks["secretRef"])))
        return found

    def ports(self, container: YMap, key: str) -> list[Attr]:
        """`key` (`containerPort`, `hostPort`) of each entry of the container's
        `ports` that sets it; 0 means not set."""
        ports = container.get("ports")
        found = []
        for port in ports if isinstance(ports, YSeq) else ():
            number = self.value_attr(port, key, self.at(None), int)
            if number.is_set and number.value != 0:
                found.append(number)
        return found

    def rbac(self) -> Resource:
        head = self.at(self.obj.mark)
        suppressions = self.suppressions(self.obj.get("metadata"))
        attrs: dict[str, Attr] = {"role_kind": Attr(self.kind, head)}
        if self.kind in ("Role", "ClusterRole"):
            rules = []
            items = self.obj.get("rules")
            for index, item in enumerate(items if isinstance(items, YSeq) else ()):
                if isinstance(item, YMap):
                    location = self.at(items.item_marks[index])
                    rules.append(RbacRule(location, self.strings(item, "verbs"), self.strings(item, "resources"), self.strings(item, "apiGroups")))
            attrs["rules"] = Attr(rules, head)
        else:
            role_ref = self.obj.get("roleRef")
            attrs["role_ref"] = self.value_attr(role_ref, "name", head, str)
            attrs["role_ref_kind"] = self.value_attr(role_ref, "kind", head, str)
        return self.resource("k8s_rbac", self.prefix if self.declared_namespace else self.cluster_address, head, attrs, suppressions)

    def data(self) -> Resource:
        """A ConfigMap's or Secret's entries as variables: `data` (a Secret's decoded
        from base64) and a Secret's `stringData`. In Helm output the values come from
        the chart's values at install, so they are not taken as written."""
        secret = self.kind == "Secret"
        head = self.at(self.obj.mark)
        entries = []
        for key in ("data", "stringData") if secret else ("data",):
            values = self.obj.get(key)
            for name, value in values.items() if isinstance(values, YMap) else ():
                if not isinstance(name, str):
                    continue
                location = self.at(values.value_marks[name])
                text = _decoded(value) if secret and key == "data" else value if isinstance(value, str) else None
                literal = text is not None and self.source is None
                entries.append(EnvVar(name, Attr(text if literal else Unknown(str(value)), location), literal, location, f"{self.kind} key"))
        attrs = {"secret": Attr(secret, head), "env": Attr(entries, head)}
        return self.resource("k8s_data", self.prefix, head, attrs, self.suppressions(self.obj.get("metadata")))

    def strings(self, mapping: YMap, key: str) -> tuple[Attr, ...]:
        items = mapping.get(key)
        if not isinstance(items, YSeq):
            return ()
        return tuple(Attr(item, self.at(items.item_marks[index])) for index, item in enumerate(items) if isinstance(item, str))


def _shape(value: Any) -> str:
    """What a YAML value is, as a message names it."""
    return "a mapping" if isinstance(value, YMap) else "a list" if isinstance(value, YSeq) else "a scalar"


def _decoded(value: Any) -> str | None:
    """A Secret's `data` value as text; None when it is not base64 of UTF-8 text."""
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _pod_spec_holders(node: Any, path: tuple[str, ...], overrides: bool = True, under: Any = None) -> Iterator[tuple[YMap, str]]:
    """Mappings whose `spec` is a pod spec (`_holds_containers`), found anywhere under
    an object of a kind iacguard does not know, with the path that tells them apart.
    `metadata` and `status` are never pod specs, nor is anything under a patch or a
    pattern (`_OVER_OTHERS`). `under` is the key that holds `node`; `overrides` is
    False in a policy engine's object (`_POLICY_GROUPS`), whose entries without an
    image are no operator's overrides."""
    if isinstance(node, YMap):
        if _holds_containers(node.get("spec"), overrides and under in _POD_TEMPLATE_KEYS):
            yield node, "/".join(segment for segment in path if segment)
            return
        for key, value in node.items():
            if key in ("metadata", "status") and not path or key in _OVER_OTHERS:
                continue
            if isinstance(key, str) and key.endswith("ReplicaSpecs") and isinstance(value, YMap):
                for role, replica in value.items():
                    yield from _pod_spec_holders(replica, (*path, f"{key}[{role}]"), overrides)
            elif isinstance(value, (YMap, YSeq)):
                yield from _pod_spec_holders(value, (*path, "" if key in _PLAIN_SEGMENTS else str(key)), overrides, key)
    elif isinstance(node, YSeq):
        for index, item in enumerate(node):
            label = _str(_get(item, "name")) or _str(_get(item, "groupName")) or str(index)
            yield from _pod_spec_holders(item, (*path[:-1], f"{path[-1] if path else ''}[{label}]"), overrides)


def _holds_containers(spec: Any, overrides: bool) -> bool:
    """A `containers` list of containers: entries with an image, or, with `overrides`
    (the spec of a pod template, `_POD_TEMPLATE_KEYS`), named overrides
    (`_overrides`)."""
    containers = _get(spec, "containers")
    return isinstance(containers, YSeq) and any(
        isinstance(item, YMap) and ("image" in item or overrides and _str(item.get("name"))) for item in containers)


def _overrides(container: YMap) -> bool:
    """A container written without an image: an override that something merges into
    a container it completes, by name, before anything runs (an operator's own
    container, as ECK does with an `elasticsearch` entry of a pod template, or the
    base container a patch applies to), since the API server takes no container
    without one. Only what it writes is known; every setting it leaves out is the
    completed container's."""
    return container.get("image") in (None, "")


def _tekton_task_holders(obj: YMap) -> Iterator[tuple[YMap, str]]:
    """Tekton keeps a task's containers in its spec (Task), its `taskSpec` (TaskRun,
    and each task of a Pipeline written inline)."""
    if obj.get("kind") in ("Task", "ClusterTask"):
        yield obj, ""
    elif obj.get("kind") == "TaskRun" and isinstance(_get(obj, "spec", "taskSpec"), YMap):
        yield _PodHolder(obj["spec"], "taskSpec"), ""
    else:
        pipeline = _get(obj, "spec", "pipelineSpec") if obj.get("kind") == "PipelineRun" else obj.get("spec")
        for group in ("tasks", "finally"):
            tasks = _get(pipeline, group)
            for index, task in enumerate(tasks if isinstance(tasks, YSeq) else ()):
                if isinstance(_get(task, "taskSpec"), YMap):
                    yield _PodHolder(task, "taskSpec"), f"{group}[{_str(task.get('name')) or index}]"


class _PodHolder(YMap):
    """A view of a mapping whose pod spec sits under another key than `spec`."""

    __slots__ = ()

    def __init__(self, parent: YMap, key: str):
        super().__init__(spec=parent[key])
        self.mark = parent.mark
        self.end_line = parent.end_line
        self.key_marks = {"spec": parent.key_marks[key]}
        self.value_marks = {"spec": parent.value_marks[key]}


_FILLED = "filled in by the controller at run time"
_OVERRIDE = "set by the container this entry without an image is merged into"
_OVERRIDDEN_POD = "set by what completes the pod, whose containers this spec only overrides"


def as_filled(resource: Resource, filled: bool, why: str = _FILLED) -> Resource:
    """With `filled`, every setting the file leaves out becomes Unknown: something
    else decides it (a controller at run time, a Compose service's unreadable base).
    A capability drop list that is empty because it is not written counts as left
    out; other lists keep what they hold."""
    if not filled:
        return resource
    for name, attr in resource.attrs.items():
        if name in _STRUCTURAL or (isinstance(attr.value, list) and name != "capabilities_drop"):
            continue
        if not attr.is_set or (name == "capabilities_drop" and not attr.value):
            resource.attrs[name] = Attr(Unknown(why), attr.location, is_set=False, native=attr.native)
    return resource


_STRUCTURAL = {"name", "role", "long_running", "os"}


def _yaml11_bool(value: Any) -> Any:
    """`y` and `n` (either case) as the booleans kubectl's YAML 1.1 reads them, where
    a boolean goes; the loader, shared with Compose's YAML 1.2, reads them as text."""
    return value in ("y", "Y") if value in ("y", "Y", "n", "N") else value
