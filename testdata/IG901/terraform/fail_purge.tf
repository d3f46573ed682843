resource "azurerm_key_vault" "default" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "platform"
  tenant_id           = "tenant-id"
  sku_name            = "standard"
}

resource "azurerm_key_vault" "explicit" {
  name                     = "b"
  location                 = "westeurope"
  resource_group_name      = "platform"
  tenant_id                = "tenant-id"
  sku_name                 = "standard"
  purge_protection_enabled = false
}
