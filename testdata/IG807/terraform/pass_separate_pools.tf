resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                  = "batch"
  kubernetes_cluster_id = var.cluster_id
  vm_size               = "Standard_D8s_v5"
  node_count            = 2
}

resource "azurerm_kubernetes_cluster_node_pool" "explicit" {
  name                   = "explicit"
  kubernetes_cluster_id  = var.cluster_id
  vm_size                = "Standard_D8s_v5"
  node_public_ip_enabled = false
}

variable "cluster_id" {
  type = string
}
