resource private 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'private'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
    publicNetworkAccess: 'Disabled'
  }
}
