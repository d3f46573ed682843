resource "azurerm_linux_web_app" "site" {
  name                = "site"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    application_stack {
      docker_image_name   = "acme/site:3.1"
      docker_registry_url = "https://ghcr.io"
    }
  }
}
