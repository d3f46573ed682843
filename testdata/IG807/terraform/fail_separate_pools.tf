resource "azurerm_kubernetes_cluster" "platform" {
  name                = "platform"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "platform"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                   = "batch"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.platform.id
  vm_size                = "Standard_D8s_v5"
  node_count             = 2
  node_public_ip_enabled = true
}

resource "azurerm_kubernetes_cluster_node_pool" "older_provider" {
  name                  = "legacy"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.platform.id
  vm_size               = "Standard_D8s_v5"
  enable_node_public_ip = true
}
