# The configuration the plans of this folder were made from: one vault per
# environment, made by a local module.
module "vault" {
  for_each         = toset(["dev", "prod"])
  source           = "./modules/vault"
  name             = "kv-${each.key}"
  purge_protection = each.key == "prod"
}
