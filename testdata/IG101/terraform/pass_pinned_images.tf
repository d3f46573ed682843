variable "release" {}

resource "azurerm_container_group" "pinned" {
  name                = "pinned"
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
    name   = "sidecar"
    image  = "myacr.azurecr.io/sidecar:${var.release}"
    cpu    = "0.5"
    memory = "1"
  }
}
