resource standard 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'standard'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    policies: {
      quarantinePolicy: {
        status: 'disabled'
      }
    }
  }
}
