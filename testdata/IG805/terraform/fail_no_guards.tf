resource "azurerm_kubernetes_cluster" "unguarded" {
  name                = "unguarded"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "unguarded"
  azure_policy_enabled = false

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
