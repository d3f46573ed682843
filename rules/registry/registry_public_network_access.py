from iacguard import rule, setting_problem


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
    `publicNetworkAccess`), enabled by default, together with network rules that do
    not deny by default (`network_rule_set.default_action`, default `Allow`).

    ## Why it matters
    An open registry can be reached (and its credentials tried) from anywhere; images
    often contain internal code, configuration and sometimes secrets.

    ## How to fix
    Use a private endpoint and set `public_network_access_enabled = false`, or (Premium)
    a `network_rule_set` with `default_action = "Deny"` and the allowed ranges.

    ## Example
    Fails: a registry with neither setting. Passes: `public_network_access_enabled = false`.
    """
    public, default_action = resource.attr("public_network_access"), resource.attr("network_default_action")
    if public.value is True and isinstance(default_action.value, str) and default_action.value.lower() == "allow":
        yield setting_problem(public, "public network access is enabled and network rules allow by default", "public network access is enabled (the default) and network rules allow by default")
