from iacguard import problem, rule


@rule(
    code="IG404",
    name="default-namespace-used",
    severity="low",
    kinds=("pod",),
    tags=("kubernetes",),
    references={"checkov": ["CKV_K8S_21"], "trivy": ["KSV110"]},
)
def check(resource, options):
    """The workload lives in the `default` namespace.

    ## What it checks
    A workload whose `metadata.namespace` is missing or `default`. Output of
    `helm template` (recognised by its `# Source:` comments) is not reported for a
    missing namespace or for `default`: Helm chooses the namespace at install, and
    `helm template` writes `default` for `.Release.Namespace` when none is given, so
    the value says nothing about where the chart will run.

    ## Why it matters
    Namespaces are where RBAC, network policies, quotas and Pod Security levels are
    applied. Workloads in `default` usually get none of them, and share the namespace
    with everything else deployed without thought.

    ## How to fix
    Create a namespace per application or team and set `metadata.namespace`.

    ## Example
    Fails: `metadata: {name: web}`. Passes: `metadata: {name: web, namespace: shop}`.
    """
    namespace = resource.attr("namespace")
    if namespace.unknown:
        return
    if not namespace.is_set:
        yield problem(namespace, "no namespace is set, so the workload lands in default")
    elif namespace.value == "default":
        yield problem(namespace, "the workload is placed in the default namespace")
