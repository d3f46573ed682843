resource "azurerm_key_vault" "private" {
  name                          = "c"
  location                      = "westeurope"
  resource_group_name           = "platform"
  tenant_id                     = "tenant-id"
  sku_name                      = "standard"
  public_network_access_enabled = false

  # Exported this way by the portal: without public access the rules are not used.
  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}
