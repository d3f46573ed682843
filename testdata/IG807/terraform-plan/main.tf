# The configuration the plans of this folder were made from: a node pool declared
# on its own, whose public IPs are an input without default.
variable "public_nodes" {
  type = bool
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                   = "user"
  kubernetes_cluster_id  = "cluster-id"
  vm_size                = "Standard_D4s_v5"
  node_count             = 2
  node_public_ip_enabled = var.public_nodes
}
