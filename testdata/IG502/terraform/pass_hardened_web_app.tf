resource "azurerm_linux_web_app" "hardened" {
  name                          = "orders-api"
  location                      = "westeurope"
  resource_group_name           = "orders"
  service_plan_id               = "plan-id"
  https_only                    = true
  public_network_access_enabled = false
  client_certificate_enabled    = true

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
  }
}
