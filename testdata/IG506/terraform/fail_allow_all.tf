# The legacy resources refuse what no rule matches, but this rule matches everyone.
resource "azurerm_app_service" "legacy_allow_all" {
  name                = "legacy-all"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    ip_restriction {
      ip_address = "0.0.0.0/0"
      action     = "Allow"
    }
  }
}

# The same rule, in the argument form the legacy resources also take.
resource "azurerm_function_app" "legacy_allow_all_argument" {
  name                       = "legacy-all-argument"
  location                   = "westeurope"
  resource_group_name        = "orders"
  app_service_plan_id        = "plan-id"
  storage_account_name       = "ordersstorage"
  storage_account_access_key = var.storage_key
  site_config {
    ip_restriction = [
      {
        name       = "everyone"
        ip_address = "::/0"
      }
    ]
  }
}

# Deny by default, but a rule lets every address in before the default is reached.
resource "azurerm_linux_web_app" "deny_with_allow_all" {
  name                = "deny-all-but"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ip_restriction_default_action = "Deny"
    ip_restriction {
      name       = "office"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
    ip_restriction {
      name       = "everyone"
      ip_address = "0.0.0.0/0"
      priority   = 200
    }
  }
}

variable "storage_key" {
  type      = string
  sensitive = true
}
