variable "name" {
  type = string
}

variable "https_only" {
  type    = bool
  default = false
}

resource "azurerm_linux_web_app" "this" {
  name                = var.name
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = var.https_only
  site_config {}
}
