variable "name" {}

variable "https_only" {
  default = true
}

resource "azurerm_linux_web_app" "this" {
  name                = var.name
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"
  https_only          = var.https_only

  site_config {
    ftps_state = "AllAllowed"
  }
}
