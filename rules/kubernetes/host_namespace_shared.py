from iacguard import problem, rule

_NAMESPACES = (("host_network", "hostNetwork"), ("host_pid", "hostPID"), ("host_ipc", "hostIPC"))


@rule(
    code="IG401",
    name="host-namespace-shared",
    severity="high",
    kinds=("pod",),
    tags=("runtime", "kubernetes"),
    references={"checkov": ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"], "kube-linter": ["host-network", "host-pid", "host-ipc"], "trivy": ["KSV008", "KSV009", "KSV010"]},
)
def check(resource, options):
    """The pod shares the node's network, process or IPC namespace.

    ## What it checks
    `hostNetwork`, `hostPID` and `hostIPC` must not be `true`.

    ### Docker Compose
    `network_mode: host`, `pid: host` and `ipc: host` on a service.

    ## Why it matters
    Sharing the node's namespaces removes the isolation that makes a container a
    container: the pod sees every process on the node (and can signal or trace them),
    binds the node's interfaces, and reads other workloads' shared memory.

    ## How to fix
    Remove the setting; expose network services through Services, and run node
    agents as reviewed DaemonSets in a dedicated namespace.

    ## Example
    Fails: `spec: {hostNetwork: true}`. Passes: no `hostNetwork` key.
    """
    for attribute, key in _NAMESPACES:
        value = resource.attr(attribute)
        if value.value is True:
            yield problem(value, f"{value.native or key + ': true'} shares the node's namespace with the pod")
