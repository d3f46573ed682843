resource "azurerm_container_registry" "no_quarantine" {
  name                      = "acmenoq"
  resource_group_name       = "platform"
  location                  = "westeurope"
  sku                       = "Premium"
  quarantine_policy_enabled = false
}
