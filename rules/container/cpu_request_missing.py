from iacguard import rule

from ._quantities import missing_quantity


@rule(
    code="IG208",
    name="cpu-request-missing",
    severity="low",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    tags=("resources", "kubernetes"),
    references={"checkov": ["CKV_K8S_10"], "kube-linter": ["unset-cpu-requirements"], "trivy": ["KSV015"]},
    aliases=("resource-requests-missing",),
)
def check(resource, options):
    """The container requests no CPU.

    ## What it checks
    `resources.requests.cpu` on every container except ephemeral (debug) containers,
    which cannot declare resources. A request that is not set but has a limit counts
    as set, because Kubernetes then uses the limit as the request; a zero one (`0`,
    or taken from a zero limit) reserves nothing and counts as none. This rule was
    named `resource-requests-missing` and also reported the memory request, which is
    now IG215; the old name still answers for both, and so does IG208 for IG215.

    A container that sets neither is given its pod's request when the pod spec sets
    one (`spec.resources.requests`, or its limit, which the pod's request defaults
    to; pod-level resources are on by default since Kubernetes 1.34, as IG207 says),
    else the default request of a LimitRange of its namespace declared in the same
    input (its `type: Container` item's `defaultRequest`, else its `default`, else
    `max`, else `min`, as the API server fills them), which the LimitRanger
    admission plugin gives it. Where only one of the pod and the LimitRange writes a
    namespace, kubectl's context decides the other, and nothing is reported.

    ### Docker Compose
    `deploy.resources.reservations.cpus`. Docker reserves nothing by default,
    and a limit is no reservation.

    ## Why it matters
    The scheduler places pods by their requests: without a CPU request a node can be
    given more work than it has cores, and the container only gets CPU time that
    others leave over.

    ## How to fix
    Set `resources.requests.cpu` to the usual load, or give the namespace defaults
    with a LimitRange.

    ## Example
    Fails: `resources: {requests: {memory: 128Mi}}`. Passes: `resources: {requests: {cpu: 100m, memory: 128Mi}}`.
    """
    yield from missing_quantity(resource, "cpu_request", "resources.requests.cpu", "which reserves nothing")
