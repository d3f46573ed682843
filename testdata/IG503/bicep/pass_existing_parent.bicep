resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'ledger'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

resource ledger 'Microsoft.Web/sites@2023-12-01' existing = {
  name: 'ledger'
}

resource ledgerWeb 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: ledger
  name: 'web'
  properties: {
    ftpsState: 'Disabled'
  }
  dependsOn: [
    site
  ]
}
