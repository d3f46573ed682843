resource ftps 'Microsoft.Web/sites@2022-09-01' = {
  name: 'ftps'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'FtpsOnly'
    }
  }
}

// The API ignores case.
resource lowercase 'Microsoft.Web/sites@2022-09-01' = {
  name: 'lowercase'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'ftpsonly'
    }
  }
}
