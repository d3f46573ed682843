resource "azurerm_key_vault" "hardened" {
  name                       = "acme-prod"
  location                   = "westeurope"
  resource_group_name        = "platform"
  tenant_id                  = "tenant-id"
  sku_name                   = "standard"
  purge_protection_enabled   = true
  rbac_authorization_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
