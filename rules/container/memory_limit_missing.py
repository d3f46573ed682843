from iacguard import rule

from ._quantities import missing_quantity


@rule(
    code="IG207",
    name="memory-limit-missing",
    severity="medium",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    tags=("resources", "kubernetes"),
    references={"checkov": ["CKV_K8S_13"], "kube-linter": ["unset-memory-requirements"], "trivy": ["KSV018"]},
)
def check(resource, options):
    """The container has no memory limit.

    ## What it checks
    `resources.limits.memory` on every container except ephemeral (debug) containers.
    A zero one (`0`, `0Mi`) counts as none: the kubelet sets no limit for it.

    A container that sets none is bounded by its pod's limit when the pod spec sets
    one (`spec.resources.limits`: pod-level resources, which the containers share;
    on by default since Kubernetes 1.34, while an older API server without the
    `PodLevelResources` feature gate drops the field), else gets the default of a
    LimitRange of its namespace declared in the same input (its `type: Container`
    item's `default`, else its `max`, as the API server fills them), which the
    LimitRanger admission plugin gives it. Where only one of the pod and the
    LimitRange writes a namespace, kubectl's context decides the other, and nothing
    is reported.

    ### Docker Compose
    `deploy.resources.limits.memory`, or the older `mem_limit`.

    ## Why it matters
    A container without a memory limit can grow until the node runs out of memory,
    and the kernel then kills processes of other workloads too.

    ## Why this default
    On, unlike the CPU limit (IG206): CPU time is shared by weight and given back,
    memory a container holds is not, so a container without a memory limit can push
    the whole node into memory pressure
    (<https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/#if-you-do-not-specify-a-memory-limit>).

    ## How to fix
    Set `resources.limits.memory` (and usually the same value as the request), or
    the pod's `spec.resources.limits.memory`, or enforce defaults with a LimitRange.

    ## Example
    Fails: no `resources`. Passes: `resources: {limits: {memory: 256Mi}}`.
    """
    yield from missing_quantity(resource, "memory_limit", "resources.limits.memory", "which sets no limit")
