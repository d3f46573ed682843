# azurerm 2.x spelled a private cluster `private_link_enabled`.
resource "azurerm_kubernetes_cluster" "private_link" {
  name                 = "private_link"
  location             = "westeurope"
  resource_group_name  = "platform"
  dns_prefix           = "private_link"
  private_link_enabled = true

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  role_based_access_control {
    enabled = true
  }

  identity {
    type = "SystemAssigned"
  }
}
