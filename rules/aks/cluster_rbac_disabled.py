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
    Kubernetes RBAC (Terraform `role_based_access_control_enabled`, before azurerm
    3.0 `role_based_access_control { enabled }`; ARM and Bicep
    `properties.enableRBAC`) must not be false. Unset passes where RBAC is on by
    default: azurerm 3.0 and later, and AKS API versions from 2020-04-01. Unset fails
    where it is off by default: clusters written for azurerm before 3.0 (with
    `addon_profile`, `private_link_enabled` or `agent_pool_profile`), which were
    created with RBAC off unless the `role_based_access_control` block enabled it,
    and templates declaring an API version before 2020-04-01 (2017-08-31 has no
    RBAC at all, so `enableRBAC` there is not read).

    ## Why it matters
    Without RBAC every authenticated identity can do anything in the cluster;
    permissions cannot be scoped to namespaces or verbs at all.

    ## How to fix
    Enable RBAC, or leave it to the default on a provider and API version where RBAC
    is on. Changing it recreates the cluster, so plan a migration.

    ### Terraform
    Set `role_based_access_control_enabled = true` or remove it (azurerm 3.0 and
    later); before 3.0, add `role_based_access_control { enabled = true }`.

    ### ARM
    Set `"enableRBAC": true` in `properties`, and declare an API version from
    2020-04-01, where it is also the default.

    ### Bicep
    Set `enableRBAC: true` in `properties`, and declare an API version from
    2020-04-01 (`Microsoft.ContainerService/managedClusters@2020-04-01` or later),
    where it is also the default.

    ## Example
    ### Terraform
    Fails: `role_based_access_control_enabled = false`; a cluster with
    `addon_profile` and no `role_based_access_control` block. Passes: no
    `role_based_access_control_enabled` on azurerm 3.x.

    ### ARM
    Fails: `"enableRBAC": false`; `"apiVersion": "2019-08-01"` without
    `enableRBAC`. Passes: `"enableRBAC": true`; `"apiVersion": "2023-07-01"` without
    `enableRBAC`.

    ### Bicep
    Fails: `enableRBAC: false`; `managedClusters@2019-08-01` without `enableRBAC`.
    Passes: `enableRBAC: true`; `managedClusters@2023-07-01` without `enableRBAC`.
    """
    rbac = resource.attr("rbac_enabled")
    if rbac.value is False:
        name = resource.native_name("rbac_enabled")
        yield setting_problem(rbac, f"{name} is false, so Kubernetes RBAC is disabled", f"{name} is left to its default, which is false under this provider or API version, so Kubernetes RBAC is disabled")
