# Every generated container runs unprivileged.
resource "azurerm_container_group" "agents" {
  name                = "agents"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"

  dynamic "container" {
    for_each = {
      collector  = { image = "myacr.azurecr.io/collector:2.1", privileged = false }
      node-agent = { image = "myacr.azurecr.io/node-agent:1.4", privileged = false }
    }
    content {
      name   = container.key
      image  = container.value.image
      cpu    = "0.5"
      memory = "1"
      security {
        privilege_enabled = container.value.privileged
      }
    }
  }
}

# A dynamic block over nothing generates no container.
resource "azurerm_container_group" "idle" {
  name                = "idle"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"

  dynamic "container" {
    for_each = []
    content {
      name   = "never"
      image  = "myacr.azurecr.io/never:1.0"
      cpu    = "0.5"
      memory = "1"
      security {
        privilege_enabled = true
      }
    }
  }
}
