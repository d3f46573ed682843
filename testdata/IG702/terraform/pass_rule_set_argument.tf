# azurerm also takes network_rule_set as an argument holding a list of objects.
variable "rule_set" {
  type = list(object({ default_action = string }))
}

variable "allowed_ranges" {
  default = ["203.0.113.0/24"]
}

resource "azurerm_container_registry" "written_out" {
  name                = "acmelist"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"
  network_rule_set = [{
    default_action  = "Deny"
    ip_rule         = [{ action = "Allow", ip_range = "203.0.113.0/24" }]
    virtual_network = []
  }]
}

resource "azurerm_container_registry" "computed" {
  name                = "acmefor"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"
  network_rule_set = [for ranges in [var.allowed_ranges] : {
    default_action = "Deny"
    ip_rule        = [for range in ranges : { action = "Allow", ip_range = range }]
  }]
}

# A list that cannot be known is not judged.
resource "azurerm_container_registry" "unknown" {
  name                = "acmeunknown"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "Premium"
  network_rule_set    = var.rule_set
}
