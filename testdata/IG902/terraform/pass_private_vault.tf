resource "azurerm_key_vault" "private" {
  name                          = "c"
  location                      = "westeurope"
  resource_group_name           = "platform"
  tenant_id                     = "tenant-id"
  sku_name                      = "standard"
  public_network_access_enabled = false
}
