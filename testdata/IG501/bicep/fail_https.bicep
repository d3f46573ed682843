param siteName string = 'shop'
param httpsOnly bool = true

resource ordersFunc 'Microsoft.Web/sites@2022-09-01' = {
  name: 'orders-func'
  location: 'westeurope'
  kind: 'functionapp,linux'
  properties: {}
}

resource sites 'Microsoft.Web/sites@2022-09-01' = {
  name: siteName
  location: 'westeurope'
  kind: 'app'
  properties: {
    httpsOnly: httpsOnly
  }
}
