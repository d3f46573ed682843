resource "azurerm_linux_web_app_slot" "debug" {
  name           = "debug"
  app_service_id = "app-id"
  site_config {
    remote_debugging_enabled = true
    remote_debugging_version = "VS2022"
  }
}
