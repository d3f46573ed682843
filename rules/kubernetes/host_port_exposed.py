from iacguard import problem, rule


@rule(
    code="IG408",
    name="host-port-exposed",
    severity="medium",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    tags=("network", "kubernetes"),
    references={"checkov": ["CKV_K8S_26"], "trivy": ["KSV024"]},
)
def check(resource, options):
    """A container port is bound to a port of the node.

    ## What it checks
    `ports[].hostPort` set to anything but 0.

    ### Docker Compose
    A service's `ports` entries with a host port, unless bound to a loopback
    address (`127.0.0.1:8080:80`, `[::1]:8080:80`): Docker publishes them on every
    address of the host and adds firewall rules that bypass the host's own. An
    entry whose host address is no IP address (`localhost:8080:80`,
    `999.1.1.1:8080:80`) publishes nothing: docker compose rejects it, and a
    warning (IG003) says so.

    ## Why it matters
    A host port publishes the container on every address of the node, outside
    Services and most network policies, and ties the pod to nodes where the port is
    free.

    ## How to fix
    Remove `hostPort` and expose the container through a Service (NodePort or
    LoadBalancer when it must be reachable from outside).

    ## Example
    Fails: `ports: [{containerPort: 8080, hostPort: 8080}]`. Passes: `ports: [{containerPort: 8080}]`.
    """
    name = resource.native_name("host_ports", "hostPort")
    for port in resource.value("host_ports"):
        if not port.unknown:
            yield problem(port, f"{name} {port.value} binds a port of the node")
