resource "azurerm_linux_function_app" "orders" {
  name                = "orders-func"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
  https_only = true
}

resource "azurerm_windows_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = "app-id"
  https_only     = true
  site_config {}
}

# terraform.tfvars turns the variable's default off.
resource "azurerm_app_service" "legacy" {
  name                = "legacy"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  https_only          = var.https_only
}
