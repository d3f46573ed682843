from iacguard import rule, setting_problem


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
    The container group must have a subnet (Terraform `subnet_ids`, legacy
    `network_profile_id`; ARM and Bicep `properties.subnetIds`, or the
    `properties.networkProfile.id` that API versions before `subnetIds` take).
    Subnets or a network profile given by an unknown value are not reported.

    ## Why it matters
    Outside a virtual network the group cannot be reached privately or governed by
    network security groups, and it reaches other resources only over public endpoints.

    ## How to fix
    Deploy the group into a subnet delegated to `Microsoft.ContainerInstance/containerGroups`,
    with a private IP address.

    ### Terraform
    Set `subnet_ids` to the delegated subnet and `ip_address_type = "Private"`.

    ### ARM
    Set `"subnetIds": [{ "id": "<subnet id>" }]` in `properties`, and
    `"type": "Private"` in `properties.ipAddress`.

    ### Bicep
    Set `subnetIds: [{ id: subnet.id }]` in `properties`, and `type: 'Private'` in
    `properties.ipAddress`.

    ## Example
    ### Terraform
    Fails: no `subnet_ids`. Passes: `subnet_ids = [azurerm_subnet.aci.id]`.

    ### ARM
    Fails: no `subnetIds`. Passes:
    `"subnetIds": [{ "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'aci')]" }]`.

    ### Bicep
    Fails: no `subnetIds`. Passes: `subnetIds: [{ id: aciSubnet.id }]`.
    """
    subnets = resource.attr("subnet_ids")
    if subnets.unknown or subnets.value:
        return
    name = resource.native_name("subnet_ids")
    yield setting_problem(subnets, f"{name} is empty, so the container group is not deployed into a virtual network", f"{name} is not set, so the container group is not deployed into a virtual network")
