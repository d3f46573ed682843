# azurerm 2.x and 3.x: the legacy SQL managed instance, and its successor.
resource "azurerm_sql_managed_instance" "legacy" {
  name                         = "legacy-mi"
  resource_group_name          = "data"
  location                     = "westeurope"
  administrator_login          = "miadmin"
  administrator_login_password = "Mi-Legacy-2023!"
  license_type                 = "BasePrice"
  subnet_id                    = "subnet-id"
  sku_name                     = "GP_Gen5"
  vcores                       = 4
  storage_size_in_gb           = 32
}

resource "azurerm_mssql_managed_instance" "current" {
  name                         = "current-mi"
  resource_group_name          = "data"
  location                     = "westeurope"
  administrator_login          = "miadmin"
  administrator_login_password = "Mi-Current-2024!"
  license_type                 = "BasePrice"
  subnet_id                    = "subnet-id"
  sku_name                     = "GP_Gen5"
  vcores                       = 4
  storage_in_gb                = 32
}

resource "azurerm_cosmosdb_postgresql_cluster" "events" {
  name                            = "events"
  resource_group_name             = "data"
  location                        = "westeurope"
  administrator_login_password    = "Citus-Events-2024!"
  coordinator_storage_quota_in_mb = 131072
  coordinator_vcore_count         = 2
  node_count                      = 0
}
