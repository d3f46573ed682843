resource "azurerm_container_registry" "unsigned" {
  name                = "acmeunsigned"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry" "v3_block" {
  name                = "acmev3"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"

  trust_policy {
    enabled = false
  }
}
