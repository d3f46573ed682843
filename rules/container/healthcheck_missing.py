from iacguard import Option, problem, rule


@rule(
    code="IG212",
    name="healthcheck-missing",
    severity="low",
    kinds=("image_build", "container"),
    formats=("dockerfile", "kubernetes", "compose"),
    runtime_only=True,
    tags=("runtime", "dockerfile", "kubernetes"),
    references={
        "checkov": ["CKV_DOCKER_2", "CKV_K8S_9"],
        "kube-linter": ["no-readiness-probe"],
        "trivy": ["DS026"],
    },
    options=(
        Option(
            "dockerfile_healthcheck",
            bool,
            False,
            "also require a HEALTHCHECK in the final stage of Dockerfiles, for images that "
            "Docker, Compose or Swarm run (Kubernetes, ECS and other orchestrators ignore it)",
        ),
    ),
)
def check(resource, options):
    """A container that receives traffic has no health check.

    ## What it checks
    A Kubernetes container of a long-running workload that declares a
    `containerPort` must define a `readinessProbe`, native sidecars (init containers
    with `restartPolicy: Always`) included. Containers without ports, those of Jobs
    and CronJobs, other init containers and ephemeral containers are not reported,
    and a liveness probe is never required.

    Once `dockerfile_healthcheck` is set, the final stage of a Dockerfile (including
    what it inherits from the stages it is built on) must declare a `HEALTHCHECK`;
    `HEALTHCHECK NONE` disables an inherited one and is reported too.

    ### Docker Compose
    A service that publishes or exposes ports (`ports`, on any address, loopback
    included; `expose`) and disables its health check
    (`healthcheck: {disable: true}` or `test: ["NONE"]`). A
    service without `healthcheck:` runs its image's `HEALTHCHECK`, which the
    compose file does not show, so it is not reported.

    ## Why it matters
    Without a readiness probe a pod counts as ready as soon as its containers start:
    Services send it requests before the application listens, and a rolling update
    stops the old pods while the new ones cannot serve yet. Docker, Compose and Swarm
    act on `HEALTHCHECK` in the same way (Compose's `service_healthy`, Swarm's
    rolling updates).

    ## Why this default
    Only containers that declare a port are reported: readiness decides whether a
    pod gets traffic, so it matters where traffic arrives. A liveness probe is not
    required: the kubelet restarts a container whose process exits, and a liveness
    probe helps only a process that can hang without exiting, which a manifest does
    not tell
    (<https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#when-should-you-use-a-liveness-probe>).
    `HEALTHCHECK` is opt-in because most images run under an orchestrator that
    ignores it: the kubelet turns Docker's health check off and uses its own probes
    (<https://github.com/kubernetes/kubernetes/pull/50796>), and Amazon ECS runs only
    the health check of its task definition
    (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html>).
    On Kubernetes this rule checks the workloads themselves.

    ## How to fix
    Add a cheap check of the service itself:
    `readinessProbe: {httpGet: {path: /healthz, port: 8080}}`. For an image that
    Docker runs, `HEALTHCHECK --interval=30s CMD ["/app/healthcheck"]`.

    ## Example
    Fails: a Deployment's container with `ports: [{containerPort: 8080}]` and no
    `readinessProbe`; with `dockerfile_healthcheck: true`, a final stage without
    `HEALTHCHECK`. Passes: the same container with
    `readinessProbe: {httpGet: {path: /healthz, port: 8080}}`; a worker container
    without ports.
    """
    if resource.kind == "container":
        serving = resource.value("long_running") and resource.value("container_ports")
        probe = resource.attr("readiness_probe")
        if serving and probe.value is None:  # absent, or turned off (Compose `disable: true`); an Unknown one may be anything
            yield problem(resource.location, f"the container declares ports but no {resource.native_name('readiness_probe', 'readiness probe')}")
        return
    if not options.dockerfile_healthcheck:
        return
    healthcheck = resource.attr("healthcheck")
    if not healthcheck.is_set:
        yield problem(healthcheck, "the final stage declares no HEALTHCHECK")
    elif healthcheck.value == "none":
        yield problem(healthcheck, "HEALTHCHECK NONE disables the health check")
