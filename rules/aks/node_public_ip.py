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
    `node_public_ip_enabled` (v3: `enable_node_public_ip`, ARM
    `agentPoolProfiles[].enableNodePublicIP`) on the node pools must not be true,
    on the cluster's own pools (azurerm 1.x: its `agent_pool_profile` blocks) and on
    pools declared on their own (`azurerm_kubernetes_cluster_node_pool`,
    `managedClusters/agentPools`).

    ## Why it matters
    A public IP on each node exposes the kubelet, node ports and SSH to the internet
    and bypasses the cluster's load balancer and egress controls.

    ## How to fix
    Remove the setting; reach nodes through a bastion and expose services through
    load balancers or ingress.

    ## Example
    Fails: `default_node_pool { node_public_ip_enabled = true }`. Passes: not set.
    """
    pools = resource.value("node_public_ips") if resource.kind == "k8s_cluster" else [resource.attr("node_public_ip")]
    for pool in pools:
        if pool.value is True:
            yield problem(pool, "node pool nodes get public IP addresses")
