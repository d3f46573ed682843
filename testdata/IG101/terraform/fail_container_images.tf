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

resource "azurerm_linux_function_app" "worker" {
  name                 = "worker"
  location             = "westeurope"
  resource_group_name  = "orders"
  service_plan_id      = "plan-id"
  storage_account_name = "ordersfunctions"
  site_config {
    application_stack {
      docker {
        registry_url = "https://myacr.azurecr.io"
        image_name   = "orders/worker"
        image_tag    = "latest"
      }
    }
  }
}

# azurerm 3.x Windows web apps: name, tag and registry apart.
resource "azurerm_windows_web_app" "portal" {
  name                = "portal"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    application_stack {
      docker_container_registry = "myacr.azurecr.io"
      docker_container_name     = "orders/portal"
      docker_container_tag      = "latest"
    }
  }
}
