resource noq 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'noq'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    policies: {
      quarantinePolicy: {
        status: 'disabled'
      }
    }
  }
}
