# Deployed into a subnet, so the group was meant to be private: the fix says so.
resource "azurerm_container_group" "in_subnet" {
  name                = "worker"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  ip_address_type     = "Public"
  subnet_ids          = ["/subscriptions/0000/resourceGroups/orders/providers/Microsoft.Network/virtualNetworks/orders/subnets/workers"]
  container {
    name   = "worker"
    image  = "myacr.azurecr.io/worker:1.0"
    cpu    = "0.5"
    memory = "1.0"
  }
}

# Without a subnet the intent cannot be told: reported, never fixed.
resource "azurerm_container_group" "no_subnet" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  ip_address_type     = "Public"
  container {
    name   = "web"
    image  = "myacr.azurecr.io/web:1.0"
    cpu    = "0.5"
    memory = "1.0"
  }
}
