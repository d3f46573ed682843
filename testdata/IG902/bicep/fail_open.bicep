resource noacls 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'noacls'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
  }
}

resource allow 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'allow'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}
