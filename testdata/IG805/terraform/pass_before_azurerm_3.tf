# azurerm 2.x add-on syntax.
resource "azurerm_kubernetes_cluster" "legacy_policy" {
  name                = "legacy_policy"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "legacy_policy"

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

variable "policy" {
  type = bool
}

# Decided at plan time: nothing to say.
resource "azurerm_kubernetes_cluster" "policy_from_variable" {
  name                = "policy_from_variable"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "policy_from_variable"

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
      enabled = var.policy
    }
  }

  identity {
    type = "SystemAssigned"
  }
}
