from iacguard import rule, setting_problem


@rule(
    code="IG901",
    name="key-vault-purge-protection-off",
    severity="medium",
    kinds=("key_vault",),
    tags=("azure", "key-vault"),
    references={"checkov": ["CKV_AZURE_110"]},
)
def check(resource, options):
    """Deleted keys and secrets can be purged at once.

    ## What it checks
    Purge protection (Terraform `purge_protection_enabled`, ARM and Bicep
    `properties.enablePurgeProtection`) must be true. Unset fails: it is off by
    default.

    ## Why it matters
    Without purge protection, anyone (or any script) with enough rights can delete a
    vault and purge it immediately, destroying encryption keys for good, a classic
    ransomware step.

    ## How to fix
    Turn purge protection on (it cannot be turned off again).

    ### Terraform
    Set `purge_protection_enabled = true`.

    ### ARM
    Set `"enablePurgeProtection": true` in the vault's `properties`.

    ### Bicep
    Set `enablePurgeProtection: true` in the vault's `properties`.

    ## Example
    ### Terraform
    Fails: no `purge_protection_enabled`, or `purge_protection_enabled = false`.
    Passes: `purge_protection_enabled = true`.

    ### ARM
    Fails: no `enablePurgeProtection`. Passes:
    `"properties": { "enablePurgeProtection": true }`.

    ### Bicep
    Fails: no `enablePurgeProtection`. Passes:
    `properties: { enablePurgeProtection: true }`.
    """
    purge = resource.attr("purge_protection")
    if purge.value is False:
        name = resource.native_name("purge_protection")
        yield setting_problem(purge, f"{name} is false, so deleted keys and secrets can be purged at once", f"{name} is not set and defaults to false, so deleted keys and secrets can be purged at once")
