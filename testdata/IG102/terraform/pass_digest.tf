resource "azurerm_container_group" "pinned" {
  name                = "pinned"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  container {
    name   = "api"
    image  = "myacr.azurecr.io/api@sha256:4444444444444444444444444444444444444444444444444444444444444444"
    cpu    = "1"
    memory = "2"
  }
}
