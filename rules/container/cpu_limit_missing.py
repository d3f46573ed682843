from iacguard import rule

from ._quantities import missing_quantity


@rule(
    code="IG206",
    name="cpu-limit-missing",
    severity="medium",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    tags=("resources", "kubernetes"),
    enabled=False,
    references={"checkov": ["CKV_K8S_11"], "kube-linter": ["unset-cpu-requirements"], "trivy": ["KSV011"]},
)
def check(resource, options):
    """The container has no CPU limit.

    ## What it checks
    `resources.limits.cpu` on every container except ephemeral (debug) containers,
    which cannot declare resources. A zero one (`0`, `0m`) counts as none: the
    kubelet sets no quota for it.

    A pod's `spec.resources.limits.cpu`, or the default of a LimitRange in the same
    input, stands for a container that sets none, as IG207 explains for memory.

    ### Docker Compose
    `deploy.resources.limits.cpus`, or the older `cpus`.

    ## Why it matters
    Without a limit a busy or compromised container can use every core of the node
    that no one else is using; crypto-mining after a compromise is the classic case.

    ## Why this default
    Off by default. CPU is shared by weight: under contention each container gets
    CPU time in proportion to its request, so neighbours that request CPU keep their
    share, and a limit only caps the idle time a container could borrow
    (<https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run>).
    A limit also throttles the container when it bursts, which many teams avoid on
    purpose, and a namespace LimitRange can set it where the manifest does not. Turn
    it on with `select: [all, IG206]` where every workload must be capped.

    ## How to fix
    Set `resources.limits.cpu` to what the workload needs at peak (or the pod's
    `spec.resources.limits.cpu`), or enforce defaults with a LimitRange in the
    namespace.

    ## Example
    Fails: `resources: {limits: {memory: 256Mi}}`. Passes: `resources: {limits: {cpu: 500m, memory: 256Mi}}`.
    """
    yield from missing_quantity(resource, "cpu_limit", "resources.limits.cpu", "which sets no limit")
