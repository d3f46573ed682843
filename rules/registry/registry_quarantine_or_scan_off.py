from iacguard import problem, rule

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
    On Premium registries, the quarantine policy (`quarantine_policy_enabled`, ARM
    `policies.quarantinePolicy.status`) must be enabled. The policy is a preview
    feature; the azurerm provider accepts it on Premium only, so Basic and Standard
    registries, and those whose tier cannot be resolved, are not reported.

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
    quarantine = resource.attr("quarantine")
    if quarantine.value is False and offers(resource, QUARANTINE):
        yield problem(quarantine, "the quarantine policy is not enabled on this Premium registry")
