resource "azurerm_linux_web_app" "no_certs" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

resource "azurerm_linux_web_app" "optional" {
  name                       = "b"
  location                   = "westeurope"
  resource_group_name        = "orders"
  service_plan_id            = "plan-id"
  client_certificate_enabled = true
  client_certificate_mode    = "Optional"
  site_config {}
}

resource "azurerm_app_service" "legacy_off" {
  name                = "legacy"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  client_cert_enabled = false
}

resource "azurerm_linux_function_app" "mode_left_optional" {
  name                       = "c"
  location                   = "westeurope"
  resource_group_name        = "orders"
  service_plan_id            = "plan-id"
  storage_account_name       = "ordersfunctions"
  client_certificate_enabled = true
  site_config {}
}

resource "azurerm_function_app" "legacy_function_no_mode" {
  name                       = "legacy-function"
  location                   = "westeurope"
  resource_group_name        = "orders"
  app_service_plan_id        = "plan-id"
  storage_account_name       = "ordersfunctions"
}

resource "azurerm_function_app_flex_consumption" "flex_mode_left_optional" {
  name                        = "orders-flex"
  location                    = "westeurope"
  resource_group_name         = "orders"
  service_plan_id             = "plan-id"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://ordersfunctions.blob.core.windows.net/deployments"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.11"
  client_certificate_enabled  = true
  site_config {}
}
