resource "azurerm_container_registry" "shared" {
  name                = "acmeshared"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Standard"
  admin_enabled       = false
}
