from iacguard import problem, rule

from ._tiers import NETWORK_RULES, offers


@rule(
    code="IG702",
    name="registry-public-network-access",
    severity="medium",
    kinds=("registry",),
    tags=("azure", "container-registry", "network"),
    references={"checkov": ["CKV_AZURE_139"]},
)
def check(resource, options):
    """The container registry is open to the internet.

    ## What it checks
    Public network access (Terraform `public_network_access_enabled`, ARM and Bicep
    `properties.publicNetworkAccess`), enabled by default, must not be left open. On
    Premium registries network rules that deny by default (Terraform
    `network_rule_set.default_action`, ARM and Bicep
    `properties.networkRuleSet.defaultAction`, default `Allow`) close it; Basic and
    Standard registries have no network rules (IP network rules, virtual network
    rules and private endpoints are Premium features), so there public access is
    reported whatever rule set is declared. A rule set that denies by default on a
    registry whose tier cannot be resolved is not reported.

    ## Why it matters
    An open registry can be reached (and its credentials tried) from anywhere; images
    often contain internal code, configuration and sometimes secrets. A network rule
    set on a Basic or Standard registry looks like a restriction in review but
    restricts nothing.

    ## How to fix
    On Premium, turn public network access off and use a private endpoint, or deny
    by default and allow the ranges that need the registry. Basic and Standard
    registries have neither network rules nor private endpoints: move a registry
    that must not be reachable from the internet to Premium.

    ### Terraform
    Set `public_network_access_enabled = false`, or add
    `network_rule_set { default_action = "Deny" }` with `ip_rule` blocks for the
    allowed ranges.

    ### ARM
    Set `"publicNetworkAccess": "Disabled"` in `properties`, or
    `"networkRuleSet": { "defaultAction": "Deny", "ipRules": [...] }`.

    ### Bicep
    Set `publicNetworkAccess: 'Disabled'` in `properties`, or
    `networkRuleSet: { defaultAction: 'Deny', ipRules: [...] }`.

    ## Example
    ### Terraform
    Fails: a registry with neither setting, and `sku = "Basic"` with
    `network_rule_set { default_action = "Deny" }`. Passes: `sku = "Premium"` with
    `public_network_access_enabled = false` or with that rule set.

    ### ARM
    Fails: a registry with neither setting, and `"sku": { "name": "Basic" }` with
    `"networkRuleSet": { "defaultAction": "Deny" }`. Passes:
    `"sku": { "name": "Premium" }` with `"publicNetworkAccess": "Disabled"` or with
    that rule set.

    ### Bicep
    Fails: a registry with neither setting, and `sku: { name: 'Basic' }` with
    `networkRuleSet: { defaultAction: 'Deny' }`. Passes: `sku: { name: 'Premium' }`
    with `publicNetworkAccess: 'Disabled'` or with that rule set.
    """
    public = resource.attr("public_network_access")
    if public.value is not True:
        return
    name = resource.native_name("public_network_access")
    if public.is_set:
        opened = f"{name} leaves public network access enabled"
    else:
        opened = f"{name} is not set, so public network access is enabled (the default)"
    if offers(resource, NETWORK_RULES) is False:
        sku = resource.attr("sku")
        yield problem(public, f"{opened}, and {resource.native_name('sku')} is {sku.value}, a tier without network rules")
        return
    action = resource.attr("network_default_action")
    if isinstance(action.value, str) and action.value.lower() == "allow":
        rules = resource.native_name("network_default_action")
        allowed = f"{rules} is {action.value}" if action.is_set else f"{rules} is not set and defaults to Allow"
        yield problem(public, f"{opened}, and {allowed}")
