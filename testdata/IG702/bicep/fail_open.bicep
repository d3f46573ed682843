resource open 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'open'
  location: 'westeurope'
  sku: {
    name: 'Basic'
  }
  properties: {}
}

resource allow 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'allow'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    networkRuleSet: {
      defaultAction: 'Allow'
    }
  }
}
