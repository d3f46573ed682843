variable "location" {
  type    = string
  default = "westeurope"
}

variable "min_tls_version" {
  description = "Oldest TLS version the API accepts."
  type        = string
  default     = "1.2"
}

variable "worker_subnet_id" {
  description = "Subnet the worker runs in, delegated to Container Instances."
  type        = string
}
