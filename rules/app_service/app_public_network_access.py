from iacguard import problem, rule


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
    `properties.publicNetworkAccess`) enabled, which is the default, while requests
    that no access restriction matches are let in. What such a request gets is the
    default action (Terraform `site_config.ip_restriction_default_action`, ARM and
    Bicep `properties.siteConfig.ipSecurityRestrictionsDefaultAction`):
    - The azurerm resources of today (`azurerm_linux_web_app` and the other
      `*_web_app`, `*_function_app` resources) send the default action, `Allow`
      unless set (azurerm 3.95 and later), so the app is restricted only with
      `ip_restriction_default_action = "Deny"`: `ip_restriction` rules alone let
      everyone else in.
    - The legacy azurerm resources (`azurerm_app_service`, `azurerm_function_app`
      and their slots) have no default action; ARM and Bicep templates may leave it
      unset. Azure then refuses what no rule matches once there is a rule, so any
      inbound rule (Terraform `site_config.ip_restriction`, ARM and Bicep
      `properties.siteConfig.ipSecurityRestrictions`) restricts the app, unless an
      ARM or Bicep default action says `Allow`. These resources cannot turn public
      network access off at all: the message names the resource types that replace
      them.
    Whatever the default action, a rule that covers every address decides for all
    the requests no rule before it (in priority order) matches: an `Allow` rule for
    `Any` (the platform's spelling of every address), `0.0.0.0/0` or `::/0`, alone or
    among the ranges of a rule with several, lets everyone in and fails, at that
    rule; such a `Deny` rule refuses everyone else. A rule narrowed by HTTP header
    filters, or on a service tag or subnet, covers some clients only.
    A default action or restrictions that cannot be resolved (a variable, a
    `dynamic` block over an unknown value, a rule's address, action or order) are
    not reported; nor is an ARM or Bicep rule for every address without `action`,
    whose default the API does not document (azurerm's is `Allow`).

    ## Why it matters
    An app without restrictions takes requests from anyone: every vulnerability in it
    or its dependencies is one request away.

    ## How to fix
    Put the app behind a private endpoint and turn public network access off, or
    restrict inbound traffic (for example to a front door or gateway) and refuse
    the rest.

    ### Terraform
    Set `public_network_access_enabled = false`, or set
    `ip_restriction_default_action = "Deny"` in `site_config` with `ip_restriction`
    blocks for the clients to let in (legacy resources: the `ip_restriction` blocks,
    or move to the resource types that replace them), and no rule for every address.

    ### ARM
    Set `"publicNetworkAccess": "Disabled"` in `properties`, or add rules to
    `properties.siteConfig.ipSecurityRestrictions` and set
    `"ipSecurityRestrictionsDefaultAction": "Deny"` there (or leave it unset).

    ### Bicep
    Set `publicNetworkAccess: 'Disabled'` in `properties`, or add rules to
    `properties.siteConfig.ipSecurityRestrictions` and set
    `ipSecurityRestrictionsDefaultAction: 'Deny'` there (or leave it unset).

    ## Example
    ### Terraform
    Fails: no `public_network_access_enabled`, and `ip_restriction` blocks without
    `ip_restriction_default_action = "Deny"`, or with it and a rule for
    `ip_address = "0.0.0.0/0"`. Passes:
    `public_network_access_enabled = false`, or `ip_restriction_default_action =
    "Deny"`.

    ### ARM
    Fails: no `publicNetworkAccess` and no `ipSecurityRestrictions`, rules with
    `"ipSecurityRestrictionsDefaultAction": "Allow"`, or a rule
    `{ "ipAddress": "Any", "action": "Allow" }`. Passes:
    `"properties": { "publicNetworkAccess": "Disabled" }`.

    ### Bicep
    Fails: no `publicNetworkAccess` and no `ipSecurityRestrictions`, rules with
    `ipSecurityRestrictionsDefaultAction: 'Allow'`, or a rule
    `{ ipAddress: 'Any', action: 'Allow' }`. Passes:
    `properties: { publicNetworkAccess: 'Disabled' }`.
    """
    public = resource.attr("public_network_access")
    restricted = resource.attr("access_restricted")
    if public.value is not True or restricted.value is not False:
        return
    name, restrictions = resource.native_name("public_network_access"), resource.native_name("access_restricted")
    opened, action = resource.attr("access_open_rule"), resource.attr("access_default_action")
    at = public
    if opened.is_set:  # a rule lets every address in, whatever the default action says
        why = f"{opened.native} is {opened.value}, a rule that lets every address in; remove it, or narrow it to the clients to let in"
        at = opened
    elif isinstance(action.value, str) and action.value.lower() == "allow":  # what lets the others in, rules or none
        action_name = resource.native_name("access_default_action")
        default = "" if action.is_set else " (the default)"
        why = (f"{action_name} is {action.value}{default}: requests that no {restrictions} rule matches reach the app; "
               f"set {action_name} to Deny, with rules for the clients to let in, or turn public network access off")
    elif not public.native:
        why = f"{restrictions} holds no rule; add rules for the clients to let in"
    else:
        why = f"{restrictions} holds no rule" + (", so anyone can reach the app" if public.is_set else "")
    if not public.native:  # a resource type that has no such setting: Azure's default applies
        yield problem(at, f"{resource.type} has no setting for public network access, so it is enabled (the default), and {why}, "
                          f"or move to {resource.attr('successor').value}, which can turn it off")
    elif public.is_set:
        yield problem(at, f"{name} leaves public network access enabled and {why}")
    else:
        yield problem(at, f"{name} is not set, so public network access is enabled (the default), and {why}")
