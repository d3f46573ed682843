locals {
  secure = var.enforce_https == "true"
}

resource "azurerm_linux_web_app" "from_local" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = local.secure
  site_config {}
}

# No default and no tfvars value: unknown, so nothing is reported.
resource "azurerm_linux_web_app" "unresolved" {
  name                = "b"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = var.environment == "prod"
  site_config {}
}

# count = 0: never created.
resource "azurerm_linux_web_app" "disabled" {
  count               = 0
  name                = "c"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

# An optional attribute given null takes its default (true).
module "optional_default" {
  source   = "./modules/settings"
  settings = { https_only = null }
}
