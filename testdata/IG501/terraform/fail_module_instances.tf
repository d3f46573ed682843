# One module instance per element: each is evaluated with its own inputs, and the
# finding is on the element that decided the value.
module "site" {
  source = "./modules/site"
  for_each = {
    blue  = true
    green = false
  }
  name       = each.key
  https_only = each.value
}

# count: the second instance turns HTTPS off.
module "shard" {
  source     = "./modules/site"
  count      = 2
  name       = "shard-${count.index}"
  https_only = count.index == 0
}
