from iacguard import rule, setting_problem


@rule(
    code="IG802",
    name="cluster-local-accounts",
    severity="medium",
    kinds=("k8s_cluster",),
    tags=("azure", "aks", "identity"),
    references={"checkov": ["CKV_AZURE_141"]},
)
def check(resource, options):
    """Local cluster accounts can bypass Entra ID.

    ## What it checks
    Local accounts must be disabled (Terraform `local_account_disabled`, ARM and
    Bicep `properties.disableLocalAccounts` set to true), which requires Entra ID
    (Azure AD) integration. Unset fails: local accounts are enabled by default. So
    does `disableLocalAccounts` in a template declaring an API version before
    2021-05-01, the first that reads it: older versions ignore it.

    ## Why it matters
    The local admin credentials (`az aks get-credentials --admin`) bypass Entra ID:
    no conditional access, no per-person audit trail, and they stay valid until the
    cluster certificates rotate.

    ## How to fix
    Integrate the cluster with Entra ID and disable local accounts.

    ### Terraform
    Add `azure_active_directory_role_based_access_control` and set
    `local_account_disabled = true`.

    ### ARM
    Set `"aadProfile": { "managed": true, "enableAzureRBAC": true }` and
    `"disableLocalAccounts": true` in `properties`, with an API version from
    2021-05-01.

    ### Bicep
    Set `aadProfile: { managed: true, enableAzureRBAC: true }` and
    `disableLocalAccounts: true` in `properties`, with an API version from
    2021-05-01.

    ## Example
    ### Terraform
    Fails: no `local_account_disabled`. Passes: `local_account_disabled = true`.

    ### ARM
    Fails: no `disableLocalAccounts`, or `"disableLocalAccounts": true` with
    `"apiVersion": "2021-03-01"`. Passes: `"disableLocalAccounts": true` with
    `"apiVersion": "2023-07-01"`.

    ### Bicep
    Fails: no `disableLocalAccounts`, or `disableLocalAccounts: true` in
    `managedClusters@2021-03-01`. Passes: `disableLocalAccounts: true` in
    `managedClusters@2023-07-01`.
    """
    local = resource.attr("local_accounts_enabled")
    if local.value is True:
        name = resource.native_name("local_accounts_enabled")
        consequence = "so local accounts remain usable, bypassing Entra ID"
        yield setting_problem(local, f"{name} is false, {consequence}", f"{name} is left to its default, false, {consequence}")
