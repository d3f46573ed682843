resource "azurerm_container_group" "hardened" {
  name                = "worker"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = ["subnet-id"]

  identity {
    type         = "UserAssigned"
    identity_ids = ["pull-identity-id"]
  }

  image_registry_credential {
    server                    = "myacr.azurecr.io"
    user_assigned_identity_id = "pull-identity-id"
  }

  container {
    name   = "worker"
    image  = "myacr.azurecr.io/worker:1.4.2"
    cpu    = "0.5"
    memory = "1.0"
  }
}
