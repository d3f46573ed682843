variable "purge_protection" {
  type = bool
}

module "vault" {
  source           = "../vault"
  name             = "kv-shared"
  purge_protection = var.purge_protection
}
