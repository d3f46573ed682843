# A function app on the Flex Consumption plan (azurerm 4.x) is a function app too.
resource "azurerm_function_app_flex_consumption" "orders" {
  name                        = "orders-flex"
  location                    = "westeurope"
  resource_group_name         = "orders"
  service_plan_id             = "plan-id"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://ordersfunctions.blob.core.windows.net/deployments"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.11"
  https_only                  = true
  site_config {
    minimum_tls_version = "1.0"
  }
}
