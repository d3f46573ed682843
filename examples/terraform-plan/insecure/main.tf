# The service's settings for each environment come from a var file chosen at
# deployment (`terraform plan -var-file=dev.tfvars -out=plan.out`), so this file
# alone cannot say what they are; the plan (`terraform show -json plan.out >
# plan.json`) can, and iacguard reports its values on these lines.
variable "settings" {
  type = object({
    https_only     = bool
    tls_version    = string
    registry_admin = bool
  })
}

resource "azurerm_container_registry" "orders" {
  name                          = "acmeorders"
  resource_group_name           = "orders"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = var.settings.registry_admin
  public_network_access_enabled = false
  quarantine_policy_enabled     = true
}

resource "azurerm_linux_web_app" "api" {
  name                          = "orders-api"
  resource_group_name           = "orders"
  location                      = "westeurope"
  service_plan_id               = "plan-id"
  https_only                    = var.settings.https_only
  public_network_access_enabled = false
  client_certificate_enabled    = true

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = var.settings.tls_version
    ftps_state          = "Disabled"
  }
}
