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
    `purge_protection_enabled` (ARM `enablePurgeProtection`) must be true. Unset
    fails: it is off by default.

    ## Why it matters
    Without purge protection, anyone (or any script) with enough rights can delete a
    vault and purge it immediately, destroying encryption keys for good, a classic
    ransomware step.

    ## How to fix
    Set `purge_protection_enabled = true` (it cannot be turned off again).

    ## Example
    Fails: no `purge_protection_enabled`. Passes: `purge_protection_enabled = true`.
    """
    purge = resource.attr("purge_protection")
    if purge.value is False:
        yield setting_problem(purge, "purge protection is disabled", "purge protection is not enabled (the default)")
