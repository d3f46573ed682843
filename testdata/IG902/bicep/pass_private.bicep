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
    // Exported this way by the portal: without public access the rules are not used.
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}
