# The legacy slots have no client certificate setting: Azure's default, none, applies.
resource "azurerm_app_service_slot" "staging" {
  name                = "staging"
  app_service_name    = "orders"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  https_only          = true
}

resource "azurerm_function_app_slot" "staging" {
  name                       = "staging"
  function_app_name          = "orders-functions"
  location                   = "westeurope"
  resource_group_name        = "orders"
  app_service_plan_id        = "plan-id"
  storage_account_name       = "ordersfunctions"
  storage_account_access_key = var.storage_key
  https_only                 = true
}

variable "storage_key" {
  type      = string
  sensitive = true
}
