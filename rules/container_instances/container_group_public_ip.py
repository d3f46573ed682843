from iacguard import rule, setting_problem


@rule(
    code="IG601",
    name="container-group-public-ip",
    severity="high",
    kinds=("container_group",),
    tags=("azure", "container-instances", "network"),
    references={"checkov": ["CKV_AZURE_245"]},
)
def check(resource, options):
    """The container group has a public IP address.

    ## What it checks
    The IP address type (`ip_address_type`, ARM `ipAddress.type`) must be `Private`
    or `None`. `Public` fails, and so does an unset type in Terraform, where the
    provider default is `Public`.

    ## Why it matters
    A public container group exposes its ports directly to the internet, with no
    firewall, gateway or web application firewall in front.

    ## How to fix
    Deploy into a virtual network (`subnet_ids`) with `ip_address_type = "Private"`,
    and publish through an application gateway if it must be reachable.

    ## Example
    Fails: `ip_address_type = "Public"`. Passes: `ip_address_type = "Private"` with `subnet_ids`.
    """
    address = resource.attr("ip_address_type")
    if isinstance(address.value, str) and address.value.lower() == "public":
        yield setting_problem(address, "the container group has a public IP address", "the container group has a public IP address (the default)")
