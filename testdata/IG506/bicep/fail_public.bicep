resource open 'Microsoft.Web/sites@2022-09-01' = {
  name: 'open'
  location: 'westeurope'
  kind: 'app'
  properties: {}
}

resource enabled 'Microsoft.Web/sites@2022-09-01' = {
  name: 'enabled'
  location: 'westeurope'
  kind: 'app'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}
