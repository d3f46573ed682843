from iacguard import problem, rule


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
    On Premium registries (the only tier that offers it), the quarantine policy
    (`quarantine_policy_enabled`, ARM `policies.quarantinePolicy.status`) must be
    enabled. Other tiers and an unknown tier are not reported.

    ## Why it matters
    With quarantine, a newly pushed image stays unavailable until a scanner marks it
    clean; without it, a vulnerable or malicious image can be deployed the moment it
    is pushed.

    ## How to fix
    Set `quarantine_policy_enabled = true` and connect a scanner (Microsoft Defender for
    Containers or another) that releases images.

    ## Example
    Fails: a Premium registry without the policy. Passes: `quarantine_policy_enabled = true`.
    """
    if resource.value("sku") != "Premium":
        return
    quarantine = resource.attr("quarantine")
    if quarantine.value is False:
        yield problem(quarantine, "the quarantine policy is not enabled on this Premium registry")
