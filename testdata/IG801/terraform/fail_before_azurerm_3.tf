# Written for azurerm 2.x: without a role_based_access_control block, those
# providers created the cluster with RBAC off.
resource "azurerm_kubernetes_cluster" "addons_only" {
  name                = "addons_only"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "addons_only"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
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

resource "azurerm_kubernetes_cluster" "private_link" {
  name                 = "private_link"
  location             = "westeurope"
  resource_group_name  = "platform"
  dns_prefix           = "private_link"
  private_link_enabled = true

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
