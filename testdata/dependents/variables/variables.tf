variable "https_only" {
  default = true
}
