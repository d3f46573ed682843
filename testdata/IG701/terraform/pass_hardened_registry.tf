resource "azurerm_container_registry" "hardened" {
  name                          = "acmeprod"
  resource_group_name           = "platform"
  location                      = "westeurope"
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
  anonymous_pull_enabled        = false
  trust_policy_enabled          = true
  quarantine_policy_enabled     = true
}
