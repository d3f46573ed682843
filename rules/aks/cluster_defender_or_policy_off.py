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
    Microsoft Defender (Terraform a `microsoft_defender` block, ARM and Bicep
    `properties.securityProfile.defender.securityMonitoring.enabled`) or the Azure
    Policy add-on (Terraform `azure_policy_enabled`, before azurerm 3.0
    `addon_profile { azure_policy { enabled } }`; ARM and Bicep
    `properties.addonProfiles.azurepolicy.enabled`) must be enabled. Neither fails.

    ## Why it matters
    Without runtime threat detection or admission policies, nothing in the cluster
    stops or reports privileged pods, crypto-miners or known-exploit behaviour.

    ## How to fix
    Enable Defender for Containers and/or the Azure Policy add-on with a baseline or
    restricted initiative.

    ### Terraform
    Add `microsoft_defender { log_analytics_workspace_id = ... }` and/or set
    `azure_policy_enabled = true`.

    ### ARM
    Set `"securityProfile": { "defender": { "logAnalyticsWorkspaceResourceId": ...,
    "securityMonitoring": { "enabled": true } } }` and/or
    `"addonProfiles": { "azurepolicy": { "enabled": true } }` in `properties`.

    ### Bicep
    Set `securityProfile: { defender: { logAnalyticsWorkspaceResourceId: ...,
    securityMonitoring: { enabled: true } } }` and/or
    `addonProfiles: { azurepolicy: { enabled: true } }` in `properties`.

    ## Example
    ### Terraform
    Fails: neither. Passes: `azure_policy_enabled = true`.

    ### ARM
    Fails: neither. Passes: `"addonProfiles": { "azurepolicy": { "enabled": true } }`.

    ### Bicep
    Fails: neither. Passes: `addonProfiles: { azurepolicy: { enabled: true } }`.
    """
    defender, policy = resource.attr("defender_enabled"), resource.attr("azure_policy_enabled")
    if defender.unknown or policy.unknown:
        return
    if defender.value is not True and policy.value is not True:
        names = resource.native_name("defender_enabled"), resource.native_name("azure_policy_enabled")
        # At a switch written off, else where the cluster leaves both to their defaults.
        at = defender if defender.is_set and not policy.is_set else policy
        yield problem(at, "neither Microsoft Defender ({}) nor the Azure Policy add-on ({}) is enabled".format(*names))
