# Azure CNI Powered by Cilium enforces network policies itself: no network_policy is needed.
resource "azurerm_kubernetes_cluster" "overlay" {
  name                = "overlay"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "overlay"

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
  }

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

# azurerm 3.x spelled the data plane ebpf_data_plane.
resource "azurerm_kubernetes_cluster" "ebpf" {
  name                = "ebpf"
  location            = "westeurope"
  resource_group_name = "platform"
  dns_prefix          = "ebpf"

  network_profile {
    network_plugin  = "azure"
    ebpf_data_plane = "cilium"
    pod_subnet_id   = "pod-subnet-id"
  }

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}
