from iacguard import problem, rule


@rule(
    code="IG807",
    name="node-public-ip",
    severity="medium",
    kinds=("k8s_cluster", "k8s_node_pool"),
    tags=("azure", "aks", "network"),
    references={"checkov": ["CKV_AZURE_143"]},
)
def check(resource, options):
    """Cluster nodes get public IP addresses.

    ## What it checks
    Public node IPs must not be enabled on any node pool: the cluster's own pools
    and pools declared on their own. Terraform: `node_public_ip_enabled` (before
    azurerm 4.0 `enable_node_public_ip`) in `default_node_pool` (azurerm 1.x: each
    `agent_pool_profile`) and in `azurerm_kubernetes_cluster_node_pool`. ARM and
    Bicep: `enableNodePublicIP` in each item of `properties.agentPoolProfiles` and
    in the `properties` of `managedClusters/agentPools`.

    ## Why it matters
    A public IP on each node exposes the kubelet, node ports and SSH to the internet
    and bypasses the cluster's load balancer and egress controls.

    ## How to fix
    Remove the setting; reach nodes through a bastion and expose services through
    load balancers or ingress.

    ### Terraform
    Remove `node_public_ip_enabled` (or `enable_node_public_ip`), or set it to
    `false`.

    ### ARM
    Remove `enableNodePublicIP` from the pool, or set `"enableNodePublicIP": false`.

    ### Bicep
    Remove `enableNodePublicIP` from the pool, or set `enableNodePublicIP: false`.

    ## Example
    ### Terraform
    Fails: `default_node_pool { node_public_ip_enabled = true }`. Passes: not set.

    ### ARM
    Fails: `"agentPoolProfiles": [ { "name": "system", "enableNodePublicIP": true } ]`.
    Passes: not set.

    ### Bicep
    Fails: `agentPoolProfiles: [ { name: 'system', enableNodePublicIP: true } ]`.
    Passes: not set.
    """
    pools = resource.value("node_public_ips") if resource.kind == "k8s_cluster" else [resource.attr("node_public_ip")]
    for pool in pools:
        if pool.value is True:
            yield problem(pool, f"{pool.native} is true, so the pool's nodes get public IP addresses")
