resource "azurerm_kubernetes_cluster" "current" {
  name                = "current"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "current"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
    node_public_ip_enabled = true
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

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
    enable_node_public_ip = true
  }

  identity {
    type = "SystemAssigned"
  }
}
