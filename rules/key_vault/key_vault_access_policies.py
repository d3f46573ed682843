from iacguard import rule, setting_problem


@rule(
    code="IG903",
    name="key-vault-access-policies",
    severity="low",
    kinds=("key_vault",),
    tags=("azure", "key-vault", "identity"),
)
def check(resource, options):
    """The key vault uses access policies instead of Azure RBAC.

    ## What it checks
    RBAC authorization (Terraform `rbac_authorization_enabled`, before azurerm 4.42
    `enable_rbac_authorization`; ARM and Bicep `properties.enableRbacAuthorization`)
    must be true. Unset fails where access policies are the default: in Terraform
    (azurerm sends false when it is not set) and in templates declaring a Key Vault
    API version before 2026-02-01. From 2026-02-01 the API creates a vault with Azure
    RBAC unless told otherwise, so there unset passes.

    ## Why it matters
    Access policies are vault-wide (no per-secret scope), managed outside Azure RBAC
    and Privileged Identity Management, and anyone who can change the vault can grant
    themselves access.

    ## How to fix
    Switch the vault to Azure RBAC and assign Key Vault data-plane roles.

    ### Terraform
    Set `rbac_authorization_enabled = true` (`enable_rbac_authorization = true` with
    azurerm before 4.42).

    ### ARM
    Set `"enableRbacAuthorization": true` in the vault's `properties`.

    ### Bicep
    Set `enableRbacAuthorization: true` in the vault's `properties`.

    ## Example
    ### Terraform
    Fails: no `rbac_authorization_enabled`. Passes: `rbac_authorization_enabled = true`.

    ### ARM
    Fails: no `enableRbacAuthorization` with `"apiVersion": "2023-07-01"`. Passes:
    `"properties": { "enableRbacAuthorization": true }`, or no
    `enableRbacAuthorization` with `"apiVersion": "2026-02-01"`.

    ### Bicep
    Fails: no `enableRbacAuthorization` in `vaults@2023-07-01`. Passes:
    `properties: { enableRbacAuthorization: true }`, or no `enableRbacAuthorization`
    in `vaults@2026-02-01`.
    """
    rbac = resource.attr("rbac_authorization")
    if rbac.value is False:
        name = resource.native_name("rbac_authorization")
        yield setting_problem(rbac, f"{name} is false, so the vault uses access policies instead of Azure RBAC", f"{name} is not set and defaults to false, so the vault uses access policies instead of Azure RBAC")
