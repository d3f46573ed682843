"""Kubernetes objects as `pod`, `container` and `k8s_rbac` resources.

Every workload kind is reduced to its pod spec in one place (`pod_spec`), and the
effective security context of each container (container settings over pod settings)
is computed once here, so no rule repeats the merge. Locations follow one principle:
a finding about a value points at that value; a finding about a missing key points
at the container's `name` (or the pod spec's `spec:` key).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from iacguard.formats import ParsedFile, ScanContext
from iacguard.image import image_or_unknown
from iacguard.model import Attr, EnvVar, Location, RbacRule, Resource, Suppression, Unknown
from iacguard.parsers.yaml import Mark, YamlFile, YMap, YSeq
from iacguard.suppress import annotation_suppression

POD_TEMPLATE_KINDS = {
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "PodTemplate",
}
RUN_TO_COMPLETION = {"Job", "CronJob"}
RBAC_KINDS = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}
CONTAINER_LISTS = (("initContainers", "init"), ("containers", "container"), ("ephemeralContainers", "ephemeral"))
IGNORE_ANNOTATION = "iacguard.io/ignore"
REASON_ANNOTATION = "iacguard.io/ignore-reason"
_LEGACY_SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
_LEGACY_SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
_DEPENDENT_VARIABLE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_]*\)")  # `$(OTHER)` is expanded by the kubelet
_LEGACY_SECCOMP_TYPES = {"runtime/default": "RuntimeDefault", "docker/default": "RuntimeDefault", "unconfined": "Unconfined"}


def normalize(parsed: ParsedFile, context: ScanContext | None = None) -> Iterator[Resource]:
    loaded: YamlFile = parsed.native
    objects = [(obj, document) for document in loaded.documents for obj in _objects(document.root)]
    service_accounts = {
        (_namespace_of(obj), _str(_get(obj, "metadata", "name"))): obj for obj, _ in objects if obj.get("kind") == "ServiceAccount"
    }
    bound = _bound_accounts(obj for obj, _ in objects)
    for obj, document in objects:
        reader = _ObjectReader(parsed.path, obj, document.source, service_accounts, bound)
        yield from reader.resources()


def _bound_accounts(objects: Iterator[YMap]) -> frozenset[tuple[str | None, str]]:
    """(namespace, name) of the ServiceAccounts that a RoleBinding or
    ClusterRoleBinding in the same input grants a role: their pods call the API, so
    they need the token mounted."""
    bound = set()
    for obj in objects:
        subjects = obj.get("subjects") if obj.get("kind") in ("RoleBinding", "ClusterRoleBinding") else None
        for subject in subjects if isinstance(subjects, YSeq) else ():
            if isinstance(subject, YMap) and subject.get("kind") == "ServiceAccount" and (name := _str(subject.get("name"))):
                bound.add((_str(subject.get("namespace")) or _namespace_of(obj), name))
    return frozenset(bound)


def _objects(root: Any) -> Iterator[YMap]:
    """Kubernetes objects in a document: the document itself, or the items of a List."""
    if not isinstance(root, YMap) or not isinstance(root.get("kind"), str) or "apiVersion" not in root:
        return
    if root["kind"].endswith("List") and isinstance(root.get("items"), YSeq):
        for item in root["items"]:
            yield from _objects(item)
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
    return _str(_get(obj, "metadata", "namespace"))


class _ObjectReader:
    def __init__(self, path: str, obj: YMap, source: str | None, service_accounts: dict, bound_accounts: frozenset = frozenset()):
        self.path = path
        self.bound_accounts = bound_accounts
        self.obj = obj
        self.source = source
        self.service_accounts = service_accounts
        self.kind = obj["kind"]
        self.name = _str(_get(obj, "metadata", "name")) or "unnamed"
        self.namespace = _namespace_of(obj)
        self.prefix = f"{self.kind}/{self.namespace or 'default'}/{self.name}"

    def at(self, mark: Mark | None) -> Location:
        mark = mark or self.obj.mark
        return Location(self.path, mark.line, mark.column)

    def value_attr(self, mapping: Any, key: str, default_at: Location, expected: type | tuple = object) -> Attr:
        """The value of `mapping[key]` located at the value, or unset at `default_at`.
        A value of the wrong type is Unknown: the API server would reject it, and a
        rule must not guess what was meant."""
        if not isinstance(mapping, YMap) or key not in mapping or mapping[key] is None:
            return Attr(None, default_at, is_set=False)
        value = mapping[key]
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
            line = annotations.key_marks[IGNORE_ANNOTATION].line
            found.append(annotation_suppression(annotations[IGNORE_ANNOTATION], reason, line))
        return tuple(found)

    def resources(self) -> Iterator[Resource]:
        if self.kind in RBAC_KINDS:
            yield self.rbac()
            return
        spec, template_meta, spec_key = self.pod_spec()
        if spec is None:
            return
        suppressions = self.suppressions(self.obj.get("metadata"), template_meta)
        long_running = self.kind not in RUN_TO_COMPLETION and not (
            self.kind == "Pod" and spec.get("restartPolicy") in ("Never", "OnFailure")
        )
        spec_at = spec_key or self.at(spec.mark)
        yield self.pod(spec, spec_at, long_running, suppressions)
        for list_key, role in CONTAINER_LISTS:
            containers = spec.get(list_key)
            if not isinstance(containers, YSeq):
                continue
            for index, container in enumerate(containers):
                if isinstance(container, YMap):
                    item_mark = containers.item_marks[index]
                    yield self.container(spec, template_meta, container, item_mark, list_key, role, long_running, suppressions)

    def pod_spec(self) -> tuple[YMap | None, Any, Location | None]:
        """The pod spec of any workload, its template metadata, and where its `spec:` key is."""
        if self.kind == "Pod":
            holder, meta = self.obj, self.obj.get("metadata")
        elif self.kind == "CronJob":
            holder = _get(self.obj, "spec", "jobTemplate", "spec", "template")
            meta = _get(holder, "metadata")
        elif self.kind == "PodTemplate":
            holder = _get(self.obj, "template")
            meta = _get(holder, "metadata")
        else:
            holder = _get(self.obj, "spec", "template")
            if self.kind not in POD_TEMPLATE_KINDS and not isinstance(_get(holder, "spec", "containers"), YSeq):
                return None, None, None
            meta = _get(holder, "metadata")
        spec = _get(holder, "spec")
        if not isinstance(spec, YMap):
            return None, None, None
        return spec, meta, self.key_location(holder, "spec")

    def pod(self, spec: YMap, spec_at: Location, long_running: bool, suppressions: tuple) -> Resource:
        namespace_at = self.key_location(self.obj, "metadata") or self.at(None)
        namespace = self.value_attr(self.obj.get("metadata"), "namespace", namespace_at, str)
        if self.source is not None and (not namespace.is_set or namespace.value == "default"):
            # Helm output: the namespace is chosen at install, and `helm template`
            # writes `default` for `.Release.Namespace` when none is given.
            namespace = Attr(Unknown("namespace chosen at helm install"), namespace.location, is_set=namespace.is_set)
        volumes = spec.get("volumes")
        host_paths = []
        if isinstance(volumes, YSeq):
            for volume in volumes:
                host_path = _get(volume, "hostPath")
                if isinstance(host_path, YMap):
                    host_paths.append(self.value_attr(host_path, "path", self.at(volume.mark), str))
        attrs = {
            "namespace": namespace,
            "long_running": Attr(long_running, spec_at),
            "host_network": self.value_attr(spec, "hostNetwork", spec_at, bool),
            "host_pid": self.value_attr(spec, "hostPID", spec_at, bool),
            "host_ipc": self.value_attr(spec, "hostIPC", spec_at, bool),
            "host_path_volumes": Attr(host_paths, spec_at),
            "automount_service_account_token": self.automount(spec, spec_at),
            "service_account": self.value_attr(spec, "serviceAccountName", spec_at, str),
        }
        return self.resource("pod", self.prefix, spec_at, attrs, suppressions)

    def automount(self, spec: YMap, spec_at: Location) -> Attr:
        """The pod's setting, else its service account's when declared in the same input,
        else the platform default (mounted). Unknown when the account is bound to a
        role in the same input and the pod does not turn the token off: the pod uses
        the API, so the token is needed."""
        own = self.value_attr(spec, "automountServiceAccountToken", spec_at, bool)
        account_name = _str(spec.get("serviceAccountName")) or "default"
        if own.value is not False and (self.namespace, account_name) in self.bound_accounts:
            return Attr(Unknown(f"service account {account_name} is bound to a role, so the pod uses the API"), own.location, is_set=own.is_set)
        if own.is_set:
            return own
        account = self.service_accounts.get((self.namespace, account_name))
        if account is not None and "automountServiceAccountToken" in account:
            mark = account.value_marks["automountServiceAccountToken"]
            value = account["automountServiceAccountToken"]
            return Attr(value if isinstance(value, bool) else Unknown(str(value)), Location(self.path, mark.line, mark.column))
        return Attr(True, spec_at, is_set=False)

    def container(self, spec, template_meta, container: YMap, item_mark: Mark, list_key: str, role: str, long_running: bool, suppressions) -> Resource:
        name = _str(container.get("name")) or "unnamed"
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
        resources = container.get("resources")
        limits, requests = _get(resources, "limits"), _get(resources, "requests")
        attrs = {
            "name": Attr(name, name_at),
            "role": Attr(role, name_at),
            "long_running": Attr(long_running and role in ("container", "sidecar"), name_at),
            "image": image,
            "images": Attr([image] if image.is_set else [], name_at),
            "image_pull_policy": self.value_attr(container, "imagePullPolicy", name_at, str),
            "run_as_user": effective("runAsUser", int),
            "run_as_non_root": effective("runAsNonRoot", bool),
            "privileged": self.value_attr(context, "privileged", name_at, bool),
            "allow_privilege_escalation": self.value_attr(context, "allowPrivilegeEscalation", name_at, bool),
            "capabilities_add": Attr(self.capabilities(capabilities, "add"), name_at),
            "capabilities_drop": Attr(self.capabilities(capabilities, "drop"), name_at),
            "read_only_root_filesystem": self.value_attr(context, "readOnlyRootFilesystem", name_at, bool),
            "seccomp_profile": self.seccomp(spec, template_meta, context, pod_context, name, name_at),
            "cpu_limit": self.value_attr(limits, "cpu", name_at),
            "memory_limit": self.value_attr(limits, "memory", name_at),
            "cpu_request": self.request(requests, limits, "cpu", name_at),
            "memory_request": self.request(requests, limits, "memory", name_at),
            "env": Attr(self.env(container), name_at),
            "secret_env": Attr(self.secret_env(container), name_at),
            "host_ports": Attr(self.host_ports(container), name_at),
            "liveness_probe": self.value_attr(container, "livenessProbe", name_at, YMap),
            "readiness_probe": self.value_attr(container, "readinessProbe", name_at, YMap),
        }
        address = f"{self.prefix}/{list_key}/{name}"
        return self.resource("container", address, name_at, attrs, suppressions)

    def capabilities(self, capabilities: Any, key: str) -> list[Attr]:
        items = _get(capabilities, key)
        if not isinstance(items, YSeq):
            return []
        return [
            Attr(item.upper().removeprefix("CAP_"), self.at(items.item_marks[index]))
            for index, item in enumerate(items)
            if isinstance(item, str)
        ]

    def request(self, requests: Any, limits: Any, key: str, name_at: Location) -> Attr:
        """A request defaults to the limit when only the limit is set."""
        own = self.value_attr(requests, key, name_at)
        return own if own.is_set else self.value_attr(limits, key, name_at)

    def seccomp(self, spec, template_meta, context, pod_context, name: str, name_at: Location) -> Attr:
        for source in (context, pod_context):
            profile = self.value_attr(_get(source, "seccompProfile"), "type", name_at, str)
            if profile.is_set:
                return profile
        annotations = _get(template_meta if template_meta is not None else self.obj.get("metadata"), "annotations")
        for key in (_LEGACY_SECCOMP_CONTAINER + name, _LEGACY_SECCOMP_POD):
            legacy = self.value_attr(annotations, key, name_at, str)
            if legacy.is_set:
                text = legacy.value.lower()
                kind = "Localhost" if text.startswith("localhost/") else _LEGACY_SECCOMP_TYPES.get(text, Unknown(text))
                return Attr(kind, legacy.location)
        return Attr(None, name_at, is_set=False)

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

    def host_ports(self, container: YMap) -> list[Attr]:
        ports = container.get("ports")
        found = []
        for port in ports if isinstance(ports, YSeq) else ():
            host_port = self.value_attr(port, "hostPort", self.at(None), int)
            if host_port.is_set and host_port.value != 0:
                found.append(host_port)
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
        return self.resource("k8s_rbac", self.prefix if self.namespace else f"{self.kind}/{self.name}", head, attrs, suppressions)

    def strings(self, mapping: YMap, key: str) -> tuple[Attr, ...]:
        items = mapping.get(key)
        if not isinstance(items, YSeq):
            return ()
        return tuple(Attr(item, self.at(items.item_marks[index])) for index, item in enumerate(items) if isinstance(item, str))
