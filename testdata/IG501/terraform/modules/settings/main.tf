variable "settings" {
  type = object({
    https_only = optional(bool, true)
  })
}

resource "azurerm_linux_web_app" "this" {
  name                = "settings"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = var.settings.https_only
  site_config {}
}
