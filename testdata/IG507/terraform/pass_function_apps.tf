# The function apps default client_certificate_mode to Optional: Required is written out.
resource "azurerm_windows_function_app" "required" {
  name                       = "orders-functions"
  location                   = "westeurope"
  resource_group_name        = "orders"
  service_plan_id            = "plan-id"
  storage_account_name       = "ordersfunctions"
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
  site_config {}
}

# The legacy function app has no client_cert_enabled: setting the mode turns client certificates on.
resource "azurerm_function_app" "legacy" {
  name                       = "legacy-functions"
  location                   = "westeurope"
  resource_group_name        = "orders"
  app_service_plan_id        = "plan-id"
  storage_account_name       = "ordersfunctions"
  client_cert_mode           = "Required"
}
