# Written for azurerm 2.x, with RBAC switched on by the block of that time.
resource "azurerm_kubernetes_cluster" "rbac_block" {
  name                = "rbac_block"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "rbac_block"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  role_based_access_control {
    enabled = true

    azure_active_directory {
      managed = true
    }
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

variable "rbac" {
  type = bool
}

# Decided at plan time: nothing to say.
resource "azurerm_kubernetes_cluster" "rbac_from_variable" {
  name                = "rbac_from_variable"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "rbac_from_variable"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  role_based_access_control {
    enabled = var.rbac
  }

  identity {
    type = "SystemAssigned"
  }
}
