from iacguard import Option, problem, rule

DANGEROUS = [
    "ALL", "SYS_ADMIN", "NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT",
    "SYS_TIME", "DAC_READ_SEARCH", "BPF", "PERFMON", "MAC_ADMIN", "MAC_OVERRIDE", "SYSLOG", "SETFCAP",
]


@rule(
    code="IG205",
    name="dangerous-capability-added",
    severity="high",
    kinds=("container",),
    formats=("kubernetes", "arm", "bicep", "compose"),
    linux_only=True,
    tags=("runtime", "kubernetes"),
    references={"checkov": ["CKV_K8S_39"], "trivy": ["KSV005", "KSV022"]},
    options=(Option("dangerous_capabilities", list, DANGEROUS, "capabilities that must not be added"),),
)
def check(resource, options):
    """The container adds a capability that breaks isolation.

    ## What it checks
    `securityContext.capabilities.add` entries that are in `dangerous_capabilities`:
    SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_MODULE, ALL and others that let a
    process reach the kernel, the network stack or other processes. The `CAP_` prefix
    and letter case are ignored. A container of a Windows pod (`spec.os.name: windows`,
    or without it a node selector `kubernetes.io/os: windows`) passes: capabilities are
    a Linux mechanism, and the API server refuses the field on a Windows pod.

    ### Docker Compose
    The service's `cap_add` entries (`CAP_` prefix or not).

    ## Why it matters
    SYS_ADMIN alone is close to full root; SYS_MODULE loads kernel code; SYS_PTRACE
    reads other processes' memory; NET_ADMIN rewrites the node's network.

    ## How to fix
    Remove the capability and find the narrower one the workload needs (for example
    NET_BIND_SERVICE to bind low ports), or move the work to a reviewed node agent.

    ## Example
    Fails: `capabilities: {add: [SYS_ADMIN]}`. Passes: `capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}`.
    """
    dangerous = {name.upper().removeprefix("CAP_") for name in options.dangerous_capabilities}
    for capability in resource.value("capabilities_add"):
        if capability.value in dangerous:
            yield problem(capability, f"capability {capability.value} is added")
