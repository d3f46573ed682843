# An override file: Terraform merges each block into the block of the same name
# in another file of the folder (fail_override_file.tf, pass_override_file.tf).
resource "azurerm_linux_web_app" "overridden_off" {
  https_only = false
}

resource "azurerm_linux_web_app" "overridden_on" {
  https_only = true
}
