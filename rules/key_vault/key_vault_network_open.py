from iacguard import problem, rule, setting_problem


@rule(
    code="IG902",
    name="key-vault-network-open",
    severity="medium",
    kinds=("key_vault",),
    tags=("azure", "key-vault", "network"),
    references={"checkov": ["CKV_AZURE_109"]},
)
def check(resource, options):
    """The key vault accepts connections from any network.

    ## What it checks
    The network ACLs' default action (Terraform `network_acls.default_action`, ARM
    and Bicep `properties.networkAcls.defaultAction`) set to `Allow`, or public
    network access (Terraform `public_network_access_enabled`, ARM and Bicep
    `properties.publicNetworkAccess`) enabled, the default, with no default action.
    A vault with public network access disabled passes whatever its default action
    says: only private endpoints (and trusted services) reach it, and the firewall's
    rules are not used.

    ## Why it matters
    Secrets are then one stolen token away from being read from anywhere; network
    rules make a leaked credential useless outside your networks.

    ## How to fix
    Deny by default and allow the ranges and subnets that need the vault, or turn
    public network access off and use a private endpoint.

    ### Terraform
    Add `network_acls { default_action = "Deny", bypass = "AzureServices" }` with
    `ip_rules` and `virtual_network_subnet_ids`, or set
    `public_network_access_enabled = false`.

    ### ARM
    Set `"networkAcls": { "defaultAction": "Deny", "bypass": "AzureServices" }` in
    `properties` with `ipRules` and `virtualNetworkRules`, or set
    `"publicNetworkAccess": "Disabled"`.

    ### Bicep
    Set `networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' }` in
    `properties` with `ipRules` and `virtualNetworkRules`, or set
    `publicNetworkAccess: 'Disabled'`.

    ## Example
    ### Terraform
    Fails: `network_acls { default_action = "Allow", bypass = "AzureServices" }`, or
    no `network_acls`. Passes: `default_action = "Deny"`.

    ### ARM
    Fails: `"networkAcls": { "defaultAction": "Allow" }`, or no `networkAcls`.
    Passes: `"defaultAction": "Deny"`.

    ### Bicep
    Fails: `networkAcls: { defaultAction: 'Allow' }`, or no `networkAcls`. Passes:
    `defaultAction: 'Deny'`.
    """
    action, public = resource.attr("network_default_action"), resource.attr("public_network_access")
    if action.unknown or public.unknown or public.value is False:  # no public access: the firewall's rules are not used
        return
    action_name = resource.native_name("network_default_action")
    if isinstance(action.value, str) and action.value.lower() == "allow":
        yield problem(action, f"{action_name} is {action.value}, so every network can reach the vault")
    elif not action.is_set and public.value is True:
        name = resource.native_name("public_network_access")
        yield setting_problem(
            public,
            f"{name} leaves public network access enabled and {action_name} is not set, so every network can reach the vault",
            f"{name} is not set, so public network access is enabled (the default), and {action_name} is not set",
        )
