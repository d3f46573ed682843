from iacguard import rule, setting_problem

from ._tiers import NETWORK_RULES, offers, tier


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
    Public network access (`public_network_access_enabled`, ARM
    `publicNetworkAccess`), enabled by default, must not be left open. On Premium
    registries network rules that deny by default (`network_rule_set.default_action`,
    ARM `networkRuleSet.defaultAction`, default `Allow`) close it; Basic and Standard
    registries have no network rules (IP network rules, virtual network rules and
    private endpoints are Premium features), so there public access is reported
    whatever rule set is declared. A rule set that denies by default on a registry
    whose tier cannot be resolved is not reported.

    ## Why it matters
    An open registry can be reached (and its credentials tried) from anywhere; images
    often contain internal code, configuration and sometimes secrets. A network rule
    set on a Basic or Standard registry looks like a restriction in review but
    restricts nothing.

    ## How to fix
    On Premium, use a private endpoint and set `public_network_access_enabled =
    false`, or a `network_rule_set` with `default_action = "Deny"` and the allowed
    ranges. Basic and Standard registries have neither network rules nor private
    endpoints: move a registry that must not be reachable from the internet to
    Premium.

    ## Example
    Fails: a registry with neither setting, and a Basic registry with
    `network_rule_set { default_action = "Deny" }`. Passes: a Premium registry with
    `public_network_access_enabled = false` or with that rule set.
    """
    public = resource.attr("public_network_access")
    if public.value is not True:
        return
    if offers(resource, NETWORK_RULES) is False:
        ignored = f"the {tier(resource)} SKU ignores network rules"
        yield setting_problem(public, f"public network access is enabled and {ignored}", f"public network access is enabled (the default) and {ignored}")
        return
    default_action = resource.value("network_default_action")
    if isinstance(default_action, str) and default_action.lower() == "allow":
        yield setting_problem(public, "public network access is enabled and network rules allow by default", "public network access is enabled (the default) and network rules allow by default")
