"""The canonical resource model shared by every format.

Normalizers turn native documents (a Dockerfile stage, a Deployment, an
`azurerm_container_group`) into `Resource` objects whose attributes have the same
names and meaning whatever the source format, so a rule is written once.

Every attribute is an `Attr`: a value plus the location where it was set. A value
that came from a platform default, or is absent, carries the resource head as its
location and `is_set=False`. A value that could not be resolved (an unset build
argument, a variable without default) is an `Unknown`; rules stay silent on it
unless they say otherwise.

An `Attr` also keeps the attribute's native name: the path the normalizer read it
from, as the format spells it (`site_config.minimum_tls_version` in Terraform,
`properties.siteConfig.minTlsVersion` in ARM and Bicep). It is recorded by the same
call that reads the value, whether the file sets it or not, so a message about a
platform default still names what to write. A setting that the resource type has no
way to write has none: the platform default applies, and there is nothing to write. `Resource.native_name` is how rules ask.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iacguard import structs
from iacguard.errors import IacguardError
from iacguard.structs import field, struct


@struct(frozen=True, slots=True)
class Related:
    """Another place a finding concerns, and what happens there: a module's line that
    forwards a value its caller set, the variable it arrives by, the Helm template a
    manifest was rendered from, the Kustomize overlay an object was built for. `line`
    is None for a file named as a whole (a Helm template, relative to its chart; an
    overlay's kustomization)."""

    message: str
    path: str
    line: int | None = None
    column: int | None = None


@struct(frozen=True, slots=True)
class Location:
    """A span in a scanned file; lines and columns are 1-based.

    `via` lists the places a value passed on its way from here to the resource that
    uses it, starting at the resource's own line: a value a module's caller set is
    located at the caller's argument, and the module's lines are hops (reported as
    related locations)."""

    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    via: tuple[Related, ...] = ()

    @property
    def in_resource(self) -> tuple[str, int, int | None]:
        """The file, line and column where the resource's own declaration takes the
        value: the first hop of a value passed in, else this location. A file named as
        a whole (the overlay a Kustomize base was built for) is no such hop."""
        first = next((hop for hop in self.via if hop.line is not None), self)
        return first.path, first.line, first.column

    def by_way_of(self, via: tuple[Related, ...]) -> Location:
        """This location with the hops `via` in place of its own. (Built directly:
        `replace` takes more than twice as long, and module calls
        move many values.)"""
        return Location(self.path, self.line, self.column, self.end_line, self.end_column, via)

    def hop(self, message: str) -> Related:
        """This location as a hop of another one's `via`."""
        return Related(message, self.path, self.line, self.column)


@struct(frozen=True, slots=True)
class Unknown:
    """A value that static analysis cannot know, with the expression it came from."""

    expression: str = ""

    def __str__(self) -> str:
        return f"<unknown {self.expression}>" if self.expression else "<unknown>"


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


@struct(frozen=True, slots=True)
class Attr:
    """A canonical attribute value, where it was set, and the native name it was read
    from (empty when the format records none)."""

    value: Any
    location: Location
    is_set: bool = True
    native: str = ""

    @property
    def unknown(self) -> bool:
        return isinstance(self.value, Unknown)

    def with_value(self, value: Any) -> Attr:
        """The same setting read differently (`"Disabled"` as False): its location
        and native name stay those of what the file wrote."""
        return Attr(value, self.location, self.is_set, self.native)


@struct(frozen=True, slots=True)
class EnvVar:
    """An environment variable or build argument given to a container or build.

    `literal` is true when the value is written out in the file, false when it is a
    reference (a secret store, another variable, a field of the platform). `origin`
    names the construct for messages: `ENV`, `ARG`, `env`, `app setting`.
    """

    name: str
    value: Attr
    literal: bool
    location: Location
    origin: str = "environment variable"


# What a Credential holds when only some fields of its value are secret (`Password=`).
CONNECTION_STRING = "connection string"


@struct(frozen=True, slots=True)
class Credential:
    """A resource attribute that holds a credential (the table of
    `iacguard.normalizers.credentials` says which do). `holds` is what it holds
    ('administrator password', 'connection string', ...). `value` is the text, or
    Unknown, located at the literal that set it (a parameter's default when the
    attribute only names the parameter), and natively named by the attribute's path
    as the file spells it; `literal` is false when the platform fetches the value (a
    Key Vault reference) or it cannot be resolved."""

    holds: str
    value: Attr
    literal: bool


# What each canonical kind stands for, whatever format it is read from.
KIND_DESCRIPTIONS: dict[str, str] = {
    "image_build": "A Dockerfile stage: what it is built from and what its instructions do. The final stage is the image that ships.",
    "container": "A container as it runs: image, user, privileges, capabilities, resources, environment and probes, with the pod's and the container's settings already merged.",
    "pod": "What the containers of one Kubernetes pod spec (or one Compose service) share: host namespaces, volumes and the service account.",
    "web_app": "An App Service Web App or Function App (deployment slots included) with its site configuration.",
    "container_group": "An Azure Container Instances group: network exposure, identity and registry credentials. Its containers are `container` resources.",
    "registry": "An Azure Container Registry.",
    "k8s_cluster": "An AKS cluster: API server access, RBAC, add-ons and the node pools declared inside it.",
    "k8s_node_pool": "An AKS node pool declared as a resource of its own.",
    "key_vault": "An Azure Key Vault.",
    "cloud_resource": "Any Azure resource, for the attributes that hold credentials.",
    "k8s_object": "Any Kubernetes object: where it lives (its namespace, or none for cluster-scoped kinds).",
    "k8s_rbac": "A Kubernetes Role, ClusterRole, RoleBinding or ClusterRoleBinding.",
    "k8s_data": "A Kubernetes ConfigMap or Secret: the entries it holds, read like variables.",
}

# The attributes each canonical kind may carry. A rule that asks for anything else
# has a typo: failing loudly beats a rule that silently never fires.
KIND_ATTRIBUTES: dict[str, dict[str, str]] = {
    "image_build": {
        "stage": "stage name or index, as `COPY --from` would name it",
        "image": "ImageRef of the base image; None for scratch or an earlier stage",
        "base_stage": "name of the earlier stage this one builds on, if any",
        "base_image": "ImageRef of the external image at the root of the stage chain",
        "images": "list of Attr[ImageRef]: every external image the stage references",
        "final": "true for the last stage, the one that ships",
        "in_final_image": "true when the final image is built on top of this stage",
        "os": "'linux', 'windows' or Unknown, from the base image and SHELL",
        "image_user": "the user the base image's published configuration runs as, where known (inherited)",
        "user": "effective user (inherited through the stage chain)",
        "healthcheck": "'check', 'none' (HEALTHCHECK NONE) or absent",
        "env": "list of EnvVar declared by ENV and ARG in this stage",
        "environment": "dict of name to value (str or Unknown): the variables a RUN step sees (ENV and ARG, of this stage or a stage it is built on), as at its end",
        "labels": "dict name -> Attr of LABEL values (inherited)",
        "runs": "list of RunStep, one per RUN instruction",
        "copies": "list of CopyStep, one per COPY/ADD instruction",
        "later_stages": "dict of stage name or index to its list of RunStep: the later stages that see this stage's files (built on it, or copying or mounting from it, directly or through other stages; a `--from` not known may name it)",
        "exposed_ports": "list of Attr[str], one per EXPOSE item",
    },
    "container": {
        "name": "the container's name",
        "role": "'container', 'init', 'sidecar' (an init container that keeps running) or 'ephemeral'",
        "long_running": "false for run-to-completion workloads (Jobs, CronJobs) and init containers",
        "image": "ImageRef, or Unknown",
        "images": "list of Attr[ImageRef]: [image]",
        "image_pull_policy": "Always, IfNotPresent, Never; unset means the platform default",
        "os": "'linux' or 'windows': the pod's `spec.os.name`, else its `kubernetes.io/os` node selector; unset means Linux",
        "run_as_user": "effective UID (container over pod)",
        "run_as_non_root": "effective runAsNonRoot (container over pod)",
        "run_as_user_name": "effective Windows user, `windowsOptions.runAsUserName` (container over pod)",
        "privileged": "bool",
        "allow_privilege_escalation": "bool; unset means allowed",
        "capabilities_add": "list of Attr[str], upper case without CAP_",
        "capabilities_drop": "list of Attr[str], upper case without CAP_",
        "read_only_root_filesystem": "bool",
        "seccomp_profile": "effective profile type: RuntimeDefault, Localhost, Unconfined",
        "apparmor_profile": "effective AppArmor profile type: RuntimeDefault, Localhost, Unconfined",
        "cpu_limit": "resources.limits.cpu; in Kubernetes, else the pod's (`spec.resources`), else a LimitRange's default in the same input",
        "memory_limit": "resources.limits.memory; in Kubernetes, else the pod's (`spec.resources`), else a LimitRange's default in the same input",
        "cpu_request": "resources.requests.cpu (defaults to the limit); in Kubernetes, else the pod's, else a LimitRange's default in the same input",
        "memory_request": "resources.requests.memory (defaults to the limit); in Kubernetes, else the pod's, else a LimitRange's default in the same input",
        "env": "list of EnvVar",
        "secret_env": "list of Attr[str]: secrets passed as environment variables",
        "host_ports": "list of Attr[int]",
        "container_ports": "list of Attr[int]: the ports the container declares it listens on",
        "published_ports": "list of Attr[str]: container ports reachable through a port of the host, as `PORT[-PORT][/PROTOCOL]` (TCP unsaid; Compose `ports` not bound to loopback)",
        "built_by": "the `image_build` resource of the Dockerfile stage that builds the container's image (Compose `build:`, or its `dockerfile_inline`), when it can be read",
        "liveness_probe": "present when defined; None, set, when the file turns it off (Compose `healthcheck: {disable: true}`)",
        "readiness_probe": "present when defined; None, set, when the file turns it off (Compose `healthcheck: {disable: true}`)",
    },
    "pod": {
        "long_running": "false for run-to-completion workloads",
        "host_network": "bool",
        "host_pid": "bool",
        "host_ipc": "bool",
        "host_path_volumes": "list of Attr[str]: hostPath paths",
        "automount_service_account_token": "effective value (pod over its service account)",
        "service_account": "service account name: `serviceAccountName`, else the deprecated `serviceAccount`",
    },
    "web_app": {
        "app_kind": "'web' or 'function'",
        "https_only": "bool; the platform default is false",
        "min_tls_version": "minimum inbound TLS version, e.g. '1.2'",
        "ftps_state": "AllAllowed, FtpsOnly or Disabled; Disabled for a Flex Consumption app, which takes no FTP deployments",
        "remote_debugging": "bool",
        "identity": "managed identity type, or None",
        "public_network_access": "bool; the platform default is true (with no native name where the resource type has no such setting, as the legacy azurerm apps)",
        "access_restricted": "bool: inbound access is restricted, requests that no access restriction lets in refused",
        "access_default_action": "Allow or Deny: what a request no access restriction matches gets; None where the platform refuses it once there is a restriction",
        "access_open_rule": "the address of the access restriction rule that lets every address in ('Any', '0.0.0.0/0', '::/0'), before any that refuses them all, located at it; unset when none does",
        "client_cert_enabled": "bool (with no native name where the resource type has no such setting, as the legacy azurerm slots)",
        "client_cert_mode": "Required, Optional or OptionalInteractiveUser",
        "images": "list of Attr[ImageRef]: the container image the app runs, if any",
        "env": "list of EnvVar: app settings",
        "successor": "the resource types that replace a legacy one, to name where it has no setting for what a rule asks ('azurerm_linux_web_app or azurerm_windows_web_app'); unset for the others",
    },
    "container_group": {
        "ip_address_type": "Public, Private or None",
        "subnet_ids": "list of subnet ids (VNet integration); for a group joined by a network profile, its id",
        "identity": "managed identity type, or None",
        "registry_credentials": "list of Attr: 'password' or 'identity', one per image registry credential",
    },
    "registry": {
        "sku": "Basic, Standard, Premium (or the retired Classic) as written; no default, since the API and current azurerm require it",
        "admin_enabled": "bool: the admin user is enabled",
        "public_network_access": "bool; the platform default is true",
        "network_default_action": "Allow or Deny for traffic no network rule matches",
        "anonymous_pull": "bool",
        "content_trust": "bool: the content trust (signed images) policy is enabled",
        "quarantine": "bool: the quarantine policy is enabled",
    },
    "k8s_cluster": {
        "rbac_enabled": "bool: Kubernetes RBAC",
        "local_accounts_enabled": "bool: local (non Entra ID) accounts remain usable",
        "network_policy": "network policy engine, or None; cilium on the Cilium data plane, which enforces network policies itself",
        "private_cluster": "bool: the API server has no public endpoint",
        "authorized_ip_ranges": "list of CIDR ranges allowed to reach the API server",
        "defender_enabled": "bool: Microsoft Defender for Containers",
        "azure_policy_enabled": "bool: the Azure Policy add-on",
        "monitoring_enabled": "bool: the monitoring agent sends logs to Log Analytics",
        "node_public_ips": "list of Attr[bool], one per node pool",
        "secrets_store_csi": "bool: the Key Vault secrets provider add-on",
    },
    "k8s_node_pool": {
        "node_public_ip": "bool: nodes of a pool declared on its own get public IPs",
    },
    "key_vault": {
        "purge_protection": "bool",
        "public_network_access": "bool; the platform default is true",
        "network_default_action": "Allow or Deny, or None without network ACLs",
        "rbac_authorization": "bool: Azure RBAC instead of access policies",
    },
    "cloud_resource": {
        "credentials": "list of Credential: the attributes of any Azure resource that hold a credential",
    },
    "k8s_object": {
        "namespace": "metadata.namespace; Unknown when decided at install time (Helm output)",
        "cluster_scoped": "true for kinds that live outside namespaces (Node, ClusterRole, a CRD with scope Cluster)",
    },
    "k8s_rbac": {
        "role_kind": "Role, ClusterRole, RoleBinding or ClusterRoleBinding",
        "rules": "list of RbacRule (roles)",
        "role_ref": "Attr[str]: the role a binding grants (bindings)",
        "role_ref_kind": "Role or ClusterRole (bindings)",
    },
    "k8s_data": {
        "secret": "true for a Secret, false for a ConfigMap",
        "env": "list of EnvVar: its data entries (a Secret's decoded from base64), literal as written",
    },
}


@struct(frozen=True, slots=True)
class Suppression:
    """Why a finding is not counted. `rules` holds codes or names; None means all.
    A suppression written wrongly is kept, so it can be warned about, with no rules
    and `malformed` saying what the right form is."""

    kind: str  # "inline", "file", "annotation", "metadata", "baseline"
    rules: frozenset[str] | None
    reason: str
    line: int
    malformed: str = ""
    # The file that wrote what a resource carries, where it can be another than the
    # scanned one (a Kustomize base's annotation, a Helm template's); None: the scanned file.
    path: str | None = None

    def covers(self, rule) -> bool:
        """True when this suppression reaches `rule` (by code, name or alias)."""
        return self.rules is None or any(map(rule.answers_to, self.rules))


@struct(frozen=True, slots=True)
class RbacRule:
    """One rule of a Role or ClusterRole: lists of Attr[str]."""

    location: Location
    verbs: tuple[Attr, ...]
    resources: tuple[Attr, ...]
    api_groups: tuple[Attr, ...]


@struct(eq=False, slots=True)
class Resource:
    """One canonical resource: what rules see.

    Reading it: `attr(name)` gives the `Attr` (value, where it was set, whether the
    file set it, its native name), `value(name)` only the value, `native_name(name)`
    the attribute as the resource's format spells it, for messages. A name that is not
    among the kind's attributes (`KIND_ATTRIBUTES`) raises: a typo must not make a
    rule silently never fire. `location` is the resource's head, where findings about
    an absent setting point.

    `runtime` is false for things that do not run as such (a build stage whose
    result is not the shipped image); rules about runtime behaviour skip them.

    `head_text` stands for the head's line in fingerprints where that line holds a
    value that changes while the resource stays the same (a Dockerfile stage's base
    image, a Bicep resource's API version: both bumped by update bots), so that a
    finding at the head, about an absent setting, keeps its fingerprint, and a
    baseline or a code-scanning alert its finding, across such an edit; None: the
    line's own text.

    Native fields. When the model has no attribute for what a rule needs, `native` is
    the object the resource was read from, as the format's reader gives it:

    - Kubernetes, ARM and Bicep: the object as a `dict` (lists as `list`) that knows
      where it stands: `key_marks[key]` and `value_marks[key]` give the `line` and
      `column` of a key and of its value, `mark` those of the object itself.
      Kubernetes values are decoded as the API server decodes them (YAML 1.1); ARM
      values are as written, expressions (`"[parameters('x')]"`) unevaluated; Bicep
      values are evaluated, `Unknown` where they cannot be. A Kubernetes container or
      pod has the whole workload; an ARM resource the whole resource object, a Bicep
      resource its body; a container of a container group has the group.
    - Terraform: the `resource` block (`iacguard.parsers.hcl.Block`): its
      `body.attributes[name]` (an `Attribute` whose `value` is the expression, with
      its `line` and `column`) and `body.blocks_of(type)`. Expressions are not
      evaluated. A container of a container group has the group's block. A block
      that override files change is the merged block, at the original's place; an
      argument or nested block an override file wrote names that file (`path`).
    - Dockerfile: the stage's `FROM` instruction (`iacguard.parsers.dockerfile_syntax.Instruction`);
      what the stage does is in the `runs` and `copies` attributes.

    These objects belong to the readers and may change between minor releases:
    prefer an attribute, and ask for one when several rules need the same field.
    """

    kind: str
    type: str
    address: str
    format: str
    location: Location
    attrs: dict[str, Attr] = field(default_factory=dict)
    native: Any = None
    runtime: bool = True
    source_template: str | None = None
    suppressions: tuple[Suppression, ...] = ()
    head_text: str | None = None

    def attr(self, name: str) -> Attr:
        """The attribute, or an unset one located at the resource head."""
        found = self.attrs.get(name)
        if found is not None:
            return found
        schema = KIND_ATTRIBUTES.get(self.kind)
        if schema is not None and name not in schema:
            raise IacguardError(f"resource kind {self.kind!r} has no attribute {name!r}")
        return Attr(None, self.location, is_set=False)

    def value(self, name: str) -> Any:
        return self.attr(name).value

    def native_name(self, name: str, default: str = "") -> str:
        """Canonical attribute `name` as this resource's format spells it, for
        messages: `https_only` in Terraform, `properties.httpsOnly` in ARM and Bicep;
        `default` (else the canonical name) where the normalizer records none."""
        return self.attr(name).native or default or name


@struct(frozen=True, slots=True)
class RunStep:
    """A command run during an image build (Dockerfile `RUN`).

    `pipelines` holds the shell commands (`iacguard.shell.Command`, words located in
    the file); it is empty when the step is not POSIX shell (a `SHELL` switched to
    PowerShell). `mounts` are the targets of every `--mount` (bind, the default
    type, `cache`, `tmpfs`, `secret`, `ssh`): what the step writes under them never
    reaches the layer. `cache_mounts` are those of `--mount=type=cache`. `workdir` is the folder the step starts in (the
    stage's `WORKDIR`), None when a build argument without value decides it.
    `end` is where the script's text ends in the file (just after its last
    character), where a fix can append a command; None for the exec form and for
    scripts in heredocs. `documents` are the heredocs commands read as data (a file
    written with `cat <<EOF > file`), each a `Word` located at its first line.
    """

    location: Location
    script: str
    pipelines: tuple = ()
    cache_mounts: tuple[str, ...] = ()
    workdir: str | None = "/"
    end: Location | None = None
    documents: tuple = ()
    mounts: tuple[str, ...] = ()

    @property
    def commands(self) -> list:
        return [command for pipeline in self.pipelines for command in pipeline]


@struct(frozen=True, slots=True)
class CopyStep:
    """Files put into an image (Dockerfile `COPY`/`ADD`). `sources` are Attrs of
    str or Unknown; `heredoc` is true for inline content (`COPY <<EOF ...`)."""

    instruction: str
    location: Location
    sources: tuple[Attr, ...]
    flags: dict
    heredoc: bool = False


def relocated(value: Any, move: Callable[[Location], Location]) -> Any:
    """`value` with every `Location` in it moved by `move`: a resource's own, its
    attributes' and what they hold, and the lines of its suppressions; the native
    object is left as it is. For resources read from text that stands somewhere else:
    a chart's rendered output (moved to its templates), a Dockerfile written inside a
    compose file."""
    if isinstance(value, Location):
        return move(value)
    if type(value) is list:  # exact types: the YAML a probe attribute holds has no Location in it
        return [relocated(item, move) for item in value]
    if type(value) is tuple:
        return tuple(relocated(item, move) for item in value)
    if type(value) is dict:
        return {key: relocated(item, move) for key, item in value.items()}
    if isinstance(value, Resource):
        suppressions = tuple(_relocated_suppression(suppression, move) for suppression in value.suppressions)
        return structs.replace(value, location=move(value.location), attrs=relocated(value.attrs, move), suppressions=suppressions)
    if structs.is_struct(value) and not isinstance(value, type):
        changes = {field.name: relocated(getattr(value, field.name), move) for field in structs.fields(value) if field.init}  # the others are derived
        changed = {name: new for name, new in changes.items() if new is not getattr(value, name)}
        return structs.replace(value, **changed) if changed else value
    return value


def _relocated_suppression(suppression: Suppression, move: Callable[[Location], Location]) -> Suppression:
    """A suppression moved with its resource (where an unused one is reported)."""
    if suppression.path is None:
        return suppression
    written = move(Location(suppression.path, suppression.line))
    return structs.replace(suppression, path=written.path, line=written.line)
