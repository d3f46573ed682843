resource "azurerm_windows_web_app" "site" {
  name                = "site"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    application_stack {
      docker_image_name   = "orders/site:3.1"
      docker_registry_url = "https://myacr.azurecr.io"
    }
  }
}
