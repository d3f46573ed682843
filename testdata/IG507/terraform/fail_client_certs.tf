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
