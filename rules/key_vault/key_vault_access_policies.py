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
    `rbac_authorization_enabled` (v3: `enable_rbac_authorization`, ARM
    `enableRbacAuthorization`) must be true. Unset fails: access policies are the default.

    ## Why it matters
    Access policies are vault-wide (no per-secret scope), managed outside Azure RBAC
    and Privileged Identity Management, and anyone who can change the vault can grant
    themselves access.

    ## How to fix
    Set `rbac_authorization_enabled = true` and assign Key Vault data-plane roles.

    ## Example
    Fails: no `rbac_authorization_enabled`. Passes: `rbac_authorization_enabled = true`.
    """
    rbac = resource.attr("rbac_authorization")
    if rbac.value is False:
        yield setting_problem(rbac, "the vault uses access policies instead of Azure RBAC", "the vault uses access policies (the default) instead of Azure RBAC")
