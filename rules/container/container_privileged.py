from iacguard import problem, rule


@rule(
    code="IG202",
    name="container-privileged",
    severity="critical",
    kinds=("container",),
    tags=("runtime", "kubernetes"),
    references={"checkov": ["CKV_K8S_16"], "kube-linter": ["privileged-container"], "trivy": ["KSV017"]},
)
def check(resource, options):
    """The container runs privileged.

    ## What it checks
    A container set to run privileged: Kubernetes `securityContext.privileged: true`
    (init and ephemeral containers included), or a Windows HostProcess container
    (`windowsOptions.hostProcess: true`, the container's or the pod's), which runs on
    the node with its access; Azure Container Instances
    `security { privilege_enabled = true }` in Terraform.

    ### Docker Compose
    `privileged: true` on a service (also when a variable or an anchor sets it).

    ## Why it matters
    A privileged container has every capability and sees every host device: it is
    root on the node in all but name, and escaping to the host is a matter of
    mounting its disk.

    ## How to fix
    Remove `privileged: true` and grant only the specific capabilities the workload
    needs (`capabilities.add`), or move node-level work to a dedicated, reviewed
    DaemonSet.

    ## Example
    Fails: `securityContext: {privileged: true}`. Passes: `securityContext: {privileged: false}`
    or no `privileged` key.
    """
    privileged = resource.attr("privileged")
    if privileged.value is True:
        yield problem(privileged, "the container runs privileged, with full control of its host")
