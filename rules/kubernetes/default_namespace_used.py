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
    """The workload is placed in the `default` namespace.

    ## What it checks
    A workload whose `metadata.namespace` is `default`. A workload without a
    namespace is not reported, nor is `default` in output of `helm template`
    (recognised by its `# Source:` comments), which writes it for
    `.Release.Namespace` when no namespace is given.

    ## Why it matters
    Namespaces are where RBAC, network policies, quotas and Pod Security levels are
    applied. Workloads in `default` usually get none of them, and share the namespace
    with everything else deployed without thought.

    ## Why this default
    A manifest without a namespace lands in the namespace its deployment chooses:
    `kubectl apply -n`, a Kustomize `namespace:`, an Argo CD or Flux destination, a
    Helm release. Reporting every such file (most real manifests) said nothing about
    where the workload runs; writing `namespace: default` does.

    ## How to fix
    Create a namespace per application or team, and set `metadata.namespace` or let
    the deployment choose it.

    ## Example
    Fails: `metadata: {name: web, namespace: default}`. Passes:
    `metadata: {name: web, namespace: shop}`; `metadata: {name: web}`.
    """
    namespace = resource.attr("namespace")
    if namespace.is_set and namespace.value == "default":
        yield problem(namespace, "the workload is placed in the default namespace")
