resource "azurerm_key_vault" "default" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "platform"
  tenant_id           = "tenant-id"
  sku_name            = "standard"
}

resource "azurerm_key_vault" "older_provider" {
  name                      = "b"
  location                  = "westeurope"
  resource_group_name       = "platform"
  tenant_id                 = "tenant-id"
  sku_name                  = "standard"
  enable_rbac_authorization = false
}
