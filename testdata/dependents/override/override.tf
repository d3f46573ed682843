resource "azurerm_linux_web_app" "app" {
  https_only = true
}
