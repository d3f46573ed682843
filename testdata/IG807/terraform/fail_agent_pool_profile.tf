# azurerm 1.x declared node pools as agent_pool_profile blocks.
resource "azurerm_kubernetes_cluster" "first_provider" {
  name                = "first_provider"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "first_provider"

  agent_pool_profile {
    name    = "system"
    count   = 3
    vm_size = "Standard_D4s_v5"
  }

  agent_pool_profile {
    name                  = "games"
    count                 = 3
    vm_size               = "Standard_D4s_v5"
    enable_node_public_ip = true
  }

  role_based_access_control {
    enabled = true
  }

  service_principal {
    client_id     = "00000000-0000-0000-0000-000000000000"
    client_secret = "client-secret"
  }
}
