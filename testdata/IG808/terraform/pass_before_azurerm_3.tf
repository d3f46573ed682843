# azurerm 2.x add-on syntax.
resource "azurerm_kubernetes_cluster" "legacy_secrets_provider" {
  name                = "legacy_secrets_provider"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "legacy_secrets_provider"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  role_based_access_control {
    enabled = true
  }

  addon_profile {
    azure_keyvault_secrets_provider {
      enabled                 = true
      secret_rotation_enabled = true
    }
  }

  identity {
    type = "SystemAssigned"
  }
}
