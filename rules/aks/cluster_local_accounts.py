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
    `local_account_disabled` (ARM `disableLocalAccounts`) must be true, which requires
    Entra ID (Azure AD) integration. Unset fails: local accounts are enabled by default.
    So does `disableLocalAccounts` in a template declaring an API version before
    2021-05-01, the first that reads it: older versions ignore it.

    ## Why it matters
    The local admin credentials (`az aks get-credentials --admin`) bypass Entra ID:
    no conditional access, no per-person audit trail, and they stay valid until the
    cluster certificates rotate.

    ## How to fix
    Configure `azure_active_directory_role_based_access_control` and set
    `local_account_disabled = true`.

    ## Example
    Fails: no `local_account_disabled`. Passes: `local_account_disabled = true`.
    """
    local = resource.attr("local_accounts_enabled")
    if local.value is True:
        yield setting_problem(local, "local accounts are enabled, bypassing Entra ID", "local accounts are enabled (the default), bypassing Entra ID")
