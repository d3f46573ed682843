resource "azurerm_container_group" "tools" {
  name                = "tools"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  container {
    name   = "api"
    image  = "myacr.azurecr.io/api:1.0"
    cpu    = "0.5"
    memory = "1"
    security {
      privilege_enabled = false
    }
  }
}
