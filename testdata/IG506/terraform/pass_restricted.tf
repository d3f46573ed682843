variable "allowed_ranges" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "gateways" {
  type = list(string)
}

variable "default_action" {
  type = string
}

resource "azurerm_linux_web_app" "rules_and_deny" {
  name                = "a"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ip_restriction_default_action = "Deny"
    ip_restriction {
      ip_address = "203.0.113.0/24"
      action     = "Allow"
    }
  }
}

resource "azurerm_linux_web_app" "deny_by_default" {
  name                = "d"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ip_restriction_default_action = "Deny"
  }
}

# The default action comes from a variable without a value: unknown, not reported.
resource "azurerm_linux_web_app" "unknown_default_action" {
  name                = "e"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ip_restriction_default_action = var.default_action
    ip_restriction {
      ip_address = "203.0.113.0/24"
    }
  }
}

# The legacy resources have no default action: Azure refuses what no rule matches.
resource "azurerm_app_service" "dynamic_rules" {
  name                = "b"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    dynamic "ip_restriction" {
      for_each = var.allowed_ranges
      content {
        ip_address = ip_restriction.value
      }
    }
  }
}

# The rules come from a variable without a value: unknown, not reported.
resource "azurerm_app_service" "unknown_rules" {
  name                = "c"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    dynamic "ip_restriction" {
      for_each = var.gateways
      content {
        ip_address = ip_restriction.value
      }
    }
  }
}

# The legacy resources also take ip_restriction as an argument holding a list of objects.
resource "azurerm_app_service" "rules_argument" {
  name                = "f"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    ip_restriction = [for range in var.allowed_ranges : {
      ip_address                = range
      name                      = "allow"
      priority                  = 100
      action                    = "Allow"
      service_tag               = null
      virtual_network_subnet_id = null
      subnet_id                 = null
      headers                   = []
    }]
  }
}

resource "azurerm_function_app" "rules_argument_written_out" {
  name                       = "g"
  location                   = "westeurope"
  resource_group_name        = "orders"
  app_service_plan_id        = "plan-id"
  storage_account_name       = "ordersfunctions"
  site_config {
    ip_restriction = [{ ip_address = "203.0.113.0/24" }]
  }
}

resource "azurerm_app_service" "unknown_rules_argument" {
  name                = "h"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    ip_restriction = var.gateways
  }
}
