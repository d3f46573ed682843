# azurerm 2.x accepted the tier name in any case.
resource "azurerm_container_registry" "lower_case" {
  name                = "acmelower"
  resource_group_name = "platform"
  location            = "westeurope"
  sku                 = "premium"
}
