from iacguard import rule

from ._quantities import missing_quantity


@rule(
    code="IG215",
    name="memory-request-missing",
    severity="low",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    tags=("resources", "kubernetes"),
    references={"checkov": ["CKV_K8S_12"], "kube-linter": ["unset-memory-requirements"], "trivy": ["KSV016"]},
    aliases=("IG208", "resource-requests-missing"),
)
def check(resource, options):
    """The container requests no memory.

    ## What it checks
    `resources.requests.memory` on every container except ephemeral (debug)
    containers. A request that is not set but has a limit counts as set, because
    Kubernetes then uses the limit as the request; a zero one (`0`, or taken from a
    zero limit) reserves nothing and counts as none. This check was part of IG208
    (`resource-requests-missing`); both still select, ignore and suppress it.

    A pod's `spec.resources` memory request (or limit), or the default request of a
    LimitRange in the same input, stands for a container that sets neither, as
    IG208 explains for CPU.

    ### Docker Compose
    `deploy.resources.reservations.memory`, or the older `mem_reservation`.
    Docker reserves nothing by default, and a limit is no reservation.

    ## Why it matters
    The scheduler places pods by their requests: without a memory request nodes are
    overcommitted, and when memory runs short the kubelet evicts first the pods that
    use more than they requested, which without a request is any use at all
    (Kubernetes, "Node-pressure Eviction").

    ## How to fix
    Set `resources.requests.memory` to the usual working set, or give the namespace
    defaults with a LimitRange.

    ## Example
    Fails: `resources: {requests: {cpu: 100m}}`. Passes: `resources: {requests: {cpu: 100m, memory: 128Mi}}`.
    """
    yield from missing_quantity(resource, "memory_request", "resources.requests.memory", "which reserves nothing")
