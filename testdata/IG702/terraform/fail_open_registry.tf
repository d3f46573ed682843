resource "azurerm_container_registry" "open" {
  name                = "acmeopen"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Basic"
}

resource "azurerm_container_registry" "allow_rules" {
  name                = "acmeallow"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"

  network_rule_set {
    default_action = "Allow"
  }
}

resource "azurerm_container_registry" "allow_argument" {
  name                = "acmeallowlist"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"
  network_rule_set = [{
    default_action = "Allow"
  }]
}
