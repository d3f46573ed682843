from iacguard import problem, rule


@rule(
    code="IG208",
    name="resource-requests-missing",
    severity="low",
    kinds=("container",),
    formats=("kubernetes",),
    tags=("resources", "kubernetes"),
    references={"checkov": ["CKV_K8S_10", "CKV_K8S_12"], "kube-linter": ["unset-cpu-requirements", "unset-memory-requirements"], "trivy": ["KSV015", "KSV016"]},
)
def check(resource, options):
    """The container requests no CPU or no memory.

    ## What it checks
    `resources.requests.cpu` and `resources.requests.memory`; a request that is not
    set but has a limit counts as set, because the platform then uses the limit.
    Ephemeral containers are not reported.

    ## Why it matters
    The scheduler places pods by their requests: without them, nodes are
    overcommitted, and the pod is the first to be evicted under pressure
    (BestEffort quality of service).

    ## How to fix
    Set `resources.requests.cpu` and `resources.requests.memory` to the usual load.

    ## Example
    Fails: `resources: {requests: {cpu: 100m}}`. Passes: `resources: {requests: {cpu: 100m, memory: 128Mi}}`.
    """
    if resource.value("role") == "ephemeral":
        return
    missing = [name for name in ("cpu", "memory") if not resource.attr(f"{name}_request").is_set]
    if missing:
        yield problem(resource.location, f"resources.requests.{' and '.join(missing)} not set")
