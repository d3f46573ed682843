# azurerm has no ftps_state for a Flex Consumption app and sends none; the state Azure
# gives it is not documented, so it is not judged.
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
