from iacguard import problem, rule


@rule(
    code="IG602",
    name="container-group-outside-vnet",
    severity="medium",
    kinds=("container_group",),
    tags=("azure", "container-instances", "network"),
    references={"checkov": ["CKV_AZURE_98"]},
)
def check(resource, options):
    """The container group is not deployed into a virtual network.

    ## What it checks
    The container group must have a subnet (`subnet_ids`, legacy `network_profile_id`,
    ARM `subnetIds`). Subnets given by an unknown value are not reported.

    ## Why it matters
    Outside a virtual network the group cannot be reached privately or governed by
    network security groups, and it reaches other resources only over public endpoints.

    ## How to fix
    Set `subnet_ids` to a delegated subnet and `ip_address_type = "Private"`.

    ## Example
    Fails: no `subnet_ids`. Passes: `subnet_ids = [azurerm_subnet.aci.id]`.
    """
    subnets = resource.attr("subnet_ids")
    if subnets.unknown:
        return
    if not subnets.value:
        yield problem(subnets, "the container group is not deployed into a virtual network")
