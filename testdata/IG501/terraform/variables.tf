variable "https_only" {
  type    = bool
  default = true
}

variable "environment" {
  type = string
}

variable "enforce_https" {
  type    = string
  default = "true"
}
