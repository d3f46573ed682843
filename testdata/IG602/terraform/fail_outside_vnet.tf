resource "azurerm_container_group" "no_subnet" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  ip_address_type     = "None"
  container {
    name   = "batch"
    image  = "myacr.azurecr.io/batch:2.0"
    cpu    = "1"
    memory = "2"
  }
}

resource "azurerm_container_group" "empty_list" {
  name                = "b"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  subnet_ids          = []
  container {
    name   = "batch"
    image  = "myacr.azurecr.io/batch:2.0"
    cpu    = "1"
    memory = "2"
  }
}
