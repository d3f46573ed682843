param otherSiteName string

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'frontend'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

// A reference to a site whose name is not known: the site above, or one deployed
// elsewhere. Its config is not taken for the site above's, nor left out: what it
// sets is not known there.
resource other 'Microsoft.Web/sites@2023-12-01' existing = {
  name: otherSiteName
}

resource otherWeb 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: other
  name: 'web'
  properties: {
    ftpsState: 'Disabled'
    remoteDebuggingEnabled: true
  }
}
