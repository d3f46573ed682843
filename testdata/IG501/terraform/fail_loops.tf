# One app per element of a map written out in the file: only "legacy-api" turns
# HTTPS off, and the finding is on its element.
locals {
  loop_apps = {
    "legacy-api" = {
      https_only = false
    }
    "orders-api" = {
      https_only = true
    }
  }
}

resource "azurerm_linux_web_app" "app" {
  for_each            = local.loop_apps
  name                = each.key
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = each.value.https_only
  site_config {}
}

# A set of names: each instance lacks https_only.
resource "azurerm_linux_function_app" "worker" {
  for_each            = toset(["billing", "audit"])
  name                = "${each.value}-func"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

# count: one instance per index; the second one turns HTTPS off.
resource "azurerm_windows_web_app" "shard" {
  count               = 2
  name                = "shard-${count.index}"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = count.index == 0
  site_config {}
}

# A map built by a for expression (filtered): the value is decided where the
# attribute takes it.
locals {
  loop_site_list = [
    { name = "public", secure = false, enabled = true },
    { name = "retired", secure = false, enabled = false },
    { name = "internal", secure = true, enabled = true },
  ]
}

resource "azurerm_linux_web_app" "site" {
  for_each            = { for site in local.loop_site_list : site.name => site if site.enabled }
  name                = each.key
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = each.value.secure
  site_config {}
}

# Splats over a list written out in the file (`.*` indexes the result).
resource "azurerm_linux_web_app" "attribute_splat" {
  name                = "splat"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = local.loop_site_list.*.secure[0]
  site_config {}
}

resource "azurerm_linux_web_app" "full_splat" {
  name                = "full-splat"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = element(local.loop_site_list[*].secure, 1)
  site_config {}
}

# A collection that cannot be known: one resource, whose settings that do not
# depend on the loop are still checked.
resource "azurerm_linux_web_app" "tenant" {
  for_each            = var.environment
  name                = each.key
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = false
  site_config {}
}
