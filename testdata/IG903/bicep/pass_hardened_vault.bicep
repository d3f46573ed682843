resource acmeProd 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'acme-prod'
  location: 'westeurope'
  properties: {
    tenantId: 'tenant-id'
    sku: {
      family: 'A'
      name: 'standard'
    }
    enablePurgeProtection: true
    enableRbacAuthorization: true
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }
}
