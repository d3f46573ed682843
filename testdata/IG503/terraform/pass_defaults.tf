# The current resources default to Disabled.
resource "azurerm_linux_web_app" "default" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

resource "azurerm_app_service" "legacy" {
  name                = "legacy"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    ftps_state = "FtpsOnly"
  }
}

# tostring(null) is null: the setting is left to its default (Disabled).
resource "azurerm_linux_web_app" "null_conversion" {
  name                = "b"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ftps_state = tostring(null)
  }
}
