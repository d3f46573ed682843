from iacguard import rule, setting_problem


@rule(
    code="IG506",
    name="app-public-network-access",
    severity="medium",
    kinds=("web_app",),
    tags=("azure", "app-service", "network"),
    references={"checkov": ["CKV_AZURE_222"]},
)
def check(resource, options):
    """The app is reachable from the whole internet.

    ## What it checks
    Public network access (`public_network_access_enabled`, ARM
    `publicNetworkAccess`) enabled, which is the default, together with no access
    restrictions (no `ip_restriction` rules and a default action other than Deny).
    Restrictions from a `dynamic` block over an unknown value are not reported.

    ## Why it matters
    An app without restrictions takes requests from anyone: every vulnerability in it
    or its dependencies is one request away.

    ## How to fix
    Put the app behind a private endpoint and set
    `public_network_access_enabled = false`, or restrict inbound traffic with
    `ip_restriction` rules (for example to a front door or gateway).

    ## Example
    Fails: no `public_network_access_enabled` and no `ip_restriction`. Passes:
    `public_network_access_enabled = false`.
    """
    public = resource.attr("public_network_access")
    restricted = resource.attr("access_restricted")
    if public.value is True and restricted.value is False:
        yield setting_problem(public, "public network access is enabled with no access restrictions", "public network access is enabled (the default) with no access restrictions")
