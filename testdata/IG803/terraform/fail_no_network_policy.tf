resource "azurerm_kubernetes_cluster" "plugin_only" {
  name                = "plugin_only"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "plugin_only"

  network_profile {
    network_plugin = "kubenet"
  }

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
