resource "azurerm_kubernetes_cluster" "hardened" {
  name                              = "prod"
  location                          = "westeurope"
  resource_group_name               = "platform"
  dns_prefix                        = "prod"
  role_based_access_control_enabled = true
  local_account_disabled            = true
  azure_policy_enabled              = true

  api_server_access_profile {
    authorized_ip_ranges = ["203.0.113.0/24"]
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "cilium"
  }

  microsoft_defender {
    log_analytics_workspace_id = "workspace-id"
  }

  oms_agent {
    log_analytics_workspace_id = "workspace-id"
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }
}
