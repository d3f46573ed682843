# https_override.tf turns HTTPS off: its value replaces the one written here.
resource "azurerm_linux_web_app" "overridden_off" {
  name                = "orders-admin"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {}
}
