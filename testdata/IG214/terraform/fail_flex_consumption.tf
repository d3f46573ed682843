resource "azurerm_function_app_flex_consumption" "orders" {
  name                        = "orders-flex"
  location                    = "westeurope"
  resource_group_name         = "orders"
  service_plan_id             = "plan-id"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://ordersfunctions.blob.core.windows.net/deployments"
  storage_authentication_type = "StorageAccountConnectionString"
  storage_access_key          = "bm90LWEtcmVhbC1rZXktbm90LWEtcmVhbC1rZXktbm90LWEtcmVhbC1rZXk="
  runtime_name                = "python"
  runtime_version             = "3.11"
  site_config {}
}
