resource "azurerm_container_group" "mixed" {
  name                = "mixed"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  container {
    name   = "api"
    image  = "myacr.azurecr.io/api:2.4.1"
    cpu    = "1"
    memory = "2"
  }
  container {
    name   = "proxy"
    image  = "nginx:1.27"
    cpu    = "0.5"
    memory = "1"
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
        registry_url = "https://quay.io"
        image_name   = "acme/worker"
        image_tag    = "3.2.0"
      }
    }
  }
}
