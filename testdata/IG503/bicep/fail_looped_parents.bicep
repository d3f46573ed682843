var siteNames = [
  'orders'
  'billing'
]

resource sites 'Microsoft.Web/sites@2022-09-01' = [for name in siteNames: {
  name: name
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'Disabled'
    }
  }
}]

// Each site's config child, linked to the instance of the same index.
resource configs 'Microsoft.Web/sites/config@2022-09-01' = [for (name, i) in siteNames: {
  parent: sites[i]
  name: 'web'
  properties: {
    ftpsState: i == 0 ? 'AllAllowed' : 'Disabled'
  }
}]

// A slot of the second site, by a literal index, inherits nothing but its parent's name.
resource staging 'Microsoft.Web/sites/slots@2022-09-01' = {
  parent: sites[1]
  name: 'staging'
  location: 'westeurope'
  properties: {
    siteConfig: {
      ftpsState: 'FtpsOnly'
    }
  }
}

resource stagingConfig 'Microsoft.Web/sites/slots/config@2022-09-01' = {
  parent: staging
  name: 'web'
  properties: {
    ftpsState: 'AllAllowed'
  }
}
