param siteNames array = [
  'orders'
  'billing'
]

resource sites 'Microsoft.Web/sites@2022-09-01' = [for name in siteNames: {
  name: name
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'AllAllowed'
    }
  }
}]

// Each site's config child, linked to the instance of the same index, turns FTP off:
// deployed after the site, it decides.
resource configs 'Microsoft.Web/sites/config@2022-09-01' = [for (name, i) in siteNames: {
  parent: sites[i]
  name: 'web'
  properties: {
    ftpsState: 'Disabled'
  }
}]
