resource "azurerm_windows_web_app" "open" {
  name                = "open"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {}
}

resource "azurerm_linux_web_app" "explicit" {
  name                          = "explicit"
  location                      = "westeurope"
  resource_group_name           = "orders"
  service_plan_id               = "plan-id"
  public_network_access_enabled = true
  site_config {
    ip_restriction_default_action = "Allow"
  }
}

# azurerm 3.95 and later send the default action, Allow unless set: the rule lets
# 203.0.113.0/24 in and everyone else too.
resource "azurerm_linux_web_app" "rules_without_deny" {
  name                = "rules"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ip_restriction {
      ip_address = "203.0.113.0/24"
      action     = "Allow"
    }
  }
}

resource "azurerm_app_service" "legacy_open" {
  name                = "legacy"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {}
}

resource "azurerm_app_service" "legacy_empty_rules_argument" {
  name                = "legacy-empty"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    ip_restriction = []
  }
}
