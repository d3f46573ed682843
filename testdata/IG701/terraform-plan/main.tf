# The configuration the plans of this folder were made from: whether the admin user
# is on is decided per environment in a var file the plan was made with.
variable "environment" {
  type = string
}

locals {
  admin_user = { dev = true, prod = false }
}

resource "azurerm_container_registry" "acr" {
  name                = "acr${var.environment}"
  location            = "westeurope"
  resource_group_name = "registry"
  sku                 = "Premium"
  admin_enabled       = local.admin_user[var.environment]
}
