resource default 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'default'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
  }
}

resource explicit 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'explicit'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: false
  }
}

resource explicitAtRbacDefault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: 'explicit-at-rbac-default'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: false
  }
}
