resource "azurerm_kubernetes_cluster" "unmonitored" {
  name                = "unmonitored"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "unmonitored"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
