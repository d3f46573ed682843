resource "azurerm_kubernetes_cluster" "public_link" {
  name                 = "public_link"
  location             = "westeurope"
  resource_group_name  = "platform"
  dns_prefix           = "public_link"
  private_link_enabled = false

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
