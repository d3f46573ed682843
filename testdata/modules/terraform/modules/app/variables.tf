variable "https_only" {
  default = false
}

variable "settings" {
  default = {}
}
