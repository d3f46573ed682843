from iacguard import rule, set_to, setting_problem, unsafe_fix


@rule(
    code="IG601",
    name="container-group-public-ip",
    severity="high",
    kinds=("container_group",),
    tags=("azure", "container-instances", "network"),
    references={"checkov": ["CKV_AZURE_245"]},
    fix=unsafe_fix("terraform", "arm", "bicep"),
)
def check(resource, options):
    """The container group has a public IP address.

    ## What it checks
    The IP address type (Terraform `ip_address_type`, ARM and Bicep
    `properties.ipAddress.type`) must be `Private` or `None`. `Public` fails, and so
    does an unset type in Terraform, where the provider default is `Public` (in ARM
    and Bicep a group without `ipAddress` has no IP address).

    ## Why it matters
    A public container group exposes its ports directly to the internet, with no
    firewall, gateway or web application firewall in front.

    ## How to fix
    Deploy into a virtual network with a private IP address, and publish through an
    application gateway if it must be reachable.

    `iacguard fix --unsafe-fixes` sets the type to `Private` only where the intent is
    clear: the group names its subnets already, and a group in a virtual network cannot
    have a public address anyway. Without subnets, the network has to be designed first,
    so there is no fix.

    ### Terraform
    Set `ip_address_type = "Private"` with `subnet_ids`.

    ### ARM
    Set `"type": "Private"` in `properties.ipAddress`, with `properties.subnetIds`.

    ### Bicep
    Set `type: 'Private'` in `properties.ipAddress`, with `properties.subnetIds`.

    ## Example
    ### Terraform
    Fails: `ip_address_type = "Public"`, or no `ip_address_type`. Passes:
    `ip_address_type = "Private"` with `subnet_ids`.

    ### ARM
    Fails: `"ipAddress": { "type": "Public", "ports": [...] }`. Passes:
    `"ipAddress": { "type": "Private", "ports": [...] }` with `subnetIds`.

    ### Bicep
    Fails: `ipAddress: { type: 'Public', ports: [...] }`. Passes:
    `ipAddress: { type: 'Private', ports: [...] }` with `subnetIds`.
    """
    address = resource.attr("ip_address_type")
    if isinstance(address.value, str) and address.value.lower() == "public":
        name = resource.native_name("ip_address_type")
        subnets = resource.attr("subnet_ids").value
        in_network = isinstance(subnets, list) and len(subnets) > 0
        fix = set_to("ip_address_type", "Private", f"Set {name} to Private (the group names its subnets)") if in_network else None
        yield setting_problem(address, f"{name} is {address.value}, so the container group has a public IP address", f"{name} is not set and defaults to Public, so the container group has a public IP address", fix=fix)
