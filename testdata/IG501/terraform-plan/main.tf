# The configuration the plans of this folder were made from. `https_only` comes from
# a variable without default, so scanning this file cannot tell its value; the plan
# can.
variable "https_only" {
  type = bool
}

variable "regions" {
  type = set(string)
}

resource "azurerm_linux_function_app" "orders" {
  for_each            = var.regions
  name                = "orders-${each.key}"
  location            = each.key
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = var.https_only
  site_config {}
}

resource "azurerm_windows_web_app" "portal" {
  name                = "portal"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}
