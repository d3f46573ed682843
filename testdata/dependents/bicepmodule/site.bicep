param httpsOnly bool = true

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}
