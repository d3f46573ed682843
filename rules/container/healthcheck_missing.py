from iacguard import problem, rule


@rule(
    code="IG212",
    name="healthcheck-missing",
    severity="low",
    kinds=("image_build",),
    runtime_only=True,
    tags=("runtime", "dockerfile"),
    references={"checkov": ["CKV_DOCKER_2"], "trivy": ["DS026"]},
)
def check(resource, options):
    """The container has no health check.

    ## What it checks
    The final stage of a Dockerfile (including what it inherits from the stages it is
    built on) must declare a `HEALTHCHECK`; `HEALTHCHECK NONE` disables an inherited
    one and is reported too.

    ## Why it matters
    Without a health check the runtime only knows whether the process exists, not
    whether it works: a deadlocked or half-started service keeps receiving traffic
    and is never restarted.

    ## How to fix
    Add a cheap check of the service itself, for example
    `HEALTHCHECK --interval=30s CMD ["/app/healthcheck"]`. On Kubernetes, define
    liveness and readiness probes as well: the kubelet ignores `HEALTHCHECK`.

    ## Example
    Fails: a final stage without `HEALTHCHECK`. Passes: one with
    `HEALTHCHECK CMD curl -fsS http://localhost:8080/healthz || exit 1`.
    """
    healthcheck = resource.attr("healthcheck")
    if not healthcheck.is_set:
        yield problem(healthcheck, "the final stage declares no HEALTHCHECK")
    elif healthcheck.value == "none":
        yield problem(healthcheck, "HEALTHCHECK NONE disables the health check")
