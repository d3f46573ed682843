resource "azurerm_kubernetes_cluster" "defaults" {
  name                = "defaults"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "defaults"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "explicit" {
  name                = "explicit"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "explicit"
  local_account_disabled = false

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
