param httpsOnly bool = false

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app'
  location: 'westeurope'
  properties: {
    httpsOnly: httpsOnly
  }
}
