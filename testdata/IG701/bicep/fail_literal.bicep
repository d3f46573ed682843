resource shared 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'shared'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: true
  }
}
