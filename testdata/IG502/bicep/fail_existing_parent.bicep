resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'ledger'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

// A reference to the site above, by its name, and a config child of the reference.
resource ledger 'Microsoft.Web/sites@2023-12-01' existing = {
  name: 'ledger'
}

resource ledgerWeb 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: ledger
  name: 'web'
  properties: {
    minTlsVersion: '1.1'
  }
  dependsOn: [
    site
  ]
}

resource other 'Microsoft.Web/sites@2023-12-01' = {
  name: 'other'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}
