variable "secure" {}

module "site" {
  source     = "../app"
  https_only = var.secure
  settings   = { tls = "1.0" }
}
