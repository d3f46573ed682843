resource defaultFtp 'Microsoft.Web/sites@2022-09-01' = {
  name: 'default-ftp'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'Disabled'
    }
  }
}

resource explicit 'Microsoft.Web/sites@2022-09-01' = {
  name: 'explicit'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'Disabled'
    }
  }
}

resource lowercase 'Microsoft.Web/sites@2022-09-01' = {
  name: 'lowercase'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'Disabled'
    }
  }
}

resource misspelt 'Microsoft.Web/sites@2022-09-01' = {
  name: 'misspelt'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'Disabled'
    }
  }
}
