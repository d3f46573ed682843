param name string
param httpsOnly bool = true

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: name
  location: 'westeurope'
  properties: {
    httpsOnly: httpsOnly
  }
}
