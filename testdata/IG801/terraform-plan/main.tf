# The configuration the plans of this folder were made from: the cluster's settings
# are inputs without defaults.
variable "rbac" {
  type = bool
}

variable "public_nodes" {
  type = bool
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                              = "aks"
  location                          = "westeurope"
  resource_group_name               = "aks"
  dns_prefix                        = "aks"
  role_based_access_control_enabled = var.rbac

  default_node_pool {
    name                   = "system"
    vm_size                = "Standard_D2s_v5"
    node_count             = 3
    node_public_ip_enabled = var.public_nodes
  }

  identity {
    type = "SystemAssigned"
  }
}
