# Joined to a virtual network by a network profile (azurerm before 4.0).
resource "azurerm_container_group" "batch" {
  name                = "batch"
  location            = "westeurope"
  resource_group_name = "rg"
  os_type             = "Linux"
  ip_address_type     = "Private"
  network_profile_id  = azurerm_network_profile.aci.id

  container {
    name   = "batch"
    image  = "myacr.azurecr.io/batch:2.0.1"
    cpu    = "1"
    memory = "1"
  }
}
