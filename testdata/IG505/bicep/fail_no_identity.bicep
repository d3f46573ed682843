resource noIdentity 'Microsoft.Web/sites@2022-09-01' = {
  name: 'no-identity'
  location: 'westeurope'
  kind: 'app'
  properties: {}
}

resource noneIdentity 'Microsoft.Web/sites@2022-09-01' = {
  name: 'none-identity'
  location: 'westeurope'
  kind: 'app'
  identity: {
    type: 'None'
  }
  properties: {}
}
