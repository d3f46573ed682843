resource "azurerm_kubernetes_cluster" "policy_only" {
  name                = "policy_only"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "policy_only"
  azure_policy_enabled = true

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
