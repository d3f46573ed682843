variable "exposure" {
  type    = string
  default = "Public"
}

resource "azurerm_container_group" "default_public" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  container {
    name   = "web"
    image  = "nginx:1.27"
    cpu    = "0.5"
    memory = "1.0"
  }
}

resource "azurerm_container_group" "from_variable" {
  name                = "b"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  ip_address_type     = var.exposure
  container {
    name   = "web"
    image  = "nginx:1.27"
    cpu    = "0.5"
    memory = "1.0"
  }
}
