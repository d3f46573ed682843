module "explicit" {
  source     = "./modules/app"
  https_only = false
  settings   = { tls = "1.1" }
}

module "defaults" {
  source = "./modules/app"
}

module "edge" {
  source = "./modules/edge"
  secure = false
}
