variable "sku" {
  type = string
}

resource "azurerm_container_registry" "chosen_tier" {
  name                      = "acmechosen"
  resource_group_name       = "platform"
  location                  = "westeurope"
  sku                       = var.sku
  quarantine_policy_enabled = false
}
