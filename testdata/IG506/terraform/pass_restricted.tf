variable "allowed_ranges" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "gateways" {
  type = list(string)
}

resource "azurerm_linux_web_app" "static_rule" {
  name                = "a"
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

resource "azurerm_linux_web_app" "dynamic_rules" {
  name                = "b"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
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
resource "azurerm_linux_web_app" "unknown_rules" {
  name                = "c"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    dynamic "ip_restriction" {
      for_each = var.gateways
      content {
        ip_address = ip_restriction.value
      }
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
