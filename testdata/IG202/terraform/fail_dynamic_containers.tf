# A dynamic block over a map written out in the file generates one container per
# element; the finding is on the element that turns privileges on.
resource "azurerm_container_group" "agents" {
  name                = "agents"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"

  dynamic "container" {
    for_each = {
      collector = { image = "myacr.azurecr.io/collector:2.1", privileged = false }
      node-agent = {
        image      = "myacr.azurecr.io/node-agent:1.4"
        privileged = true
      }
    }
    iterator = agent
    content {
      name   = agent.key
      image  = agent.value.image
      cpu    = "0.5"
      memory = "1"
      security {
        privilege_enabled = agent.value.privileged
      }
    }
  }
}

# Nested dynamic blocks, with the block's own name as the iterator.
resource "azurerm_container_group" "tools" {
  name                = "tools"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"

  dynamic "container" {
    for_each = ["debug"]
    content {
      name   = container.value
      image  = "myacr.azurecr.io/${container.value}:1.0"
      cpu    = "0.5"
      memory = "1"
      dynamic "security" {
        for_each = [true]
        content {
          privilege_enabled = security.value
        }
      }
    }
  }
}
