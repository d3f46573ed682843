# azurerm 2.x add-on syntax.
resource "azurerm_kubernetes_cluster" "legacy_monitoring" {
  name                = "legacy_monitoring"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "legacy_monitoring"

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
