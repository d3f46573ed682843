# The same service, deployed the way iacguard recommends.
resource "azurerm_resource_group" "orders" {
  name     = "orders"
  location = var.location
}

resource "azurerm_user_assigned_identity" "pull" {
  name                = "orders-pull"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
}

resource "azurerm_container_registry" "orders" {
  name                          = "acmeorders"
  resource_group_name           = azurerm_resource_group.orders.name
  location                      = var.location
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
  quarantine_policy_enabled     = true
}

resource "azurerm_service_plan" "orders" {
  name                = "orders"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azurerm_linux_web_app" "api" {
  name                          = "orders-api"
  resource_group_name           = azurerm_resource_group.orders.name
  location                      = var.location
  service_plan_id               = azurerm_service_plan.orders.id
  https_only                    = true
  public_network_access_enabled = false
  client_certificate_enabled    = true

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = var.min_tls_version
    ftps_state               = "Disabled"
    remote_debugging_enabled = false

    application_stack {
      docker_image_name   = "orders:1.4.2"
      docker_registry_url = "https://acmeorders.azurecr.io"
    }
  }

  app_settings = {
    DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://acme-orders.vault.azure.net/secrets/db-password/)"
  }
}

resource "azurerm_container_group" "worker" {
  name                = "orders-worker"
  resource_group_name = azurerm_resource_group.orders.name
  location            = var.location
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [var.worker_subnet_id]

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }

  image_registry_credential {
    server                    = "acmeorders.azurecr.io"
    user_assigned_identity_id = azurerm_user_assigned_identity.pull.id
  }

  container {
    name   = "worker"
    image  = "acmeorders.azurecr.io/orders-worker:1.4.2"
    cpu    = "0.5"
    memory = "1.0"

    ports {
      port     = 8080
      protocol = "TCP"
    }
  }
}

resource "azurerm_key_vault" "orders" {
  name                       = "acme-orders"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.orders.name
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  purge_protection_enabled   = true
  rbac_authorization_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
