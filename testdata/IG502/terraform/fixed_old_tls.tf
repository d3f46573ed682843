locals {
  tls = {
    dev  = "1.0"
    prod = "1.2"
  }
}

resource "azurerm_windows_function_app" "reports" {
  name                       = "reports"
  location                   = "westeurope"
  resource_group_name        = "orders"
  service_plan_id            = "plan-id"
  storage_account_name       = "reportsstorage"
  site_config {
    minimum_tls_version = lookup(local.tls, "dev", "1.2")
  }
}

resource "azurerm_app_service" "legacy" {
  name                = "legacy"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    min_tls_version = "1.2"
  }
}
