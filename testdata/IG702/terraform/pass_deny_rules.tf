resource "azurerm_container_registry" "deny_rules" {
  name                = "acmedeny"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"

  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}
