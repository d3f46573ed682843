from iacguard import problem, rule


@rule(
    code="IG212",
    name="healthcheck-missing",
    severity="low",
    kinds=("image_build", "container"),
    formats=("dockerfile", "kubernetes"),
    runtime_only=True,
    tags=("runtime", "dockerfile", "kubernetes"),
    references={
        "checkov": ["CKV_DOCKER_2", "CKV_K8S_8", "CKV_K8S_9"],
        "kube-linter": ["no-liveness-probe", "no-readiness-probe"],
        "trivy": ["DS026"],
    },
)
def check(resource, options):
    """The container has no health check.

    ## What it checks
    The final stage of a Dockerfile (including what it inherits from the stages it is
    built on) must declare a `HEALTHCHECK`; `HEALTHCHECK NONE` disables an inherited
    one and is reported too. A Kubernetes container of a long-running workload must
    define a liveness or a readiness probe; containers of Jobs and CronJobs, init and
    ephemeral containers are not reported.

    ## Why it matters
    Without a health check the runtime only knows whether the process exists, not
    whether it works: a deadlocked or half-started service keeps receiving traffic
    and is never restarted.

    ## How to fix
    Add a cheap check of the service itself, for example
    `HEALTHCHECK --interval=30s CMD ["/app/healthcheck"]`. On Kubernetes, define
    liveness and readiness probes as well: the kubelet ignores `HEALTHCHECK`.

    ## Example
    Fails: a final stage without `HEALTHCHECK`; a Deployment's container without
    probes. Passes: `HEALTHCHECK CMD curl -fsS http://localhost:8080/healthz || exit 1`;
    a container with `readinessProbe: {httpGet: {path: /healthz, port: 8080}}`.
    """
    if resource.kind == "container":
        probed = resource.attr("liveness_probe").is_set or resource.attr("readiness_probe").is_set
        if resource.value("long_running") and not probed:
            yield problem(resource.location, "the container has neither a liveness nor a readiness probe")
        return
    healthcheck = resource.attr("healthcheck")
    if not healthcheck.is_set:
        yield problem(healthcheck, "the final stage declares no HEALTHCHECK")
    elif healthcheck.value == "none":
        yield problem(healthcheck, "HEALTHCHECK NONE disables the health check")
