# https_override.tf turns HTTPS on: its value replaces the one written here.
resource "azurerm_linux_web_app" "overridden_on" {
  name                = "orders-public"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = false
  site_config {}
}
