from iacguard import rule, setting_problem


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
    `role_based_access_control_enabled` (before azurerm 3.0:
    `role_based_access_control { enabled }`, ARM `enableRBAC`) must not be false.
    Unset passes where RBAC is on by default: azurerm 3.0 and later, and AKS API
    versions from 2020-04-01. Unset fails where it is off by default: clusters written
    for azurerm before 3.0 (with `addon_profile`, `private_link_enabled` or
    `agent_pool_profile`), which were created with RBAC off unless the
    `role_based_access_control` block enabled it, and templates declaring an API
    version before 2020-04-01 (2017-08-31 has no RBAC at all).

    ## Why it matters
    Without RBAC every authenticated identity can do anything in the cluster;
    permissions cannot be scoped to namespaces or verbs at all.

    ## How to fix
    Set it to true, or remove it on a provider and API version where RBAC is the
    default. Changing it recreates the cluster, so plan a migration.

    ## Example
    Fails: `role_based_access_control_enabled = false`; `"apiVersion": "2019-08-01"`
    without `enableRBAC`. Passes: not set on azurerm 3.x; `"enableRBAC": true`.
    """
    rbac = resource.attr("rbac_enabled")
    if rbac.value is False:
        yield setting_problem(rbac, "Kubernetes RBAC is disabled", "Kubernetes RBAC is not enabled, and this provider or API version leaves it off by default")
