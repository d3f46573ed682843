from iacguard import problem, rule


@rule(
    code="IG801",
    name="cluster-rbac-disabled",
    severity="high",
    kinds=("k8s_cluster",),
    tags=("azure", "aks", "identity"),
    references={"checkov": ["CKV_AZURE_5"], "cis": ["AKS 4.1"]},
)
def check(resource, options):
    """Kubernetes RBAC is disabled on the cluster.

    ## What it checks
    `role_based_access_control_enabled` (v2: `role_based_access_control { enabled }`,
    ARM `enableRBAC`) must not be false. Unset passes: RBAC is on by default.

    ## Why it matters
    Without RBAC every authenticated identity can do anything in the cluster;
    permissions cannot be scoped to namespaces or verbs at all.

    ## How to fix
    Remove the setting (or set it to true). Changing it recreates the cluster, so plan
    a migration.

    ## Example
    Fails: `role_based_access_control_enabled = false`. Passes: not set.
    """
    rbac = resource.attr("rbac_enabled")
    if rbac.value is False:
        yield problem(rbac, "Kubernetes RBAC is disabled")
