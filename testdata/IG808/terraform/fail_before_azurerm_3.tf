resource "azurerm_kubernetes_cluster" "legacy_secrets_provider_off" {
  name                = "legacy_secrets_provider_off"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "legacy_secrets_provider_off"

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
      enabled = false
    }
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "legacy_other_addons" {
  name                = "legacy_other_addons"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "legacy_other_addons"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  role_based_access_control {
    enabled = true
  }

  addon_profile {
    oms_agent {
      enabled                    = true
      log_analytics_workspace_id = "workspace-id"
    }
  }

  identity {
    type = "SystemAssigned"
  }
}
