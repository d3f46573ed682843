locals {
  tls = var.settings.tls
}

resource "azurerm_linux_web_app" "this" {
  name                = "app"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  https_only          = var.https_only
  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = local.tls
  }
}
