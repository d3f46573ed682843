variable "name" {
  type = string
}

variable "purge_protection" {
  type = bool
}

resource "azurerm_key_vault" "this" {
  name                          = var.name
  location                      = "westeurope"
  resource_group_name           = "vaults"
  tenant_id                     = "tenant-id"
  sku_name                      = "standard"
  purge_protection_enabled      = var.purge_protection
  public_network_access_enabled = false
  rbac_authorization_enabled    = true
}
