resource "azurerm_kubernetes_cluster" "legacy_monitoring_off" {
  name                = "legacy_monitoring_off"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "legacy_monitoring_off"

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
    azure_policy {
      enabled = true
    }
  }

  identity {
    type = "SystemAssigned"
  }
}
