https_only = false
