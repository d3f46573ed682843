module "orders" {
  source     = "./modules/site"
  name       = "orders"
  https_only = false
}

module "billing" {
  source = "./modules/site"
  name   = "billing"
}

resource "azurerm_container_registry" "acr" {
  name                = "acrexample"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Standard"
  admin_enabled       = true
}
