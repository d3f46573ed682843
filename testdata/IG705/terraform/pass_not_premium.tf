resource "azurerm_container_registry" "standard" {
  name                      = "acmestandard"
  resource_group_name       = "platform"
  location                  = "westeurope"
  sku                       = "Standard"
  quarantine_policy_enabled = false
}
