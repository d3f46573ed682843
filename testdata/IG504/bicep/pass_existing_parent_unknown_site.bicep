param siteName string

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

// A reference to a site by a name the site above, whose name is not known, may or
// may not have: what its config sets is not known on the site above.
resource legacy 'Microsoft.Web/sites@2023-12-01' existing = {
  name: 'legacy-app'
}

resource legacyWeb 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: legacy
  name: 'web'
  properties: {
    ftpsState: 'Disabled'
    remoteDebuggingEnabled: true
  }
}
