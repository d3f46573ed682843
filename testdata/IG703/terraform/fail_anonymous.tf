resource "azurerm_container_registry" "public_images" {
  name                   = "acmepublic"
  resource_group_name    = "platform"
  location               = "westeurope"
  sku                    = "Standard"
  anonymous_pull_enabled = true
}

resource "azurerm_container_registry" "premium_public" {
  name                   = "acmepremiumpublic"
  resource_group_name    = "platform"
  location               = "westeurope"
  sku                    = "Premium"
  anonymous_pull_enabled = true
}
