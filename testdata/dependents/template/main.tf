resource "azurerm_linux_web_app" "app" {
  name                = "app"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  https_only          = trimspace(templatefile("${path.module}/https.tftpl", { enabled = true })) == "true"
  site_config {}
}
