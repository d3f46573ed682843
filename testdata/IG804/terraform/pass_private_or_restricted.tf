resource "azurerm_kubernetes_cluster" "private" {
  name                = "private"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "private"
  private_cluster_enabled = true

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "older_ranges" {
  name                = "older_ranges"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "older_ranges"
  api_server_authorized_ip_ranges = ["198.51.100.0/24"]

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
