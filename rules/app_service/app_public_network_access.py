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
    Public network access (Terraform `public_network_access_enabled`, ARM and Bicep
    `properties.publicNetworkAccess`) enabled, which is the default, together with no
    access restrictions: no inbound rules (Terraform `site_config.ip_restriction`,
    ARM and Bicep `properties.siteConfig.ipSecurityRestrictions`) and a default
    action other than Deny. Restrictions that cannot be resolved (a `dynamic` block
    over an unknown value) are not reported.

    ## Why it matters
    An app without restrictions takes requests from anyone: every vulnerability in it
    or its dependencies is one request away.

    ## How to fix
    Put the app behind a private endpoint and turn public network access off, or
    restrict inbound traffic (for example to a front door or gateway).

    ### Terraform
    Set `public_network_access_enabled = false`, or add `ip_restriction` blocks to
    `site_config` (or set `ip_restriction_default_action = "Deny"` there).

    ### ARM
    Set `"publicNetworkAccess": "Disabled"` in `properties`, or add rules to
    `properties.siteConfig.ipSecurityRestrictions` (or set
    `"ipSecurityRestrictionsDefaultAction": "Deny"` there).

    ### Bicep
    Set `publicNetworkAccess: 'Disabled'` in `properties`, or add rules to
    `properties.siteConfig.ipSecurityRestrictions` (or set
    `ipSecurityRestrictionsDefaultAction: 'Deny'` there).

    ## Example
    ### Terraform
    Fails: no `public_network_access_enabled` and no `ip_restriction`. Passes:
    `public_network_access_enabled = false`.

    ### ARM
    Fails: no `publicNetworkAccess` and no `ipSecurityRestrictions`. Passes:
    `"properties": { "publicNetworkAccess": "Disabled" }`.

    ### Bicep
    Fails: no `publicNetworkAccess` and no `ipSecurityRestrictions`. Passes:
    `properties: { publicNetworkAccess: 'Disabled' }`.
    """
    public = resource.attr("public_network_access")
    restricted = resource.attr("access_restricted")
    if public.value is True and restricted.value is False:
        name, restrictions = resource.native_name("public_network_access"), resource.native_name("access_restricted")
        yield setting_problem(
            public,
            f"{name} leaves public network access enabled and {restrictions} holds no rule, so anyone can reach the app",
            f"{name} is not set, so public network access is enabled (the default), and {restrictions} holds no rule",
        )
