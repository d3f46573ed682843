from iacguard import problem, rule


@rule(
    code="IG404",
    name="default-namespace-used",
    severity="low",
    kinds=("k8s_object",),
    tags=("kubernetes",),
    references={"checkov": ["CKV_K8S_21"], "trivy": ["KSV110"]},
)
def check(resource, options):
    """The object is placed in the `default` namespace.

    ## What it checks
    Any namespaced object (workloads, Services, ConfigMaps, Secrets,
    ServiceAccounts, Roles, RoleBindings, custom resources) whose
    `metadata.namespace` is `default`. Cluster-scoped kinds (Nodes, ClusterRoles,
    StorageClasses, kinds a CustomResourceDefinition in the same input declares with
    `scope: Cluster`…) are never reported. An object without a namespace is not
    reported, nor is `default` in output of `helm template` (recognised by its
    `# Source:` comments), which writes it for `.Release.Namespace` when no
    namespace is given. A chart that iacguard renders itself gives
    `.Release.Namespace` a name of its own, so there a `default` is one the
    template writes, and it is reported at the template's line.

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
    if namespace.is_set and namespace.value == "default" and not resource.value("cluster_scoped"):
        yield problem(namespace, f"the {resource.type.rsplit('/', 1)[-1]} is placed in the default namespace")
