# The configuration the plans of this folder were made from: one vault per
# environment, made by a local module.
module "vault" {
  for_each         = toset(["dev", "prod"])
  source           = "./modules/vault"
  name             = "kv-${each.key}"
  purge_protection = each.key == "prod"
}

# A shared vault, made by a module that calls the vault module in turn: the
# caller's variable decides its purge protection, two modules down.
variable "shared_purge_protection" {
  type = bool
}

module "shared" {
  source           = "./modules/shared"
  purge_protection = var.shared_purge_protection
}
