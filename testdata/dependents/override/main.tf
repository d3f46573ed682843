resource "azurerm_linux_web_app" "app" {
  name                = "app"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  https_only          = false
  site_config {}
}
