# The orders service on Azure, with the mistakes iacguard is built to catch.
resource "azurerm_resource_group" "orders" {
  name     = "orders"
  location = var.location
}

resource "azurerm_container_registry" "orders" {
  name                = "acmeorders"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
  sku                 = "Premium"
  admin_enabled       = true
}

resource "azurerm_service_plan" "orders" {
  name                = "orders"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azurerm_linux_web_app" "api" {
  name                = "orders-api"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
  service_plan_id     = azurerm_service_plan.orders.id

  site_config {
    minimum_tls_version      = var.min_tls_version
    ftps_state               = "AllAllowed"
    remote_debugging_enabled = true

    application_stack {
      docker_image_name   = "orders:latest"
      docker_registry_url = "https://acmeorders.azurecr.io"
    }
  }

  app_settings = {
    DB_PASSWORD = "s3cr3t-Pa55"
  }
}

resource "azurerm_container_group" "worker" {
  name                = "orders-worker"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
  os_type             = "Linux"
  ip_address_type     = "Public"

  image_registry_credential {
    server   = "acmeorders.azurecr.io"
    username = "acmeorders"
    password = var.registry_password
  }

  container {
    name   = "worker"
    image  = "acmeorders.azurecr.io/orders-worker:latest"
    cpu    = "0.5"
    memory = "1.0"

    ports {
      port     = 8080
      protocol = "TCP"
    }
  }
}

resource "azurerm_key_vault" "orders" {
  name                = "acme-orders"
  location            = var.location
  resource_group_name = azurerm_resource_group.orders.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}
