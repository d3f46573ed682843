variable "location" {
  type    = string
  default = "westeurope"
}

variable "min_tls_version" {
  description = "Oldest TLS version the API accepts."
  type        = string
  default     = "1.0"
}

variable "registry_password" {
  type    = string
  default = "Acr-Pa55w0rd-2024"
}
