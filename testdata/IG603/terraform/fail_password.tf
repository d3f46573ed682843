variable "registry_password" {
  type      = string
  sensitive = true
}

resource "azurerm_container_group" "password_pull" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = ["subnet-id"]

  image_registry_credential {
    server   = "myacr.azurecr.io"
    username = "myacr"
    password = var.registry_password
  }

  container {
    name   = "worker"
    image  = "myacr.azurecr.io/worker:1.4.2"
    cpu    = "0.5"
    memory = "1.0"
  }
}
