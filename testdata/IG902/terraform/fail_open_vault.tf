resource "azurerm_key_vault" "no_acls" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "platform"
  tenant_id           = "tenant-id"
  sku_name            = "standard"
}

resource "azurerm_key_vault" "allow_all" {
  name                = "b"
  location            = "westeurope"
  resource_group_name = "platform"
  tenant_id           = "tenant-id"
  sku_name            = "standard"

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}
