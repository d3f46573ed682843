resource "azurerm_container_registry" "basic_deny" {
  name                = "acmebasic"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Basic"

  network_rule_set {
    default_action = "Deny"
  }
}

resource "azurerm_container_registry" "standard_deny" {
  name                          = "acmestandard"
  resource_group_name           = "platform"
  location                      = "westeurope"
  sku                           = "Standard"
  public_network_access_enabled = true

  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}
