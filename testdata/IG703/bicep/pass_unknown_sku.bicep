param sku string

resource chosen 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'chosen'
  location: 'westeurope'
  sku: {
    name: sku
  }
  properties: {
    anonymousPullEnabled: true
  }
}
