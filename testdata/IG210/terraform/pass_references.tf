variable "api_token" {
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
      API_TOKEN     = var.api_token
      CLIENT_SECRET = "YOUR_CLIENT_SECRET"
    }
    secure_environment_variables = {
      DB_PASSWORD = "changeme"
    }
  }
}

resource "azurerm_linux_web_app" "site" {
  name                = "site"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  app_settings = {
    "DB_PASSWORD"      = "@Microsoft.KeyVault(SecretUri=https://acme.vault.azure.net/secrets/db/)"
    "DB_PASSWORD_FILE" = "/mnt/secrets/db"
  }
  site_config {}
}
