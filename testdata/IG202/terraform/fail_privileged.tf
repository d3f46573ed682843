resource "azurerm_container_group" "tools" {
  name                = "tools"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  container {
    name   = "debug"
    image  = "myacr.azurecr.io/debug:1.0"
    cpu    = "0.5"
    memory = "1"
    security {
      privilege_enabled = true
    }
  }
}
