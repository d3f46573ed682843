from iacguard import problem, rule


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
    `network_acls.default_action` (ARM `networkAcls.defaultAction`) set to `Allow`,
    or public network access enabled (the default) with no network ACLs at all.

    ## Why it matters
    Secrets are then one stolen token away from being read from anywhere; network
    rules make a leaked credential useless outside your networks.

    ## How to fix
    Add `network_acls { default_action = "Deny", bypass = "AzureServices" }` with
    the allowed ranges and subnets, or disable public network access and use a
    private endpoint.

    ## Example
    Fails: `network_acls { default_action = "Allow", bypass = "AzureServices" }`.
    Passes: `default_action = "Deny"`.
    """
    action, public = resource.attr("network_default_action"), resource.attr("public_network_access")
    if action.unknown or public.unknown:
        return
    if isinstance(action.value, str) and action.value.lower() == "allow":
        yield problem(action, "network ACLs allow every network by default")
    elif not action.is_set and public.value is True:
        yield problem(public, "public network access is enabled and no network ACLs restrict it")
