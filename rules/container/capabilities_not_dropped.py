from iacguard import problem, rule, set_to, unsafe_fix
from iacguard.model import Unknown


@rule(
    code="IG204",
    name="capabilities-not-dropped",
    severity="medium",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    linux_only=True,
    tags=("runtime", "kubernetes"),
    references={"checkov": ["CKV_K8S_28", "CKV_K8S_37"], "kube-linter": ["drop-net-raw-capability"], "trivy": ["KSV003"]},
    fix=unsafe_fix("kubernetes"),
)
def check(resource, options):
    """The container keeps the default Linux capabilities.

    ## What it checks
    `securityContext.capabilities.drop` must contain `ALL`. A container of a Windows pod
    (`spec.os.name: windows`, or without it a node selector `kubernetes.io/os: windows`)
    passes: capabilities are a Linux mechanism, and the API server refuses the field on
    a Windows pod.

    ### Docker Compose
    The service's `cap_drop` must hold `ALL`.

    ## Why it matters
    Container runtimes grant a default set of capabilities (NET_RAW, CHOWN,
    SETUID, DAC_OVERRIDE, ...) that almost no application needs; each is a tool for
    an attacker who gets code execution, NET_RAW for spoofing traffic above all.

    ## Why this default
    On, although most real workloads fail it: dropping `ALL` is required by the Pod
    Security Standards' Restricted profile, which allows adding back only
    `NET_BIND_SERVICE`
    (<https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted>),
    so a namespace that enforces that profile rejects the pod.

    ## How to fix
    Drop everything and add back only what is needed:
    `capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}`. The fix adds `ALL` to
    the container's `capabilities.drop`. It is unsafe, as every change to how a
    container runs: a process that binds a port below 1024 or changes file owners
    needs its capability added back.

    ## Example
    Fails: no `capabilities`, or `drop: [NET_RAW]`. Passes: `drop: [ALL]`.
    """
    dropped = resource.value("capabilities_drop")
    if isinstance(dropped, Unknown):  # a controller decides at run time
        return
    if not any(capability.value == "ALL" for capability in dropped):
        yield problem(resource.location, f"{resource.native_name('capabilities_drop', 'capabilities.drop')} does not contain ALL",
                      fix=set_to("capabilities_drop", ["ALL"], "Drop ALL capabilities"))
