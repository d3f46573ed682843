variable "db_password" {
  default   = "Wint3r-2024!"
  sensitive = true
}

resource "azurerm_container_group" "worker" {
  name                = "worker"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  container {
    name   = "worker"
    image  = "myacr.azurecr.io/worker:1.0"
    cpu    = "1"
    memory = "2"
    environment_variables = {
      LOG_LEVEL   = "info"
      DB_PASSWORD = var.db_password
    }
  }
}

resource "azurerm_linux_function_app" "orders" {
  name                = "orders"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  app_settings = {
    "STRIPE_API_KEY" = "sk_live_51H8x"
  }
  site_config {}
}
