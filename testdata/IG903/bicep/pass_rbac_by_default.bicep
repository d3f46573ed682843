// From API version 2026-02-01 a new vault uses Azure RBAC unless told otherwise.
resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: 'rbac-by-default'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
  }
}
