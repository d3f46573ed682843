resource "azurerm_kubernetes_cluster" "open" {
  name                = "open"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "open"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "empty_ranges" {
  name                = "empty_ranges"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "empty_ranges"

  api_server_access_profile {
    authorized_ip_ranges = []
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
