resource "azurerm_windows_web_app" "open" {
  name                = "open"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

resource "azurerm_linux_web_app" "explicit" {
  name                          = "explicit"
  location                      = "westeurope"
  resource_group_name           = "orders"
  service_plan_id               = "plan-id"
  public_network_access_enabled = true
  site_config {
    ip_restriction_default_action = "Allow"
  }
}
