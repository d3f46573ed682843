# Every element turns HTTPS on.
locals {
  loop_secure_apps = {
    "api"    = { https_only = true }
    "portal" = { https_only = true }
  }
}

resource "azurerm_linux_web_app" "app" {
  for_each            = local.loop_secure_apps
  name                = each.key
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = each.value.https_only
  site_config {}
}

# No instance: count 0, a false condition, an empty collection.
resource "azurerm_linux_web_app" "none" {
  count               = 0
  name                = "none"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

resource "azurerm_linux_web_app" "optional" {
  count               = var.enforce_https == "false" ? 1 : 0
  name                = "optional"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

resource "azurerm_linux_web_app" "empty" {
  for_each            = toset([])
  name                = each.key
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

# A collection that cannot be known: what depends on the loop stays unknown.
resource "azurerm_linux_web_app" "tenant" {
  for_each            = var.environment
  name                = each.key
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = each.value.https_only
  site_config {}
}

# Module instances, each with its own inputs, all secure.
module "secure_site" {
  source     = "./modules/site"
  for_each   = toset(["blue", "green"])
  name       = each.key
  https_only = true
}
