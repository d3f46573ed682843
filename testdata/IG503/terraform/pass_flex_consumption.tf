# A Flex Consumption app takes no FTP deployments: One deploy is the only way to deploy
# to it (azurerm has no ftps_state for it either).
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
  site_config {}
}
