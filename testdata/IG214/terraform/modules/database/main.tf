variable "admin_password" {
  sensitive = true
}

resource "azurerm_postgresql_flexible_server" "reporting" {
  name                   = "reporting"
  resource_group_name    = "reporting"
  location               = "westeurope"
  version                = "16"
  administrator_login    = "reporter"
  administrator_password = var.admin_password
}
