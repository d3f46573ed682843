from iacguard import problem, rule

RUNTIME_SOCKETS = ("docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "podman.sock")


@rule(
    code="IG402",
    name="host-path-mounted",
    severity="high",
    kinds=("pod",),
    tags=("runtime", "kubernetes"),
    references={"checkov": ["CKV_K8S_27"], "kube-linter": ["host-mounts", "docker-sock"], "trivy": ["KSV023", "KSV006"]},
)
def check(resource, options):
    """The pod mounts a directory or file of the node.

    ## What it checks
    Every `hostPath` volume. A container runtime socket (`docker.sock`,
    `containerd.sock`, `crio.sock`, ...) is reported as critical.

    ### Docker Compose
    A service's bind mounts (`SOURCE:TARGET` with a path as source, or
    `type: bind`) that reach outside the project folder: an absolute path, `~`,
    or a relative path leading out of it. The project's own folder (`./src:/app`)
    is not reported. The Docker socket is reported as critical: whoever controls
    the container controls Docker on the host.

    ## Why it matters
    A hostPath volume reaches past the container into the node's filesystem: node
    credentials, other pods' data, and with a runtime socket the power to start
    privileged containers, that is, root on the node.

    ## How to fix
    Use `emptyDir`, a PersistentVolumeClaim, a ConfigMap or a Secret instead. Node
    agents that truly need host files should mount them read-only and run in a
    dedicated, restricted namespace.

    ## Example
    Fails: `volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]`.
    Passes: `volumes: [{name: cache, emptyDir: {}}]`.
    """
    name = resource.native_name("host_path_volumes", "hostPath")
    for path in resource.value("host_path_volumes"):
        text = path.value if isinstance(path.value, str) else ""
        if text.rstrip("/").endswith(RUNTIME_SOCKETS):
            yield problem(path, f"{name} {text} exposes the container runtime socket", severity="critical")
        elif not path.unknown:
            yield problem(path, f"{name} {text or '(no path)'} mounts the node's filesystem")
