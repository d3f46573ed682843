# The configuration the plans of this folder were made from. The password is a
# sensitive input: the plan marks it sensitive, and no finding may show it.
variable "registry_password" {
  type      = string
  sensitive = true
  default   = null
}

variable "pull_identity" {
  type    = string
  default = null
}

resource "azurerm_container_group" "jobs" {
  name                = "jobs"
  location            = "westeurope"
  resource_group_name = "jobs"
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = ["subnet-id"]

  dynamic "image_registry_credential" {
    for_each = var.registry_password == null ? [] : [1]
    content {
      server   = "myacr.azurecr.io"
      username = "myacr"
      password = var.registry_password
    }
  }

  dynamic "image_registry_credential" {
    for_each = var.pull_identity == null ? [] : [1]
    content {
      server                    = "myacr.azurecr.io"
      user_assigned_identity_id = var.pull_identity
    }
  }

  container {
    name   = "worker"
    image  = "myacr.azurecr.io/worker:1.4.2"
    cpu    = "0.5"
    memory = "1.0"
  }
}
