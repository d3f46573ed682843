# The configuration the plans of this folder were made from: the image tag comes from
# a variable without default, so scanning this file cannot tell it; the plan can.
variable "worker_tag" {
  type = string
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
        image_tag    = var.worker_tag
      }
    }
  }
}
