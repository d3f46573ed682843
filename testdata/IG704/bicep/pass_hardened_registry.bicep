resource acmeprod 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acmeprod'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Disabled'
    anonymousPullEnabled: false
    policies: {
      trustPolicy: {
        type: 'Notary'
        status: 'enabled'
      }
      quarantinePolicy: {
        status: 'enabled'
      }
    }
  }
}
