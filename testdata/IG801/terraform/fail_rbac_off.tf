resource "azurerm_kubernetes_cluster" "current" {
  name                = "current"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "current"
  role_based_access_control_enabled = false

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "older_provider" {
  name                = "older_provider"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "older_provider"

  role_based_access_control {
    enabled = false
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
