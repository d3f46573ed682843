resource "azurerm_linux_web_app" "uploads" {
  name                = "uploads"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ftps_state = "Disabled"
  }
}

# The legacy resources leave FTP to the API default, AllAllowed.
resource "azurerm_function_app" "legacy" {
  name                       = "legacy"
  location                   = "westeurope"
  resource_group_name        = "orders"
  app_service_plan_id        = "plan-id"
  storage_account_name       = "legacystorage"
  storage_account_access_key = "key"
  site_config {
    ftps_state = "Disabled"
  }
}
