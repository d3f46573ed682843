variable "tag" {
  default = "latest"
}

resource "azurerm_container_group" "jobs" {
  name                = "jobs"
  location            = "westeurope"
  resource_group_name = "orders"
  os_type             = "Linux"
  restart_policy      = "OnFailure"

  init_container {
    name  = "fetch"
    image = "busybox"
  }

  container {
    name   = "job"
    image  = "myacr.azurecr.io/job:${var.tag}"
    cpu    = "1"
    memory = "2"
  }
}

resource "azurerm_linux_web_app" "site" {
  name                = "site"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    application_stack {
      docker_image_name   = "orders/site:latest"
      docker_registry_url = "https://myacr.azurecr.io"
    }
  }
}

resource "azurerm_app_service" "legacy" {
  name                = "legacy"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    linux_fx_version = "DOCKER|nginx"
  }
}
