variable "sql_admin_password" {
  default   = "Spr1ng-Rain-42"
  sensitive = true
}

locals {
  cluster_secret = "k8s-sp-0a1b2c3d4e"
}

resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "jump"
  resource_group_name             = "ops"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "opsadmin"
  admin_password                  = "Jump-Host-2024!"
  disable_password_authentication = false
  network_interface_ids           = ["nic-id"]
}

# Reported at the variable's default, where the password is written.
resource "azurerm_mssql_server" "orders" {
  name                         = "orders-sql"
  resource_group_name          = "orders"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.sql_admin_password
}

resource "azurerm_kubernetes_cluster" "apps" {
  name                = "apps"
  location            = "westeurope"
  resource_group_name = "apps"
  dns_prefix          = "apps"
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2_v5"
  }
  service_principal {
    client_id     = "00000000-0000-0000-0000-000000000000"
    client_secret = local.cluster_secret
  }
}

resource "azurerm_container_group" "worker" {
  name                = "worker"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  image_registry_credential {
    server   = "myacr.azurecr.io"
    username = "myacr"
    password = "acr-pull-Pa55word"
  }
  container {
    name   = "worker"
    image  = "myacr.azurecr.io/worker:1.0"
    cpu    = "1"
    memory = "2"
  }
}

resource "azurerm_linux_web_app" "shop" {
  name                = "shop"
  location            = "westeurope"
  resource_group_name = "shop"
  service_plan_id     = "plan-id"
  connection_string {
    name  = "Orders"
    type  = "SQLAzure"
    value = "Server=tcp:orders-sql.database.windows.net;Database=orders;User ID=shop;Password=Sh0p-Db-Pass;"
  }
  site_config {}
}

# The module's server gets the password from this call: reported at the argument.
module "reporting" {
  source         = "./modules/database"
  admin_password = "Rep0rting-Pass!"
}
