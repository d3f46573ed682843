module "web" {
  source     = "../../modules/web"
  https_only = false
}
