resource basic 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'basic'
  location: 'westeurope'
  sku: {
    name: 'Basic'
  }
  properties: {
    anonymousPullEnabled: true
  }
}
