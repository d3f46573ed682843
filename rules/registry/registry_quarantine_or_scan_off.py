from iacguard import rule, setting_problem

from ._tiers import QUARANTINE, offers


@rule(
    code="IG705",
    name="registry-quarantine-or-scan-off",
    severity="low",
    kinds=("registry",),
    tags=("azure", "container-registry", "supply-chain"),
    references={"checkov": ["CKV_AZURE_166"]},
)
def check(resource, options):
    """Images can be pulled before they have been scanned.

    ## What it checks
    On Premium registries, the quarantine policy (Terraform
    `quarantine_policy_enabled`, ARM and Bicep
    `properties.policies.quarantinePolicy.status`) must be enabled. Unset fails: the
    policy is off by default. The policy is a preview feature; the azurerm provider
    accepts it on Premium only, so Basic and Standard registries, and those whose
    tier cannot be resolved, are not reported.

    ## Why it matters
    With quarantine, a newly pushed image stays unavailable until a scanner marks it
    clean; without it, a vulnerable or malicious image can be deployed the moment it
    is pushed.

    ## How to fix
    Enable the quarantine policy and connect a scanner (Microsoft Defender for
    Containers or another) that releases images.

    ### Terraform
    Set `quarantine_policy_enabled = true`.

    ### ARM
    Set `"policies": { "quarantinePolicy": { "status": "enabled" } }` in
    `properties`.

    ### Bicep
    Set `policies: { quarantinePolicy: { status: 'enabled' } }` in `properties`.

    ## Example
    ### Terraform
    Fails: `sku = "Premium"` without `quarantine_policy_enabled`. Passes:
    `quarantine_policy_enabled = true`.

    ### ARM
    Fails: `"sku": { "name": "Premium" }` with
    `"quarantinePolicy": { "status": "disabled" }`, or without it. Passes:
    `"quarantinePolicy": { "status": "enabled" }`.

    ### Bicep
    Fails: `sku: { name: 'Premium' }` with `quarantinePolicy: { status: 'disabled' }`,
    or without it. Passes: `quarantinePolicy: { status: 'enabled' }`.
    """
    quarantine = resource.attr("quarantine")
    if quarantine.value is False and offers(resource, QUARANTINE):
        name = resource.native_name("quarantine")
        yield setting_problem(quarantine, f"{name} leaves the quarantine policy off on this Premium registry", f"{name} is not set, so the quarantine policy is off (the default) on this Premium registry")
