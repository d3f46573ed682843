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

resource "azurerm_linux_function_app" "worker" {
  name                 = "worker"
  location             = "westeurope"
  resource_group_name  = "orders"
  service_plan_id      = "plan-id"
  storage_account_name = "ordersfunctions"
  site_config {
    application_stack {
      docker {
        registry_url = "https://myacr.azurecr.io"
        image_name   = "orders/worker"
        image_tag    = "3.2.0"
      }
    }
  }
}
