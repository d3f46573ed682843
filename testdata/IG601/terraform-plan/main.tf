# The configuration the plans of this folder were made from: the exposure is an
# input without default, and `module.edge` comes from a registry, so its resources
# are not on disk.
variable "exposure" {
  type = string
}

resource "azurerm_container_group" "jobs" {
  count               = 2
  name                = "jobs-${count.index}"
  location            = "westeurope"
  resource_group_name = "jobs"
  os_type             = "Linux"
  ip_address_type     = var.exposure
  container {
    name   = "worker"
    image  = "myacr.azurecr.io/worker:1.4.2"
    cpu    = "0.5"
    memory = "1.0"
  }
}

module "edge" {
  source  = "Azure/avm-res-containerinstance-containergroup/azurerm"
  version = "0.1.0"
}
