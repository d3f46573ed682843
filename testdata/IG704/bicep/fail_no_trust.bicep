resource unsigned 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'unsigned'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {}
}

resource disabled 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'disabled'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    policies: {
      trustPolicy: {
        status: 'disabled'
      }
    }
  }
}
