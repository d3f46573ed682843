variable "edge_range" {
  type = string
}

# Every address, but only with this Front Door's id: the header narrows the rule.
resource "azurerm_linux_web_app" "front_door_only" {
  name                = "front-door"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ip_restriction_default_action = "Deny"
    ip_restriction {
      ip_address = "0.0.0.0/0"
      headers {
        x_azure_fdid = ["00000000-0000-0000-0000-000000000000"]
      }
    }
  }
}

# A rule that refuses every address comes first: the later one never lets anyone in.
resource "azurerm_windows_web_app" "deny_all_first" {
  name                = "deny-first"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  site_config {
    ip_restriction {
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
    ip_restriction {
      ip_address = "0.0.0.0/0"
      action     = "Deny"
      priority   = 200
    }
    ip_restriction {
      ip_address = "0.0.0.0/0"
      priority   = 300
    }
  }
}

# A rule on a service tag lets that service in, not everyone.
resource "azurerm_app_service" "service_tag" {
  name                = "service-tag"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    ip_restriction {
      service_tag = "AzureFrontDoor.Backend"
    }
  }
}

# The address comes from a variable without a value: it may be every address, or not.
resource "azurerm_app_service" "unknown_address" {
  name                = "unknown-address"
  location            = "westeurope"
  resource_group_name = "orders"
  app_service_plan_id = "plan-id"
  site_config {
    ip_restriction {
      ip_address = var.edge_range
    }
  }
}
