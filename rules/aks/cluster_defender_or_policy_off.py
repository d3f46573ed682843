from iacguard import problem, rule


@rule(
    code="IG805",
    name="cluster-defender-or-policy-off",
    severity="medium",
    kinds=("k8s_cluster",),
    tags=("azure", "aks"),
    references={"checkov": ["CKV_AZURE_116"]},
)
def check(resource, options):
    """Neither Microsoft Defender nor the Azure Policy add-on guards the cluster.

    ## What it checks
    A `microsoft_defender` block (ARM `securityProfile.defender`) or
    `azure_policy_enabled = true` (before azurerm 3.0:
    `addon_profile { azure_policy { enabled = true } }`; ARM
    `addonProfiles.azurepolicy`). Neither fails.

    ## Why it matters
    Without runtime threat detection or admission policies, nothing in the cluster
    stops or reports privileged pods, crypto-miners or known-exploit behaviour.

    ## How to fix
    Enable Defender for Containers (`microsoft_defender { log_analytics_workspace_id = ... }`)
    and/or `azure_policy_enabled = true` with a baseline or restricted initiative.

    ## Example
    Fails: neither. Passes: `azure_policy_enabled = true`.
    """
    defender, policy = resource.attr("defender_enabled"), resource.attr("azure_policy_enabled")
    if defender.unknown or policy.unknown:
        return
    if defender.value is not True and policy.value is not True:
        yield problem(resource.location, "neither Microsoft Defender nor the Azure Policy add-on is enabled")
