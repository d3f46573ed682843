from iacguard import problem, rule


@rule(
    code="IG206",
    name="cpu-limit-missing",
    severity="medium",
    kinds=("container",),
    formats=("kubernetes",),
    tags=("resources", "kubernetes"),
    references={"checkov": ["CKV_K8S_11"], "kube-linter": ["unset-cpu-requirements"], "trivy": ["KSV011"]},
)
def check(resource, options):
    """The container has no CPU limit.

    ## What it checks
    `resources.limits.cpu` on every container except ephemeral (debug) containers,
    which cannot declare resources.

    ## Why it matters
    Without a limit one busy or compromised container can take every core of the
    node, starving its neighbours; crypto-mining after a compromise is the classic case.

    ## How to fix
    Set `resources.limits.cpu` to what the workload needs at peak, or enforce defaults
    with a LimitRange in the namespace.

    ## Example
    Fails: `resources: {limits: {memory: 256Mi}}`. Passes: `resources: {limits: {cpu: 500m, memory: 256Mi}}`.
    """
    if not resource.attr("cpu_limit").is_set and resource.value("role") != "ephemeral":
        yield problem(resource.location, "resources.limits.cpu is not set")
