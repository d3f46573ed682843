resource "azurerm_container_registry" "basic" {
  name                   = "acmebasic"
  resource_group_name    = "platform"
  location               = "westeurope"
  sku                    = "Basic"
  anonymous_pull_enabled = true
}
