# Each app's minimum TLS version is decided by one function (an old version).
locals {
  fn_settings = { tls = "1.0" }
}

resource "azurerm_linux_web_app" "try" {
  name                = "try"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = try(local.fn_settings.missing, "1.0")
  }
}

resource "azurerm_linux_web_app" "can" {
  name                = "can"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = can(local.fn_settings.missing) ? "1.3" : "1.0"
  }
}

resource "azurerm_linux_web_app" "one" {
  name                = "one"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = one(["1.0"])
  }
}

resource "azurerm_linux_web_app" "element" {
  name                = "element"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = element(["1.0", "1.3"], 2)
  }
}

resource "azurerm_linux_web_app" "flatten" {
  name                = "flatten"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = flatten([["1.0"], []])[0]
  }
}

resource "azurerm_linux_web_app" "setunion" {
  name                = "setunion"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = setunion(["1.0"], ["1.0"])[0]
  }
}

resource "azurerm_linux_web_app" "zipmap" {
  name                = "zipmap"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = zipmap(["web"], ["1.0"])["web"]
  }
}

resource "azurerm_linux_web_app" "keys" {
  name                = "keys"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = keys({ "1.0" = "web" })[0]
  }
}

resource "azurerm_linux_web_app" "values" {
  name                = "values"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = values({ web = "1.0" })[0]
  }
}

resource "azurerm_linux_web_app" "contains" {
  name                = "contains"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = contains(["1.0"], "1.0") ? "1.0" : "1.3"
  }
}

resource "azurerm_linux_web_app" "startswith" {
  name                = "startswith"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = startswith("1.0-legacy", "1.0") ? "1.0" : "1.3"
  }
}

resource "azurerm_linux_web_app" "split" {
  name                = "split"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = split(",", "1.0,1.3")[0]
  }
}

resource "azurerm_linux_web_app" "join" {
  name                = "join"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = join(".", ["1", "0"])
  }
}

resource "azurerm_linux_web_app" "replace" {
  name                = "replace"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = replace("1_0", "/_/", ".")
  }
}

resource "azurerm_linux_web_app" "regex" {
  name                = "regex"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = regex("^([0-9]+\\.[0-9]+)", "1.0-legacy")[0]
  }
}

resource "azurerm_linux_web_app" "tomap" {
  name                = "tomap"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = tomap({ web = "1.0" }).web
  }
}

resource "azurerm_linux_web_app" "tolist" {
  name                = "tolist"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = tolist(["1.0"])[0]
  }
}

resource "azurerm_linux_web_app" "toset" {
  name                = "toset"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = tolist(toset(["1.0", "1.0"]))[0]
  }
}

resource "azurerm_linux_web_app" "jsondecode" {
  name                = "jsondecode"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = jsondecode("{\"tls\": \"1.0\"}").tls
  }
}

resource "azurerm_linux_web_app" "yamldecode" {
  name                = "yamldecode"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = yamldecode("tls: '1.0'").tls
  }
}

resource "azurerm_linux_web_app" "templatefile" {
  name                = "templatefile"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = trimspace(templatefile("${path.module}/legacy-tls.tpl", { version = "1.0" }))
  }
}

resource "azurerm_linux_web_app" "expanded" {
  name                = "expanded"
  location            = "westeurope"
  resource_group_name = "orders"
  service_plan_id     = "plan-id"
  https_only          = true
  site_config {
    minimum_tls_version = coalesce(["", local.fn_settings.tls]...)
  }
}
