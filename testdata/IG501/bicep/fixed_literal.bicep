resource orders 'Microsoft.Web/sites@2022-09-01' = {
  name: 'orders'
  location: 'westeurope'
  kind: 'app'
  properties: {
    httpsOnly: true
  }
}

resource billing 'Microsoft.Web/sites@2022-09-01' = {
  name: 'billing'
  location: 'westeurope'
  kind: 'app'
  properties: {
    httpsOnly: true
    serverFarmId: 'plan'
  }
}
