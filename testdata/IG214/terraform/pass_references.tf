variable "vm_admin_password" {
  sensitive = true
}

resource "random_password" "sql" {
  length = 24
}

resource "azurerm_windows_virtual_machine" "build" {
  name                  = "build"
  resource_group_name   = "ops"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "opsadmin"
  admin_password        = var.vm_admin_password
  network_interface_ids = ["nic-id"]
}

resource "azurerm_mssql_server" "billing" {
  name                         = "billing-sql"
  resource_group_name          = "billing"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = random_password.sql.result
}

resource "azurerm_linux_virtual_machine" "ssh_only" {
  name                  = "ssh-only"
  resource_group_name   = "ops"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "opsadmin"
  network_interface_ids = ["nic-id"]
  admin_ssh_key {
    username   = "opsadmin"
    public_key = "ssh-rsa AAAAB3NzaC1yc2E"
  }
}

resource "azurerm_container_group" "tools" {
  name                = "tools"
  location            = "westeurope"
  resource_group_name = "ops"
  os_type             = "Linux"
  image_registry_credential {
    server   = "myacr.azurecr.io"
    username = "myacr"
    password = "<acr-password>"
  }
  image_registry_credential {
    server   = "hub.docker.com"
    username = "yourusername"
    password = "yourpassword"
  }
  container {
    name   = "tools"
    image  = "myacr.azurecr.io/tools:1.0"
    cpu    = "1"
    memory = "2"
  }
}

resource "azurerm_linux_web_app" "portal" {
  name                = "portal"
  location            = "westeurope"
  resource_group_name = "portal"
  service_plan_id     = "plan-id"
  connection_string {
    name  = "Orders"
    type  = "SQLAzure"
    value = "@Microsoft.KeyVault(SecretUri=https://acme.vault.azure.net/secrets/orders-db/)"
  }
  connection_string {
    name  = "Catalog"
    type  = "SQLAzure"
    value = "Server=tcp:catalog.database.windows.net;Database=catalog;Authentication=Active Directory Default;"
  }
  site_config {
    application_stack {
      docker_image_name        = "portal:1.4"
      docker_registry_url      = "https://myacr.azurecr.io"
      docker_registry_username = "myacr"
      docker_registry_password = "@Microsoft.KeyVault(SecretUri=https://acme.vault.azure.net/secrets/acr-pull/)"
    }
  }
}
